"""`dti template`: the data-collection workbooks sent to every agency and district-level unit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import context, handle_errors, out


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""

    @app.command("template")
    @handle_errors
    def template(
        agency: Annotated[str | None, typer.Option("--agency", "-a", help="The agency or unit (any spelling), e.g. \"Sở Tài chính\" or STC.")] = None,
        all_: Annotated[bool, typer.Option("--all", help="One workbook for every agency and unit that has figures to report.")] = False,
        output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write into (default: the current folder).")] = Path("."),
        year: Annotated[int | None, typer.Option("--year", help="Year of the round (default: the catalogue's, 2023).")] = None,
        deadline: Annotated[str | None, typer.Option("--deadline", help="Deadline shown in the workbook, YYYY-MM-DD.")] = None,
        lang: Annotated[str, typer.Option("--lang", help="vi (default) or en.")] = "vi",
        force: Annotated[bool, typer.Option("--force", help="Replace workbooks that already exist.")] = False,
        prefill: Annotated[Path | None, typer.Option("--prefill", help="Last year's merged workbook: shows last year's value beside each input.")] = None,
    ) -> None:
        """Write the data-collection workbook (.xlsx) of one agency, or of every agency and unit with --all.

        Each workbook lists only the figures that agency reports, with locked reference columns,
        drop-down lists and checks on every value cell, and the expected points computed live.
        Files are named from the unit id (DTI2023_so-tc.xlsx) and are never replaced without --force.

        Example: dti template --all -o phieu --deadline 2023-10-15
        """
        from ..errors import UsageError
        from ..template import LANGS, assignments, assignments_for, parse_deadline, write_templates

        if bool(agency) == all_:
            raise UsageError("Chọn một trong hai: --agency TÊN (một cơ quan) hoặc --all (tất cả). Ví dụ: dti template --agency \"Sở Tài chính\"")
        if lang not in LANGS:
            raise UsageError(f"--lang {lang!r}: chọn vi hoặc en.")
        when = parse_deadline(deadline)
        ctx = context()
        items = assignments(ctx) if all_ else assignments_for(ctx, agency or "")
        written = write_templates(ctx, items, output, force=force, year=year, deadline=when, lang=lang, prefill=prefill)
        _print_table(written)

    return None


def _print_table(written) -> None:
    from rich.table import Table

    folder = written[0][1].parent if written else Path(".")
    t = Table(title=f"Đã tạo {len(written)} phiếu thu thập số liệu trong thư mục {folder}")
    for c, kw in (("Cơ quan, đơn vị", {}), ("Chỉ số", {"justify": "right"}), ("Số liệu", {"justify": "right"}), ("Tệp", {"no_wrap": True})):
        t.add_column(c, **kw)
    for a, path in written:
        t.add_row(a.unit.name, str(len(a.indicators)), str(len(a.inputs)), path.name)
    out().print(t)
