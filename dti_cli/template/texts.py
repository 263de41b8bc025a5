"""The words of a workbook, in the run's language: titles, instructions, cover, validation messages.

Every text is an English message id translated by gettext (Vietnamese in
``locale/vi/parts/template.po``); numbers and dates are written by :mod:`dti_cli.core.i18n`. The
sheets' titles, the column letters and the "no data" and yes/no words come from the layout
(:mod:`dti_cli.formats.template`), so the instructions always name the cells merge reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core import i18n
from ..core.i18n import _
from ..formats import template as layout
from .contact import Contact


@dataclass(frozen=True)
class Round:
    """What every workbook of a run says about the round."""

    year: int
    baseline_year: int
    province: str
    source: str
    deadline: date | None
    contact: Contact
    lang: str
    banner: str | None = None  # e.g. "SỐ LIỆU MẪU": printed at the centre of every page header


def title(r: Round) -> str:
    return _("DIGITAL TRANSFORMATION INDEX (DTI) {year}: DATA-COLLECTION WORKBOOK").format(year=r.year)


def deadline_text(r: Round) -> str:
    if r.deadline is None:
        return _("not set in this workbook; ask the focal point")
    return i18n.day(r.deadline)


def focal_agency(r: Round) -> str:
    return r.contact.agency or _("the focal point")


def focal_text(r: Round) -> str:
    """The focal point's agency, and its contact person or a plain word that none is given."""
    c = r.contact
    lines = [focal_agency(r)]
    if not c.given:
        lines.append(_("No contact person is given in this workbook: ask {agency} who to call.").format(agency=focal_agency(r)))
        return "\n".join(lines)
    if c.name:
        lines.append(_("Contact: {name}").format(name=c.name))
    if c.phone:
        lines.append(_("Phone: {phone}").format(phone=c.phone))
    if c.email:
        lines.append(_("E-mail: {email}").format(email=c.email))
    return "\n".join(lines)


def subtitle_data(r: Round) -> str:
    return _("{province} · Deadline: {deadline} · Fill in the yellow cells; do not delete or insert rows.").format(
        province=r.province, deadline=deadline_text(r))


def round_line(r: Round, figures: int, indicators: int) -> str:
    """The round and the methodology in words (never the catalogue's internal id and version)."""
    return _("Round {year}, methodology: {source} · {figures} figures, {indicators} indicators").format(
        year=r.year, source=r.source, figures=i18n.integer(figures), indicators=i18n.integer(indicators))


def page_header(r: Round, unit: str) -> str:
    return _("{province} · DTI {year} · {unit}").format(province=r.province, year=r.year, unit=unit)


def page_footer() -> str:
    return _("Page &P of &N")


def instructions(r: Round, unit: str, figures: int, indicators: int) -> list[tuple[str, str | None]]:
    """(label, text) rows of the instructions sheet; the text None is the row of cell colours."""
    cover, data = layout.sheet_title("cover", r.lang), layout.sheet_title("data", r.lang)
    nd = layout.NO_DATA_TEXT[r.lang]
    doc, link = layout.EVIDENCE_COLS
    how = "\n".join([
        _("1. Sheet \"{cover}\": the name, position, phone and e-mail of the person filling in, and the date.").format(cover=cover),
        _("2. Sheet \"{data}\": type each value in column {value}; the evidence document's number and date in column {doc}, "
          "its link in column {link}, and a note in column {note} if needed.").format(data=data, value=layout.VALUE_COL, doc=doc, link=link,
                                                                                   note=layout.NOTE_COL),
        _("3. Numbers only, without units (for example {example}). Yes/no and choices: pick from the cell's list.").format(
            example=i18n.num(1234.5, 1)),
        _("4. No data: pick or type \"{no_data}\". Do not leave the cell empty, and do not write 0 instead.").format(no_data=nd),
        _("5. Save the file as .xlsx (keep its name) and send it back to the focal point below."),
    ])
    note = "\n".join([
        _("Do not delete or insert rows, rename sheets or edit column {id} ({id_title}): the figures are read by that id.").format(
            id=layout.ID_COL, id_title=column_title("A", r)),
        _("Column {col} ({col_title}) is computed from your entries, for guidance only; the official score is computed by the focal point.").format(
            col=layout.EXPECTED_COL, col_title=column_title(layout.EXPECTED_COL, r)),
    ])
    purpose = _("{focal} collects the figures for the {year} self-assessment of the provincial Digital Transformation Index (DTI) of "
                "{province} ({source}). This workbook holds only the {figures} figures that {unit} supplies, for {indicators} indicators.").format(
        focal=focal_agency(r), year=r.year, province=r.province, source=r.source, figures=i18n.integer(figures), unit=unit,
        indicators=i18n.integer(indicators))
    return [
        (_("Purpose"), purpose),
        (_("How to fill it in"), how),
        (_("Deadline"), deadline_text(r)),
        (_("Focal point"), focal_text(r)),
        (_("Cell colours"), None),
        (_("Please note"), note),
    ]


def colours() -> list[tuple[str, str]]:
    """(format key, words) of the colour legend."""
    return [("input", _("Yellow: cells to fill in (value, evidence, note).")),
            ("ref", _("Grey: reference information, locked.")),
            ("calc", _("Green: expected points, computed from your entries."))]


def cover_rows(r: Round) -> list[tuple[str, str, str | None]]:
    """(field key, label, input message) of the cover's fields, in the layout's order; the agency is locked."""
    labels = {"AGENCY": (_("Agency or unit"), None),
              "NAME": (_("Name of the person filling in"), _("The name of the person who fills in this workbook.")),
              "POSITION": (_("Position"), _("Their position.")),
              "PHONE": (_("Phone"), _("A phone number to call about the figures.")),
              "EMAIL": (_("E-mail"), _("An e-mail address.")),
              "DATE": (_("Date filled in"), _("The date, for example {example}.").format(example=i18n.day(r.deadline or date(r.year, 10, 15))))}
    return [(key, *labels[key]) for key in layout.COVER_FIELDS]


def column_title(letter: str, r: Round) -> str:
    """A data column's header in the run's language; years from the round (baseline score, target)."""
    _key, msg, _w = layout.COLUMNS[letter]
    text = _(msg)
    if "{year}" in msg:
        year = r.baseline_year if layout.COLUMNS[letter][0] == "baseline" else r.year
        text = text.format(year=year)
    return text


def computed_centrally(relative: bool, per_unit: bool) -> str:
    """What the expected-points cell says when the workbook cannot compute the indicator."""
    if relative:
        return _("Needs the national reference values (computed by the focal point)")
    if per_unit:
        return _("Combined from every unit's figures (computed by the focal point)")
    return _("Computed by the focal point")


# -- validation messages (titles at most 32 characters, messages at most 255: Excel's limits) ------


def prompt_title(input_id: str) -> str:
    return _("Input {id}").format(id=input_id)[:32]


def error_title() -> str:
    return _("Invalid value")[:32]


def validation_words(kind: str, lang: str, unit: str) -> tuple[str, str]:
    """(input message, error message) of a value cell of this input type."""
    nd = layout.NO_DATA_TEXT[lang]
    yes, no = layout.YES_NO[lang]
    u = f" ({unit})" if unit else ""
    if kind == "count":
        return (_("A whole number of 0 or more{unit}, or \"{no_data}\".").format(unit=u, no_data=nd),
                _("This cell takes a whole number of 0 or more (for example 12), or \"{no_data}\". No units, words or % sign.").format(no_data=nd))
    if kind == "percent":
        return (_("A percentage from 0 to 100 (85 means 85%), or \"{no_data}\".").format(no_data=nd),
                _("This cell takes a number from 0 to 100, or \"{no_data}\".").format(no_data=nd))
    if kind == "yes_no":
        return (_("Pick {yes}, {no} or \"{no_data}\".").format(yes=yes, no=no, no_data=nd),
                _("Pick an entry from the cell's list (the arrow at the right of the cell)."))
    if kind == "choice":
        return (_("Pick an entry from the list, or \"{no_data}\".").format(no_data=nd),
                _("Pick an entry from the cell's list (the arrow at the right of the cell)."))
    return (_("A number of 0 or more{unit}, or \"{no_data}\".").format(unit=u, no_data=nd),
            _("This cell takes a number of 0 or more (for example {example}), or \"{no_data}\". No units or words.").format(
                example=i18n.num(1234.5, 1), no_data=nd))
