"""Who supplies which input: the lead agency of each indicator, and every unit of a group for
per-unit inputs. The template stage sends these; merge accepts a figure only from the unit
assigned it (what a unit may supply comes from here, never from a returned file).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.errors import UsageError
from ..core.i18n import _
from .context import Context
from .model import Input
from .profile import Unit


@dataclass
class Assignment:
    """What one workbook asks of one agency or district-level unit."""

    unit: Unit
    inputs: list[Input] = field(default_factory=list)

    @property
    def indicators(self) -> list[str]:
        return list(dict.fromkeys(i.indicator for i in self.inputs))

    @property
    def unit_kind(self) -> str:
        return "district" if self.unit.kind == "district" else "agency"


def assignments(ctx: Context) -> list[Assignment]:
    """Every workbook to send, in profile order: lead agencies' own inputs, and per-unit inputs per unit.

    An indicator with several leads goes to its first lead. An input reported per unit
    (``per_unit = ["departments", "districts"]``) goes to every member of those groups and to no
    lead. Units with nothing to report get no workbook.
    """
    prof, cat = ctx.profile, ctx.catalogue
    wanted: dict[str, list[Input]] = {u.id: [] for u in prof.units}
    for ind in cat.leaves():
        for inp in ind.inputs:
            if inp.per_unit:
                members = {u.id for g in inp.per_unit for u in prof.members(g)}
                for u in prof.units:
                    if u.id in members:
                        wanted[u.id].append(inp)
            elif ind.lead:
                wanted[prof.by_id(ind.lead[0]).id].append(inp)
    return [Assignment(u, wanted[u.id]) for u in prof.units if wanted[u.id]]


def expected_inputs(ctx: Context) -> dict[str, list[str]]:
    """Unit id → the input ids it is asked for."""
    return {a.unit.id: [i.id for i in a.inputs] for a in assignments(ctx)}


def assignments_for(ctx: Context, name: str) -> list[Assignment]:
    """The workbook(s) for one agency name as typed; a group (e.g. 'UBND các huyện') means its members."""
    unit = ctx.profile.resolve(name)
    every = {a.unit.id: a for a in assignments(ctx)}
    ids = ctx.profile.expand(unit.id)
    found = [a for uid, a in every.items() if uid in ids]
    if not found:
        raise UsageError(_("'{unit}' leads no indicator that needs figures collected, so it gets no workbook. "
                           "See the list with: dti catalog agencies").format(unit=unit.name))
    return found
