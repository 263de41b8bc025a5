"""The demo round scored against a table computed by hand from the seed's words, not by dti.

``tests/data/expected_demo_2023.csv`` has one row per scored leaf indicator: the inputs the
merge keeps from ``dti_cli/data/samples/values_2023.csv``, the score as plain arithmetic written
from the seed's "Cách xác định và tính điểm" column, and its value. The table checks itself (each
expression evaluates to its points), then `dti demo` and `dti score --format json` are run as a
user runs them and every indicator, pillar and the total must agree with it.
"""

from __future__ import annotations

import ast
import csv
import json
import operator
from pathlib import Path

import pytest

TABLE = Path(__file__).resolve().parent / "data" / "expected_demo_2023.csv"
COLUMNS = ["code", "kind", "inputs", "arithmetic", "points", "status", "note"]

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_CALLS = {"min": min, "max": max}


def arithmetic(text: str) -> float:
    """The value of a plain expression: numbers, + - * /, unary -, parentheses, min(...), max(...); nothing else."""

    def value(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CALLS
                and node.args and not node.keywords):
            return _CALLS[node.func.id](*(value(a) for a in node.args))
        raise ValueError(f"not plain arithmetic: {ast.unparse(node)!r} in {text!r}")

    return value(ast.parse(text, mode="eval").body)


def load_table() -> list[dict[str, str]]:
    with open(TABLE, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        return list(reader)


ROWS = load_table()
BY_CODE = {r["code"]: r for r in ROWS}


def pillar(code: str) -> str:
    return code.split(".")[0]


# --- the table itself --------------------------------------------------------------------------


def test_one_row_per_code_and_known_statuses():
    assert len(BY_CODE) == len(ROWS)
    assert {r["status"] for r in ROWS} <= {"scored", "no_data"}
    assert all(float(r["points"]) == 0 for r in ROWS if r["status"] == "no_data")


@pytest.mark.parametrize("row", ROWS, ids=[r["code"] for r in ROWS])
def test_arithmetic_gives_the_points(row):
    assert arithmetic(row["arithmetic"]) == pytest.approx(float(row["points"]), abs=1e-4)


def test_every_score_within_its_max(ctx):
    for r in ROWS:
        assert 0 <= float(r["points"]) <= ctx.catalogue.indicators[r["code"]].max_points, r["code"]


@pytest.mark.parametrize(
    "text",
    ["__import__('os')", "x + 1", "2 ** 3", "abs(-1)", "min(1, key=2)", "(1).real", "[1][0]", "1 if 1 else 2", "'1'", "True + 1", "min()"],
)
def test_the_evaluator_refuses_anything_else(text):
    with pytest.raises((ValueError, SyntaxError)):
        arithmetic(text)


def test_the_evaluator_reads_what_the_table_writes():
    assert arithmetic("min(1, (10512/17000)/0.8) * 20") == pytest.approx(15.4588, abs=1e-4)
    assert arithmetic("-(2 - 3) + max(0, -1)") == 1


# --- the tool against the table ----------------------------------------------------------------


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict:
    """`dti demo DIR`, then `dti score DIR/merged.xlsx --references DIR/tham-chieu.csv --format json`."""
    from typer.testing import CliRunner

    from dti_cli.cli import app

    d = tmp_path_factory.mktemp("expected") / "d"
    runner = CliRunner()
    r = runner.invoke(app, ["demo", str(d)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["score", str(d / "merged.xlsx"), "--references", str(d / "tham-chieu.csv"), "--format", "json"],
                      catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_the_table_covers_every_scored_leaf(ctx, scores):
    leaves = {code for code, ind in ctx.catalogue.indicators.items() if ind.rule.kind != "sum_children"}
    assert set(BY_CODE) == leaves
    assert {i["code"] for i in scores["indicators"] if i["status"] != "sum"} == leaves


@pytest.mark.parametrize("code", list(BY_CODE))
def test_indicator_points_as_computed_by_hand(scores, code):
    got = {i["code"]: i for i in scores["indicators"]}[code]
    row = BY_CODE[code]
    assert got["points"] == pytest.approx(float(row["points"]), abs=0.005), got["trace"]
    assert got["status"] == row["status"], got["trace"]


def test_pillars_and_total_are_the_sums_of_the_table(scores):
    by_pillar: dict[str, float] = {}
    for r in ROWS:
        by_pillar[pillar(r["code"])] = by_pillar.get(pillar(r["code"]), 0.0) + float(r["points"])
    assert [p["code"] for p in scores["pillars"]] == sorted(by_pillar)
    for p in scores["pillars"]:
        assert p["points"] == pytest.approx(by_pillar[p["code"]], abs=0.005), p["code"]
    assert scores["total"]["confirmed"] == pytest.approx(sum(by_pillar.values()), abs=0.01)  # 110 rows rounded to 4 decimals
    assert scores["counts"]["no_data"] == sum(r["status"] == "no_data" for r in ROWS)
