"""``dti export`` and ``dti history``: one long table across rounds and years, and rounds side by side.

Three rounds are scored from the bundled sample figures, altered so that each indicator below
moves in a known direction, and written as scores files of 2023, 2024 and 2025:

====== ========= ========= ========= ==========================
 code    2023      2024      2025     pillar / total
====== ========= ========= ========= ==========================
 6.21   2 items   6 (up)    1 (down)  pillar 6 up, then down
 4.12   6/7       3/7 (dn)  3/7 (=)   pillar 4 down, then equal
 3.1    84%       84% (=)   100% (up) pillar 3 equal, then up
====== ========= ========= ========= ==========================

The total goes up in 2024 (+4 − 2.32) and down in 2025 (−5 + 1.64).
"""

from __future__ import annotations

import json

import pytest
from demo_round import demo_round

from dti_cli import api as dti
from dti_cli.core.errors import InputFileError, UsageError
from dti_cli.export import COLUMNS
from dti_cli.formats.scores import write_scores

pd = pytest.importorskip("pandas")

CHANGES = {2024: {"6.21.a": 6.0, "4.12.a": 3.0}, 2025: {"6.21.a": 1.0, "4.12.a": 3.0, "3.1.a": 1207500.0}}


@pytest.fixture(scope="module")
def rounds(ctx, tmp_path_factory):
    """{year: path of its scores file} (2023 and 2025 as xlsx, 2024 as json)."""
    from dti_cli.score import score_values

    folder = tmp_path_factory.mktemp("rounds")
    sample = dti.score_values(ctx, dti.sample_values(ctx))
    typed = {i: v for s in sample.indicators.values() for i, v in s.inputs.items() if v is not None}
    out = {}
    for year in (2023, 2024, 2025):
        s = score_values(ctx, {**typed, **CHANGES.get(year, {})})
        s.year = year
        path = folder / str(year) / ("scores.json" if year == 2024 else "scores.xlsx")
        path.parent.mkdir()
        write_scores(s, path)
        out[year] = path
    return out


@pytest.fixture(scope="module")
def merged_file(ctx):
    """The demo round's merged workbook (`dti demo`)."""
    return demo_round(ctx) / "merged.xlsx"


def sign(x):
    return None if x is None else (x > 1e-9) - (x < -1e-9)


# --- history --------------------------------------------------------------------------------------


def test_three_rounds_line_up_after_the_baseline_with_the_right_signs_of_change(ctx, rounds):
    h = dti.history(ctx, rounds[2025], rounds[2023], rounds[2024])  # any order: oldest year first
    b = ctx.baseline
    assert [r.year for r in h.rounds] == [b.year - 1, b.year, 2023, 2024, 2025]
    assert [r.kind for r in h.rounds] == ["baseline", "baseline", "scores", "scores", "scores"]
    assert [sign(c) for c in h.line("6.21").changes[3:]] == [1, -1]
    assert [sign(c) for c in h.line("4.12").changes[3:]] == [-1, 0]
    assert [sign(c) for c in h.line("3.1").changes[3:]] == [0, 1]
    assert [sign(c) for c in h.line("6").changes[3:]] == [1, -1]
    assert [sign(c) for c in h.line("4").changes[3:]] == [-1, 0]
    assert [sign(c) for c in h.line("3").changes[3:]] == [0, 1]
    assert [sign(c) for c in h.line("total").changes[3:]] == [1, -1]
    assert h.line("total").changes[3] == pytest.approx(4 - (5 - 5 * (3 / 7) / 0.8))


def test_the_baseline_gives_the_year_before_by_pillar_and_its_own_year_in_full(ctx, rounds):
    h = dti.history(ctx, rounds[2023])
    b = ctx.baseline
    total = h.line("total")
    assert total.points[:2] == [b.total_prev, b.total] and total.ranks[:2] == [b.rank_prev, b.rank]
    assert total.changes[1] == pytest.approx(b.change)
    assert h.line("1").points[:2] == [b.pillars["1"].score_prev, b.pillars["1"].score]
    assert h.line("6.21").points[:2] == [None, b.score("6.21")] and h.line("6.21").changes[:2] == [None, None]


def test_confirmed_points_leave_out_what_lacks_a_national_reference(ctx, rounds):
    est, conf = dti.history(ctx, rounds[2023]), dti.history(ctx, rounds[2023], measure="confirmed")
    s = dti.read_scores(rounds[2023])
    assert est.line("total").points[-1] == pytest.approx(s.total_estimated)
    assert conf.line("total").points[-1] == pytest.approx(s.total_confirmed)
    with pytest.raises(UsageError):
        dti.history(ctx, rounds[2023], measure="best")


def test_history_frame_is_long_and_typed(ctx, rounds):
    h = dti.history(ctx, *rounds.values())
    df = h.to_frame()
    assert len(df) == len(h.lines) * len(h.rounds)
    assert df.dtypes.to_dict() == {"level": "category", "code": "string", "name": "string", "parent": "string", "max_points": "float64",
                                   "year": "Int64", "round": "string", "kind": "category", "points": "float64", "change": "float64",
                                   "rank": "Int64"}
    six = df[(df.code == "6.21") & (df.year == 2025)].iloc[0]
    assert six["change"] == pytest.approx(-5.0)


def test_dti_history_json_equals_the_api(ctx, rounds, invoke):
    res = invoke("history", *map(str, rounds.values()), "--format", "json")
    assert res.exit_code == 0, res.output
    api = dti.history(ctx, *map(str, rounds.values())).to_dict()
    assert json.loads(res.stdout) == json.loads(json.dumps(api))


def test_dti_history_shows_rounds_side_by_side(rounds, invoke):
    res = invoke("--lang", "en", "history", *map(str, rounds.values()), "--pillars")
    assert res.exit_code == 0, res.output
    for text in ("2021", "2022", "2023", "2024", "2025", "Total", "Digital government", "-5.00"):
        assert text in res.stdout, text
    assert "6.21" not in res.stdout  # --pillars: the total and the pillars only
    csv_out = invoke("history", str(rounds[2023]), "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "level,code,name,parent,max_points,year,round,kind,points,change,rank"


def test_history_scores_a_merged_workbook_given_to_it(ctx, merged_file):
    h = dti.history(ctx, merged_file)
    assert h.line("total").points[-1] == pytest.approx(dti.score_file(ctx, merged_file).total_estimated)


# --- the long table ---------------------------------------------------------------------------------


def test_one_long_table_across_years_with_the_baselines_figures(ctx, rounds, merged_file):
    t = dti.export(ctx, *rounds.values(), merged_file)
    df = t.to_frame()
    assert list(df.columns) == [c.name for c in COLUMNS]
    b = ctx.baseline
    base = df[df.kind == "baseline"]
    assert sorted(base.year.unique()) == [b.year - 1, b.year]
    assert len(base[(base.year == b.year) & (base.level == "indicator")]) == len(b.indicators)
    assert len(base[(base.year == b.year - 1) & (base.level == "indicator")]) == 0
    prev_total = base[(base.year == b.year - 1) & (base.level == "total")].iloc[0]
    assert (prev_total["points"], prev_total["rank"]) == (pytest.approx(b.total_prev), b.rank_prev)
    for year, path in rounds.items():
        s = dti.read_scores(path)
        mine = df[df["round"] == str(path)]
        assert set(mine.year) == {year}
        assert len(mine[mine.level == "indicator"]) == len(s.indicators)
        assert len(mine[mine.level == "input"]) == sum(len(x.inputs) for x in s.indicators.values())
        assert mine[mine.level == "pillar"]["points"].sum() == pytest.approx(s.total_confirmed)
        assert mine[(mine.level == "indicator") & (mine.status != "sum")]["points"].sum() == pytest.approx(s.total_confirmed)
    merged = df[df.kind == "merged"]
    assert set(merged.level) == {"input", "unit"} and merged["points"].isna().all()
    assert len(merged[merged.level == "input"]) == len(ctx.catalogue.inputs)
    assert set(merged[merged.level == "unit"]["input"]) >= {"4.5.a", "1.9.a"}
    row = merged[(merged.level == "input") & (merged.input == "1.2.a")].iloc[0]
    assert (row["unit"], row["value"], row["value_type"]) == ("so-tttt", "yes", "yes")
    assert row["source_file"] == "DTI2023_so-tttt.xlsx" and row["cell"].startswith("F")


def test_the_tables_rows_equal_the_scores_frames(ctx, rounds):
    s = dti.read_scores(rounds[2024])
    df = dti.export(ctx, rounds[2024], baseline=False).to_frame()
    ind = df[df.level == "indicator"].reset_index(drop=True)
    frame = s.to_frame()
    for col in ("code", "points", "max_points", "estimated_points", "pillar", "parent", "name"):
        mine = ind["indicator" if col == "code" else col]
        pd.testing.assert_series_equal(mine, frame[col], check_names=False, check_categorical=False)
    assert list(ind["status"].astype(str)) == list(frame["status"].astype(str))
    inputs = df[df.level == "input"].reset_index(drop=True)
    iframe = s.inputs_frame()
    for col in ("input", "value", "number", "source_file", "sheet", "cell"):
        pd.testing.assert_series_equal(inputs[col], iframe[col], check_names=False)
    assert list(inputs["value_type"].astype(str)) == list(iframe["value_type"].astype(str))


@pytest.mark.parametrize("ext", [".csv", ".xlsx", ".parquet", ".json"])
def test_an_export_read_back_with_pandas_equals_the_frame(ctx, rounds, merged_file, tmp_path, ext):
    if ext == ".parquet":
        pytest.importorskip("pyarrow", reason="pyarrow (the parquet extra, in the test extra too) is not installed")
    t = dti.export(ctx, *rounds.values(), merged_file)
    path = t.write(tmp_path / f"dti{ext}")
    pd.testing.assert_frame_equal(dti.read_export(path), t.to_frame())
    if ext == ".parquet":  # pandas alone reads it with the same types
        pd.testing.assert_frame_equal(pd.read_parquet(path), t.to_frame())
    if ext == ".csv":  # and a plain read_csv gets the same numbers
        plain = pd.read_csv(path, encoding="utf-8-sig", dtype={c.name: "string" for c in COLUMNS if c.dtype == "string"})
        assert plain["points"].sum() == pytest.approx(t.to_frame()["points"].sum())
        assert plain["indicator"].dropna().tolist() == t.to_frame()["indicator"].dropna().tolist()


def test_dti_export_writes_what_the_api_gives(ctx, rounds, merged_file, invoke, tmp_path):
    out = tmp_path / "dti.json"
    res = invoke("export", *map(str, rounds.values()), str(merged_file), "-o", str(out))
    assert res.exit_code == 0, res.output
    assert str(out) in res.stdout
    api = dti.export(ctx, *map(str, rounds.values()), str(merged_file)).to_dict()
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(json.dumps(api))
    again = invoke("export", str(rounds[2023]), "-o", str(out))
    assert again.exit_code == 1 and "--force" in again.output  # never over an existing file without --force
    assert invoke("export", str(rounds[2023]), "-o", str(out), "--force").exit_code == 0


def test_csv_starts_with_a_bom_and_neutralises_formula_like_text(ctx, rounds, tmp_path):
    s = dti.read_scores(rounds[2023])
    s.provenance["1.2.a"] = {**s.provenance.get("1.2.a", {}), "source_file": "=HYPERLINK(\"http://x\")", "source_agency": "+84 290"}
    path = dti.export(ctx, s, baseline=False).write(tmp_path / "x.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+84 290" in text
    back = dti.read_export(path)
    row = back[back.input == "1.2.a"].iloc[0]
    assert (row["source_file"], row["unit_name"]) == ("=HYPERLINK(\"http://x\")", "+84 290")


def test_the_workbook_is_a_table_power_query_finds_and_says_what_each_column_holds(ctx, rounds, tmp_path):
    from dti_cli.intake import open_workbook

    path = dti.export(ctx, rounds[2023]).write(tmp_path / "dti.xlsx")
    wb = open_workbook(path)
    assert wb.sheet_order[0] == "data"
    rows = list(wb.sheets["data"].rows())
    assert rows[0][0] == 1 and rows[0][1][:4] == ["year", "round", "kind", "level"]
    about = [v for _n, v in wb.sheets[wb.sheet_order[1]].rows()]
    assert [r[0] for r in about[2:]] == [c.name for c in COLUMNS]  # a title line, the header, then one row per column
    assert "_dti" in wb.hidden


def test_parquet_without_pyarrow_says_how_to_get_it(ctx, rounds, tmp_path, monkeypatch, invoke):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    with pytest.raises(UsageError, match=r"dti\[parquet\]"):
        dti.export(ctx, rounds[2023]).write(tmp_path / "x.parquet")
    res = invoke("export", str(rounds[2023]), "-o", str(tmp_path / "x.parquet"))
    assert res.exit_code == 2 and "pyarrow" in res.output
    assert not (tmp_path / "x.parquet").exists()


def test_what_is_not_a_round_is_refused_with_a_message(ctx, tmp_path, invoke):
    from helpers_fill import template_path

    tpl = template_path(ctx, "so-tttt")
    with pytest.raises(InputFileError, match="dti merge"):
        dti.export(ctx, tpl)
    other = tmp_path / "notes.txt"
    other.write_text("x", encoding="utf-8")
    res = invoke("export", str(other), "-o", str(tmp_path / "x.csv"))
    assert res.exit_code == 1 and "notes.txt" in res.output
    assert invoke("export", str(tmp_path / "none.xlsx"), "-o", str(tmp_path / "x.csv")).exit_code == 1
    assert invoke("export", str(tpl), "-o", str(tmp_path / "x.txt")).exit_code == 2


def test_an_export_never_replaces_one_of_its_inputs(ctx, rounds, invoke):
    from dti_cli.core.errors import OutputError

    res = invoke("export", str(rounds[2024]), "-o", str(rounds[2024]), "--force")
    assert res.exit_code == 1
    with pytest.raises(OutputError):
        dti.export(ctx, rounds[2024]).write(rounds[2024].with_suffix(".json"), force=True)
    assert json.loads(rounds[2024].read_text(encoding="utf-8"))["format"] == "dti-scores"


LANGUAGE_RUNS = [["export", "--help"], ["history", "--help"], ["history", "--pillars"], ["history"]]


@pytest.mark.parametrize("args", LANGUAGE_RUNS, ids=" ".join)
def test_a_vietnamese_run_of_export_and_history_shows_no_english_word(runner, args):
    from test_i18n import ENGLISH, _found, _run

    shown = _run(runner, "vi", args)
    assert _found(shown, ENGLISH) == [], shown


@pytest.mark.parametrize("args", LANGUAGE_RUNS, ids=" ".join)
def test_an_english_run_of_export_and_history_shows_no_vietnamese_word(runner, ctx, args):
    from test_i18n import VIETNAMESE, _found, _run

    shown = _run(runner, "en", args, width=3000)
    assert _found(shown, VIETNAMESE) == [], shown
