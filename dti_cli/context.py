"""Which profile, catalogue and baseline a command works with.

By default the packaged Cà Mau profile, the 2023 catalogue and the 2022 baseline. Another
province or year: ``--profile FILE`` (or DTI_PROFILE); the profile names its catalogue and
baseline files, found next to the profile or, failing that, inside the package. ``--catalogue``
(or DTI_CATALOGUE) overrides the catalogue alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Baseline, Catalogue, data_path, load_baseline, load_catalogue
from .profile import Profile, load_profile


@dataclass
class Context:
    profile: Profile
    catalogue: Catalogue
    baseline: Baseline


def _beside(profile: Profile, name: str) -> Path:
    p = Path(name)
    if p.is_absolute():
        return p
    local = Path(profile.path).parent / p
    return local if local.exists() else data_path(name)


def load_context(profile: str | Path | None = None, catalogue: str | Path | None = None, baseline: str | Path | None = None) -> Context:
    prof = load_profile(profile)
    cat_path = catalogue or os.environ.get("DTI_CATALOGUE") or _beside(prof, prof.catalogue_file)
    base_path = baseline or os.environ.get("DTI_BASELINE") or _beside(prof, prof.baseline_file)
    return Context(prof, load_catalogue(cat_path), load_baseline(base_path))
