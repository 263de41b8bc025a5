"""Scoring: every rule of the methodology applied to the merged data, rolled up to the total.

:func:`score_values` scores a mapping of checked input values; :func:`score_merged` a merged
workbook (with its adjustments and references). Both return :class:`~dti_cli.formats.scores.Scores`.
"""

from .evaluate import Outcome, evaluate, score_values
from .merged import score_merged

__all__ = ["Outcome", "evaluate", "score_merged", "score_values"]
