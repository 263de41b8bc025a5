"""``dti template`` on the terminal: the workbooks written, and what they leave as placeholders."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from ..core import i18n
from ..core.i18n import _
from ..core.text import inert


def written_view(con: Console, run: Any) -> None:
    """One line per workbook: the unit, its indicators and figures, the file's name."""
    from rich.markup import escape
    from rich.table import Table

    t = Table(title=escape(_("{n} data-collection workbook(s) written in the folder {folder}").format(
        n=i18n.integer(len(run.written)), folder=inert(run.folder))), title_justify="left")
    t.add_column(_("Agency or unit"))
    t.add_column(_("Indicators"), justify="right")
    t.add_column(_("Figures"), justify="right")
    t.add_column(_("File"), no_wrap=True)
    for a, path in run.written:
        t.add_row(escape(inert(a.unit.name)), i18n.integer(len(a.indicators)), i18n.integer(len(a.inputs)), escape(inert(path.name)))
    con.print(t)


def placeholders_view(con: Console, run: Any) -> None:
    """Say what the workbooks went out without (contact person, deadline) and how to set it."""
    if "contact" in run.placeholders:
        con.print(_("The templates went out with placeholders: no contact person. Set --contact \"name, phone, e-mail\" "
                    "or [focal_point] in the profile."), style="yellow", markup=False, soft_wrap=True)
    if "deadline" in run.placeholders:
        con.print(_("The templates went out with placeholders: no deadline. Set --deadline, e.g. --deadline 15/10/{year}.").format(
            year=run.year), style="yellow", markup=False, soft_wrap=True)
