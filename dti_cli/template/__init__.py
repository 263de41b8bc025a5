"""Data-collection workbooks: one per agency that leads an indicator, one per unit for per-unit inputs.

Who gets which inputs is the methodology's (:mod:`dti_cli.methodology.assign`); the workbook's
layout is the template format's (:mod:`dti_cli.formats.template`, which merge reads too). Each
workbook carries, beside every input, the indicator's max, its baseline score, the round's
target, the rule in words and the expected points as an Excel formula of the agency's own
entries, so an official sees at once what a figure is worth.

    run = write_templates(ctx, assignments(ctx), "phieu", deadline=date(2023, 10, 15),
                          contact="Nguyễn Văn A, 0290 3 123 456, a@camau.gov.vn")

Modules: :mod:`.write` (the run: files, force, prefill), :mod:`.shared` (what every workbook of
a run shares, built once), :mod:`.book` (one workbook, XlsxWriter), :mod:`.texts` (the words),
:mod:`.contact`, :mod:`.prefill`.
"""

from ..methodology.assign import Assignment, assignments, assignments_for  # who gets which workbook (importable from here, as before)
from .contact import Contact, focal_contact, parse_contact
from .write import TemplateRun, write_templates

__all__ = ["Assignment", "Contact", "TemplateRun", "assignments", "assignments_for", "focal_contact", "parse_contact", "write_templates"]
