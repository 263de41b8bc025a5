"""Merge: check the returned workbooks again and consolidate them into one merged workbook.

:func:`run_merge` reads every file (:mod:`.read`, in worker processes for a large round) and
consolidates (:mod:`.consolidate`); :func:`write_merged_workbook` writes the result in the
merged workbook's format (:mod:`dti_cli.formats.merged`); :func:`to_merged` gives scoring the
same data without writing it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..core.findings import Finding
from ..core.gcpause import paused_gc
from ..core.safety import atomic_output
from ..formats import merged as fmt
from ..methodology.context import Context
from .collect import Skipped, collect_paths
from .consolidate import MergeResult, consolidate, submission_rows
from .feedback import write_feedback
from .status import round_status
from .submission import Submission, expect_from
from .workers import read_submissions

__all__ = ["MergeResult", "Skipped", "Submission", "collect_paths", "round_status", "run_merge", "sheets_of", "to_merged",
           "write_feedback", "write_merged_workbook"]


def run_merge(ctx: Context, paths: list[Path], *, year: int | None = None, on_file: Callable[[Submission], None] | None = None,
              workers: int | None = None, skipped: list[Skipped] | None = None) -> MergeResult:
    """Read and check every file, then consolidate (nothing is written)."""
    ex = expect_from(ctx, year)
    with paused_gc():  # thousands of submissions unpickled, every one kept: a collection would free nothing
        subs = read_submissions(paths, ex, on_file=on_file, workers=workers)
        return consolidate(ctx, subs, year=ex.year, skipped=skipped)


def sheets_of(result: MergeResult) -> dict[str, list[Any]]:
    return {
        "data": result.data,
        "units": result.units,
        "submissions": submission_rows(result),
        "findings": result.findings,
        "adjustments": [],
        "references": result.references,
    }


def to_merged(result: MergeResult, ctx: Context, path: str = "", **stamp: str) -> fmt.Merged:
    """The merge result as scoring reads a merged workbook, without writing one."""
    sheets: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for name, rows in sheets_of(result).items():
        sheets[name] = [(n, dict(zip(fmt.FINDING_COLUMNS, r.to_row(), strict=True)) if isinstance(r, Finding) else dict(r))
                        for n, r in enumerate(rows, 2)]
    m = fmt.from_rows(path, {**result.stamp, **stamp}, {k: v for k, v in sheets.items() if k != "data"}, ctx.catalogue)
    # the data rows are already typed: no round trip through the sheet's words
    for r in result.data:
        m.statuses[r["input_id"]] = r["status"]
        m.provenance[r["input_id"]] = {k: r.get(k) for k in ("source_agency", "source_file", "sheet", "cell", "evidence", "note", "sha256")}
        if r["status"] in ("ok", "no_data"):
            v = fmt.decode_value(r["value"], r["status"], ctx.catalogue.inputs[r["input_id"]].type)
            if v is None:
                m.statuses[r["input_id"]] = "missing"
            else:
                m.values[r["input_id"]] = v
    m.findings = list(result.findings)
    return m


def write_merged_workbook(result: MergeResult, out: str | os.PathLike, *, ctx: Context, force: bool = False,
                          inputs: Iterable[str | os.PathLike] = (), banner: str | None = None) -> tuple[Path, list[Finding]]:
    """Write the merged workbook; returns its path and a finding for every text the writer had to cut."""
    with atomic_output(out, force=force, inputs=inputs) as tmp, paused_gc():
        cut = fmt.write_merged(tmp, sheets_of(result), result.stamp, province=ctx.profile.name_full, year=result.year, banner=banner)
    return Path(out), cut
