"""``dti catalog``: the methodology as tables."""

from __future__ import annotations

from typing import Any

from ..core import i18n
from ..core.findings import Finding
from ..core.i18n import N_, _
from ..methodology.context import Context
from ..methodology.model import Indicator

#: Words for the ids a person reads in these tables (the JSON and CSV forms keep the ids).
INPUT_TYPE = {"count": N_("count"), "number": N_("number"), "percent": N_("percentage"), "amount": N_("amount (billion VND)"),
              "yes_no": N_("yes/no"), "choice": N_("choice")}
GROUP = {"departments": N_("each department"), "districts": N_("each district")}
COMBINE = {"sum": N_("added up"), "any": N_("yes when one says yes"), "all": N_("yes when all say yes")}
UNIT_KIND = {"department": N_("department"), "unit": N_("provincial unit"), "central": N_("central agency"), "enterprise": N_("enterprise"),
             "group": N_("group of units"), "district": N_("district")}


def _words(table: dict[str, str], key: str) -> str:
    return _(table[key]) if key in table else key


def catalogue_table(rows: list[dict[str, Any]], ctx: Context) -> Any:
    from rich.table import Table

    lang = i18n.language()
    t = Table(title=_("DTI {year}: {n} indicators (methodology {version})").format(year=ctx.catalogue.year, n=len(rows),
                                                                                 version=ctx.catalogue.version), show_lines=False)
    for c, kw in ((_("Code"), {"no_wrap": True}), (_("Indicator"), {"ratio": 3}), (_("Max"), {"justify": "right"}), (_("Rule"), {}),
                  (_("Lead agency"), {"ratio": 2}), (str(ctx.baseline.year), {"justify": "right"})):
        t.add_column(c, **kw)
    for r in rows:
        name = r["name_en"] if lang == "en" and r.get("name_en") else r["name_vi"]
        t.add_row(r["code"], name, i18n.num(r["max_points"]), r["rule"]["kind"], "; ".join(r["lead_names"]), i18n.num(r["score_baseline"]))
    return t


def indicator_view(ctx: Context, ind: Indicator) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    lang = i18n.language()
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_row(_("Indicator"), f"{ind.code} {ind.name(lang)}")
    head.add_row(_("Max points"), i18n.num(ind.max_points))
    head.add_row(_("How it is scored (the plan)"), ind.method_vi or "—")
    head.add_row(_("Rule"), ind.rule.words(ind, ind.max_points))
    head.add_row(_("Lead"), "; ".join(ctx.profile.name_of(u) for u in ind.lead))
    head.add_row(_("Coordinating"), "; ".join(ind.coordinating_in(lang)) or "—")
    head.add_row(_("Target {year}").format(year=ctx.catalogue.year), ind.target_text(lang) or "—")
    b = ctx.baseline.indicators.get(ind.code)
    head.add_row(_("Result {year}").format(year=ctx.baseline.year),
                 f"{i18n.num(b.score)} / {i18n.num(ind.max_points)}" + (f"  ({b.reading})" if b.reading else "") if b else "—")
    if ind.note(lang):
        head.add_row(_("Note"), ind.note(lang) or "")
    parts: list[Any] = [head]
    if ind.inputs:
        t = Table(title=_("Figures to supply"))
        for c in (_("Id"), _("What the figure is"), _("Unit of measure"), _("Type"), _("Reported by")):
            t.add_column(c)
        for i in ind.inputs:
            kind = _words(INPUT_TYPE, i.type) + (": " + ", ".join(c.value for c in i.choices) if i.choices else "")
            by = (", ".join(_words(GROUP, g) for g in i.per_unit) + f" ({_words(COMBINE, i.combine)})") if i.per_unit else _("the lead agency")
            t.add_row(i.id, i.label(lang), i.unit_in(lang), kind, by)
        parts.append(t)
    else:
        kids = ctx.catalogue.children(ind.code)
        parts.append(Text(_("Children: {codes}").format(codes=", ".join(k.code for k in kids))))
    return Group(*parts)


def agencies_table(rows: list[dict[str, Any]]) -> Any:
    from rich.table import Table

    t = Table(title=_("Agencies and units"))
    for c in (_("Id"), _("Name"), _("Short name"), _("Kind"), _("Leads"), _("Points")):
        t.add_column(c)
    for r in rows:
        t.add_row(r["id"], r["name"], r["short"], _words(UNIT_KIND, r["kind"]), " ".join(r["leads"]) or "—", i18n.num(r["max_points_led"]) if r["leads"] else "")
    return t


def check_view(ctx: Context, items: list[Finding]) -> Any:
    from rich.console import Group
    from rich.text import Text

    cat = ctx.catalogue
    errors = sum(1 for i in items if i.is_error)
    lines: list[Any] = [Text(_("{path}\n  methodology {id} {version}: {pillars} pillars, {n} indicators ({sub} sub-indicators), {inputs} inputs, "
                               "sha256 {sha}…").format(path=cat.path, id=cat.id, version=cat.version, pillars=len(cat.pillars),
                                                       n=len(cat.indicators), sub=len(cat.subindicators()), inputs=len(cat.inputs),
                                                       sha=cat.sha256[:12]))]
    for i in items:
        style = "bold red" if i.is_error else "yellow"
        level = _("ERROR") if i.is_error else _("WARNING")
        lines.append(Text.assemble((f"{level:12}", style), i.message, f"  [{i.code}]"))
    verdict = _("FAILED: {errors} error(s), {warnings} warning(s)") if errors else _("PASSED: {errors} error(s), {warnings} warning(s)")
    lines.append(Text(verdict.format(errors=errors, warnings=len(items) - errors), style="bold red" if errors else "bold green"))
    return Group(*lines)
