"""dti: the provincial Digital Transformation Index (DTI) of Vietnam, from data collection to report.

``import dti_cli as dti`` gives the library the CLI runs on (docs/API.md)::

    ctx = dti.load_context()                          # profile, catalogue, baseline
    round_ = dti.merge(ctx, ["nhan-ve/"])             # returned workbooks → a merge result
    scores = dti.score(ctx, round_)                   # or dti.score_file(ctx, "merged.xlsx")
    scores = dti.score_values(ctx, {"1.2.a": "Có"})   # values as officials type them
    scores.to_frame()                                 # pandas, typed columns
    dti.export(ctx, "scores.xlsx").write("dti.csv")   # one long table across rounds and years
    dti.history(ctx, "2023/scores.xlsx", "2024/scores.xlsx")

The names are loaded on first use (:pep:`562`): ``import dti_cli`` costs what it did, and
``dti --help`` never loads the library's heavier parts. Some stages are packages of the same
name as the function that runs them (``dti_cli.merge``, ``dti_cli.score``, ``dti_cli.plan``, ``dti_cli.export``):
on the package, the name is always the function, whichever was imported first; the stage's
modules are reached by their full name (``from dti_cli.merge import run_merge``).
"""

from __future__ import annotations

import sys
import types

__version__ = "0.1.0"

#: The API: name → the module that defines it.
_API = {
    "Context": "dti_cli.api",
    "Merged": "dti_cli.api",
    "NO_DATA": "dti_cli.api",
    "Scores": "dti_cli.api",
    "commitment_templates": "dti_cli.api",
    "export": "dti_cli.api",
    "find_scores": "dti_cli.api",
    "history": "dti_cli.api",
    "load_context": "dti_cli.api",
    "merge": "dti_cli.api",
    "merged_of_template": "dti_cli.api",
    "plan": "dti_cli.api",
    "read_export": "dti_cli.api",
    "read_merged": "dti_cli.api",
    "read_scores": "dti_cli.api",
    "rescorer": "dti_cli.api",
    "sample_values": "dti_cli.api",
    "score": "dti_cli.api",
    "score_file": "dti_cli.api",
    "score_values": "dti_cli.api",
    "Finding": "dti_cli.core.findings",
    "findings_frame": "dti_cli.core.findings",
    "DtiError": "dti_cli.core.errors",
}

__all__ = ["__version__", *sorted(_API)]


def __getattr__(name: str) -> object:
    if name in _API:
        import importlib

        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})


class _Package(types.ModuleType):
    """The package keeps an API name when a stage package of that name is imported (Python would bind the module)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _API and isinstance(value, types.ModuleType):
            return  # the stage stays in sys.modules under its full name
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
