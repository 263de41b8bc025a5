"""The catalogue in words and tables: rules said plainly (Vietnamese or English) and listings."""

from __future__ import annotations

from typing import Any

from .catalogue import Indicator, Rule


def fmt_num(x: float | None, digits: int = 2) -> str:
    """A number as officials read it: no trailing zeros, '.' as the decimal point."""
    if x is None:
        return "—"
    s = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def pct(x: float) -> str:
    return fmt_num(x * 100, 2) + "%"


def _terms(terms: tuple[str | float, ...], ind: Indicator) -> str:
    names = [t[len(ind.code) + 1 :] if isinstance(t, str) and t.startswith(ind.code + ".") else fmt_num(t) if not isinstance(t, str) else t for t in terms]
    s = " + ".join(names)
    return f"({s})" if len(names) > 1 else s


def ratio_expr(rule: Rule, ind: Indicator) -> str:
    if not rule.denominator:
        return _terms(rule.numerator, ind)
    return f"{_terms(rule.numerator, ind)}/{_terms(rule.denominator, ind)}"


def _choice_label(ind: Indicator, iid: str, value: str, lang: str) -> str:
    inp = next((i for i in ind.inputs if i.id == iid), None)
    for c in inp.choices if inp else ():
        if c.value == value:
            return c.label_vi if lang == "vi" else c.label_en
    return value


def rule_words(ind: Indicator, lang: str = "vi", rule: Rule | None = None, max_points: float | None = None) -> str:
    """The rule of an indicator as a sentence an official can check against the methodology."""
    r = rule or ind.rule
    mx = ind.max_points if max_points is None else max_points
    vi = lang == "vi"
    M = fmt_num(mx)
    k = r.kind
    zero = ""
    if r.denominator and k not in ("minmax", "share_of_best") or (k in ("minmax", "share_of_best") and r.denominator):
        if r.zero_denominator == "full":
            zero = " Mẫu số bằng 0: điểm tối đa." if vi else " A zero denominator gives the max."
        else:
            zero = " Mẫu số bằng 0: 0 điểm." if vi else " A zero denominator gives 0."
    if k == "yes_no":
        return f"Có: {M} điểm; Không: 0 điểm." if vi else f"Yes: {M} points; no: 0."
    if k == "choice":
        parts = [f"{_choice_label(ind, r.input or '', v, lang)}: {fmt_num(f * mx)}" for v, f in r.points]
        return ("; ".join(parts) + " điểm.") if vi else ("; ".join(parts) + " points.")
    if k == "counted_tiers":
        g = ind.code and (r.gate or "")[len(ind.code) + 1 :]
        c = (r.count or "")[len(ind.code) + 1 :]
        steps = "; ".join(f"{c} ≥ {fmt_num(m)}: {fmt_num(f * mx)}" for m, f in r.tiers)
        return (f"Nếu {g} = Có: {steps} điểm; nếu {g} = Không: 0 điểm." if vi else f"If {g} = yes: {steps} points; if {g} = no: 0.")
    if k == "parts":
        sub = " + ".join(f"[{fmt_num(p.weight * mx)} điểm: {rule_words(ind, lang, p, p.weight * mx)}]" if vi else f"[{fmt_num(p.weight * mx)} pts: {rule_words(ind, lang, p, p.weight * mx)}]" for p in r.parts)
        return ("Cộng các phần: " if vi else "Sum of parts: ") + sub
    e = ratio_expr(r, ind)
    if k == "ratio":
        return (f"Tỷ lệ = {e}; Điểm = Tỷ lệ × {M} (tỷ lệ trên 100% tính 100%).{zero}" if vi else f"Ratio = {e}; points = ratio × {M} (capped at 100%).{zero}")
    if k == "threshold":
        t = pct(r.threshold or 1)
        return (f"Tỷ lệ = {e}; Tỷ lệ ≥ {t}: {M} điểm; dưới {t}: Tỷ lệ/{t} × {M}.{zero}" if vi else f"Ratio = {e}; ≥ {t}: {M} points; below: ratio/{t} × {M}.{zero}")
    if k == "all_or_nothing":
        return (f"Tỷ lệ = {e}; đạt 100%: {M} điểm; dưới 100%: 0 điểm.{zero}" if vi else f"Ratio = {e}; 100%: {M} points; less: 0.{zero}")
    if k == "stepped":
        val = (lambda m: pct(m)) if r.denominator else (lambda m: fmt_num(m) + (" tỷ" if vi else " bn VND"))
        steps = "; ".join(f"≥ {val(m)}: {fmt_num(f * mx)}" for m, f in r.levels)
        lead = f"Tỷ lệ = {e}" if r.denominator else f"Giá trị = {e}"
        if not vi:
            lead = f"Ratio = {e}" if r.denominator else f"Value = {e}"
        return (f"{lead}; {steps} điểm; thấp hơn: 0 điểm.{zero}" if vi else f"{lead}; {steps} points; below: 0.{zero}")
    if k == "per_item":
        cap = fmt_num(r.cap or mx)
        return (f"{fmt_num(r.points_each)} điểm cho mỗi hoạt động ({_terms((r.input or '',), ind)}), tối đa {cap} điểm." if vi else f"{fmt_num(r.points_each)} point(s) per item, at most {cap}.")
    if k == "minmax":
        return (f"Giá trị = {e}; Điểm = (Giá trị − thấp nhất cả nước)/(cao nhất − thấp nhất) × {M} (phương pháp Min-Max, cần giá trị tham chiếu quốc gia).{zero}" if vi
                else f"Value = {e}; points = (value − national lowest)/(highest − lowest) × {M} (min-max; needs national references).{zero}")
    if k == "share_of_best":
        return (f"Tỷ lệ = {e}; Điểm = Tỷ lệ/Tỷ lệ của tỉnh cao nhất × {M} (cần giá trị tham chiếu quốc gia).{zero}" if vi
                else f"Ratio = {e}; points = ratio / best province's ratio × {M} (needs the national reference).{zero}")
    if k == "sum_children":
        return "Tổng điểm các chỉ số con." if vi else "Sum of the children's points."
    return k


# ---------------------------------------------------------------------------------------------
# Rows for `dti catalog`


def indicator_row(ctx: Any, ind: Indicator) -> dict[str, Any]:
    """One indicator as JSON: the fields DEVELOPERS ask for, plus the rule in words."""
    d = ind.to_dict()
    d["rule_vi"] = rule_words(ind, "vi")
    d["rule_en"] = rule_words(ind, "en")
    d["score_2022"] = ctx.baseline.score(ind.code)
    d["lead_seed"] = ind.lead_seed
    return d


def catalogue_rows(ctx: Any, pillar: str | None = None, agency: str | None = None) -> list[dict[str, Any]]:
    cat = ctx.catalogue
    inds = list(cat.indicators.values())
    if pillar is not None:
        p = pillar.strip()
        if p not in cat.pillars:
            from .errors import UnknownNameError

            raise UnknownNameError("pillar", p, list(cat.pillars))
        inds = [i for i in inds if i.pillar == p]
    if agency is not None:
        unit = ctx.profile.resolve(agency)
        inds = [i for i in inds if unit.name in i.lead]
    return [indicator_row(ctx, i) for i in inds]


def agency_rows(ctx: Any) -> list[dict[str, Any]]:
    cat, prof = ctx.catalogue, ctx.profile
    rows = []
    for u in prof.units:
        led = [i for i in cat.indicators.values() if u.name in i.lead]
        top = [i for i in led if not any(p.code == i.parent and u.name in p.lead for p in led)]
        rows.append({
            "id": u.id, "name": u.name, "short": u.short, "kind": u.kind, "aliases": list(u.aliases),
            "leads": [i.code for i in led], "coordinates": [i.code for i in cat.indicators.values() if u.name in i.coordinating],
            "max_points_led": round(sum(i.max_points for i in top), 3),
        })
    return rows


# ---------------------------------------------------------------------------------------------
# Rich renderables (the CLI prints them)


def render_catalogue_table(rows: list[dict[str, Any]], ctx: Any):
    from rich.table import Table

    t = Table(title=f"DTI {ctx.catalogue.year} — {len(rows)} chỉ số (catalogue {ctx.catalogue.version})", show_lines=False)
    for c, kw in (("Mã", {"no_wrap": True}), ("Chỉ số", {"ratio": 3}), ("Tối đa", {"justify": "right"}), ("Quy tắc", {}),
                  ("Cơ quan chủ trì", {"ratio": 2}), ("2022", {"justify": "right"})):
        t.add_column(c, **kw)
    for r in rows:
        t.add_row(r["code"], r["name_vi"], fmt_num(r["max_points"]), r["rule"]["kind"], "; ".join(r["lead_agencies"]), fmt_num(r["score_2022"]))
    return t


def render_indicator(ctx: Any, ind: Indicator):
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_row("Chỉ số", f"{ind.code} {ind.name_vi}")
    head.add_row("Indicator", ind.name_en)
    head.add_row("Thang điểm", fmt_num(ind.max_points))
    head.add_row("Cách tính (KH 213)", ind.method_vi or "—")
    head.add_row("Quy tắc", rule_words(ind, "vi"))
    head.add_row("Rule", rule_words(ind, "en"))
    head.add_row("Chủ trì", "; ".join(ind.lead))
    head.add_row("Phối hợp", "; ".join(ind.coordinating) or "—")
    head.add_row("Mục tiêu 2023", ind.target.text or "—")
    b = ctx.baseline.indicators.get(ind.code)
    head.add_row("Kết quả 2022", f"{fmt_num(b.score)} / {fmt_num(ind.max_points)}" + (f"  ({b.reading})" if b and b.reading else "") if b else "—")
    if ind.note:
        head.add_row("Ghi chú", ind.note)
    parts: list[Any] = [head]
    if ind.inputs:
        t = Table(title="Số liệu cần cung cấp / inputs")
        for c in ("Mã", "Nội dung", "Đơn vị", "Kiểu", "Báo cáo theo"):
            t.add_column(c)
        for i in ind.inputs:
            kind = i.type + (": " + ", ".join(c.value for c in i.choices) if i.choices else "")
            t.add_row(i.id, i.label_vi, i.unit, kind, (", ".join(i.per_unit) + f" ({i.combine})") if i.per_unit else "cơ quan chủ trì")
        parts.append(t)
    else:
        kids = ctx.catalogue.children(ind.code)
        parts.append(Text("Chỉ số con: " + ", ".join(k.code for k in kids)))
    return Group(*parts)


def render_agencies(rows: list[dict[str, Any]]):
    from rich.table import Table

    t = Table(title="Cơ quan, đơn vị")
    for c in ("Mã", "Tên", "Viết tắt", "Loại", "Chủ trì", "Điểm"):
        t.add_column(c)
    for r in rows:
        t.add_row(r["id"], r["name"], r["short"], r["kind"], " ".join(r["leads"]) or "—", fmt_num(r["max_points_led"]) if r["leads"] else "")
    return t


def render_check(ctx: Any, items: list[Any]):
    from rich.console import Group
    from rich.text import Text

    cat = ctx.catalogue
    errors = sum(1 for i in items if i.level == "error")
    lines: list[Any] = [Text(f"{cat.path}\n  catalogue {cat.id} {cat.version}, {len(cat.pillars)} pillars, {len(cat.indicators)} indicators "
                             f"({len(cat.subindicators())} sub-indicators), {len(cat.inputs)} inputs, sha256 {cat.sha256[:12]}…")]
    for i in items:
        style = "bold red" if i.level == "error" else "yellow"
        lines.append(Text.assemble((f"{i.level.upper():8}", style), f"{i.where}: {i.message}"))
    verdict = "FAILED" if errors else "OK"
    lines.append(Text(f"{verdict}: {errors} error(s), {len(items) - errors} warning(s)", style="bold red" if errors else "bold green"))
    return Group(*lines)
