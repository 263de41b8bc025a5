"""The demo round (``dti demo``: real templates filled with the bundled sample figures, merged, scored),
written once per test session, for the API and export tests.

    from demo_round import demo_round
    d = demo_round(ctx)       # d / "merged.xlsx", d / "scores.xlsx", references(d), returned(d), the report and the plan
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

_CACHE: dict[tuple[str, str], Path] = {}


def demo_round(ctx: Any) -> Path:
    """The folder ``dti demo`` wrote for ``ctx`` (in Vietnamese, the tests' language; its file names are the same in every language)."""
    key = (ctx.catalogue.sha256, ctx.profile.id)
    if key not in _CACHE:
        from dti_cli.core import i18n
        from dti_cli.demo import run_demo

        folder = Path(tempfile.mkdtemp(prefix="dti-demo-")) / "round"
        with i18n.using("vi"):
            run_demo(ctx, folder)
        _CACHE[key] = folder
    return _CACHE[key]


def references(folder: Path) -> Path:
    """The demo's national reference values (illustrative)."""
    return folder / "tham-chieu.csv"


def returned(folder: Path) -> Path:
    """The folder of the workbooks the agencies returned."""
    return folder / "2-phieu-nhan-ve"
