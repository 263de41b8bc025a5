"""One long table of every figure and score, across rounds and years: what ``dti export`` writes.

Each row is one thing at one level (:data:`LEVELS`) of one round: the total, a pillar, an
indicator, an input (the consolidated figure), or a unit's own figure behind a combined input.
The same columns for all (:data:`COLUMNS`; a column that does not apply is empty), so that
Power Query, Power BI or pandas filter one table rather than join several:

- a **scores file** (``dti score``) gives its total, pillars, indicators and the input values it
  scored (after adjustments), with where each came from;
- a **merged workbook** (``dti merge``) gives its figures as merged (before adjustments; an
  invalid or conflicting one by its status alone, the findings say why) and the per-unit figures
  behind the combined ones (these as they were typed when they could not be used); it holds no
  points: give its scores file for them;
- the **baseline** (the last published result, from the methodology in use) gives the baseline
  year's total, pillars (with their ranks) and indicators, and the year before's total and
  pillars, from the published changes.

Adding up: sum ``points`` over the rows of one level. An aggregate indicator (``status`` ``sum``,
e.g. 8.8) is the sum of its children (``parent``), and a combined input the sum (or the yes/no)
of its units: never sum two levels, or an aggregate with its children.

The table is built from files read with :func:`dti_cli.formats.scores.read_scores` and
:func:`dti_cli.formats.merged.read_merged`, or from those objects held in memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import i18n
from ..core.errors import InputFileError
from ..core.frames import Col
from ..core.i18n import N_, _
from ..formats.merged import STATUS as MERGED_STATUS
from ..formats.merged import Merged, read_merged
from ..formats.scores import INPUT_STATUSES, STATUSES, VALUE_TYPES, Scores, read_scores, value_fields
from ..methodology.context import Context

FORMAT = "dti-export"
FORMAT_VERSION = "1"

#: What a row is: the total, a pillar, an indicator, an input (the consolidated figure), a unit's figure behind a combined input.
LEVELS = ("total", "pillar", "indicator", "input", "unit")
#: Where a row's figures were read from.
KINDS = ("baseline", "scores", "merged")
#: Every status a row may have: a published figure; an indicator's; an input's (scores file, merged workbook).
ROW_STATUSES = tuple(dict.fromkeys(("published", *STATUSES, *INPUT_STATUSES, *MERGED_STATUS)))


@dataclass(frozen=True)
class Column(Col):
    """A column of the table: its frame type, how the workbook shows it, and what it holds (a message id)."""

    kind: str = "text"  # the sheet writer's column kind
    about: str = ""


#: The columns, in order.
COLUMNS: tuple[Column, ...] = (
    Column("year", "Int64", kind="id", about=N_("The year of the round (of the result, for the baseline).")),
    Column("round", "string", kind="text", about=N_("The round: the file its figures were read from (the baseline's file for the "
                                                     "published result).")),
    Column("kind", "category", KINDS, kind="id", about=N_("Where the row comes from: baseline (the published result), scores (a scores "
                                                          "file), merged (a merged workbook).")),
    Column("level", "category", LEVELS, kind="id", about=N_("What the row is: total, pillar, indicator, input (the consolidated figure), "
                                                            "unit (one unit's figure behind a combined input). Sum points within one level.")),
    Column("pillar", "string", kind="id", about=N_("The pillar's code.")),
    Column("indicator", "string", kind="id", about=N_("The indicator's code.")),
    Column("parent", "string", kind="id", about=N_("The aggregate indicator (or the pillar) an indicator is part of.")),
    Column("input", "string", kind="id", about=N_("The input id.")),
    Column("unit", "string", kind="id", about=N_("The id of the reporting unit that supplied the figure, when it is known.")),
    Column("unit_name", "string", about=N_("The unit that supplied the figure, as recorded.")),
    Column("name", "string", about=N_("The name of the pillar or indicator, or what the figure is.")),
    Column("value", "string", about=N_("The figure as a machine reads it: a number with a decimal point (a percentage as its ratio, "
                                       "0.85), yes, no, a choice's code, no_data; as it was typed when it could not be used.")),
    Column("value_type", "category", VALUE_TYPES, kind="id", about=N_("number, yes, no, choice, no_data (declared 'no data'), missing, "
                                                                      "text (a figure that could not be used).")),
    Column("number", "float64", kind="number", about=N_("The figure when it is a number.")),
    Column("status", "category", ROW_STATUSES, kind="id", about=N_("published (the baseline); for an indicator scored, no_data, "
                                                                   "needs_reference, sum; for a figure ok, missing, no_data, conflict, "
                                                                   "invalid, adjusted.")),
    Column("points", "float64", kind="points", about=N_("Points (the confirmed total for the total).")),
    Column("estimated_points", "float64", kind="points", about=N_("Points with the baseline's score carried for an indicator that lacks "
                                                                  "its national reference values.")),
    Column("max_points", "float64", kind="points", about=N_("The maximum points.")),
    Column("rank", "Int64", kind="id", about=N_("The published rank among the provinces (baseline rows).")),
    Column("source_file", "string", about=N_("The returned workbook the figure came from.")),
    Column("sheet", "string", about=N_("Its sheet.")),
    Column("cell", "string", kind="id", about=N_("Its cell.")),
)
NAMES = tuple(c.name for c in COLUMNS)


@dataclass
class Tidy:
    """The long table: one dict per row, keyed by :data:`NAMES` (a column that does not apply is None)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    rounds: list[dict[str, Any]] = field(default_factory=list)  # label, kind, year: in the order they were added
    sources: list[Path] = field(default_factory=list)  # the files read: never written over

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> Iterator[list[Any]]:
        """Each row as a list of values in column order."""
        for r in self.rows:
            yield [r.get(n) for n in NAMES]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (what ``dti export -o FILE.json`` writes): the format, the rounds, the columns and one object per row."""
        return {"format": FORMAT, "format_version": FORMAT_VERSION, "rounds": [dict(r) for r in self.rounds], "columns": list(NAMES),
                "rows": [{n: r.get(n) for n in NAMES} for r in self.rows]}

    def to_frame(self) -> Any:
        """The table as a pandas DataFrame, every column typed as :data:`COLUMNS` says (pandas is imported here)."""
        from ..core.frames import frame

        return frame(COLUMNS, self.records())

    def write(self, path: str | os.PathLike, *, force: bool = False, inputs: Iterable[str | os.PathLike] = ()) -> Path:
        """Write the table to ``path`` (.csv, .xlsx, .parquet or .json, by its extension), atomically; returns the path.

        An existing file is replaced only with ``force``; the files the table was read from (and ``inputs``) never are.
        """
        from ..core.safety import atomic_output
        from .write import check_format, write_table

        out = Path(path)
        ext = check_format(out)
        with atomic_output(out, force=force, inputs=[*self.sources, *inputs]) as tmp:
            write_table(self, tmp, ext)
        return out


# ---------------------------------------------------------------------------------------------
# Building


def tidy(ctx: Context, sources: Sequence[Any], *, labels: Sequence[str] | None = None, baseline: bool = True) -> Tidy:
    """The long table of ``sources`` (paths of scores files or merged workbooks, or :class:`Scores` / :class:`Merged`
    objects), after the baseline's published figures unless ``baseline=False``.

    A round's label (the ``round`` column) is ``labels[k]`` when given, else the path as given,
    else ``scores YEAR`` / ``merged YEAR`` for an object held in memory.
    """
    t = Tidy()
    if baseline:
        add_baseline(t, ctx)
    for k, src in enumerate(sources):
        label = labels[k] if labels is not None and k < len(labels) else None
        obj = open_source(ctx, src)
        if isinstance(src, (str, os.PathLike)):
            t.sources.append(Path(src))
        if isinstance(obj, Scores):
            add_scores(t, ctx, obj, label or _label(src, "scores", obj.year))
        else:
            add_merged(t, ctx, obj, label or _label(src, "merged", _year(obj.stamp.get("year"))))
    return t


def _label(src: Any, kind: str, year: int | None) -> str:
    if isinstance(src, (str, os.PathLike)):
        return str(src)
    return f"{kind} {year or ''}".strip()


def _year(v: Any) -> int | None:
    try:
        return int(str(v))
    except (TypeError, ValueError):
        return None


def open_source(ctx: Context, src: Any) -> Scores | Merged:
    """A scores file or merged workbook read from its path (by its stamp), or the object itself."""
    if isinstance(src, (Scores, Merged)):
        return src
    p = Path(src)
    if not p.is_file():
        raise InputFileError(_("{path}: file not found.").format(path=p))
    if p.suffix.lower() == ".json":
        return read_scores(p)
    if p.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputFileError(_("{path}: give a scores file (.xlsx or .json, from `dti score`) or a merged workbook (.xlsx, from "
                               "`dti merge`).").format(path=p))
    from ..formats.stamp import stamp_kind
    from ..intake import IntakeError

    try:
        kind = stamp_kind(p)
    except IntakeError as e:
        raise InputFileError(_("{path}: cannot be opened ({reason}).").format(path=p, reason=e)) from None
    if kind == "dti-scores":
        return read_scores(p)
    if kind == "dti-merged":
        return read_merged(p, ctx.catalogue)
    if kind == "dti-template":
        raise InputFileError(_("{path}: a data-collection workbook; merge the returned workbooks first (`dti merge`), or score this "
                               "one (`dti score FILE -o FILE.scores.xlsx`) and export the scores file.").format(path=p))
    raise InputFileError(_("{path}: neither a scores file written by `dti score` nor a merged workbook written by `dti merge` "
                           "(no hidden '_dti' sheet saying so).").format(path=p))


def _round(t: Tidy, label: str, kind: str, year: int | None) -> dict[str, Any]:
    t.rounds.append({"round": label, "kind": kind, "year": year})
    return {"year": year, "round": label, "kind": kind}


def add_baseline(t: Tidy, ctx: Context) -> None:
    """The published result: the baseline year's total, pillars and indicators; the year before's total and pillars."""
    b, cat = ctx.baseline, ctx.catalogue
    lang = i18n.language()
    label = Path(b.path).name
    prev = _round(t, label, "baseline", b.previous_year)
    t.rows.append({**prev, "level": "total", "name": _("Total"), "status": "published", "points": b.total_prev,
                   "estimated_points": b.total_prev, "max_points": b.max_points, "rank": b.rank_prev})
    for p in b.pillars.values():
        if p.scored and p.score_prev is not None:
            t.rows.append({**prev, "level": "pillar", "pillar": p.code, "name": _pillar_name(cat, p.code, lang), "status": "published",
                           "points": p.score_prev, "estimated_points": p.score_prev, "max_points": p.max_points, "rank": p.rank_prev})
    this = _round(t, label, "baseline", b.year)
    t.rows.append({**this, "level": "total", "name": _("Total"), "status": "published", "points": b.total, "estimated_points": b.total,
                   "max_points": b.max_points, "rank": b.rank})
    for p in b.pillars.values():
        if p.scored and p.score is not None:
            t.rows.append({**this, "level": "pillar", "pillar": p.code, "name": _pillar_name(cat, p.code, lang), "status": "published",
                           "points": float(p.score), "estimated_points": float(p.score), "max_points": p.max_points, "rank": p.rank})
    for code, r in b.indicators.items():
        ind = cat.indicators.get(code)
        t.rows.append({**this, "level": "indicator", "pillar": ind.pillar if ind else code.split(".", 1)[0], "indicator": code,
                       "parent": ind.parent if ind else None, "name": ind.name(lang) if ind else None, "status": "published",
                       "points": r.score, "estimated_points": r.score, "max_points": ind.max_points if ind else None})


def _pillar_name(cat: Any, code: str, lang: str) -> str | None:
    p = cat.pillars.get(code)
    return p.name(lang) if p else None


def _units_by_name(ctx: Context) -> dict[str, str]:
    return {u.name: u.id for u in ctx.profile.units}


def add_scores(t: Tidy, ctx: Context, s: Scores, label: str) -> None:
    """A scores file: its total, pillars, indicators and every input value it scored, with where each came from."""
    base = _round(t, label, "scores", s.year)
    lang = i18n.language()
    t.rows.append({**base, "level": "total", "name": _("Total"), "points": s.total_confirmed, "estimated_points": s.total_estimated,
                   "max_points": s.max_total})
    for p in s.pillars.values():
        t.rows.append({**base, "level": "pillar", "pillar": p.code, "name": p.name, "points": p.points, "estimated_points": p.estimated_points,
                       "max_points": p.max_points})
    units = _units_by_name(ctx)
    for ind in s.indicators.values():
        pillar = s.pillar_of(ind.code)
        t.rows.append({**base, "level": "indicator", "pillar": pillar, "indicator": ind.code, "parent": ind.parent, "name": ind.name,
                       "status": ind.status, "points": ind.points, "estimated_points": ind.estimated_points, "max_points": ind.max_points})
        for iid, v in ind.inputs.items():
            text, vtype, number = value_fields(v)
            prov = s.provenance.get(iid, {})
            inp = ctx.catalogue.inputs.get(iid)
            agency = prov.get("source_agency") or None
            t.rows.append({**base, "level": "input", "pillar": pillar, "indicator": ind.code, "input": iid, "unit": units.get(agency or ""),
                           "unit_name": agency, "name": inp.label(lang) if inp else None, "value": text, "value_type": vtype, "number": number,
                           "status": ind.input_status.get(iid, "ok"), "source_file": prov.get("source_file") or None,
                           "sheet": prov.get("sheet") or None, "cell": prov.get("cell") or None})


def add_merged(t: Tidy, ctx: Context, m: Merged, label: str) -> None:
    """A merged workbook: every figure as merged (before adjustments) and the per-unit figures behind the combined ones."""
    from ..formats.merged import decode_value

    base = _round(t, label, "merged", _year(m.stamp.get("year")))
    units = _units_by_name(ctx)
    by_file = {str(s.get("file") or ""): str(s.get("unit_id") or "") for s in m.submissions if s.get("file") and s.get("unit_id")}
    cat = ctx.catalogue
    for iid, status in m.statuses.items():
        prov = m.provenance.get(iid, {})
        inp = cat.inputs.get(iid)
        # read_merged keeps the usable values only: an invalid or conflicting figure is its status (and the findings)
        text, vtype, number = value_fields(m.values.get(iid))
        agency, file = prov.get("source_agency") or None, prov.get("source_file") or None
        ind = cat.indicators.get(inp.indicator) if inp else None
        t.rows.append({**base, "level": "input", "pillar": ind.pillar if ind else None, "indicator": inp.indicator if inp else None,
                       "input": iid, "unit": by_file.get(file or "") or units.get(agency or ""), "unit_name": agency,
                       "name": inp.label(i18n.language()) if inp else None, "value": text, "value_type": vtype,
                       "number": number, "status": status, "source_file": file, "sheet": prov.get("sheet") or None,
                       "cell": prov.get("cell") or None})
    for r in m.units:
        iid = str(r.get("input_id") or "")
        inp = cat.inputs.get(iid)
        status = str(r.get("status") or "")
        if status in ("ok", "no_data"):
            text, vtype, number = value_fields(decode_value(r.get("value"), status, inp.type if inp else None))
        else:
            raw = r.get("value")
            text, vtype, number = (str(raw), "text", None) if raw not in (None, "") else (None, "missing", None)
        sheet, _sep, cell = str(r.get("cell") or "").rpartition("!")
        ind = cat.indicators.get(inp.indicator) if inp else None
        t.rows.append({**base, "level": "unit", "pillar": ind.pillar if ind else None,
                       "indicator": inp.indicator if inp else None, "input": iid, "unit": r.get("unit_id") or None,
                       "unit_name": r.get("unit_name") or None, "name": inp.label(i18n.language()) if inp else None, "value": text,
                       "value_type": vtype, "number": number, "status": status or None, "source_file": r.get("source_file") or None,
                       "sheet": sheet or None, "cell": cell or None})
