"""Which profile, catalogue and baseline a run works with: the :class:`Context` every stage takes.

By default the packaged Cà Mau profile, which names its catalogue (the round's methodology)
and its baseline (the last published result). Another province or year: ``--profile FILE`` (or
``DTI_PROFILE``); the profile's catalogue and baseline files are found next to it or, failing
that, inside the package. ``--catalogue`` (``DTI_CATALOGUE``) and ``DTI_BASELINE`` override one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .baseline import Baseline, load_baseline
from .catalogue import data_path, load_catalogue
from .model import Catalogue
from .profile import Profile, load_profile


@dataclass(frozen=True)
class Context:
    """The methodology a run applies: the province's profile, the round's catalogue, the baseline."""

    profile: Profile
    catalogue: Catalogue
    baseline: Baseline

    @property
    def year(self) -> int:
        """The year of the round (the catalogue's)."""
        return self.catalogue.year


def _beside(profile: Profile, name: str) -> Path:
    p = Path(name)
    if p.is_absolute():
        return p
    local = Path(profile.path).parent / p
    return local if local.exists() else data_path(name)


def load_context(profile: str | Path | None = None, catalogue: str | Path | None = None, baseline: str | Path | None = None) -> Context:
    """Load and validate the three data files (each error names its file, indicator and field)."""
    prof = load_profile(profile)
    cat_path = catalogue or os.environ.get("DTI_CATALOGUE") or _beside(prof, prof.catalogue_file)
    base_path = baseline or os.environ.get("DTI_BASELINE") or _beside(prof, prof.baseline_file)
    return Context(prof, load_catalogue(cat_path), load_baseline(base_path))
