"""``dti template``: the data-collection workbooks sent to every agency and district-level unit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..core.i18n import N_, _
from .base import Lang, command, context, err, out, parse_day, use_lang


@command("template")
def template(
    agency: Annotated[str | None, typer.Option("--agency", "-a", help=N_("The agency or unit (any spelling), e.g. \"Sở Tài chính\" or STC."))] = None,
    all_: Annotated[bool, typer.Option("--all", help=N_("One workbook for every agency and unit that has figures to report."))] = False,
    output: Annotated[Path, typer.Option("--output", "-o", help=N_("Folder to write into, created if missing (default: the current folder)."))] = Path("."),
    deadline: Annotated[str | None, typer.Option("--deadline", help=N_("Deadline shown in the workbooks, e.g. 15/10/2023 or 2023-10-15."))] = None,
    contact: Annotated[str | None, typer.Option("--contact", help=N_(
        "The focal point's contact person: \"name, phone, e-mail\" (default: the profile's [focal_point])."))] = None,
    lang: Annotated[Lang | None, typer.Option("--lang", help=N_("Language of the workbooks: vi (default) or en."))] = None,
    force: Annotated[bool, typer.Option("--force", help=N_("Replace workbooks that already exist."))] = False,
    prefill: Annotated[Path | None, typer.Option("--prefill", help=N_("Last year's merged workbook: shows last year's value beside each input."))] = None,
) -> None:
    """Write the data-collection workbook (.xlsx) of one agency, or of every agency and unit with --all.

    Each workbook lists only the figures that agency reports, with locked reference columns, drop-down lists and checks on every value cell, and the expected points computed as the figures are typed. It names the deadline and the focal point's contact person: give them with --deadline and --contact (or [focal_point] in the province profile), otherwise the workbooks say they are not set, and so does this command.

    Files are named from the unit id (DTI2023_so-tc.xlsx), written in the folder given with -o (created if missing), and never replaced without --force.

    Example: dti template --all -o phieu --deadline 15/10/2023 --contact "Nguyễn Văn A, 0290 3 123 456, a@camau.gov.vn"
    """
    from ..core.errors import UsageError

    use_lang(lang)
    if bool(agency) == all_:
        raise UsageError(_("Choose one: --agency NAME (one agency) or --all (every agency). Example: dti template --agency \"Sở Tài chính\""))
    when = parse_day(deadline, "--deadline")
    from ..methodology.assign import assignments, assignments_for
    from ..template import write_templates
    from ..terminal.template import placeholders_view, written_view

    ctx = context()
    items = assignments(ctx) if all_ else assignments_for(ctx, agency or "")
    run = write_templates(ctx, items, output, force=force, deadline=when, contact=contact, prefill=prefill)
    written_view(out(), run)
    placeholders_view(err(), run)
