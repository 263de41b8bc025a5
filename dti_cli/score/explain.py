"""One indicator explained: its score, the rule in words, each input with where it came from."""

from __future__ import annotations

from typing import Any

from ..formats.scores import Scores
from ..methodology.context import Context


def explain_dict(ctx: Context, scores: Scores, code: str) -> dict[str, Any]:
    """The JSON of ``dti score --explain CODE``."""
    from ..core import i18n

    ind = ctx.catalogue.get(code)
    s = scores.indicators[ind.code]
    d = s.to_dict()
    with i18n.using("vi"):
        d["rule_vi"] = ind.rule.words(ind, ind.max_points)
    with i18n.using("en"):
        d["rule_en"] = ind.rule.words(ind, ind.max_points)
    d["rule"] = ind.rule.words(ind, ind.max_points)
    d["rule_kind"] = ind.rule.kind
    d["method_vi"] = ind.method_vi
    d["note"] = ind.note(i18n.language())
    d["lead_names"] = [ctx.profile.name_of(u) for u in ind.lead]
    labels = {i.id: i.label(i18n.language()) for i in ind.inputs}
    for item in d["inputs"]:
        item["label"] = labels.get(item["id"], "")
        item["source"] = {k: _text(v) for k, v in scores.provenance.get(item["id"], {}).items() if v not in (None, "")}
    d["adjustments"] = [a for a in scores.adjustments if a["indicator"] == ind.code]
    d["references"] = {k: v for (i, k), v in scores.references.items() if i == ind.code}
    d["children"] = [{"code": k.code, "points": scores.indicators[k.code].points, "max_points": k.max_points,
                      "status": scores.indicators[k.code].status} for k in ctx.catalogue.children(ind.code)]
    return d


def _text(v: Any) -> str:
    if v is None:
        return ""
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)
