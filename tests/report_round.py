"""A scored round for the report's tests, built as a user would: the sample figures of the package scored with the API.

``dti demo`` (being rebuilt) will write such a round to disk; until then the tests take the bundled
sample figures (``dti_cli/data/samples/values_2023.csv``), combine the per-unit figures as merge
does (a sum of counts; "all" or "any" of yes/no answers), and score them with
``dti_cli.api.score_values`` with the bundled national references.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from dti_cli import api
from dti_cli.formats.scores import Scores, write_scores
from dti_cli.values import parse_value

SAMPLES = Path(api.__file__).resolve().parent / "data" / "samples"


def sample_values(ctx) -> dict[str, Any]:
    """Input id → the value as typed in the samples; per-unit figures combined across the units."""
    cat = ctx.catalogue
    out: dict[str, Any] = {}
    per_unit: dict[str, list[Any]] = {}
    with open(SAMPLES / "values_2023.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            inp = cat.inputs[r["input_id"]]
            if inp.per_unit:
                v = parse_value(r["value"], inp).value
                if v is not None:
                    per_unit.setdefault(inp.id, []).append(v)
            elif r["value"].strip():
                out[inp.id] = r["value"]
    for iid, vals in per_unit.items():
        inp = cat.inputs[iid]
        out[iid] = all(vals) if inp.combine == "all" else any(vals) if inp.combine == "any" else sum(vals)
    return out


def sample_references() -> dict[tuple[str, str], float]:
    with open(SAMPLES / "references_2023.csv", encoding="utf-8", newline="") as f:
        return {(r["indicator"], r["key"]): float(r["value"]) for r in csv.DictReader(f)}


def sample_scores(ctx, edits: Mapping[str, Any] | None = None, *, references: bool = True, drop: tuple[str, ...] = (),
                  source: Mapping[str, Any] | None = None) -> Scores:
    """The sample round scored; ``edits`` replace values (as typed), ``drop`` removes inputs (not received)."""
    values = {**sample_values(ctx), **(edits or {})}
    for iid in drop:
        values.pop(iid, None)
    scores = api.score_values(ctx, values, references=sample_references() if references else None)
    scores.source = dict(source or {"kind": "values"})
    return scores


def write_round(scores: Scores, folder: Path, name: str = "scores.xlsx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    write_scores(scores, path, province="Tỉnh Cà Mau")
    return path


@pytest.fixture(autouse=True)
def speak_vi():
    """Each test starts in Vietnamese, as each run of dti does (the CLI runner keeps one process, and --lang sets it for the rest)."""
    from dti_cli.commands.base import set_language

    set_language("vi")
    yield
    set_language("vi")
