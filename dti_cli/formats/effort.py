"""The effort file `dti plan --effort` reads: what moving an indicator costs, and what cannot move.

A table (CSV or .xlsx, headers in Vietnamese or English, any case) with one row per indicator
the focal point knows better than the defaults, and optionally one row per agency whose effort
is capped:

=========  ==============================================================================
code       the indicator (``6.12``)
effort     the effort of reaching its full points from now (a number ≥ 0, in the plan's units:
           1 = issuing a document); a level short of full costs its share of it
most       the most its figure can reach by the deadline, in the indicator's own units: a ratio
           as ``70%`` (or ``70``, or ``0,7``), an amount or a count as typed (``12,5``, ``1.200``)
fixed      yes (``Có``, ``x``) when the province cannot move it (a figure the Ministry measures)
agency     on a row without a code: the agency whose effort is capped (name, alias or short form)
cap        on that row: the most effort the agency's indicators may take together (an indicator
           several agencies lead counts towards the first one's, as the plan's appendix names it)
=========  ==============================================================================

A row that cannot be used is a finding (``plan.effort_bad_row``) that names the row and says
why; the other rows still count. Only this module reads the format.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import UnknownNameError
from ..core.findings import Finding
from ..core.i18n import _
from ..methodology.context import Context
from ..methodology.model import Indicator, Input, NoData
from .tables import Row, read_table

COLUMNS = {
    "code": ("mã chỉ số", "chỉ số", "indicator", "indicator code", "mã"),
    "effort": ("công sức", "mức độ khó", "effort"),
    "most": ("mức cao nhất đạt được", "cao nhất đạt được", "tối đa đạt được", "most reachable", "most reachable by the deadline"),
    "fixed": ("cố định", "không thay đổi được", "fixed"),
    "agency": ("cơ quan", "cơ quan chủ trì", "agency", "lead agency"),
    "cap": ("giới hạn công sức", "công sức tối đa", "effort cap", "cap"),
}


@dataclass(frozen=True)
class EffortRow:
    """What the file says about one indicator; None where a column was left empty."""

    code: str
    effort: float | None = None
    most: float | None = None  # in the indicator's measured units (a ratio as 0.7)
    fixed: bool = False
    where: str = ""


@dataclass
class EffortTable:
    """Indicator rows by code, agency caps by unit id, and the rows that could not be used."""

    indicators: dict[str, EffortRow] = field(default_factory=dict)
    caps: dict[str, float] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    file: str = ""


def read_effort(ctx: Context, path: str | Path) -> EffortTable:
    """The effort file (CSV or .xlsx); raises InputFileError when the file itself cannot be used."""
    rows = read_table(path, COLUMNS, required=("code",), sheet_names=("Effort", "Công sức"), what=_("effort of the indicators (--effort)"))
    return parse_effort(ctx, rows, Path(path).name)


def measured_input(ind: Indicator) -> tuple[Input | None, bool]:
    """The figure ``most`` caps: (the input it is typed like, whether it is a ratio); (None, False) when there is none.

    An indicator measured by one figure: a ratio (its numerator over a denominator), an amount or a
    count (its first input the score grows with). A ``parts`` rule or a yes/no has no such figure.
    """
    pieces = ind.rule.components()
    if len(pieces) != 1:
        return None, False
    rule = pieces[0]
    up = [ind.input_map[i] for i in rule.input_ids() if rule.direction(i) > 0 and i in ind.input_map and ind.input_map[i].numeric]
    if not up:
        return None, False
    ratio = any(rule.direction(i) < 0 for i in rule.input_ids())
    return up[0], ratio


_PERCENT = Input("most", "", "", "", "percent")
_YES_NO = Input("fixed", "", "", "", "yes_no")
_NUMBER = Input("effort", "", "", "", "number")


def _number(raw: Any, inp: Input) -> tuple[float | None, str | None]:
    """(the value, None) or (None, why it is not usable)."""
    from ..values import parse_value

    p = parse_value(raw, inp)
    if not p.ok:
        return None, p.message or _("not a number")
    if p.value is None or isinstance(p.value, NoData):
        return None, None
    v = float(p.value)  # type: ignore[arg-type]
    if not math.isfinite(v) or v < 0:
        return None, _("a number of 0 or more is needed")
    return v, None


def parse_effort(ctx: Context, rows: Iterable[Row], file: str = "") -> EffortTable:
    """Each row checked against the catalogue and the profile; what cannot be used is a finding naming the row."""
    from ..values import parse_value

    cat = ctx.catalogue
    table = EffortTable(file=file)

    def bad(row: Row, why: str, code: str = "") -> None:
        table.findings.append(Finding("plan.effort_bad_row", _("{where}: {why}; the row is not used.").format(where=row.where, why=why),
                                      file=file, data={"row": row.n, "code": code}))

    for row in rows:
        v = row.values
        code = str(v.get("code") or "").strip().rstrip(".")
        if not code:
            agency, cap_raw = str(v.get("agency") or "").strip(), v.get("cap")
            if not agency:
                bad(row, _("neither an indicator code nor an agency"))
                continue
            try:
                unit = ctx.profile.resolve(agency)
            except UnknownNameError as e:
                bad(row, str(e))
                continue
            cap, why = _number(cap_raw, _NUMBER)
            if cap is None:
                bad(row, _("the effort cap of {agency}: {why}").format(agency=unit.name, why=why or _("empty")))
                continue
            if unit.id in table.caps:
                bad(row, _("{agency} has a cap on an earlier row already").format(agency=unit.name))
                continue
            table.caps[unit.id] = cap
            continue
        ind = cat.indicators.get(code)
        if ind is None:
            import difflib

            close = difflib.get_close_matches(code, list(cat.indicators), n=3, cutoff=0.5)
            bad(row, _("there is no indicator {code!r}").format(code=code) + (" (" + ", ".join(close) + "?)" if close else ""), code)
            continue
        if ind.is_aggregate:
            kids = ", ".join(k.code for k in cat.children(code))
            bad(row, _("{code} is the sum of {children}: give the effort of each of them").format(code=code, children=kids), code)
            continue
        if code in table.indicators:
            bad(row, _("{code} is on an earlier row already ({where})").format(code=code, where=table.indicators[code].where), code)
            continue
        effort, why = _number(v.get("effort"), _NUMBER)
        if why:
            bad(row, _("effort: {why}").format(why=why), code)
            continue
        fixed = False
        raw_fixed = v.get("fixed")
        if raw_fixed is not None and str(raw_fixed).strip():
            p = parse_value(raw_fixed, _YES_NO)
            if not p.ok or not isinstance(p.value, bool):
                bad(row, _("fixed: {value!r} is not yes or no").format(value=raw_fixed), code)
                continue
            fixed = p.value
        most = None
        raw_most = v.get("most")
        if raw_most is not None and str(raw_most).strip():
            inp, ratio = measured_input(ind)
            if inp is None:
                bad(row, _("'most' is a figure, and {code} is not measured by one figure (a yes/no, a choice or parts): "
                           "leave it empty, or mark the indicator fixed").format(code=code), code)
                continue
            most, why = _number(raw_most, _PERCENT if ratio else inp)
            if most is None:
                bad(row, _("most: {why}").format(why=why or _("empty")), code)
                continue
        if effort is None and most is None and not fixed:
            bad(row, _("nothing to use: give an effort, the most reachable, or fixed"), code)
            continue
        table.indicators[code] = EffortRow(code, effort, most, fixed, row.where)
    return table
