"""The province profile: the province, its agencies and district-level units, and agency lookup.

Officials type agency names many ways ("Sở LĐ-TB& XH", "so ld tb xh", "STC"): lookup accepts the
canonical name, an alias or the short form, in any case, with or without diacritics, NFC or NFD.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import DataFileError, UnknownNameError
from ..core.i18n import N_, _
from ..core.text import clean, fold
from .catalogue import REQUIRED, REQUIRED_TEXT, data_path, read_toml
from .rules import Problems

AGENCY_KINDS = ("department", "unit", "central", "enterprise", "group")
UNIT = N_("unit {id}")
_SPLIT = re.compile(r";|\.\s+|\s+và\s+|,\s+(?=UBND\b)")


@dataclass(frozen=True)
class Unit:
    """An agency or a district-level unit: anything that can be sent a workbook."""

    id: str
    name: str
    short: str
    kind: str  # one of AGENCY_KINDS, or "district"
    aliases: tuple[str, ...] = ()
    members: str | None = None

    @property
    def is_group(self) -> bool:
        return self.kind == "group"

    def names(self) -> list[str]:
        return [self.name, self.short, *self.aliases]


@dataclass
class Profile:
    path: str
    id: str
    name: str
    name_full: str
    year: int
    catalogue_file: str
    baseline_file: str
    focal_point: dict[str, str]
    agencies: list[Unit]
    districts: list[Unit]
    _index: dict[str, Unit] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._index:  # load_profile passes the index it built while checking the names
            for u in self.units:
                for n in u.names():
                    self._index.setdefault(fold(n), u)

    @property
    def units(self) -> list[Unit]:
        return [*self.agencies, *self.districts]

    def by_id(self, uid: str) -> Unit:
        u = self._ids.get(uid)
        if u is not None:
            return u
        raise UnknownNameError("unit id", uid, difflib.get_close_matches(uid, [u.id for u in self.units], n=3))

    @functools.cached_property
    def _ids(self) -> dict[str, Unit]:
        return {u.id: u for u in self.units}

    def name_of(self, uid: str) -> str:
        """A unit's name from its id (the id itself when the profile does not know it)."""
        u = self._ids.get(uid)
        return u.name if u else uid

    def short_of(self, uid: str) -> str:
        """A unit's short name ("Sở TT&TT") for narrow displays."""
        u = self._ids.get(uid)
        return u.short if u else uid

    def expand(self, uid: str) -> set[str]:
        """The ids a unit stands for: itself, and every member of a group."""
        u = self._ids.get(uid)
        out = {uid}
        if u is not None and u.is_group and u.members:
            out |= {m.id for m in self.members(u.members)}
        return out

    def by_name(self, name: str) -> Unit:
        for u in self.units:
            if u.name == name:
                return u
        return self.resolve(name)

    def resolve(self, name: str) -> Unit:
        """The agency or unit a typed name means; UnknownNameError with the closest names otherwise."""
        key = fold(name)
        if key in self._index:
            return self._index[key]
        for u in self.units:  # a unique id typed as is
            if u.id == clean(name).lower():
                return u
        keys = list(self._index)
        close = difflib.get_close_matches(key, keys, n=6, cutoff=0.6)
        # Also suggest names that contain every word typed ("tai chinh" → "Sở Tài chính").
        words = key.split()
        if words:
            close += [k for k in keys if all(w in k.split() for w in words)]
        suggestions = list(dict.fromkeys(self._index[k].name for k in close))[:3]
        raise UnknownNameError("agency", clean(name), suggestions)

    def resolve_many(self, text: str) -> list[Unit]:
        """Resolve a lead or coordinator cell that may name several bodies ("A; B", "A. B", "A và B")."""
        text = clean(text).rstrip(".")
        try:
            return [self.resolve(text)]
        except UnknownNameError:
            pass
        parts = [x.strip(" .;,") for x in _SPLIT.split(text) if x.strip(" .;,")]
        return list(dict.fromkeys(self.resolve(x) for x in parts))

    def members(self, group: str) -> list[Unit]:
        """The bodies behind a unit group: 'departments' (agencies of kind department) or 'districts'."""
        if group == "departments":
            return [a for a in self.agencies if a.kind == "department"]
        if group == "districts":
            return list(self.districts)
        raise UnknownNameError("unit group", group, ["departments", "districts"])


def _unit(d: Any, kind: str | None, where: str, p: Problems) -> Unit | None:
    if not isinstance(d, dict):
        p.add(where, "entry", _("must be a table"))
        return None
    for f in ("id", "name"):
        if not isinstance(d.get(f), str) or not d.get(f):
            p.add(where, f, _(REQUIRED_TEXT))
            return None
    k = kind or d.get("kind")
    if k not in (*AGENCY_KINDS, "district"):
        p.add(f"{where} {d['id']}", "kind", _("must be one of {values}").format(values=", ".join(AGENCY_KINDS)))
    if k == "group" and d.get("members") not in ("departments", "districts"):
        p.add(f"{where} {d['id']}", "members", _("a group needs members = 'departments' or 'districts'"))
    return Unit(d["id"], clean(d["name"]), clean(d.get("short", d["name"])), k or "unit", tuple(clean(a) for a in d.get("aliases", [])), d.get("members"))


def default_profile_path() -> Path:
    env = os.environ.get("DTI_PROFILE")
    return Path(env) if env else data_path("profile_camau.toml")


def load_profile(path: str | Path | None = None) -> Profile:
    """Read and validate a province profile (DTI_PROFILE, else the packaged Cà Mau profile)."""
    path = Path(path) if path else default_profile_path()
    doc, _raw = read_toml(path)
    p = Problems()
    prov = doc.get("province", {})
    for f in ("id", "name", "catalogue", "baseline"):
        if not prov.get(f):
            p.add("[province]", f, _(REQUIRED))
    if not isinstance(prov.get("year"), int):
        p.add("[province]", "year", _("required: the year of the round (a whole number)"))
    agencies = [u for i, d in enumerate(doc.get("agency", [])) if (u := _unit(d, None, _("agency #{n}").format(n=i + 1), p))]
    districts = [u for i, d in enumerate(doc.get("district", [])) if (u := _unit(d, "district", _("district #{n}").format(n=i + 1), p))]
    counts = Counter(u.id for u in agencies + districts)
    for dup in sorted({x for x, n in counts.items() if n > 1}):
        p.add(_(UNIT).format(id=dup), "id", _("duplicate unit id"))
    seen: dict[str, str] = {}
    index: dict[str, Unit] = {}
    for u in agencies + districts:
        for n in u.names():
            k = fold(n)
            if k in seen and seen[k] != u.id:
                p.add(_(UNIT).format(id=u.id), "aliases", _("{name!r} also names {other!r}").format(name=n, other=seen[k]))
            seen.setdefault(k, u.id)
            index.setdefault(k, u)
    focal = doc.get("focal_point", {})
    if p.items:
        raise DataFileError(str(path), p.items)
    return Profile(
        path=str(path),
        id=prov["id"],
        name=prov["name"],
        name_full=prov.get("name_full", prov["name"]),
        year=int(prov["year"]),
        catalogue_file=prov["catalogue"],
        baseline_file=prov["baseline"],
        focal_point={k: str(v) for k, v in focal.items()},
        agencies=agencies,
        districts=districts,
        _index=index,
    )
