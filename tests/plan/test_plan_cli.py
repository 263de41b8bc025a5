"""`dti plan` as a user runs it: exit codes and messages, and every output equal to the library's plan."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def cd(sample_dir, monkeypatch):
    monkeypatch.chdir(sample_dir)
    return sample_dir


def test_plan_on_the_round_finds_its_scores(invoke, cd):
    r = invoke("plan", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "583.31/1,000" in r.output
    assert "Every target of the plan met" in r.output and "789.31" in r.output
    assert "7.9" in r.output  # missing inputs said, not guessed


def test_the_json_output_is_the_library_plan(invoke, cd, plan_ctx):
    from dti_cli import api

    r = invoke("plan", "scores.xlsx", "--goal", "650", "--set", "6.12.b=300.000", "-o", "plan.json")
    assert r.exit_code == 0, r.output
    got = json.loads((cd / "plan.json").read_text(encoding="utf-8"))
    got.pop("generated_at")
    want = json.loads(json.dumps(api.plan(plan_ctx, "scores.xlsx", goal=650, sets=["6.12.b=300.000"]).to_dict(), default=str))
    assert got == want
    assert got["route"]["reachable"] and got["route"]["routes"][0]["total"] >= 650


def test_agency_page_in_the_terminal(invoke, cd):
    r = invoke("plan", "--agency", "Sở TT&TT", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "Sở Thông tin và Truyền thông" in r.output and "Points at stake" in r.output
    assert "1.3" in r.output and "6.12" not in r.output  # 6.12 is the Centre's


@pytest.mark.parametrize("args", [
    ("--rank", "40"),
    ("--goal", "650", "--rank", "40"),
    ("--set", "6.12.z=1"),
    ("--set", "6.12.b"),
    ("--agency", "Sở Không Có"),
    ("--goal", "1200"),
    ("-o", "plan.pdf"),
])
def test_usage_errors_exit_2(invoke, cd, args):
    r = invoke("plan", *args)
    assert r.exit_code == 2, r.output


def test_an_unreachable_goal_is_said_with_the_shortfall(invoke, cd):
    r = invoke("plan", "--goal", "999", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "out of reach" in r.output and "short of it" in r.output


def test_a_bad_effort_row_exits_1_naming_the_row(invoke, cd):
    (cd / "effort.csv").write_text("code,effort\n6.12,8\n9.9,1\n", encoding="utf-8")
    r = invoke("plan", "--effort", "effort.csv", "--goal", "650", "--lang", "en")
    assert r.exit_code == 1
    assert "effort.csv, row 3" in r.output and "9.9" in r.output


def test_rank_with_national_totals(invoke, cd):
    rows = ["province,total"] + [f"Tỉnh số {k},{700 - 4 * k}" for k in range(1, 63)]
    (cd / "national.csv").write_text("\n".join(rows), encoding="utf-8")
    r = invoke("plan", "--rank", "40", "--national", "national.csv", "--lang", "en", "-o", "rank.json", "--force")
    assert r.exit_code == 0, r.output
    assert "Rank 40/63 needed 540.00 points" in r.output and "every other province held" in r.output
    goal = json.loads((cd / "rank.json").read_text(encoding="utf-8"))["route"]["goal"]
    assert goal["total"] == 540 and goal["margin_next"] == pytest.approx(4) and goal["others_held"]


def test_commitment_templates_and_back(invoke, cd):
    r = invoke("plan", "--commitment-templates", "cam-ket", "--force")
    assert r.exit_code == 0, r.output
    files = sorted(p.name for p in (cd / "cam-ket").iterdir())
    assert "DTI2023_cam-ket_tt-gqtthc.xlsx" in files and "DTI2023_cam-ket_so-tttt.xlsx" in files
    r = invoke("plan", "--commitments", "cam-ket", "--lang", "en")
    assert r.exit_code == 0, r.output  # nothing committed yet: no finding
    assert "Every commitment kept" in r.output


#: English words a Vietnamese run must not show (as whole words), as tests/test_i18n.py asks of the other commands.
ENGLISH = ("Error", "Warning", "missing", "Findings", "Usage", "Options", "Example", "Points", "Indicator", "Max", "the", "and", "of",
           "or", "with", "step", "full", "target", "points", "more", "effort", "route", "Goal", "Total")


@pytest.mark.parametrize("args", [("--help",), ("--goal", "650"), ("--agency", "so-tc"), ("--goal", "999", "-o", "p.md", "--force")])
def test_a_vietnamese_run_shows_no_english_word(invoke, cd, args):
    import re

    r = invoke("plan", *args, "--lang", "vi")
    assert r.exit_code == 0, r.output
    shown = r.output + ((cd / "p.md").read_text(encoding="utf-8") if "p.md" in args else "")
    assert [w for w in ENGLISH if re.search(rf"(?<![\w.\-]){re.escape(w)}(?![\w.\-])", shown)] == []


def _edited(cd, name, points_of=None):
    """scores.xlsx as JSON, marked as computed from an earlier edit of the same methodology (another checksum);
    with ``points_of``, that indicator's points changed too (as a rule changed in the edit would)."""
    from dti_cli.formats.scores import read_scores, write_scores

    write_scores(read_scores(cd / "scores.xlsx"), cd / name)
    doc = json.loads((cd / name).read_text(encoding="utf-8"))
    doc["catalogue"]["sha256"] = "0" * 64
    if points_of:
        row = next(i for i in doc["indicators"] if i["code"] == points_of)
        row["points"] = row["points"] / 2 + 0.5
    (cd / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return cd / name


def test_scores_of_an_earlier_edit_of_the_same_methodology_are_planned_when_they_score_the_same(invoke, cd):
    r = invoke("plan", str(_edited(cd, "edited.json")), "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "583.31/1,000" in r.output


def test_scores_that_the_methodology_in_use_scores_otherwise_are_refused(invoke, cd):
    r = invoke("plan", str(_edited(cd, "edited-rule.json", points_of="1.3")), "--lang", "en")
    assert r.exit_code != 0
    assert "run `dti score` again" in r.output
