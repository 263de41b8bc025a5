"""``dti merge`` and ``dti status`` on the terminal: the files, what was found, the chase list."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from ..core import i18n
from ..core.i18n import _
from ..core.text import inert
from ..formats.merged import STATUS, VERDICT, words

#: Up to this many rows (files and units that sent nothing) the files are shown as a rich table.
#: A larger round (communes, schools…) gets the same columns as plain aligned lines: rich lays
#: out a table at about 0.3 ms a row, so a thousand rows took longer than reading the files.
TABLE_UP_TO = 200


def _pct(x: float | None) -> str:
    return "" if x is None else i18n.pct(x, 0)


def table(con: Console, title: str | None, head: tuple[str, ...], rows: list[tuple[str, ...]], right: tuple[bool, ...]) -> None:
    """Rows as a rich table, or as plain aligned lines for a large round; every text shown inert."""
    rows = [tuple(inert(x) for x in r) for r in rows]
    if len(rows) <= TABLE_UP_TO:
        from rich.markup import escape
        from rich.table import Table

        t = Table(title=title, title_justify="left")
        for c, r in zip(head, right, strict=True):
            t.add_column(c, justify="right" if r else "left")
        for row in rows:
            # A file may be named anything, "[red]…" included: rich must show the name, not read it as markup.
            t.add_row(*(escape(x) for x in row))
        con.print(t)
        return
    from rich.cells import cell_len

    widths = [min(48, max(cell_len(x) for x in col)) for col in zip(head, *rows, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        out = []
        for x, w, r in zip(cells, widths, right, strict=True):
            pad = " " * max(0, w - cell_len(x))
            out.append(pad + x if r else x + pad)
        return "  ".join(out).rstrip()

    con.file.write("\n".join([*([title] if title else []), line(head), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]) + "\n")


def summary(con: Console, result: Any, rows: list[dict[str, Any]]) -> None:
    """The files and their verdicts, the inputs by status, and the errors that count."""
    head = (_("File"), _("Unit"), _("Verdict"), _("Complete"), _("Errors"), _("Warnings"))
    shown = []
    for r in rows:
        verdict = words(VERDICT, r["verdict"]) + (f" ({r['reason']})" if r.get("reason") else "")
        shown.append((r["file"] or "—", r["unit_name"] or r["unit_id"] or "?", verdict, _pct(r["completeness"]), str(r["errors"]),
                      str(r["warnings"])))
    table(con, _("Workbooks"), head, shown, (False, False, False, True, True, True))
    st = result.statuses()
    con.print(_("Figures: {statuses}.").format(statuses=", ".join(f"{words(STATUS, k)} {st.get(k, 0)}" for k in STATUS)), markup=False)
    counted = result.counted()
    quiet = len(result.findings) - len(counted)
    errors = [f for f in counted if f.severity == "error"]
    if errors:
        con.print(_("{errors} error(s), {warnings} warning(s) (all of them in the findings sheet):").format(
            errors=len(errors), warnings=result.warnings), markup=False)
        for f in errors[:20]:
            con.print(f"  {inert(f.where)}: {inert(f.message)} [{f.code}]", markup=False, soft_wrap=True)
        if len(errors) > 20:
            con.print("  " + _("… and {n} more error(s).").format(n=len(errors) - 20), markup=False)
    else:
        con.print(_("No error; {warnings} warning(s) (see the findings sheet).").format(warnings=result.warnings), markup=False)
    if quiet:
        con.print(_("{n} finding(s) in files that were replaced or not read are listed in the findings sheet and do not count.").format(n=quiet),
                  markup=False)


def status_view(con: Console, data: dict[str, Any]) -> None:
    head = _("{returned}/{expected} workbooks received.").format(returned=data["returned"], expected=data["expected"])
    if data["deadline"]:
        n = data["days_left"]
        when = i18n.day(__import__("datetime").date.fromisoformat(data["deadline"]))
        head += " " + (_("Deadline {date}: {n} day(s) left.").format(date=when, n=n) if n > 0 else _("The deadline is today.") if n == 0
                       else _("{n} day(s) past the deadline of {date}.").format(n=-n, date=when))
    con.print(head, markup=False)
    rows = [(u["unit_name"], _("yes") if u["returned"] else _("NOT RETURNED"), u["file"] or "—", _pct(u["completeness"]), str(u["errors"]),
             str(u["warnings"])) for u in data["units"]]
    table(con, None, (_("Unit"), _("Returned"), _("File"), _("Complete"), _("Errors"), _("Warnings")), rows,
          (False, False, False, True, True, True))
    for r in data["rejected_files"]:
        con.print(_("File refused: {file} ({reason})").format(file=inert(r["file"]), reason=r["reason"]), markup=False)
    for r in data["skipped_files"]:
        con.print(_("File not read: {file} ({reason})").format(file=inert(r["file"]), reason=r["words"]), markup=False)
    miss = data["inputs_missing"]
    if miss:
        con.print(_("{n} figure(s) no unit has supplied yet: {ids}").format(n=len(miss), ids=", ".join(miss)), markup=False)
