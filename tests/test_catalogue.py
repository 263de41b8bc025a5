"""The methodology as data: every row of the seed, with the seed's max, rules and agencies."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest

from dti_cli.core import i18n
from dti_cli.core.errors import DataFileError
from dti_cli.methodology.baseline import load_baseline
from dti_cli.methodology.catalogue import load_catalogue
from dti_cli.methodology.check import check_data
from dti_cli.methodology.rules import KINDS

DATA = Path(__file__).resolve().parent / "data"
# The seed's appendix as committed data (code, name, max, lead, 2022 result and score), written by
# tests/data/make_seed_appendix.py from the seed; test_committed_appendix_is_the_seeds rebuilds it.
APPENDIX = DATA / "seed_appendix.csv"
SEED_FILE = "000_cacecb8799e26908.txt"
# The appendix's own slips in the max column (DOMAIN.md): seed text → the right max. Pillar 6
# reads 150 though its sub-indicators and the summary table make 200; pillar 8 and 8.8.1.4 are blank.
MAX_SLIPS = {"6": ("150", 200), "8": ("", 150), "8.8.1.4": ("", 1)}

# Sub-indicator maxima, read from the appendix by hand (pillar → {code: max}).
EXPECTED_MAX = {
    "1": [10] * 10,
    "2": [5, 5, 10, 10, 10, 10, 10, 10, 10, 10, 10],
    "3": [10, 10, 10, 10, 30, 20, 10],
    "4": [10, 10, 10, 10, 10, 10, 10, 5, 5, 5, 5, 5, 5],
    "5": [10, 10, 10, 10, 5, 10, 10, 5, 5, 5, 5, 15],
    "6": [10, 5, 10, 5, 5, 5, 10, 10, 10, 10, 10, 20, 5, 5, 10, 10, 10, 10, 10, 10, 10, 10],
    "7": [20, 20, 10, 20, 10, 10, 10, 10, 10, 10, 10, 10],
    "8": [20, 20, 20, 20, 10, 20, 20, 20],
}


def appendix() -> list[dict[str, str]]:
    with open(APPENDIX, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def seed_path() -> Path | None:
    """The seed document in a shared/seed folder beside the project or any folder above it."""
    for d in Path(__file__).resolve().parents:
        if (d / "shared" / "seed" / SEED_FILE).is_file():
            return d / "shared" / "seed" / SEED_FILE
    return None


def test_every_subindicator_once_with_the_seed_max(ctx):
    cat = ctx.catalogue
    subs = cat.subindicators()
    assert len(subs) == 95
    for pillar, maxes in EXPECTED_MAX.items():
        got = [i.max_points for i in subs if i.pillar == pillar]
        assert got == maxes, pillar
    codes = [i.code for i in cat.indicators.values()]
    assert len(codes) == len(set(codes))
    assert cat.indicators["8.8.1.4"].max_points == 1


def test_every_appendix_row_is_in_the_catalogue_with_the_seed_max(ctx):
    cat = ctx.catalogue
    rows = appendix()
    assert {r["code"] for r in rows} == set(cat.indicators) | {p.code for p in cat.pillars.values() if p.scored}
    for r in rows:
        item = cat.pillars[r["code"]] if "." not in r["code"] else cat.indicators[r["code"]]
        assert item.name_vi == r["name_vi"], r["code"]
        if r["code"] in MAX_SLIPS:
            assert (r["max_points"], item.max_points) == MAX_SLIPS[r["code"]], r["code"]
        else:
            assert item.max_points == float(r["max_points"]), r["code"]


def test_every_appendix_2022_score_is_the_baseline(ctx):
    rows = [r for r in appendix() if "." in r["code"]]
    assert len(rows) == len(ctx.baseline.indicators)
    for r in rows:
        assert ctx.baseline.score(r["code"]) == float(r["score_2022"]), (r["code"], r["result_2022"])
    slips = {r["code"]: r for r in rows if r["code"] in ("3.6", "8.5")}
    assert slips["3.6"]["result_2022"].startswith("Năm 2022; đạt 4.29/20") and slips["3.6"]["score_2022"] == "4.29"
    assert "đạt 5 31/10" in slips["8.5"]["result_2022"] and slips["8.5"]["score_2022"] == "5.31"


def test_every_appendix_lead_resolves_to_the_catalogue_lead(ctx):
    for r in appendix():
        if "." not in r["code"]:
            continue
        ind = ctx.catalogue.indicators[r["code"]]
        assert ind.lead_seed == r["lead"], r["code"]
        assert {u.id for u in ctx.profile.resolve_many(r["lead"])} == set(ind.lead), r["code"]


def test_committed_appendix_is_the_seeds():
    """tests/data/seed_appendix.csv is what make_seed_appendix.py reads from the seed today."""
    seed = seed_path()
    if seed is None:
        pytest.skip("the seed document is not beside the project: the committed seed_appendix.csv stands for it")
    spec = importlib.util.spec_from_file_location("make_seed_appendix", DATA / "make_seed_appendix.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    rebuilt = make.to_csv(make.appendix_rows(seed.read_text(encoding="utf-8")))
    assert rebuilt == APPENDIX.read_text(encoding="utf-8")


def test_pillar_maxima_and_total(ctx):
    cat = ctx.catalogue
    assert [cat.pillars[p].max_points for p in "12345678"] == [100, 100, 100, 100, 100, 200, 150, 150]
    assert sum(p.max_points for p in cat.pillars.values() if p.scored) == 1000
    assert cat.pillars["9"].scored is False
    for code in "12345678":
        assert sum(i.max_points for i in cat.children(code)) == cat.pillars[code].max_points


def test_children_add_up(ctx):
    cat = ctx.catalogue
    assert [c.code for c in cat.children("5.12")] == [f"5.12.{i}" for i in range(1, 7)]
    assert [c.code for c in cat.children("8.8")] == ["8.8.1", "8.8.2", "8.8.3"]
    for code in ("5.12", "8.8", "8.8.1", "8.8.2", "8.8.3"):
        kids = cat.children(code)
        assert sum(k.max_points for k in kids) == cat.indicators[code].max_points
        assert cat.indicators[code].rule.kind == "sum_children"
    assert len([i for i in cat.indicators.values() if i.code.startswith("8.8.") and i.depth == 3]) == 12


def test_every_rule_kind_is_used_and_inputs_exist(ctx):
    cat = ctx.catalogue
    kinds = {i.rule.kind for i in cat.indicators.values()} | {p.kind for i in cat.indicators.values() for p in i.rule.components()}
    assert kinds == {k for k, c in KINDS.items() if c.__module__.startswith("dti_cli.")}  # the built-in kinds (a test may add its own)
    for ind in cat.indicators.values():
        ids = {x.id for x in ind.inputs}
        assert set(ind.rule.input_ids()) == ids, ind.code
        assert all(x.startswith(ind.code + ".") for x in ids)


@pytest.mark.parametrize(
    ("code", "kind", "extra"),
    [
        ("1.1", "choice", None), ("1.5", "counted_tiers", None), ("3.5", "parts", None), ("4.12", "threshold", 0.8),
        ("4.13", "threshold", 0.7), ("6.8", "all_or_nothing", None), ("6.12", "threshold", 0.8), ("6.21", "per_item", None),
        ("6.22", "threshold", 0.01), ("7.1", "threshold", 0.2), ("7.11", "threshold", 0.0025), ("8.5", "threshold", 0.7),
        ("4.5", "minmax", None), ("4.6", "minmax", None), ("4.11", "minmax", None), ("5.1", "minmax", None), ("5.9", "minmax", None),
        ("5.10", "minmax", None), ("7.10", "share_of_best", None), ("8.6", "share_of_best", None), ("8.7", "share_of_best", None),
        ("5.12.1", "stepped", None), ("5.12.4", "stepped", None),
    ],
)
def test_rule_kinds_as_in_the_seed(ctx, code, kind, extra):
    rule = ctx.catalogue.indicators[code].rule
    assert rule.kind == kind
    if extra is not None:
        assert rule.threshold == extra


def test_zero_denominator_policies(ctx):
    cat = ctx.catalogue
    assert cat.indicators["5.5"].rule.zero_denominator == "full"
    assert cat.indicators["5.11"].rule.zero_denominator == "full"
    assert cat.indicators["8.8.2.3"].rule.zero_denominator == "zero"


def test_inputs_have_seed_labels_units_and_types(ctx):
    cat = ctx.catalogue
    assert cat.inputs["7.1.a"].label_vi == "Giá trị tăng thêm của kinh tế số"
    assert cat.inputs["6.22.c"].type == "amount" and cat.inputs["6.22.c"].unit == "tỷ đồng"
    assert cat.inputs["2.8.a"].type == "yes_no"
    assert {c.value for c in cat.inputs["1.1.a"].choices} == {"chu_tich", "pho", "khong"}
    assert cat.inputs["4.5.e"].per_unit and cat.inputs["4.5.e"].combine == "sum"
    assert cat.inputs["1.9.a"].combine == "any"
    assert cat.inputs["6.11.c"].part_of == "6.11.a"


def test_targets(ctx):
    cat = ctx.catalogue
    t = cat.indicators["3.1"].target
    assert (t.text, t.kind, t.value, t.op) == ("Trên 85%", "ratio", 0.85, ">")
    assert cat.indicators["3.4"].target.value == 1.0
    assert cat.indicators["2.1"].target.kind == "full"


def test_every_text_has_its_english(ctx):
    """Units, targets, deadlines, generic coordinating bodies and the source have their English; the Vietnamese stays."""
    from dti_cli.methodology.catalogue import untranslated

    cat = ctx.catalogue
    assert cat.inputs["6.12.b"].unit_in("vi") == "hồ sơ" and cat.inputs["6.12.b"].unit_in("en") == "applications"
    assert cat.inputs["6.22.c"].unit_in("en") == "billion VND" and cat.inputs["2.8.a"].unit_in("en") == "Yes/No"
    assert cat.inputs["2.8.a"].unit_in("vi") == "Có/Không"
    ind = cat.indicators["3.3"]
    assert ind.target_text("vi") == "Trên 85% (Theo Kế hoạch hoạt động của BCĐ CĐS tỉnh 2023)"
    assert ind.target_text("en") == "Over 85% (per the 2023 action plan of the provincial DX steering committee)"
    assert (ind.deadline("vi"), ind.deadline("en")) == ("Trong năm", "During the year")
    assert ind.coordinating_in("vi") == ("Cục Thống kê tỉnh", "Doanh nghiệp viễn thông trên địa bàn tỉnh")
    assert ind.coordinating_in("en") == ("Cục Thống kê tỉnh", "Telecommunications businesses in the province")
    assert cat.indicators["1.1"].coordinating_in("en") == ("Văn phòng UBND tỉnh",)  # a unit's name is a name
    assert cat.source_in("en").startswith("Plan 213/KH-UBND of 29/8/2023") and cat.source_in("vi") == cat.source
    assert untranslated(cat, lambda text: _is_unit(ctx, text)) == []


def _is_unit(ctx, text):
    from dti_cli.core.errors import DtiError

    try:
        ctx.profile.resolve(text)
    except DtiError:
        return False
    return True


def test_a_text_without_english_falls_back_and_is_warned(tmp_path, ctx):
    """The Vietnamese in an English run, and `dti catalog check` names what lacks its English and where it goes."""
    from dti_cli.methodology.context import Context

    text = Path(load_catalogue().path).read_text(encoding="utf-8")
    for old, new in [('"hồ sơ" = "applications"\n', ""), ('"Hiệp hội doanh nghiệp" = "Business associations"\n', ""),
                     ('target_en = "Over 85%"\n', ""), ('\nsource_en = ', '\n# source_en = ')]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "cat.toml"
    path.write_text(text, encoding="utf-8")
    cat = load_catalogue(path)
    assert cat.inputs["6.12.b"].unit_in("en") == "hồ sơ" and cat.indicators["3.1"].target_text("en") == "Trên 85%"
    assert cat.source_in("en") == cat.source
    with i18n.using("en"):
        found = [f for f in check_data(Context(ctx.profile, cat, ctx.baseline)) if f.code == "catalogue.no_english"]
    assert all(not f.is_error for f in found)
    got = {(f.data["where"], f.data["field"], f.data["text"]) for f in found}
    hs = {("indicator " + i.indicator, "units", "hồ sơ") for i in cat.inputs.values() if i.unit == "hồ sơ"}
    assert got == {("catalogue", "source_en", cat.source), ("indicator 3.1", "target_en", "Trên 85%"),
                   *{("indicator " + i.code, "phrases", "Hiệp hội doanh nghiệp") for i in cat.indicators.values()
                     if "Hiệp hội doanh nghiệp" in i.coordinating}, *hs}
    unit = next(f for f in found if f.data["field"] == "units")
    assert "hồ sơ" in unit.message and "[units]" in unit.message


def test_a_units_table_of_texts(tmp_path):
    text = Path(load_catalogue().path).read_text(encoding="utf-8").replace('"người" = "people"', '"người" = 3', 1)
    bad = tmp_path / "cat.toml"
    bad.write_text(text, encoding="utf-8")
    with i18n.using("en"), pytest.raises(DataFileError) as e:
        load_catalogue(bad)
    assert "[units]" in str(e.value) and "người" in str(e.value)


def test_baseline_scores_and_slips(ctx):
    b = ctx.baseline
    assert b.score("3.6") == 4.29
    assert b.score("8.5") == 5.31
    assert b.score("1.1") == 10 and b.score("1.4") == 0 and b.score("1.3") == 6.67
    assert b.score("3.3") == 5.874
    assert set(b.indicators) == set(ctx.catalogue.indicators)
    assert b.total == 468.9 and b.rank == 58 and b.of == 63
    assert b.total_prev == pytest.approx(354.7) and b.rank_prev == 38
    assert b.pillars["1"].score_prev == pytest.approx(55.0) and b.pillars["1"].rank_prev == 40
    assert b.pillars["4"].rank_prev == 46


def test_baseline_pillars_match_summary_within_rounding(ctx):
    cat, b = ctx.catalogue, ctx.baseline
    documented = {"6": 72.78, "7": 60.9}  # the seed's own differences, reported by `catalog check`
    for code in "12345678":
        s = sum(b.score(i.code) for i in cat.children(code))
        if code in documented:
            assert s == pytest.approx(documented[code])
        else:
            assert s == pytest.approx(b.pillars[code].score, abs=0.05), code
    items = check_data(ctx)
    assert not [i for i in items if i.is_error]
    assert {(i.code, i.data["where"]) for i in items} == {("baseline.pillar_sum", "pillar 6"), ("baseline.pillar_sum", "pillar 7")}
    six = next(i for i in items if i.data["where"] == "pillar 6")
    assert six.data["sum"] == pytest.approx(72.78) and six.data["published"] == pytest.approx(77.76)


def test_invalid_catalogue_names_file_indicator_and_field(tmp_path):
    src = load_catalogue().path
    text = Path(src).read_text(encoding="utf-8").replace('kind = "threshold"\nnumerator = ["7.1.a"]', 'kind = "treshold"\nnumerator = ["7.1.a"]', 1)
    bad = tmp_path / "cat.toml"
    bad.write_text(text, encoding="utf-8")
    with i18n.using("en"), pytest.raises(DataFileError) as e:  # problems are said in the run's language
        load_catalogue(bad)
    assert str(bad) in str(e.value)
    assert "indicator 7.1, field 'rule.kind'" in str(e.value)


def test_bad_baseline_is_reported(tmp_path):
    bad = tmp_path / "b.toml"
    bad.write_text("[summary]\nscore = 'x'\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="summary"):
        load_baseline(bad)


def test_catalogue_json_is_the_library_result(invoke, ctx):
    from dti_cli.methodology.describe import catalogue_rows

    r = invoke("catalog", "list", "--format", "json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data == json.loads(json.dumps(catalogue_rows(ctx)))
    first = data[0]
    for key in ("code", "name_vi", "name_en", "max_points", "parent", "rule", "inputs", "lead", "lead_names", "coordinating", "target",
                "score_baseline", "baseline_year", "rule_vi", "rule_en"):
        assert key in first
    assert {"id", "label", "unit", "type"} <= set(first["inputs"][0])
    assert len(data) == len(ctx.catalogue.indicators)
