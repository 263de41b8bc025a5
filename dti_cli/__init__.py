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
``dti --help`` never loads the library's heavier parts.

Five stages are packages named as the function that runs them: ``dti_cli.merge``,
``dti_cli.score``, ``dti_cli.report``, ``dti_cli.plan``, ``dti_cli.export``. Python binds a package's subpackage to
its name on the package once it is imported, so ``dti.merge`` cannot stay a plain function (it
would become the package after the first merge, and calling it would fail). It is the stage's
package, made callable: ``dti.merge(ctx, paths)`` runs :func:`dti_cli.api.merge` (its signature
too), and ``dti.merge.run_merge`` is the stage's own, as ``from dti_cli import merge`` gives it
to the code that reaches into the stage. Its help is the function's: ``help(dti_cli.api.merge)``.
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
    "report": "dti_cli.api",
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


#: API functions named as the stage package that runs them (the package, made callable, is the name).
_STAGES = frozenset({"merge", "score", "report", "plan", "export"})


def __getattr__(name: str) -> object:
    import importlib

    if name in _STAGES:
        return importlib.import_module(f"{__name__}.{name}")  # binding it on the package makes it callable (_Package)
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})


class _Stage(types.ModuleType):
    """A stage package that runs as its API function when called: ``dti.merge(ctx, paths)`` is ``dti_cli.api.merge(ctx, paths)``."""

    def _function(self) -> object:
        from dti_cli import api

        return getattr(api, self.__name__.rpartition(".")[2])

    def __call__(self, *args: object, **kwargs: object) -> object:
        return self._function()(*args, **kwargs)  # type: ignore[operator]

    @property
    def __signature__(self) -> object:
        import inspect

        return inspect.signature(self._function())  # type: ignore[arg-type]


class _Package(types.ModuleType):
    """When Python binds a stage package to its name on the package, the stage becomes callable (:class:`_Stage`)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _STAGES and type(value) is types.ModuleType:
            value.__class__ = _Stage
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
