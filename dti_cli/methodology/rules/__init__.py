"""Scoring rule kinds: one class per kind, registered once (see :mod:`.base` for what a kind owns)."""

from .base import EPS, NeedsReference, Problems, Rule, Values, clamp01
from .registry import KINDS, kind, parse_rule, register

# The built-in kinds register themselves on import.
from . import (  # noqa: E402, F401  isort: skip
    yes_no, choice, counted_tiers, parts, ratio, threshold, all_or_nothing, stepped, per_item, minmax, share_of_best, sum_children,
)

__all__ = ["EPS", "KINDS", "NeedsReference", "Problems", "Rule", "Values", "clamp01", "kind", "parse_rule", "register"]
