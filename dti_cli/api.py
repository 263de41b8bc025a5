"""The library a person calls from Python (``import dti_cli as dti``), and the CLI calls too.

Each function here runs one stage, or chains stages where a user expects them chained (scoring
an agency's own returned template is a merge of that one file, then a score). Stages never
import each other: they meet here, and through their file formats.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.errors import InputFileError
from .core.findings import Finding
from .core.i18n import _
from .formats.merged import Merged, read_merged
from .formats.scores import Scores
from .formats.stamp import stamp_kind
from .methodology.context import Context, load_context

if TYPE_CHECKING:
    from .plan import Plan

__all__ = ["commitment_templates", "load_context", "merge", "plan", "read_merged", "rescorer", "score", "score_file"]


def merge(ctx: Context, paths: Iterable[str | os.PathLike], *, year: int | None = None, workers: int | None = None) -> Any:
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


def score(ctx: Context, merged: Merged, references: str | Path | None = None) -> Scores:
    """Score a merged workbook (as read by :func:`read_merged`)."""
    from .score import score_merged

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


def score_values(ctx: Context, values: Mapping[str, Any], *, references: Mapping[tuple[str, str], float] | None = None) -> Scores:
    """Score input values typed as officials type them ("Có", "1.234,5", "85 %", "Không có số liệu"), checked as merge checks them."""
    from .score import score_values as _score
    from .values import parse_value

    cat = ctx.catalogue
    typed: dict[str, Any] = {}
    problems: list[Finding] = []
    for iid, raw in values.items():
        inp = cat.inputs.get(iid)
        if inp is None:
            problems.append(Finding("score.adjustment_unknown_input", _("There is no input {id!r}; its value is not used.").format(id=iid), input=iid))
            continue
        p = parse_value(raw, inp)
        if not p.ok:
            problems.append(Finding(p.code or "value.not_number", f"{iid}: {p.message}", input=iid))
            continue
        if p.code and p.message:
            problems.append(Finding(p.code, f"{iid}: {p.message}", input=iid))
        if p.value is not None:
            typed[iid] = p.value
    return _score(ctx, typed, references, problems=problems, source={"kind": "values"})


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
    from .formats.scores import read_scores

    p = locate_scores(path, cwd)
    kind = stamp_kind(p) if p.suffix.lower() in (".xlsx", ".xlsm") else ""
    if kind in ("dti-merged", "dti-template"):
        return score_file(ctx, p), (p if kind == "dti-merged" else None)
    scores = read_scores(p)
    src = Path(str(scores.source.get("path") or ""))
    beside = p.parent / src.name if src.name else p.parent / "merged.xlsx"
    return scores, (beside if beside.is_file() else None)


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
