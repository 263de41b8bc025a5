"""The sample round as the plan reads it: the packaged sample values, parsed as officials typed them
and summed over the units that report a per-unit input, scored by the score stage with the sample
references, and written as a scores file (until the demo is rebuilt, this is the plan's round)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "dti_cli" / "data" / "samples"


@pytest.fixture(autouse=True)
def vietnamese():
    """Every test starts in the default language (a CLI test with --lang en sets the process's)."""
    from dti_cli.core.i18n import set_language

    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture(scope="session")
def plan_ctx():
    from dti_cli.methodology.context import load_context

    return load_context()


@pytest.fixture(scope="session")
def sample_values(plan_ctx):
    """Input id → the value the province reports (per-unit figures summed)."""
    from dti_cli.values import parse_value

    cat = plan_ctx.catalogue
    out: dict = {}
    with (SAMPLES / "values_2023.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            inp = cat.inputs[row["input_id"]]
            p = parse_value(row["value"], inp)
            assert p.ok, row
            if inp.per_unit and isinstance(p.value, float):
                out[inp.id] = out.get(inp.id, 0.0) + p.value
            else:
                out[inp.id] = p.value
    return out


@pytest.fixture(scope="session")
def sample_refs(plan_ctx):
    from dti_cli.formats.references import read_references

    refs, problems = read_references(plan_ctx.catalogue, SAMPLES / "references_2023.csv")
    assert not problems
    return refs


@pytest.fixture(scope="session")
def sample_scores(plan_ctx, sample_values, sample_refs):
    from dti_cli.score import score_values

    return score_values(plan_ctx, sample_values, sample_refs, source={"kind": "sample", "path": "scores.xlsx"})


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory, plan_ctx, sample_scores):
    """A folder with the sample round's scores.xlsx (as `dti score` writes it) and scores.json."""
    from dti_cli.formats.scores import write_scores

    d = tmp_path_factory.mktemp("round")
    write_scores(sample_scores, d / "scores.xlsx", province=plan_ctx.profile.name_full,
                 names={u.id: u.name for u in plan_ctx.profile.units})
    write_scores(sample_scores, d / "scores.json")
    return d


@pytest.fixture(scope="session")
def rescore(plan_ctx, sample_scores):
    from dti_cli.api import rescorer

    return rescorer(plan_ctx, sample_scores)


@pytest.fixture(scope="session")
def sample_plan(plan_ctx, sample_scores, rescore):
    """The plan of the sample round with no goal, effort or commitment: per indicator and the scenarios."""
    from datetime import date

    from dti_cli.plan import PlanRequest, build_plan

    return build_plan(plan_ctx, sample_scores, rescore, PlanRequest(today=date(2023, 9, 1)))
