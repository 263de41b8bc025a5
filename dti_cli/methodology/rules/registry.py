"""The registry of scoring rule kinds: each kind registers its class once; everything else asks here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core.i18n import _
from .base import Problems, Rule

KINDS: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: make a rule kind known to catalogues (its ``kind`` is the descriptor's)."""
    if not cls.kind:
        raise ValueError(f"{cls.__name__} has no kind")
    old = KINDS.get(cls.kind)
    if old is not None and old.__qualname__ != cls.__qualname__:
        raise ValueError(f"rule kind {cls.kind!r} is already registered by {old.__qualname__}")
    KINDS[cls.kind] = cls
    return cls


def kind(name: str) -> type[Rule]:
    """The class of a registered kind (KeyError with the known kinds otherwise)."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown rule kind {name!r}; known: {', '.join(KINDS)}") from None


def parse_rule(d: Any, where: str, p: Problems, *, top: bool = True) -> Rule:
    """A rule from its catalogue descriptor ``{kind = "threshold", ...}``; problems go to ``p``."""
    from .sum_children import SumChildren

    if not isinstance(d, Mapping):
        p.add(where, "rule", _("missing, or not a table"))
        return SumChildren()
    name = d.get("kind")
    cls = KINDS.get(name) if isinstance(name, str) else None
    if cls is None:
        p.add(where, "rule.kind", _("unknown kind {kind!r}; expected one of {kinds}").format(kind=name, kinds=", ".join(KINDS)))
        return SumChildren()
    if not top and not cls.can_be_part:
        p.add(where, "rule.parts", _("a part cannot be of the kind {kind!r}").format(kind=name))
    return cls.parse(d, where, p, top=top)
