"""Scoring a merged workbook: its values, adjustments and references (``--references`` overrides the sheet)."""

from __future__ import annotations

from pathlib import Path

from ..core.findings import Finding
from ..core.i18n import _
from ..formats.merged import Merged
from ..formats.references import parse_references, read_references
from ..formats.scores import Scores
from ..formats.tables import Row
from ..methodology.context import Context
from .evaluate import score_values


def score_merged(ctx: Context, m: Merged, references_path: str | Path | None = None) -> Scores:
    """Score a merged workbook (read with formats.merged.read_merged, or a merge result held in memory)."""
    cat = ctx.catalogue
    sheet = m.stamp.get("sheet.references") or _("References")
    rows = [Row(int(r.get("row") or 0), r, f"{sheet}!C{r.get('row')}") for r in m.references]
    refs, problems = parse_references(cat, rows, Path(m.path).name)
    problems = [*m.problems, *problems]
    source = {"path": m.path, "kind": m.stamp.get("source_kind", "merged"), "province": m.stamp.get("province_id", ""),
              "year": m.stamp.get("year", "")}
    if m.stamp.get("unit_id"):
        source.update(unit_id=m.stamp["unit_id"], unit=m.stamp.get("unit_name", ""))
    if m.stamp.get("catalogue_sha256") and m.stamp["catalogue_sha256"] != cat.sha256:
        problems.append(Finding("score.catalogue_mismatch", _(
            "{file}: merged with the methodology {found}, not the one in use ({version}); check --catalogue.").format(
            file=Path(m.path).name, found=m.stamp.get("catalogue_version", "?"), version=cat.version)))
    if references_path is not None:
        extra, rproblems = read_references(cat, references_path)
        refs.update(extra)
        problems += rproblems
        source["references"] = str(references_path)
    return score_values(ctx, m.values, refs, m.adjustments, statuses=m.statuses, problems=problems, source=source,
                        provenance=m.provenance)
