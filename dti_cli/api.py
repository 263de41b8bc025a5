"""The library a person calls from Python (``from dti_cli import api as dti``), and the CLI calls too.

Each function here runs one stage, or chains stages where a user expects them chained (scoring
an agency's own returned template is a merge of that one file, then a score). Stages never
import each other: they meet here, and through their file formats. docs/API.md shows it at work.

Every result has ``to_dict()`` (the JSON the CLI writes) and ``to_frame()`` (a pandas DataFrame
with typed columns; pandas is imported only then).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.errors import DtiError, InputFileError, UsageError
from .core.findings import ERROR, WARNING, Finding, findings_frame
from .core.i18n import _
from .formats.merged import Merged, read_merged
from .formats.scores import Scores, read_scores
from .formats.stamp import stamp_kind
from .methodology.context import Context, load_context
from .methodology.model import NO_DATA, NoData

if TYPE_CHECKING:
    from .export import History, Tidy
    from .merge import MergeResult
    from .plan import Plan
    from .report import Report

__all__ = ["NO_DATA", "Context", "DtiError", "Finding", "Merged", "Scores", "commitment_templates", "export", "find_scores", "history", "load_context", "merge",
           "merged_of_template", "plan", "read_export", "read_merged", "read_scores", "report", "rescorer", "sample_values", "score",
           "score_file", "score_values", "findings_frame"]

Source = str | os.PathLike | Scores | Merged


def merge(ctx: Context, paths: Iterable[str | os.PathLike], *, year: int | None = None, workers: int | None = None) -> MergeResult:
    """Read, check and consolidate returned workbooks (files, folders, patterns): a MergeResult, nothing written."""
    from .merge import collect_paths, run_merge

    files, skipped = collect_paths(list(paths))
    return run_merge(ctx, files, year=year, workers=workers, skipped=skipped)


def merged_of_template(ctx: Context, path: str | Path) -> Merged:
    """One agency's returned template, checked exactly as `dti merge` checks it, as a merged workbook held in memory.

    Its errors (values that cannot be used) are the merged workbook's problems; warnings such as
    inputs left blank are what a half-filled workbook is expected to have, and its blanks score
    as no data.
    """
    from .merge import run_merge, to_merged

    p = Path(path)
    result = run_merge(ctx, [p])
    sub = next((s for s in result.submissions if s.name == p.name), None)
    m = to_merged(result, ctx, str(p), source_kind="template", unit_id=sub.unit_id if sub else "", unit_name=sub.unit_name if sub else "")
    m.problems = [f for f in result.findings if f.file == p.name and f.is_error]
    return m


def score(ctx: Context, merged: MergeResult | Merged | str | Path, references: str | Path | None = None) -> Scores:
    """Score a round: a merge result (:func:`merge`), a merged workbook (as read by :func:`read_merged`), or the path of one
    (or of a returned template, as :func:`score_file`)."""
    from .score import score_merged

    if isinstance(merged, (str, os.PathLike)):
        return score_file(ctx, merged, references)
    if not isinstance(merged, Merged):
        from .merge import to_merged

        merged = to_merged(merged, ctx, "")
    return score_merged(ctx, merged, references)


def score_file(ctx: Context, path: str | Path, references: str | Path | None = None) -> Scores:
    """Score a merged workbook file, or one agency's returned template (checked as merge checks it)."""
    p = Path(path)
    if not p.exists():
        raise InputFileError(_("{path}: file not found. Run `dti merge` first, or give the path of merged.xlsx.").format(path=p))
    kind = stamp_kind(p)
    if kind == "dti-merged":
        return score(ctx, read_merged(p, ctx.catalogue), references)
    if kind == "dti-template":
        return score(ctx, merged_of_template(ctx, p), references)
    raise InputFileError(_("{path}: neither a merged workbook written by `dti merge` (merged.xlsx) nor a filled dti template "
                           "(no valid hidden '_dti' sheet).").format(path=p))


def score_values(ctx: Context, values: Mapping[str, Any], *,
                 references: Mapping[tuple[str, str], float] | str | os.PathLike | None = None) -> Scores:
    """Score input values typed as officials type them ("Có", "1.234,5", "85 %", "Không có số liệu"), checked as merge checks them.

    ``values`` maps input ids to what a value cell would hold: text as typed, a number, True or
    False, :data:`NO_DATA`, None (blank); anything with ``.items()`` will do (a pandas Series
    too). A per-unit input (4.5, 4.6, 1.9) takes its combined value, or a mapping of unit id →
    value, combined as merge combines the units' figures (summed; yes if any unit says yes, for
    1.9) over the units that give a usable one. Inputs not given are missing and score as no data.

    Each value is read by :func:`dti_cli.values.parse_value` as merge reads a cell, with the same
    findings: the same code and severity, and the same reason after ``"{input id}: "`` where merge
    says ``"Cell F12 ({input id}): "``. A value that cannot be used is left out (its input is
    ``invalid``); a part larger than its whole (``merge.part_exceeds_whole``) too; answers that
    contradict a "No" they require are reported (``merge.requires_unmet``). A mapping holds no
    evidence, so no evidence is asked for. ``references``: (indicator, key) → value, or the path
    of a references file (CSV or xlsx, as ``dti score --references`` reads it).
    """
    from .core import i18n
    from .merge.read import MAX_TEXT, gt, show
    from .score import score_values as _score

    cat = ctx.catalogue
    lang = i18n.language()
    typed: dict[str, Any] = {}
    statuses: dict[str, str] = {}
    problems: list[Finding] = []
    for iid, raw in values.items():
        iid = str(iid)
        inp = cat.inputs.get(iid)
        if inp is None:
            problems.append(Finding("value.unknown_input", _("There is no input {id!r}; its value is not used.").format(id=iid), input=iid))
            continue
        if isinstance(raw, Mapping):
            status, value = _combined(inp, raw, lang, problems, MAX_TEXT)
        else:
            status, value = _checked(inp, raw, lang, problems, MAX_TEXT)
        if status in ("ok", "no_data"):
            typed[iid] = value
        elif status == "invalid":
            statuses[iid] = "invalid"
    for iid, v in list(typed.items()):  # a part never larger than its whole
        inp = cat.inputs[iid]
        whole = typed.get(inp.part_of or "")
        if inp.part_of and gt(v, whole):
            del typed[iid]
            statuses[iid] = "invalid"
            problems.append(Finding("merge.part_exceeds_whole", _("{id} = {value} is larger than {whole_id} = {whole}; a part cannot be larger "
                                                                  "than its whole. Please check both figures.").format(
                id=iid, value=show(v), whole_id=inp.part_of, whole=show(whole)), input=iid))
    for iid, v in typed.items():  # answers that contradict a "No" they require
        inp = cat.inputs[iid]
        if inp.requires and typed.get(inp.requires) is False and v not in (False, 0, 0.0) and not isinstance(v, NoData):
            problems.append(Finding("merge.requires_unmet", _(
                "{id} is {value} but {requires} answers 'No'; the two figures contradict each other. Please check.").format(
                id=iid, value=show(v), requires=inp.requires), input=iid))
    source: dict[str, Any] = {"kind": "values"}
    if isinstance(references, (str, os.PathLike)):
        from .formats.references import read_references

        source["references"] = str(references)
        references, found = read_references(cat, references)
        problems += found
    return _score(ctx, typed, references, statuses=statuses, problems=problems, source=source)


def _checked(inp: Any, raw: Any, lang: str, problems: list[Finding], limit: int, unit: str = "") -> tuple[str, Any]:
    """One value read as merge reads a cell (merge.read._answer): (status, typed value), findings added."""
    from .values import parse_value

    if isinstance(raw, str) and len(raw) > limit:
        raw = raw[:limit]
    elif isinstance(raw, float) and raw.is_integer() and abs(raw) < 2**53:
        raw = int(raw)  # a cell holds a whole number as one (Excel saves 0.0 as 0): the words about it then say "0", as merge's do
    p = parse_value(raw, inp, lang=lang)
    if not p.ok:
        problems.append(Finding(p.code or "value.not_number", _("{id}: {reason}").format(id=inp.id, reason=p.message), unit=unit, input=inp.id,
                                severity=ERROR))
        return "invalid", None
    if p.code and p.message:
        problems.append(Finding(p.code, _("{id}: {reason}").format(id=inp.id, reason=p.message), unit=unit, input=inp.id, severity=WARNING))
    if p.value is None:
        return "missing", None
    if isinstance(p.value, NoData):
        return "no_data", NO_DATA
    return "ok", p.value


def _combined(inp: Any, by_unit: Mapping[str, Any], lang: str, problems: list[Finding], limit: int) -> tuple[str, Any]:
    """A per-unit input from each unit's value, combined as merge combines them (sum, any, all) over the usable ones."""
    got, no_data = [], 0
    for uid, raw in by_unit.items():
        status, value = _checked(inp, raw, lang, problems, limit, unit=str(uid))
        if status == "ok":
            got.append(value)
        no_data += status == "no_data"
    if not got:
        return ("no_data", NO_DATA) if no_data else ("missing", None)
    if inp.combine == "sum":
        return "ok", float(sum(float(v) for v in got))
    if inp.combine == "any":
        return "ok", any(bool(v) for v in got)
    return "ok", all(bool(v) for v in got)


def sample_values(ctx: Context) -> dict[str, Any]:
    """The sample figures bundled with dti (``data/samples/values_2023.csv``), as the agencies typed them.

    Input id → the text typed; a per-unit input → {unit id → text}. Illustrative figures for
    Cà Mau's 2023 round, not official ones: for trying the API (:func:`score_values`).
    """
    import csv

    from .methodology.catalogue import data_path

    out: dict[str, Any] = {}
    with data_path("samples/values_2023.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            iid = r["input_id"]
            inp = ctx.catalogue.inputs.get(iid)
            if inp is not None and inp.per_unit:
                out.setdefault(iid, {})[r["unit_id"]] = r["value"]
            else:
                out[iid] = r["value"]
    return out


def locate_scores(path: str | Path | None = None, cwd: str | Path | None = None) -> Path:
    """The file a report or a plan reads: ``path``, else ./scores.xlsx, ./scores.json, else ./merged.xlsx; InputFileError if none is there."""
    here = Path(cwd) if cwd else Path.cwd()
    if path is None:
        looked = [here / "scores.xlsx", here / "scores.json", here / "merged.xlsx"]
        found = next((p for p in looked if p.is_file()), None)
        if found is None:
            raise InputFileError(_("No scores found: looked for {files}. Run `dti score` first, or give a scores file or a merged workbook: "
                                   "dti report FILE.").format(files=", ".join(str(p) for p in looked)))
        return found
    p = Path(path)
    if not p.is_file():
        raise InputFileError(_("{path}: file not found. Give a scores file written by `dti score` (or merged.xlsx); "
                               "if there is none yet, run `dti score` first.").format(path=p))
    return p


def find_scores(ctx: Context, path: str | Path | None = None, cwd: str | Path | None = None) -> tuple[Scores, Path | None]:
    """The scores a report or a plan works from, and the merged workbook beside them (for its findings).

    The file given (a scores file, a merged workbook or a filled template, scored now), else
    ./scores.xlsx, ./scores.json, else ./merged.xlsx scored now (:func:`locate_scores`).
    """
    p = locate_scores(path, cwd)
    kind = stamp_kind(p) if p.suffix.lower() in (".xlsx", ".xlsm") else ""
    if kind in ("dti-merged", "dti-template"):
        return score_file(ctx, p), (p if kind == "dti-merged" else None)
    scores = read_scores(p)
    src = Path(str(scores.source.get("path") or ""))
    beside = p.parent / src.name if src.name else p.parent / "merged.xlsx"
    return scores, (beside if beside.is_file() else None)


def report(ctx: Context, scores: str | Path | Scores | None = None, *, compare: int | str | Path | None = None, agency: str | None = None,
           national: str | Path | None = None, history: Sequence[Source] = (), warn: Callable[[str], None] | None = None) -> Report:
    """The report of a round, as ``dti report`` builds it: the total and the pillars against the baseline, the ranked gaps
    with their steps, quick wins, regressions, points at stake per lead agency, the data's problems.

    ``scores``: a scores file, a merged workbook (scored now) or :class:`Scores` (default: found
    here as `dti report` finds it); the merged workbook beside a scores file gives its findings.
    ``compare``: the baseline year (default), the year before it, or an earlier scores file.
    ``agency``: one agency's page. ``national``: the national totals (CSV or xlsx), for a rank.
    ``history``: earlier rounds (scores files, merged workbooks or :class:`Scores`) lined up with the
    baseline's years and this round, by total and pillar. ``warn``: told what the report leaves out
    (a merged workbook beside the scores that cannot be read); by default nothing is said.
    The files the report was made from are ``report.inputs`` (an output must never replace one).
    """
    from .formats.national import read_national
    from .report import build_report

    merged = None
    inputs: list[Path] = []
    if isinstance(scores, Scores):
        sc, source = scores, None
    else:
        source = locate_scores(scores)
        sc, merged_path = find_scores(ctx, source)
        inputs += [source, *([merged_path] if merged_path else [])]
        if merged_path is not None:
            try:
                merged = read_merged(merged_path, ctx.catalogue, only=("findings", "submissions"))
            except InputFileError as e:
                if warn is not None:
                    warn(_("The findings of merging are left out: {error}").format(error=e))
    year = previous = previous_file = None
    if isinstance(compare, int) or (isinstance(compare, str) and compare.strip().isdigit()):
        year = int(compare)
    elif compare is not None:
        previous_file = Path(compare)
        if not previous_file.is_file():
            raise UsageError(_("--compare {value!r}: not a year ({year} or {previous}) and no such file.").format(
                value=str(compare), year=ctx.baseline.year, previous=ctx.baseline.previous_year))
        previous = find_scores(ctx, previous_file)[0]
        inputs.append(previous_file)
    table = None
    if national is not None:
        table = read_national(national, ctx.profile)
        inputs.append(Path(national))
    lined_up = None
    if history:
        label = Path(str(source)).name if source is not None else str(sc.year)
        earlier: list[Source | tuple[str, Scores]] = []
        for h in history:
            if isinstance(h, (Scores, Merged)):
                earlier.append(h)
            else:  # a file: named by its name, as the report names its own scores file
                inputs.append(Path(h))
                earlier.append((Path(h).name, _scores_of(ctx, Path(h))))
        lined_up = _lined_up(ctx, [*earlier, (label, sc)])
    rep = build_report(ctx, sc, compare=year, previous=previous, previous_file=previous_file, agency=agency, national=table,
                       merged=merged, source=source, history=lined_up)
    rep.inputs = inputs
    return rep


def rescorer(ctx: Context, scores: Scores) -> Callable[[Mapping[str, Any]], Scores]:
    """The score stage as a function of every input's value, with these scores' national references.

    What the plan's scenarios and what-if rescore with: the plan never imports the score stage,
    and a changed value is scored exactly as `dti score` scores it (parts, missing inputs,
    references, roll-up to 5.12, 8.8, the pillars and the total). The values the scores hold
    already include the merged workbook's adjustments, so none are applied again.
    """
    from .score import score_values as _score

    refs = dict(scores.references)
    source = {**scores.source, "kind": "plan"}

    def rescore(values: Mapping[str, Any]) -> Scores:
        return _score(ctx, values, refs, source=source)

    return rescore


def _files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Files given, and the .xlsx files of folders given (Excel's lock files left out)."""
    out: list[Path] = []
    for x in paths:
        p = Path(x)
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods") and not f.name.startswith("~$"))
        else:
            out.append(p)
    return out


def plan(ctx: Context, scores: str | Path | Scores | None = None, *, goal: float | None = None, rank: int | None = None,
         national: str | Path | None = None, effort: str | Path | None = None, commitments: Sequence[str | os.PathLike] = (),
         sets: Sequence[str] | Mapping[str, Any] = (), today: date | None = None) -> Plan:
    """The plan for a round: each indicator short of its max in its own units, the scenarios, the route to a goal.

    ``scores``: a scores file, a merged workbook (scored now) or :class:`Scores` (default: found
    here as `dti report` finds it). ``goal``: a total to reach, or ``rank`` with the ``national``
    totals (CSV or xlsx). ``effort``: the effort file. ``commitments``: returned commitment
    workbooks (or folders of them). ``sets``: what-if values, ``["6.12.a=13600"]`` as typed or
    ``{"6.12.a": 13600.0}`` as values.
    """
    from .formats.commitments import read_commitments
    from .formats.effort import read_effort
    from .formats.national import read_national
    from .plan import PlanRequest, build_plan
    from .plan.scenarios import parse_sets

    if isinstance(scores, Scores):
        sc, name = scores, ""
    else:
        sc = find_scores(ctx, scores)[0]
        name = Path(scores).name if scores is not None else Path(str(sc.source.get("path") or "")).name
    changes = dict(sets) if isinstance(sets, Mapping) else parse_sets(ctx, list(sets))
    req = PlanRequest(goal=goal, rank=rank, national=read_national(national, ctx.profile) if national else None,
                      effort=read_effort(ctx, effort) if effort else None,
                      commitments=[read_commitments(ctx, p) for p in _files(commitments)], sets=changes, today=today, source=name)
    return build_plan(ctx, sc, rescorer(ctx, sc), req)


def commitment_templates(ctx: Context, plan: Plan, folder: str | Path, *, force: bool = False, unit: str | None = None) -> list[Path]:
    """One commitment workbook per lead agency of an indicator short of full (or for ``unit`` only), written into ``folder``."""
    from .plan.outputs import write_commitment_templates

    return write_commitment_templates(plan, folder, force=force, unit=unit)


# ---------------------------------------------------------------------------------------------
# Across rounds and years


def export(ctx: Context, *sources: Source, labels: Iterable[str] | None = None, baseline: bool = True) -> Tidy:
    """One long table of the figures and scores of ``sources`` (scores files, merged workbooks, or :class:`Scores` /
    :class:`Merged` objects), after the baseline's published figures unless ``baseline=False``.

    The result has ``to_frame()``, ``to_dict()`` and ``write(path, force=False)`` (.csv, .xlsx,
    .parquet, .json); its columns are :data:`dti_cli.export.COLUMNS`. A merged workbook gives its
    figures, not points: give its scores file (or :func:`score` it) for them.
    """
    from .export import tidy

    return tidy(ctx, list(sources), labels=list(labels) if labels is not None else None, baseline=baseline)


def history(ctx: Context, *sources: Source | tuple[str, Scores], measure: str = "estimated", baseline: bool = True) -> History:
    """Rounds and years side by side (the total, each pillar and indicator, with changes): the baseline's published
    results (the year before it and its year), then each source scored, oldest year first.

    A source is a scores file, a merged workbook or returned template (scored now, as `dti score`
    scores it), a :class:`Scores`, or a (label, Scores) pair. ``measure``: ``estimated`` (default:
    an indicator without its national references carries its baseline score) or ``confirmed``.
    """
    from .export import history as _history

    rounds: list[tuple[str, Scores]] = []
    for src in sources:
        if isinstance(src, tuple):
            rounds.append((str(src[0]), src[1]))
        elif isinstance(src, Scores):
            rounds.append((str(src.year), src))
        elif isinstance(src, Merged):
            rounds.append((src.path or str(src.year), score(ctx, src)))
        else:
            rounds.append((str(src), _scores_of(ctx, Path(src))))
    return _history(ctx, rounds, measure=measure, baseline=baseline)


def _lined_up(ctx: Context, sources: Sequence[Source | tuple[str, Scores]]) -> dict[str, Any]:
    """The history of these rounds as the report keeps it (its JSON form)."""
    return history(ctx, *sources).to_dict()


def _scores_of(ctx: Context, p: Path) -> Scores:
    """A scores file read, or a merged workbook or returned template scored now."""
    if not p.is_file():
        raise InputFileError(_("{path}: file not found.").format(path=p))
    kind = stamp_kind(p) if p.suffix.lower() in (".xlsx", ".xlsm") else ""
    if kind in ("dti-merged", "dti-template"):
        return score_file(ctx, p)
    return read_scores(p)


def read_export(path: str | Path) -> Any:
    """An export written by :func:`export` (or ``dti export``) back as a typed pandas DataFrame."""
    from .export import read_export as _read

    return _read(path)
