"""The scores file: what ``dti score`` writes and ``dti report``, ``dti plan`` and ``dti export`` read.

:class:`Scores` is the data (the score stage builds it); :meth:`Scores.to_dict` is its JSON form
and the source of the other two: ``scores.xlsx`` (sheets for people — indicators, pillars,
totals, adjustments, references, problems — and an ``inputs`` sheet that holds every value used
with its type, so that a reader gets each value back exactly, not the text a person reads) and
``scores.csv`` (the indicators). A scores file is read back (:func:`read_scores`) from .json or
.xlsx, the latter through intake's reader.

Statuses of an indicator: ``scored``; ``no_data`` (an input is missing or declared "no data":
0 points, always shown apart from a measured 0); ``needs_reference`` (a relative rule without
its national reference values: it counts in no confirmed total, and the estimated total
carries the baseline's score); ``sum`` (an aggregate: the sum of its children).

Why one module of ~650 lines: it is one file format, and its three encodings (xlsx, JSON, CSV)
are written and read back here together so that they cannot drift apart; the frames for the API
read the same fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core import i18n
from ..core.errors import InputFileError, UsageError
from ..core.findings import COLUMNS as FINDING_COLUMNS
from ..core.findings import Finding
from ..core.i18n import N_, _
from ..core.text import clean
from ..methodology.model import NO_DATA, NoData
from .stamp import read_stamp

FORMAT = "dti-scores"
FORMAT_VERSION = "2"
STATUSES = ("scored", "no_data", "needs_reference", "sum")
STATUS_WORDS = {"scored": N_("scored"), "no_data": N_("no data"), "needs_reference": N_("needs a national reference"),
                "sum": N_("sum of its children")}
INPUT_STATUS_WORDS = {"ok": N_("ok"), "no_data": N_("no data"), "missing": N_("missing"), "invalid": N_("invalid"),
                      "adjusted": N_("adjusted"), "conflict": N_("conflict")}
#: The columns of the CSV form and of the indicators sheet.
INDICATOR_COLUMNS = ["code", "name", "lead", "points", "max_points", "status", "estimated_points", "score_baseline", "adjusted",
                     "parent", "trace"]


@dataclass
class IndicatorScore:
    code: str
    points: float
    max_points: float
    status: str
    trace: str
    inputs: dict[str, Any] = field(default_factory=dict)  # input id → the value used (NO_DATA; None when missing)
    name: str = ""
    lead: tuple[str, ...] = ()  # unit ids
    parent: str = ""
    estimated_points: float = 0.0
    estimated_from_baseline: bool = False
    score_baseline: float | None = None
    adjusted: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    needs_references: tuple[str, ...] = ()
    input_status: dict[str, str] = field(default_factory=dict)

    def status_words(self) -> str:
        s = _(STATUS_WORDS.get(self.status, self.status))
        return s + (" (" + _("adjusted") + ")" if self.adjusted else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "parent": self.parent,
            "lead": list(self.lead),
            "points": self.points,
            "max_points": self.max_points,
            "status": self.status,
            "estimated_points": self.estimated_points,
            "estimated_from_baseline": self.estimated_from_baseline,
            "score_baseline": self.score_baseline,
            "adjusted": list(self.adjusted),
            "missing": list(self.missing),
            "needs_references": list(self.needs_references),
            "inputs": [{"id": k, "value": json_value(v), "status": self.input_status.get(k, "ok")} for k, v in self.inputs.items()],
            "trace": self.trace,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> IndicatorScore:
        inputs, status = {}, {}
        for x in d.get("inputs") or []:
            inputs[str(x["id"])] = from_json_value(x.get("value"))
            status[str(x["id"])] = str(x.get("status") or "ok")
        return cls(code=str(d["code"]), points=float(d.get("points") or 0.0), max_points=float(d.get("max_points") or 0.0),
                   status=str(d.get("status") or "scored"), trace=str(d.get("trace") or ""), inputs=inputs, name=str(d.get("name") or ""),
                   lead=tuple(d.get("lead") or ()), parent=str(d.get("parent") or ""),
                   estimated_points=float(d.get("estimated_points") or 0.0),
                   estimated_from_baseline=bool(d.get("estimated_from_baseline")), score_baseline=_opt(d.get("score_baseline")),
                   adjusted=tuple(d.get("adjusted") or ()), missing=tuple(d.get("missing") or ()),
                   needs_references=tuple(d.get("needs_references") or ()), input_status=status)


@dataclass
class PillarScore:
    code: str
    name: str
    points: float
    max_points: float
    estimated_points: float

    @property
    def index(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0

    @property
    def estimated_index(self) -> float:
        return self.estimated_points / self.max_points if self.max_points else 0.0


@dataclass
class Scores:
    """Every indicator, each pillar, the totals, what was applied and what could not be used."""

    indicators: dict[str, IndicatorScore]
    pillars: dict[str, PillarScore]
    total_confirmed: float
    total_estimated: float
    max_total: float
    catalogue: dict[str, str]
    year: int
    baseline_year: int | None = None
    source: dict[str, Any] = field(default_factory=dict)
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    references: dict[tuple[str, str], float] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    lang: str = "vi"

    @property
    def index_confirmed(self) -> float:
        return self.total_confirmed / self.max_total if self.max_total else 0.0

    @property
    def index_estimated(self) -> float:
        return self.total_estimated / self.max_total if self.max_total else 0.0

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        for s in self.indicators.values():
            out[s.status] = out.get(s.status, 0) + 1
        return out

    def input_counts(self) -> tuple[int, int]:
        """(inputs with a usable value or declared no data, inputs the scored indicators read)."""
        received = total = 0
        for s in self.indicators.values():
            for k in s.inputs:
                total += 1
                received += s.input_status.get(k) in ("ok", "no_data", "adjusted")
        return received, total

    def pillar_of(self, code: str) -> str:
        """The pillar an indicator belongs to (up its parents; an indicator's code starts with its pillar's)."""
        seen = code
        while seen and seen not in self.pillars:
            s = self.indicators.get(seen)
            seen = s.parent if s is not None else ""
        return seen or code.split(".", 1)[0]

    # -- pandas (imported by these methods only) ------------------------------------------------

    def to_frame(self) -> Any:
        """The indicators as a pandas DataFrame, one row each in catalogue order (:data:`FRAME_COLUMNS`).

        Points are ``float64`` (``score_baseline`` is ``NaN`` where the baseline has none), codes
        and names ``string``, ``status`` a category (:data:`STATUSES`), ``estimated_from_baseline``
        ``boolean``; ``lead``, ``adjusted``, ``missing`` and ``needs_references`` hold ids separated
        by spaces. An aggregate (``status`` ``sum``) is the sum of its children: sum the rows
        whose status is not ``sum``, or the pillars, never both.
        """
        from ..core.frames import frame

        return frame(FRAME_COLUMNS, ([self.year, s.code, s.name, self.pillar_of(s.code), s.parent, " ".join(s.lead), s.points, s.max_points,
                                      s.status, s.estimated_points, s.estimated_from_baseline, s.score_baseline, " ".join(s.adjusted),
                                      " ".join(s.missing), " ".join(s.needs_references), s.trace] for s in self.indicators.values()))

    def inputs_frame(self) -> Any:
        """Every input value the indicators read, one row per (indicator, input) (:data:`INPUT_FRAME_COLUMNS`).

        A value is given three ways (:func:`value_fields`): ``value``, text a machine reads (a
        number in Python's notation, a percentage as its ratio ``0.85``, ``yes``/``no``, a choice's
        code, ``no_data``; ``<NA>`` when missing); ``value_type``, a category (``number``, ``yes``,
        ``no``, ``choice``, ``no_data``, ``missing``); and ``number``, ``float64``, the number
        itself (``NaN`` for any other type). ``status`` is a category (:data:`INPUT_STATUSES`);
        where the value came from (``source_agency``, ``source_file``, ``sheet``, ``cell``) is
        text, ``<NA>`` when it was not read from a file.
        """
        from ..core.frames import frame

        def rows() -> Iterable[list[Any]]:
            for s in self.indicators.values():
                for iid, v in s.inputs.items():
                    text, kind, number = value_fields(v)
                    prov = self.provenance.get(iid, {})
                    yield [self.year, s.code, iid, text, kind, number, s.input_status.get(iid, "ok"), prov.get("source_agency"),
                           prov.get("source_file"), prov.get("sheet"), prov.get("cell")]

        return frame(INPUT_FRAME_COLUMNS, rows())

    def pillars_frame(self) -> Any:
        """The pillars, one row each (:data:`PILLAR_FRAME_COLUMNS`): points, maximum and index as ``float64``."""
        from ..core.frames import frame

        return frame(PILLAR_FRAME_COLUMNS, ([self.year, p.code, p.name, p.points, p.max_points, p.index, p.estimated_points, p.estimated_index]
                                            for p in self.pillars.values()))

    def problems_frame(self) -> Any:
        """What could not be used (:attr:`problems`), as :func:`dti_cli.core.findings.findings_frame` gives findings."""
        from ..core.findings import findings_frame

        return findings_frame(self.problems)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (what `dti score --format json` prints and scores.json holds)."""
        received, expected = self.input_counts()
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "lang": self.lang,
            "year": self.year,
            "baseline_year": self.baseline_year,
            "catalogue": dict(self.catalogue),
            "source": {k: v for k, v in self.source.items()},
            "total": {
                "max_points": self.max_total,
                "confirmed": self.total_confirmed,
                "estimated": self.total_estimated,
                "index_confirmed": self.index_confirmed,
                "index_estimated": self.index_estimated,
            },
            "counts": self.counts(),
            "inputs_received": received,
            "inputs_expected": expected,
            "pillars": [{"code": p.code, "name": p.name, "points": p.points, "max_points": p.max_points, "index": p.index,
                         "estimated_points": p.estimated_points, "estimated_index": p.estimated_index} for p in self.pillars.values()],
            "indicators": [s.to_dict() for s in self.indicators.values()],
            "references": [{"indicator": i, "key": k, "value": v} for (i, k), v in self.references.items()],
            "adjustments": [dict(a) for a in self.adjustments],
            "problems": [p.to_dict() for p in self.problems],
            "provenance": {k: {kk: _plain(vv) for kk, vv in v.items()} for k, v in self.provenance.items()},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Scores:
        inds = {str(x["code"]): IndicatorScore.from_dict(x) for x in d.get("indicators") or []}
        pillars = {str(p["code"]): PillarScore(str(p["code"]), str(p.get("name") or ""), float(p.get("points") or 0.0),
                                               float(p.get("max_points") or 0.0), float(p.get("estimated_points") or 0.0))
                   for p in d.get("pillars") or []}
        t = d.get("total") or {}
        cat = d.get("catalogue") or {}
        return cls(indicators=inds, pillars=pillars, total_confirmed=float(t.get("confirmed") or 0.0),
                   total_estimated=float(t.get("estimated") or 0.0), max_total=float(t.get("max_points") or 0.0),
                   catalogue={k: str(v) for k, v in cat.items()}, year=int(d.get("year") or cat.get("year") or 0),
                   baseline_year=_opt_int(d.get("baseline_year")), source=dict(d.get("source") or {}),
                   adjustments=[dict(a) for a in d.get("adjustments") or []],
                   references={(str(r["indicator"]), str(r["key"])): float(r["value"]) for r in d.get("references") or []},
                   problems=[Finding.from_row(p) if "data" not in p or isinstance(p.get("data"), str) else
                             Finding(**{k: p.get(k) or ("" if k != "data" else {}) for k in FINDING_COLUMNS}) for p in d.get("problems") or []],
                   provenance={str(k): dict(v) for k, v in (d.get("provenance") or {}).items()}, lang=str(d.get("lang") or "vi"))


#: Keys of an input's status in a scores file.
INPUT_STATUSES = tuple(INPUT_STATUS_WORDS)
#: How an input's value is typed in frames and exports (the words of the inputs sheet's value type, and
#: ``text`` for a value that could not be used, kept as it was typed).
VALUE_TYPES = ("number", "yes", "no", "choice", "no_data", "missing", "text")


def _frame_columns() -> tuple[list[Any], list[Any], list[Any]]:
    from ..core.frames import Col

    inds = [Col("year", "Int64"), Col("code", "string"), Col("name", "string"), Col("pillar", "string"), Col("parent", "string"),
            Col("lead", "string"), Col("points", "float64"), Col("max_points", "float64"), Col("status", "category", STATUSES),
            Col("estimated_points", "float64"), Col("estimated_from_baseline", "boolean"), Col("score_baseline", "float64"),
            Col("adjusted", "string"), Col("missing", "string"), Col("needs_references", "string"), Col("trace", "string")]
    inputs = [Col("year", "Int64"), Col("indicator", "string"), Col("input", "string"), Col("value", "string"),
              Col("value_type", "category", VALUE_TYPES), Col("number", "float64"), Col("status", "category", INPUT_STATUSES),
              Col("source_agency", "string"), Col("source_file", "string"), Col("sheet", "string"), Col("cell", "string")]
    pillars = [Col("year", "Int64"), Col("pillar", "string"), Col("name", "string"), Col("points", "float64"), Col("max_points", "float64"),
               Col("index", "float64"), Col("estimated_points", "float64"), Col("estimated_index", "float64")]
    return inds, inputs, pillars


#: The columns of :meth:`Scores.to_frame`, :meth:`Scores.inputs_frame` and :meth:`Scores.pillars_frame`.
FRAME_COLUMNS, INPUT_FRAME_COLUMNS, PILLAR_FRAME_COLUMNS = _frame_columns()


def value_fields(v: Any) -> tuple[str | None, str, float | None]:
    """An input's value as frames and exports give it: (text a machine reads, value type, the number).

    A number → (``repr`` of the float, ``number``, the float); yes/no → (``yes``/``no``, the
    same, None); a choice → (its code, ``choice``, None); no data → (``no_data``, ``no_data``,
    None); missing → (None, ``missing``, None).
    """
    if isinstance(v, NoData):
        return "no_data", "no_data", None
    if v is None:
        return None, "missing", None
    if isinstance(v, bool):
        word = "yes" if v else "no"
        return word, word, None
    if isinstance(v, (int, float)):
        return repr(float(v)), "number", float(v)
    return str(v), "choice", None


def json_value(v: Any) -> Any:
    return "no_data" if isinstance(v, NoData) else v


def from_json_value(v: Any) -> Any:
    return NO_DATA if v == "no_data" else v


def _opt(v: Any) -> float | None:
    return None if v is None or v == "" else float(v)


def _opt_int(v: Any) -> int | None:
    try:
        return None if v in (None, "") else int(v)
    except (TypeError, ValueError):
        return None


def _plain(v: Any) -> Any:
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


# ---------------------------------------------------------------------------------------------
# Writing

#: The sheets of scores.xlsx: key → title message id.
SHEETS = {"indicators": N_("Indicators"), "inputs": N_("Inputs"), "pillars": N_("Pillars"), "totals": N_("Totals"),
          "adjustments": N_("Adjustments"), "references": N_("References"), "problems": N_("Problems")}
#: Inputs sheet: how a value is stored, so it is read back exactly.
INPUT_COLUMNS = [("indicator", N_("Indicator"), "id"), ("input_id", N_("Input id"), "id"), ("value", N_("Value"), "text"),
                 ("value_type", N_("Value type (for machines)"), "id"), ("status", N_("Status"), "text"),
                 ("status_key", N_("Status (for machines)"), "id"), ("source_file", N_("File"), "text"), ("cell", N_("Cell"), "id"),
                 ("source_agency", N_("Supplied by"), "text")]

#: The problems sheet's headers (a finding's fields, as the merged workbook's findings sheet names them).
PROBLEM_TITLES = {"code": N_("Code"), "severity": N_("Severity"), "file": N_("File"), "sheet": N_("Sheet"), "cell": N_("Cell"),
                  "unit": N_("Unit id"), "input": N_("Input id"), "message": N_("Message"), "data": N_("Details (for machines)")}
assert list(PROBLEM_TITLES) == list(FINDING_COLUMNS)


def typed(v: Any) -> tuple[Any, str]:
    """(what the cell holds, its value type): a number stays a number; yes/no, a choice and no data are words."""
    if isinstance(v, NoData):
        return _("No data"), "no_data"
    if v is None:
        return None, "missing"
    if isinstance(v, bool):
        return i18n.yes_no(v), "yes" if v else "no"
    if isinstance(v, (int, float)):
        return float(v), "number"
    return str(v), "choice"


def untyped(cell: Any, kind: str) -> Any:
    """Back from a cell and its value type."""
    if kind == "no_data":
        return NO_DATA
    if kind == "missing":
        return None
    if kind in ("yes", "no"):
        return kind == "yes"
    if kind == "number":
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            return float(cell)
        from ..values import parse_number_text

        n = parse_number_text(str(cell))
        return n if n is not None else cell
    return None if cell is None else str(cell)


def written_by_dti(path: str | Path) -> bool:
    """Whether an existing file is a scores file dti wrote (so a re-run may replace it)."""
    p = Path(path)
    try:
        if not p.is_file():
            return False
    except OSError:
        return False
    ext = p.suffix.lower()
    try:
        if ext == ".xlsx":
            from .stamp import stamp_kind

            return stamp_kind(p) == FORMAT
        if ext == ".json":
            return json.loads(p.read_text(encoding="utf-8")).get("format") == FORMAT
        if ext == ".csv":
            with p.open(encoding="utf-8-sig") as f:
                return f.readline().strip() == ",".join(INDICATOR_COLUMNS)
    except Exception:  # not a file dti could have written (unreadable, another format): never replaced silently
        return False
    return False


def same_options(path: str | Path, source: Mapping[str, Any]) -> bool:
    """Whether the scores file at ``path`` was written from the same source and references (a re-run may then replace it)."""
    try:
        old = read_scores(path).source
    except Exception:
        return False
    keys = ("path", "references")
    return all(str(old.get(k) or "") == str(source.get(k) or "") for k in keys)


def indicator_rows(scores: Scores) -> list[list[Any]]:
    return [[s.code, s.name, "; ".join(s.lead), s.points, s.max_points, s.status, s.estimated_points, s.score_baseline,
             ", ".join(s.adjusted), s.parent, s.trace] for s in scores.indicators.values()]


def write_json(scores: Scores, path: Path) -> None:
    doc = {**scores.to_dict(), "generated_at": datetime.now(UTC).isoformat(timespec="seconds")}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_csv(scores: Scores, path: Path) -> None:
    from ..core.safety import write_csv as write

    write(path, INDICATOR_COLUMNS, indicator_rows(scores))


def write_xlsx(scores: Scores, path: Path, *, province: str = "", names: Mapping[str, str] | None = None, banner: str | None = None) -> None:
    """scores.xlsx: sheets for people and the exact inputs; ``names`` maps unit ids to names."""
    from ..core.sheetwriter import Column, PageText, Sheet, write_workbook

    names = names or {}

    def col(key: str, title: str, kind: str = "text", wrap: bool = False, width: float | None = None) -> Any:
        return Column(key=key, title=title, kind=kind, wrap=wrap, width=width)

    d = scores.to_dict()
    t = d["total"]
    base = str(scores.baseline_year or "")
    sheets = [
        Sheet(_(SHEETS["indicators"]), [
            col("code", _("Code"), "id"), col("name", _("Indicator"), wrap=True, width=50), col("lead", _("Lead agency"), wrap=True, width=26),
            col("points", _("Points"), "points"), col("max", _("Max"), "points"), col("status", _("Status"), wrap=True, width=18),
            col("estimated", _("Estimated points"), "points"), col("baseline", _("Score {year}").format(year=base), "points"),
            col("adjusted", _("Adjusted inputs"), "id"), col("parent", _("Part of"), "id"), col("status_key", _("Status (for machines)"), "id"),
            col("trace", _("How the points were reached"), wrap=True, width=80), col("lead_ids", _("Lead (for machines)"), "id"),
        ], [[s.code, s.name, "; ".join(names.get(x, x) for x in s.lead), s.points, s.max_points, s.status_words(), s.estimated_points,
             s.score_baseline, ", ".join(s.adjusted), s.parent, s.status, s.trace, " ".join(s.lead)] for s in scores.indicators.values()],
            title=_("DTI {year} — scores").format(year=scores.year)),
        Sheet(_(SHEETS["inputs"]), [col(k, _(t_), kind) for k, t_, kind in INPUT_COLUMNS], _input_rows(scores)),
        Sheet(_(SHEETS["pillars"]), [
            col("code", _("Pillar"), "id"), col("name", _("Name"), wrap=True, width=40), col("points", _("Points"), "points"),
            col("max", _("Max"), "points"), col("index", _("Index (0-1)"), "number"), col("estimated", _("Estimated points"), "points"),
            col("estimated_index", _("Estimated index"), "number"),
        ], [[p["code"], p["name"], p["points"], p["max_points"], p["index"], p["estimated_points"], p["estimated_index"]] for p in d["pillars"]]),
        Sheet(_(SHEETS["totals"]), [col("key", _("Key (for machines)"), "id"), col("value", _("Value"), "number"),
                                    col("label", _("What it is"), wrap=True, width=70)], [
            ["confirmed", t["confirmed"], _("Confirmed total (without the indicators that lack a national reference)")],
            ["estimated", t["estimated"], _("Estimated total (indicators that lack a reference carry their {year} score)").format(year=base)],
            ["max_points", t["max_points"], _("Maximum")],
            ["index_confirmed", t["index_confirmed"], _("Confirmed index (0-1)")],
            ["index_estimated", t["index_estimated"], _("Estimated index (0-1)")],
            ["inputs_received", d["inputs_received"], _("Inputs received")],
            ["inputs_expected", d["inputs_expected"], _("Inputs the scored indicators read")],
            *[[f"count_{k}", v, _(STATUS_WORDS.get(k, k))] for k, v in d["counts"].items()],
        ]),
        Sheet(_(SHEETS["adjustments"]), [col("row", _("Row"), "int"), col("input_id", _("Input id"), "id"), col("indicator", _("Indicator"), "id"),
                                         col("old", _("Old value")), col("new", _("New value")), col("reason", _("Reason"), wrap=True, width=50),
                                         col("by", _("By")), col("date", _("Date"))],
              [[a.get("row"), a.get("input_id"), a.get("indicator"), _cell(a.get("old_value")), _cell(a.get("new_value")), a.get("reason"),
                a.get("by"), a.get("date")] for a in scores.adjustments]),
        Sheet(_(SHEETS["references"]), [col("indicator", _("Indicator"), "id"), col("key", _("Key"), "id"), col("value", _("Value"), "number")],
              [[r["indicator"], r["key"], r["value"]] for r in d["references"]]),
        Sheet(_(SHEETS["problems"]), [col(c, _(PROBLEM_TITLES[c]), "text", wrap=c == "message", width=100 if c == "message" else None)
                                      for c in FINDING_COLUMNS], [_problem_row(p) for p in scores.problems]),
    ]
    stamp = {"format": FORMAT, "format_version": FORMAT_VERSION, "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
             "lang": scores.lang, "year": str(scores.year), "baseline_year": base,
             "catalogue_id": scores.catalogue.get("id", ""), "catalogue_version": scores.catalogue.get("version", ""),
             "catalogue_sha256": scores.catalogue.get("sha256", ""),
             "source": json.dumps({k: _plain(v) for k, v in scores.source.items()}, ensure_ascii=False),
             **{f"sheet.{k}": _(v) for k, v in SHEETS.items()}}
    page = PageText(header=" · ".join(x for x in (province, f"DTI {scores.year}", _("Scores")) if x), footer=_("Page &P of &N"), banner=banner)
    write_workbook(path, sheets, page=page, stamp=stamp)


def _problem_row(p: Finding) -> list[Any]:
    """A problem as the problems sheet shows it: its severity in words, like the merged workbook's findings."""
    from .merged import SEVERITY, words

    row = p.to_row()
    row[FINDING_COLUMNS.index("severity")] = words(SEVERITY, p.severity)
    return row


def _problem(cells: list[Any]) -> Finding:
    from .merged import SEVERITY, key_of

    f = Finding.from_row(dict(zip(FINDING_COLUMNS, (cells + [None] * 9)[:9], strict=True)))
    f.severity = key_of(SEVERITY, f.severity) or f.severity
    return f


def _input_rows(scores: Scores) -> Iterable[list[Any]]:
    for s in scores.indicators.values():
        for iid, v in s.inputs.items():
            cell, kind = typed(v)
            st = s.input_status.get(iid, "ok")
            prov = scores.provenance.get(iid, {})
            yield [s.code, iid, cell, kind, _(INPUT_STATUS_WORDS.get(st, st)), st, prov.get("source_file") or "",
                   "!".join(x for x in (prov.get("sheet"), prov.get("cell")) if x), prov.get("source_agency") or ""]


def _cell(v: Any) -> Any:
    if isinstance(v, bool):
        return i18n.yes_no(v)
    if v == "no_data":
        return _("No data")
    return v


def write_scores(scores: Scores, path: Path, *, ext: str | None = None, **kw: Any) -> None:
    """The scores file in the format ``ext`` names (default: the path's extension: .xlsx, .json, .csv); callers make ``path`` atomic."""
    ext = (ext or path.suffix).lower()
    if ext == ".json":
        write_json(scores, path)
    elif ext == ".csv":
        write_csv(scores, path)
    elif ext == ".xlsx":
        write_xlsx(scores, path, **kw)  # the unit names and the province go into the workbook only
    else:
        raise UsageError(_("{path}: a scores file ends in .xlsx, .json or .csv.").format(path=path))


# ---------------------------------------------------------------------------------------------
# Reading


def read_scores(path: str | Path) -> Scores:
    """A scores file dti wrote (.xlsx or .json), back as :class:`Scores` with every input value exact."""
    p = Path(path)
    if not p.is_file():
        raise InputFileError(_("{path}: no scores file here. Run `dti score` first.").format(path=p))
    ext = p.suffix.lower()
    if ext == ".json":
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise InputFileError(_("{path}: not a valid JSON file.").format(path=p)) from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise InputFileError(_("{path}: not a scores file written by `dti score`.").format(path=p))
        if str(doc.get("format_version")) != FORMAT_VERSION:
            raise InputFileError(_("{path}: a scores file of format version {found}; run `dti score` again.").format(
                path=p, found=doc.get("format_version")))
        return Scores.from_dict(doc)
    if ext != ".xlsx":
        raise UsageError(_("{path}: a scores file is .xlsx or .json.").format(path=p))
    return _read_xlsx(p)


def _read_xlsx(p: Path) -> Scores:
    from ..intake import IntakeError, open_workbook

    try:
        raw = open_workbook(p)
    except IntakeError as e:
        raise InputFileError(_("{path}: cannot be opened ({reason}).").format(path=p, reason=e)) from None
    stamp = read_stamp(raw) or {}
    if stamp.get("format") != FORMAT:
        raise InputFileError(_("{path}: not a scores file written by `dti score` (no hidden '_dti' sheet saying {format}).").format(
            path=p, format=FORMAT))
    if stamp.get("format_version") != FORMAT_VERSION:
        raise InputFileError(_("{path}: a scores file of format version {found}; run `dti score` again.").format(
            path=p, found=stamp.get("format_version")))

    def table(key: str) -> list[list[Any]]:
        """A sheet's rows under its header. Above the header there may be title lines (the indicators sheet's title; a
        banner such as SỐ LIỆU MẪU on every sheet of the demo's file): one cell each, where a header has several."""
        title = stamp.get(f"sheet.{key}", "")
        if title not in raw.sheets:
            return []
        rows = [list(v) for _n, v in raw.sheets[title].rows()]
        for i, r in enumerate(rows):
            if sum(1 for v in r if v is not None and v != "") > 1:
                return rows[i + 1:]
        return []

    inds: dict[str, IndicatorScore] = {}
    for r in table("indicators"):
        r = (r + [None] * 13)[:13]
        code = clean(str(r[0] or ""))
        if not code:
            continue
        inds[code] = IndicatorScore(code=code, points=_f(r[3]), max_points=_f(r[4]), status=str(r[10] or "scored"), trace=str(r[11] or ""),
                                    name=str(r[1] or ""), parent=str(r[9] or ""), estimated_points=_f(r[6]), score_baseline=_opt(r[7]),
                                    adjusted=tuple(x for x in str(r[8] or "").split(", ") if x), lead=tuple(str(r[12] or "").split()),
                                    estimated_from_baseline=str(r[10] or "") == "needs_reference")
    provenance: dict[str, dict[str, Any]] = {}
    for r in table("inputs"):
        r = (r + [None] * 9)[:9]
        code, iid = clean(str(r[0] or "")), clean(str(r[1] or ""))
        if code in inds and iid:
            inds[code].inputs[iid] = untyped(r[2], str(r[3] or ""))
            inds[code].input_status[iid] = str(r[5] or "ok")
            sheet, _sep, cell = str(r[7] or "").rpartition("!")
            provenance[iid] = {"source_file": r[6] or "", "sheet": sheet, "cell": cell, "source_agency": r[8] or ""}
    pillars = {}
    for r in table("pillars"):
        r = (r + [None] * 7)[:7]
        if r[0] is not None:
            pillars[str(r[0])] = PillarScore(str(r[0]), str(r[1] or ""), _f(r[2]), _f(r[3]), _f(r[5]))
    totals = {str(r[0]): r[1] for r in table("totals") if r and r[0] is not None}
    refs = {(clean(str(r[0])), clean(str(r[1]))): _f(r[2]) for r in table("references") if len(r) >= 3 and r[0] is not None}
    adjustments = [{"row": r[0], "input_id": r[1], "indicator": r[2], "old_value": r[3], "new_value": r[4], "reason": r[5] or "",
                    "by": r[6] or "", "date": r[7] or ""} for r in ((x + [None] * 8)[:8] for x in table("adjustments"))]
    problems = [_problem(x) for x in table("problems")]
    try:
        source = json.loads(stamp.get("source") or "{}")
    except ValueError:
        source = {}
    return Scores(indicators=inds, pillars=pillars,
                  total_confirmed=_f(totals.get("confirmed")), total_estimated=_f(totals.get("estimated")),
                  max_total=_f(totals.get("max_points")),
                  catalogue={"id": stamp.get("catalogue_id", ""), "version": stamp.get("catalogue_version", ""),
                             "sha256": stamp.get("catalogue_sha256", ""), "year": stamp.get("year", "")},
                  year=_opt_int(stamp.get("year")) or 0, baseline_year=_opt_int(stamp.get("baseline_year")), source=source,
                  adjustments=adjustments, references=refs, problems=problems, provenance=provenance, lang=stamp.get("lang", "vi"))


def _f(v: Any) -> float:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    if v in (None, ""):
        return 0.0
    from ..values import parse_number_text

    n = parse_number_text(str(v))
    return float(n) if n is not None else 0.0
