"""`dti merge` and `dti status`: check and consolidate the returned workbooks; follow the round."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from .common import Format, context, err, handle_errors, out, write_json

VERDICT_VI = {
    "accepted": "nhận",
    "accepted_with_warnings": "nhận, cần kiểm tra",
    "rejected": "TỪ CHỐI",
    "superseded": "bị thay thế",
    "not_received": "CHƯA NỘP",
}


def _progress(total: int):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("Đọc tệp"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.description}"),
                    console=err(), transient=True, disable=total < 2)


def _read(files: list[Path], year: int | None):
    from ..merge import run_merge

    ctx = context()
    with _progress(len(files)) as bar:
        task = bar.add_task("", total=len(files))

        def advance(s: Any) -> None:
            bar.update(task, advance=1, description=s.name)

        result = run_merge(ctx, files, year=year, on_file=advance)
    return result


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x * 100:.0f}%"


#: Up to this many rows (files and units that sent nothing) the files are shown as a rich table.
#: A larger round (communes, schools…) gets the same columns as plain aligned lines: rich lays
#: out a table at about 0.3 ms a row, so a thousand rows took longer than reading the files.
TABLE_UP_TO = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _summary(result: Any) -> None:
    from ..merge import submission_rows

    head = ("Tệp", "Đơn vị", "Kết quả", "Đủ", "Lỗi", "Cảnh báo")
    rows = []
    for r in submission_rows(result):
        verdict = VERDICT_VI.get(r["verdict"], r["verdict"]) + (f" ({r['reason']})" if r.get("reason") else "")
        rows.append((r["file"] or "—", r["unit_name"] or r["unit_id"] or "?", verdict, _pct(r["completeness"]), str(r["errors"]), str(r["warnings"])))
    con = out()
    if len(rows) <= TABLE_UP_TO:
        from rich.markup import escape
        from rich.table import Table

        t = Table(title="Các phiếu", title_justify="left")
        for c in head:
            t.add_column(c, justify="right" if c in ("Đủ", "Lỗi", "Cảnh báo") else "left")
        for row in rows:
            # A file may be named anything, "[red]…" included: rich must show the name, not read it as markup.
            t.add_row(*(escape(x) for x in row))
        con.print(t)
    else:
        con.file.write(_plain_table("Các phiếu", head, rows) + "\n")  # no markup, control characters already replaced
    st = result.statuses()
    con.print("Số liệu: " + ", ".join(f"{k} {st.get(k, 0)}" for k in ("ok", "no_data", "missing", "invalid", "conflict")))
    errors = [f for f in result.findings if f.severity == "error"]
    if errors:
        con.print(f"{len(errors)} lỗi, {result.warnings} cảnh báo (đầy đủ trong trang Findings):")
        for f in errors[:20]:
            where = "!".join(x for x in (f.sheet, f.cell) if x)
            con.print(f"  [{f.code}] {f.file} {where}: {f.message}", markup=False)
        if len(errors) > 20:
            con.print(f"  … và {len(errors) - 20} lỗi khác.")
    else:
        con.print(f"Không có lỗi; {result.warnings} cảnh báo (xem trang Findings).")


def _plain_table(title: str | None, head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Rows as aligned plain text (numbers right-aligned), control characters shown as U+FFFD, no markup."""
    from rich.cells import cell_len

    rows = [tuple(_CONTROL.sub("\ufffd", x) for x in r) for r in rows]
    widths = [min(48, max(cell_len(x) for x in col)) for col in zip(head, *rows, strict=True)]
    right = [False, False, False, True, True, True]

    def line(cells: tuple[str, ...]) -> str:
        out = []
        for x, w, r in zip(cells, widths, right, strict=True):
            pad = " " * max(0, w - cell_len(x))
            out.append(pad + x if r else x + pad)
        return "  ".join(out).rstrip()

    return "\n".join([*([title] if title else []), line(head), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def merge(
    paths: Annotated[list[str], typer.Argument(help="Returned workbooks: files, folders or glob patterns.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The merged workbook to write.")] = Path("merged.xlsx"),
    feedback: Annotated[Path | None, typer.Option("--feedback", help="Folder for annotated copies to send back to agencies with problems.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Write nothing when any file has an error.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing output file.")] = False,
    year: Annotated[int | None, typer.Option("--year", help="The year of the round (default: the catalogue's).")] = None,
) -> None:
    """Check the returned workbooks again and consolidate them into one merged workbook.

    Every file is recognised by its hidden stamp and every value is checked again (type, range,
    yes/no, numbers typed as text, parts against wholes, evidence). One value per input, with its
    source file, sheet and cell; per-unit figures are combined; a unit that sent twice: the newer
    file wins; two agencies disagreeing: a conflict. The merged workbook has the sheets Data,
    Units, Submissions, Findings, Adjustments and References. Returned files are never modified.

    Exit 0 when there is no error, 1 when there is (the merged workbook is still written with
    every valid value, unless --strict), 2 for a wrong command line.

    Example: dti merge returned/ -o merged.xlsx --feedback phan_hoi/
    """
    from ..merge import collect_paths, write_feedback, write_merged_workbook
    from ..safety import check_output_path

    files = collect_paths(paths, exclude=[output] + ([feedback] if feedback else []))
    check_output_path(output, force=force, inputs=files)  # before the long read, not after
    result = _read(files, year)
    _summary(result)
    con = out()
    if strict and result.errors:
        err().print(f"--strict: có {result.errors} lỗi nên không ghi {output}.", soft_wrap=True, highlight=False)
    else:
        write_merged_workbook(result, output, force=force, inputs=files)
        con.print(f"Đã ghi {output}.")
    if feedback:
        written, skipped = write_feedback(result, feedback, force=force)
        con.print(f"Phiếu phản hồi: {len(written)} tệp trong {feedback}." + (f" Không chú thích được: {', '.join(skipped)}." if skipped else ""),
                  markup=False)
    if result.errors:
        raise typer.Exit(1)


def status(
    paths: Annotated[list[str], typer.Argument(help="Returned workbooks received so far: files, folders or glob patterns.", show_default=False)],
    deadline: Annotated[str | None, typer.Option("--deadline", help="The deadline, e.g. 2023-10-15 or 15/10/2023.")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table or json.")] = Format.table,
    year: Annotated[int | None, typer.Option("--year", help="The year of the round (default: the catalogue's).")] = None,
) -> None:
    """Who has returned their workbook and who has not: the chase list.

    For every agency and unit that was sent a workbook: returned or not, how complete, how many
    errors; the inputs no one has supplied yet; and the days left before (or past) the deadline.
    Nothing is written.

    Example: dti status returned/ --deadline 2023-10-15
    """
    from ..merge import collect_paths, round_status

    when = _deadline(deadline)
    result = _read(collect_paths(paths), year)
    data = round_status(result, deadline=when)
    if fmt is Format.json:
        write_json(data)
        return
    if fmt is Format.csv:
        from .common import csv_text

        out().file.write(csv_text(["unit_id", "unit_name", "returned", "file", "completeness", "errors", "warnings"],
                                  [[u["unit_id"], u["unit_name"], u["returned"], u["file"], u["completeness"], u["errors"], u["warnings"]]
                                   for u in data["units"]]))
        return
    _render_status(data)


def _deadline(text: str | None):
    if not text:
        return None
    from datetime import date, datetime

    from ..errors import UsageError
    from ..values import parse_date

    d = parse_date(text.strip())
    if isinstance(d, datetime):
        d = d.date()
    if not isinstance(d, date):
        raise UsageError(f"--deadline {text!r}: không đọc được ngày; ghi dạng 2023-10-15 hoặc 15/10/2023.")
    return d


def _render_status(data: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    con = out()
    head = f"Đã nhận {data['returned']}/{data['expected']} phiếu."
    if data["deadline"]:
        n = data["days_left"]
        head += (f" Hạn {data['deadline']}: còn {n} ngày." if n > 0 else " Hạn là hôm nay." if n == 0
                 else f" Đã quá hạn {data['deadline']} {-n} ngày.")
    con.print(head)
    head_row = ("Đơn vị", "Đã nộp", "Tệp", "Đủ", "Lỗi", "Cảnh báo")
    rows = [(u["unit_name"], "có" if u["returned"] else "CHƯA NỘP", u["file"] or "—", _pct(u["completeness"]), str(u["errors"]),
             str(u["warnings"])) for u in data["units"]]
    if len(rows) > TABLE_UP_TO:  # as in dti merge: a large round as plain aligned lines
        con.file.write(_plain_table(None, head_row, rows) + "\n")
    else:
        t = Table(title_justify="left")
        for c in head_row:
            t.add_column(c, justify="right" if c in ("Đủ", "Lỗi", "Cảnh báo") else "left")
        for row in rows:
            t.add_row(*(escape(x) for x in row))
        con.print(t)
    for r in data["rejected_files"]:
        con.print(f"Tệp bị từ chối: {r['file']} ({r['reason']})", markup=False)
    miss = data["inputs_missing"]
    if miss:
        con.print(f"{len(miss)} số liệu chưa đơn vị nào cung cấp: {', '.join(miss)}", markup=False)


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""
    app.command("merge")(handle_errors(merge))
    app.command("status")(handle_errors(status))
