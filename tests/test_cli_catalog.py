"""`dti catalog …` and agency lookup, through the CLI as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dti_cli.core.errors import UnknownNameError


def test_help_lists_commands(invoke):
    r = invoke("--help")
    assert r.exit_code == 0
    assert "catalog" in r.stdout


def test_catalog_list_filters(invoke):
    r = invoke("catalog", "list", "--pillar", "7", "--format", "json")
    codes = [x["code"] for x in json.loads(r.stdout)]
    assert codes == [f"7.{i}" for i in range(1, 13)]
    r = invoke("catalog", "list", "--agency", "so tai chinh", "--format", "json")
    assert r.exit_code == 0
    assert {x["code"] for x in json.loads(r.stdout)} == {"2.8", "5.12", "5.12.1", "5.12.2", "5.12.3", "5.12.4", "5.12.5", "5.12.6", "6.22", "7.12", "8.7"}
    r = invoke("catalog", "list", "--format", "csv")
    assert r.stdout.splitlines()[0].startswith("code,name_vi")
    r = invoke("catalog", "list")
    assert r.exit_code == 0 and "6.12" in r.stdout


def test_catalog_show_every_indicator(invoke, ctx):
    for code in ctx.catalogue.indicators:
        r = invoke("catalog", "show", code)
        assert r.exit_code == 0, code
        assert code in r.stdout
    r = invoke("catalog", "show", "6.12")
    assert "Tỷ lệ ≥ 80%" in r.stdout
    r = invoke("catalog", "show", "6.12", "--format", "json")
    assert json.loads(r.stdout)["rule"]["threshold"] == 0.8


def test_unknown_code_exits_2_with_suggestion(invoke):
    r = invoke("catalog", "show", "6.123")
    assert r.exit_code == 2
    assert "6.12" in r.stderr


def test_catalog_agencies(invoke):
    r = invoke("catalog", "agencies", "--format", "json")
    rows = {x["name"]: x for x in json.loads(r.stdout)}
    assert "2.8" in rows["Sở Tài chính"]["leads"]
    assert rows["Sở Tài chính"]["max_points_led"] == 10 + 15 + 10 + 10 + 20
    assert invoke("catalog", "agencies").exit_code == 0


def test_catalog_check_reports_the_pillar_6_difference(invoke):
    r = invoke("catalog", "check")
    assert r.exit_code == 0
    assert "72,78" in r.stdout and "77,76" in r.stdout
    data = json.loads(invoke("catalog", "check", "--format", "json").stdout)
    assert data["errors"] == 0 and data["warnings"] == 2


def test_catalog_check_fails_on_broken_data(invoke, tmp_path, ctx):
    text = Path(ctx.catalogue.path).read_text(encoding="utf-8").replace("max_points = 30\n", "max_points = 31\n", 1)
    bad = tmp_path / "c.toml"
    bad.write_text(text, encoding="utf-8")
    r = invoke("--lang", "en", "--catalogue", bad, "catalog", "check")
    assert r.exit_code == 1
    assert "pillar 3" in r.stdout and "101" in r.stdout


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Sở Tài chính", "Sở Tài chính"), ("so tai chinh", "Sở Tài chính"), ("SỞ TÀI CHÍNH", "Sở Tài chính"),
        ("Sở LĐ-TB& XH", "Sở Lao động - Thương binh và Xã hội"), ("so ld-tb&xh", "Sở Lao động - Thương binh và Xã hội"),
        ("Cổng TTĐT tỉnh", "Cổng Thông tin điện tử tỉnh"), ("Trung tâm GQTTHC tỉnh.", "Trung tâm Giải quyết thủ tục hành chính tỉnh"),
        ("so tt&tt", "Sở Thông tin và Truyền thông"), ("TP. Cà Mau", "UBND thành phố Cà Mau"), ("dam doi", "UBND huyện Đầm Dơi"),
    ],
)
def test_agency_lookup(ctx, typed, canonical):
    import unicodedata

    assert ctx.profile.resolve(typed).name == canonical
    assert ctx.profile.resolve(unicodedata.normalize("NFD", typed)).name == canonical


def test_every_seed_lead_resolves(ctx):
    for ind in ctx.catalogue.indicators.values():
        got = [u.id for u in ctx.profile.resolve_many(ind.lead_seed)]
        assert set(got) == set(ind.lead), ind.code


def test_misspelt_agency_suggests(ctx, invoke):
    with pytest.raises(UnknownNameError) as e:
        ctx.profile.resolve("Sở Tài chin")
    assert "Sở Tài chính" in e.value.suggestions
    r = invoke("catalog", "list", "--agency", "So Tai chin")
    assert r.exit_code == 2
    assert "Sở Tài chính" in r.stderr


def test_another_province_profile(invoke, tmp_path, ctx):
    prof = tmp_path / "profile.toml"
    groups = {"ubnd-huyen": "districts", "ubnd-xa": "districts", "cac-so-nganh": "departments"}
    leads = sorted({x for ind in ctx.catalogue.indicators.values() for x in ind.lead} - set(groups))
    prof.write_text(
        '[province]\nid = "bac-lieu"\nname = "Bạc Liêu"\nyear = 2023\ncatalogue = "catalogue_2023.toml"\nbaseline = "baseline_2022.toml"\n'
        + "".join(f'[[agency]]\nid = "{uid}"\nname = "Cơ quan {i}"\nkind = "department"\n' for i, uid in enumerate(leads))
        + "".join(f'[[agency]]\nid = "{uid}"\nname = "Nhóm {uid}"\nkind = "group"\nmembers = "{m}"\n' for uid, m in groups.items())
        + '[[district]]\nid = "tp-bac-lieu"\nname = "UBND thành phố Bạc Liêu"\n',
        encoding="utf-8",
    )
    r = invoke("--profile", prof, "catalog", "agencies", "--format", "json")
    assert r.exit_code == 0
    assert any(x["name"] == "UBND thành phố Bạc Liêu" for x in json.loads(r.stdout))


def test_every_command_has_help_with_an_example():
    import typer.main

    from dti_cli.cli import app

    cmd = typer.main.get_command(app)

    def walk(c, path):
        if hasattr(c, "commands"):
            for name, sub in c.commands.items():
                yield from walk(sub, [*path, name])
        else:
            yield path, c

    for path, c in walk(cmd, []):
        assert c.help and "Example" in c.help, " ".join(path)
