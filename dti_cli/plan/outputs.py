"""The plan's files: json (the plan as data), csv (every agency's steps), md, xlsx (a summary and
one print-ready sheet per lead agency) and html (:mod:`.html`). Every one is drawn from the
same rows (:mod:`.tables`); every file goes through :func:`dti_cli.core.safety.atomic_output`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core import i18n
from ..core.errors import UsageError
from ..core.i18n import _
from .build import FORMAT, FORMAT_VERSION, Plan
from .tables import (
    ACTION_COLUMNS,
    ROUTE_COLUMNS,
    SCENARIO_COLUMNS,
    action_rows,
    alternative_lines,
    indicator_scenario_rows,
    route_rows,
    route_summary,
    scenario_rows,
)

EXTENSIONS = (".html", ".xlsx", ".md", ".json", ".csv")


def banner(plan: Plan) -> str | None:
    return _("SAMPLE DATA") if plan.sample else None


def write_plan(plan: Plan, path: str | Path, *, force: bool = False, inputs: Sequence[str | Path] = ()) -> Path:
    """Write the plan in the format its extension names (.html, .xlsx, .md, .json, .csv)."""
    from ..core.safety import atomic_output

    p = Path(path)
    ext = p.suffix.lower()
    writers = {".json": _json, ".csv": _csv, ".md": _md, ".xlsx": _xlsx, ".html": _html}
    if ext not in writers:
        raise UsageError(_("{path}: the plan is written as .html, .xlsx, .md, .json or .csv.").format(path=p))
    with atomic_output(p, force=force, inputs=inputs) as tmp:
        writers[ext](plan, tmp)
    return p


def _json(plan: Plan, path: Path) -> None:
    doc = {**plan.to_dict(), "generated_at": datetime.now(UTC).isoformat(timespec="seconds")}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")


CSV_COLUMNS = ["agency", "agency_name", *(k for k, *_r in ACTION_COLUMNS)]


def csv_rows(plan: Plan) -> list[list[Any]]:
    out = []
    for page in plan.agencies():
        for r in action_rows(plan, page):
            out.append([page.unit_id, page.name, *(r.values.get(k) for k, *_r in ACTION_COLUMNS)])
    return out


def _csv(plan: Plan, path: Path) -> None:
    from ..core.safety import write_csv

    write_csv(path, CSV_COLUMNS, csv_rows(plan))


# ---------------------------------------------------------------------------------------------
# Markdown


def _cell(v: Any, kind: str) -> str:
    if v is None:
        return ""
    if kind == "points":
        return i18n.pts(v)
    if kind == "signed":
        return i18n.signed(v)
    if kind in ("number", "int"):
        return i18n.num(v, 2)
    return str(v).replace("|", "\\|").replace("\n", "<br>")


def _md_table(columns: Sequence[tuple[str, str, str, bool]], rows: Sequence[dict[str, Any]]) -> list[str]:
    out = ["| " + " | ".join(_(t) for _k, t, _kind, _w in columns) + " |",
           "|" + "|".join("---:" if kind in ("points", "signed", "number", "int") else "---" for _k, _t, kind, _w in columns) + "|"]
    out += ["| " + " | ".join(_cell(r.get(k), kind) for k, _t, kind, _w in columns) + " |" for r in rows]
    return out


def title(plan: Plan) -> str:
    return _("Plan to raise the DTI {year}: {province}").format(year=plan.ctx.year, province=plan.ctx.profile.name_full)


def _md(plan: Plan, path: Path) -> None:
    lines = [f"# {title(plan)}", ""]
    if plan.sample:
        lines += ["**" + _("SAMPLE DATA") + "**", ""]
    lines += [_("Scores: {file}; total now {total}/{max}.").format(file=plan.source_name, total=i18n.pts(plan.scores.total_estimated),
                                                                   max=i18n.num(plan.scores.max_total)), ""]
    lines += [f"- {a}" for a in plan.assumptions()] + [""]
    lines += ["## " + _("Scenarios"), "", *_md_table(SCENARIO_COLUMNS, scenario_rows(plan)), ""]
    if plan.route is not None:
        lines += ["## " + _("Route to the goal"), "", *route_summary(plan), ""]
        rows = plan.route.routes[0] if plan.route.routes else plan.route.closest
        lines += [*_md_table(ROUTE_COLUMNS, route_rows(plan, rows)), ""]
        lines += [f"- {x}" for x in alternative_lines(plan)] + [""]
    for page in plan.agencies():
        lines += [f"## {page.name}", "", _("Points at stake: {points}.").format(points=i18n.pts(page.at_stake)), ""]
        lines += [*_md_table(ACTION_COLUMNS, [r.values for r in action_rows(plan, page)]), ""]
    if plan.findings:
        lines += ["## " + _("Findings"), ""] + [f"- {f.message} (`{f.code}`)" for f in plan.findings] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# xlsx


def sheet_names(names: Sequence[str], taken: set[str]) -> list[str]:
    """Sheet names from agency names: at most 31 characters, none of []:*?/\\, each once (case-blind)."""
    out = []
    for n in names:
        base = re.sub(r"[\[\]:*?/\\]", "-", n).strip("' ")[:31] or "Sheet"
        name, k = base, 2
        while name.casefold() in taken:
            suffix = f" ({k})"
            name = base[: 31 - len(suffix)] + suffix
            k += 1
        taken.add(name.casefold())
        out.append(name)
    return out


def _xlsx(plan: Plan, path: Path) -> None:
    from ..core.sheetwriter import Column, PageText, Sheet, write_workbook

    def cols(spec: Sequence[tuple[str, str, str, bool]], widths: dict[str, float]) -> list[Column]:
        return [Column(k, _(t), "points" if kind == "signed" else kind, widths.get(k), wrap) for k, t, kind, wrap in spec]

    ctx = plan.ctx
    pillars = list(plan.scores.pillars.values())
    summary_rows = [[r["scenario"], r["total"], r["difference"], *(s.pillars.get(p.code) for p in pillars)]
                    for r, s in zip(scenario_rows(plan), plan.scenarios.values(), strict=True)]
    summary_cols = cols(SCENARIO_COLUMNS, {"scenario": 30}) + [Column(f"p{p.code}", f"{p.code}. {p.name}", "points", 12, True) for p in pillars]
    sheets = [Sheet(_("Summary")[:31], summary_cols, summary_rows, title=title(plan), subtitle="\n".join(plan.assumptions()) or None,
                    landscape=True)]
    keys = list(plan.scenarios)
    ind_cols = [Column("code", _("Code"), "id"), Column("name", _("Indicator"), "text", 50, True), Column("max", _("Max"), "points"),
                *(Column(k, s.title, "points", 14, True) for k, s in plan.scenarios.items())]
    sheets.append(Sheet(_("Indicators")[:31], ind_cols, [[r["code"], r["name"], r["max_points"], *(r[k] for k in keys)]
                                                         for r in indicator_scenario_rows(plan)], title=_("Scenarios"), landscape=True))
    taken = {sheets[0].name.casefold(), sheets[1].name.casefold(), "_dti"}
    if plan.route is not None:
        rows = plan.route.routes[0] if plan.route.routes else plan.route.closest
        widths = {"indicator": 34, "agency": 22, "todo": 50}
        sheets.append(Sheet(_("Route")[:31], cols(ROUTE_COLUMNS, widths), [[r[k] for k, *_x in ROUTE_COLUMNS] for r in route_rows(plan, rows)],
                            title=_("Route to the goal"), subtitle="\n".join(route_summary(plan)), landscape=True))
        taken.add(sheets[-1].name.casefold())
    pages = plan.agencies()
    names = sheet_names([ctx.profile.short_of(p.unit_id) for p in pages], taken)
    widths = {"indicator": 28, "now": 20, "todo": 42, "coordinating": 20, "commitment": 18, "level": 12}
    for name, page in zip(names, pages, strict=True):
        rows = [[r.values.get(k) for k, *_x in ACTION_COLUMNS] for r in action_rows(plan, page)]
        sheets.append(Sheet(name, cols(ACTION_COLUMNS, widths), rows, landscape=True,
                            title=_("{agency}: steps to raise the DTI {year}").format(agency=page.name, year=ctx.year),
                            subtitle=_("Points at stake: {points}.").format(points=i18n.pts(page.at_stake))))
    page_text = PageText(header=" · ".join(x for x in (ctx.profile.name_full, f"DTI {ctx.year}", _("Plan")) if x), footer=_("Page &P of &N"),
                         banner=banner(plan))
    stamp = {"format": FORMAT, "format_version": FORMAT_VERSION, "year": str(ctx.year), "lang": i18n.language(),
             "catalogue_sha256": ctx.catalogue.sha256, "generated_at": datetime.now(UTC).isoformat(timespec="seconds")}
    write_workbook(path, sheets, page=page_text, stamp=stamp)


def _html(plan: Plan, path: Path) -> None:
    from .html import render_html

    path.write_text(render_html(plan), encoding="utf-8")


def write_commitment_templates(plan: Plan, folder: str | Path, *, force: bool = False, unit: str | None = None) -> list[Path]:
    """One commitment workbook per lead agency (or for ``unit``): the figures its indicators need to move."""
    from ..core.safety import atomic_output
    from ..formats.commitments import file_name, write_commitments
    from .actions import all_values
    from .commitments import commitment_lines

    ctx = plan.ctx
    values = all_values(plan.scores)
    out = []
    for page in plan.agencies():
        if unit is not None and page.unit_id != unit:
            continue
        lines = commitment_lines(ctx, page.plans, page.unit_id, values)
        if not lines:
            continue
        path = Path(folder) / file_name(page.unit_id, ctx.year)
        with atomic_output(path, force=force) as tmp:
            write_commitments(tmp, ctx, page.unit_id, lines, banner=banner(plan))
        out.append(path)
    return out
