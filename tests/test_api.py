"""The Python API (``from dti_cli import api as dti``): cheap to import, the same results as the CLI, typed frames."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from demo_round import demo_round, references, returned

from dti_cli import api as dti

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def demo(ctx):
    """The demo round (`dti demo`): real templates filled with the sample figures, merged and scored."""
    return demo_round(ctx)


@pytest.fixture(scope="module")
def result(ctx, demo):
    return dti.merge(ctx, [returned(demo)])


@pytest.fixture(scope="module")
def merged_file(demo):
    return demo / "merged.xlsx"


@pytest.fixture(scope="module")
def samples_round(ctx, tmp_path_factory):
    """Every unit returns exactly the sample figures (real templates, filled with openpyxl)."""
    from helpers_fill import make_returned_set

    return dti.merge(ctx, list(make_returned_set(tmp_path_factory.mktemp("samples"), ctx).values()))


# --- importing -----------------------------------------------------------------------------------


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sorted(sys.modules)))"], capture_output=True,
                         text=True, check=True).stdout.split()
    return set(out)


def test_importing_the_package_loads_nothing_of_the_library():
    mods = _modules_after("import dti_cli")
    assert not {m for m in mods if m.startswith("dti_cli.")}
    assert "pandas" not in mods


def test_the_cli_and_its_help_do_not_load_pandas_or_the_api():
    mods = _modules_after("from dti_cli.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass")
    assert "pandas" not in mods
    assert "dti_cli.api" not in mods
    assert "dti_cli.export.tidy" not in mods


def test_a_frame_loads_pandas_and_only_then():
    code = ("import sys\nfrom dti_cli import api as dti\nctx = dti.load_context()\ns = dti.score_values(ctx, {'1.2.a': 'Có'})\n"
            "d = s.to_dict()\nassert 'pandas' not in sys.modules, 'to_dict loaded pandas'\ns.to_frame()\nassert 'pandas' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_name_of_all_is_there_and_documented():
    for name in dti.__all__:
        obj = getattr(dti, name)
        if callable(obj) and name != "__version__":
            assert obj.__doc__, name
    assert set(dir(dti)) >= set(dti.__all__)


def test_import_dti_cli_loads_nothing_but_the_version():
    mods = _modules_after("import dti_cli\nassert dti_cli.__version__")
    assert not [m for m in mods if m.startswith("dti_cli.")]


def test_the_api_functions_are_plain_functions_beside_the_stage_packages(ctx, tmp_path):
    import dti_cli.merge  # the stage package, imported: the API's merge is still the function

    assert dti.merge is not dti_cli.merge and callable(dti.merge)
    table = dti.export(ctx)
    assert type(table).__name__ == "Tidy" and len(table) > 0
    with pytest.raises(AttributeError):
        dti.no_such_name  # noqa: B018


# --- the same results as the CLI --------------------------------------------------------------------


@pytest.mark.parametrize("with_references", [True, False], ids=["references", "none"])
def test_score_through_the_api_equals_the_cli_json_for_the_demo_round(ctx, demo, merged_file, invoke, tmp_path, with_references):
    refs = [str(references(demo))] if with_references else []
    res = invoke("score", str(merged_file), *(["--references", *refs] if refs else []), "--format", "json", "-o", str(tmp_path / "s.json"))
    assert res.exit_code == 0, res.output
    cli = json.loads(res.stdout)
    assert dti.score_file(ctx, merged_file, *refs).to_dict() == cli
    assert dti.score(ctx, merged_file, *refs).to_dict() == cli
    assert dti.score(ctx, dti.read_merged(merged_file, ctx.catalogue), *refs).to_dict() == cli
    if with_references:
        assert cli["total"]["confirmed"] == pytest.approx(593.3116, abs=1e-4)  # the demo's figure, computed by hand (test_expected_demo)


def test_the_demo_scores_file_reads_back_as_the_api_scores_it(ctx, demo, merged_file):
    written = dti.read_scores(demo / "scores.xlsx")
    now = dti.score_file(ctx, merged_file, references(demo))
    assert {c: s.points for c, s in written.indicators.items()} == pytest.approx({c: s.points for c, s in now.indicators.items()})
    cols = ["code", "points", "status"]
    pd.testing.assert_frame_equal(written.to_frame()[cols], now.to_frame()[cols])


def test_the_plan_through_the_api_equals_the_cli_json_for_the_demo_round(ctx, demo, invoke, tmp_path):
    out = tmp_path / "plan.json"
    res = invoke("plan", str(demo / "scores.xlsx"), "--goal", "650", "-o", str(out))
    assert res.exit_code == 0, res.output
    cli = json.loads(out.read_text(encoding="utf-8"))
    cli.pop("generated_at")
    plan = dti.plan(ctx, demo / "scores.xlsx", goal=650)
    assert json.loads(json.dumps(plan.to_dict())) == cli


@pytest.mark.parametrize("args", [[], ["--compare", "2021"], ["--agency", "Sở Tài chính"]], ids=["baseline", "year-before", "agency"])
def test_the_report_through_the_api_equals_the_cli_json_for_the_demo_round(ctx, demo, invoke, tmp_path, monkeypatch, args):
    monkeypatch.chdir(demo)  # the default scores (./scores.xlsx) and the merged workbook beside them, as a user runs it
    out = tmp_path / "report.json"
    res = invoke("report", *args, "-o", str(out))
    assert res.exit_code == 0, res.output
    cli = json.loads(out.read_text(encoding="utf-8"))
    cli.pop("banner", None)  # the demo's sample data: written on the file, not part of the report
    kw = {"compare": args[1]} if args[:1] == ["--compare"] else {"agency": args[1]} if args else {}
    rep = dti.report(ctx, **kw)
    assert json.loads(json.dumps(rep.to_dict())) == cli
    assert cli["problems"] == json.loads(json.dumps(dti.report(ctx, demo / "scores.xlsx", **kw).to_dict()))["problems"]


def test_report_frames_are_typed_with_a_row_per_gap_pillar_and_agency(ctx, demo):
    rep = dti.report(ctx, demo / "scores.xlsx")
    d = rep.to_dict()
    gaps = rep.to_frame()
    assert list(gaps["code"]) == [g["code"] for g in d["gaps"]] and gaps["rank"].tolist() == list(range(1, len(gaps) + 1))
    assert gaps["at_stake"].dtype == "float64" and gaps["status"].dtype == "category" and gaps["action_kind"].dtype == "category"
    assert not gaps["status"].isna().any() and not gaps["action_kind"].isna().any()  # every value is a known category
    pillars = rep.pillars_frame()
    assert list(pillars["code"]) == [p["code"] for p in d["pillars"]] and pillars["now"].tolist() == pytest.approx([p["now"] for p in d["pillars"]])
    agencies = rep.agencies_frame()
    assert len(agencies) == len(d["agencies"]) and agencies["at_stake"].tolist() == pytest.approx([a["at_stake"] for a in d["agencies"]])


def test_plan_frames_are_typed_with_a_row_per_indicator_route_step_and_scenario_figure(ctx, demo):
    plan = dti.plan(ctx, demo / "scores.xlsx", goal=650)
    d = plan.to_dict()
    f = plan.to_frame()
    assert len(f) == len(d["indicators"]) and list(f["code"]) == [x["code"] for x in d["indicators"]]
    assert f["at_stake"].dtype == "float64" and f["state"].dtype == "category" and f["target_met"].dtype == "boolean"
    assert f["at_stake"].tolist() == pytest.approx([x["at_stake"] for x in d["indicators"]])
    route = plan.route_frame()
    assert list(route["code"]) == [x["code"] for x in d["route"]["routes"][0]["steps"]]
    assert route["running_total"].iloc[-1] >= 650 and route["step"].tolist() == list(range(1, len(route) + 1))
    scen = plan.scenarios_frame()
    totals = scen[scen["level"] == "total"].set_index("scenario", drop=False)
    assert {str(k): v for k, v in totals["points"].items()} == pytest.approx({x["key"]: x["total"] for x in d["scenarios"]})
    assert len(dti.plan(ctx, demo / "scores.xlsx").route_frame()) == 0  # no goal, no route


def test_scoring_the_merge_result_in_memory_equals_scoring_its_workbook(ctx, demo, result, merged_file):
    mem, disk = dti.score(ctx, result, references(demo)), dti.score_file(ctx, merged_file, references(demo))
    assert {c: s.points for c, s in mem.indicators.items()} == {c: s.points for c, s in disk.indicators.items()}
    assert (mem.total_confirmed, mem.total_estimated) == (disk.total_confirmed, disk.total_estimated)


def test_the_samples_score_the_same_as_values_and_as_a_merged_round(ctx, samples_round):
    """The bundled figures as typed, through score_values, give what merging them in real templates gives."""
    by_values = dti.score_values(ctx, dti.sample_values(ctx))
    by_merge = dti.score(ctx, samples_round)
    assert {c: round(s.points, 9) for c, s in by_values.indicators.items()} == {c: round(s.points, 9) for c, s in by_merge.indicators.items()}
    assert by_values.total_estimated == pytest.approx(by_merge.total_estimated)


# --- score_values ---------------------------------------------------------------------------------


def test_values_typed_as_officials_type_them(ctx):
    s = dti.score_values(ctx, {"4.12.a": "799", "4.12.b": "1.000", "1.2.a": "Có", "1.2.b": "Không có số liệu"})
    assert s.indicators["4.12"].points == pytest.approx(5 * 0.799 / 0.8)
    assert s.indicators["4.12"].inputs == {"4.12.a": 799.0, "4.12.b": 1000.0}
    assert s.indicators["1.2"].input_status["1.2.b"] == "no_data"


def test_a_value_merge_refuses_is_a_finding_with_merges_code_and_is_left_out(ctx):
    s = dti.score_values(ctx, {"4.12.a": "abc", "4.12.b": "-5", "zz.9": "1"})
    codes = {(p.code, p.input, p.severity) for p in s.problems}
    assert ("value.not_number", "4.12.a", "error") in codes
    assert ("value.negative", "4.12.b", "error") in codes
    assert ("value.unknown_input", "zz.9", "error") in codes
    assert s.indicators["4.12"].input_status == {"4.12.a": "invalid", "4.12.b": "invalid"}


def test_a_per_unit_input_takes_each_units_value_combined_as_merge_combines(ctx):
    s = dti.score_values(ctx, {"4.6.b": {"tp-ca-mau": "3.500", "u-minh": "2.605", "nam-can": "Không có số liệu"},
                               "1.9.a": {"tp-ca-mau": "Không", "u-minh": "Có"}})
    assert s.indicators["4.6"].inputs["4.6.b"] == 6105.0
    assert s.indicators["1.9"].inputs["1.9.a"] is True
    bad = dti.score_values(ctx, {"4.6.b": {"u-minh": "nhiều"}})
    assert [(p.code, p.unit, p.input) for p in bad.problems if p.code.startswith("value.")] == [("value.not_number", "u-minh", "4.6.b")]


def test_a_pandas_series_of_values_scores(ctx):
    ser = pd.Series({"4.12.a": "799", "4.12.b": "1.000"})
    assert dti.score_values(ctx, ser).indicators["4.12"].points == pytest.approx(5 * 0.799 / 0.8)


# --- frames -----------------------------------------------------------------------------------------


def test_scores_frames_are_typed_with_a_row_per_indicator_input_and_pillar(ctx):
    s = dti.score_values(ctx, dti.sample_values(ctx))
    ind = s.to_frame()
    assert len(ind) == len(ctx.catalogue.indicators)
    assert ind.dtypes.to_dict() == {
        "year": "Int64", "code": "string", "name": "string", "pillar": "string", "parent": "string", "lead": "string",
        "points": "float64", "max_points": "float64", "status": "category", "estimated_points": "float64",
        "estimated_from_baseline": "boolean", "score_baseline": "float64", "adjusted": "string", "missing": "string",
        "needs_references": "string", "trace": "string"}
    assert list(ind["status"].cat.categories) == ["scored", "no_data", "needs_reference", "sum"]
    assert ind.set_index("code")["points"].to_dict() == pytest.approx({c: x.points for c, x in s.indicators.items()})
    leaves = ind[ind["status"] != "sum"]
    assert leaves["points"].sum() == pytest.approx(s.total_confirmed)

    inputs = s.inputs_frame()
    assert len(inputs) == sum(len(x.inputs) for x in s.indicators.values())
    assert inputs["number"].dtype == "float64" and inputs["value_type"].dtype == "category" and inputs["status"].dtype == "category"
    row = inputs.set_index("input").loc["1.2.a"]
    assert (row["value"], row["value_type"]) == ("yes", "yes") and pd.isna(row["number"])
    n = inputs.set_index("input").loc["4.12.a"]
    assert n["value_type"] == "number" and n["number"] == float(n["value"])

    pillars = s.pillars_frame()
    assert len(pillars) == len(s.pillars) and pillars["points"].sum() == pytest.approx(s.total_confirmed)
    assert s.problems_frame()["severity"].dtype == "category"


def test_merge_result_frames_and_dict(result):
    d = result.to_dict()
    json.dumps(d)  # plain JSON
    assert len(d["data"]) == len(result.data) and d["errors"] == result.errors
    df = result.to_frame()
    assert len(df) == len(result.data)
    assert df["status"].dtype == "category" and list(df["status"].cat.categories) == ["ok", "missing", "no_data", "conflict", "invalid"]
    assert df["number"].dtype == "float64" and df["source_file"].dtype == "string"
    units = result.units_frame()
    assert len(units) == len(result.units) and set(units["input"].dropna()) == {"1.9.a", *(f"4.5.{x}" for x in "abcdef"),
                                                                               *(f"4.6.{x}" for x in ("a1", "a2", "a3", "a4", "b"))}
    f = result.findings_frame()
    assert len(f) == len(result.findings) and f["counted"].dtype == "boolean"
    assert f["counted"].sum() == len(result.counted())


def test_an_empty_frame_keeps_its_types():
    from dti_cli.core.findings import findings_frame

    f = findings_frame([])
    assert len(f) == 0 and f["severity"].dtype == "category" and f["code"].dtype == "string"


def test_the_api_runs_from_a_notebook_folder_without_the_cli(ctx, tmp_path, monkeypatch):
    """Nothing in the API prints or depends on the CLI's state."""
    monkeypatch.chdir(tmp_path)
    s = dti.score_values(ctx, {"1.2.a": "Có"})
    assert Path.cwd() == tmp_path and s.year == ctx.year
