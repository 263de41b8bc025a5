"""Lazy opening (what `dti merge` uses): only the sheets asked for are parsed; the rest are still checked.

A returned template has five sheets and merge reads three (stamp, cover, data). With
``open_workbook(path, lazy=True)`` a sheet is parsed when first asked for, and ``finish()`` checks
the others: a hostile or malformed part still refuses the file, and a file already rejected gets
the reason an eager open would have given. These tests hold the lazy open to the eager one.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import badfiles
import pytest
from helpers_fill import make_returned_set

from dti_cli.intake import IntakeError, model, open_workbook, opener
from dti_cli.merge.read import read_submission
from dti_cli.merge.submission import expect_from

GUIDE = "xl/worksheets/sheet1.xml"  # "Hướng dẫn": the first sheet of every template, never read by merge


@pytest.fixture(scope="module")
def returned(tmp_path_factory, ctx) -> Path:
    paths = make_returned_set(tmp_path_factory.mktemp("lazy"), ctx, only=["so-tttt"])
    return paths["so-tttt"]


def _with_guide(src: Path, dst: Path, guide: bytes) -> Path:
    with zipfile.ZipFile(src) as z:
        assert z.read(GUIDE).startswith(b"<") and b"<sheetData" in z.read(GUIDE)
    return badfiles.rewrite_zip(src, dst, {GUIDE: guide})


def test_a_lazy_open_reads_every_sheet_as_an_eager_one(returned):
    eager = open_workbook(returned)
    lazy = open_workbook(returned, lazy=True)
    assert list(lazy.sheets) == list(eager.sheets) == eager.sheet_order
    for title in eager.sheet_order:
        a, b = eager.sheets[title], lazy.sheets[title]
        assert (sorted(a.rows()), a.formulas) == (sorted(b.rows()), b.formulas), title
    assert (lazy.defined_names, lazy.hidden, lazy.date1904) == (eager.defined_names, eager.hidden, eager.date1904)
    lazy.finish()


def test_merge_parses_only_the_sheets_it_reads(returned, ctx, monkeypatch):
    parsed: list[str] = []
    real = opener._read_worksheet

    def spy(z, member, sheet, *a, **k):
        parsed.append(sheet.title)
        return real(z, member, sheet, *a, **k)

    monkeypatch.setattr(opener, "_read_worksheet", spy)
    sub = read_submission(returned, expect_from(ctx))
    assert sub.verdict in ("accepted", "accepted_with_warnings")
    assert sorted(parsed) == sorted(["_dti", "Thông tin", "Dữ liệu"])


@pytest.mark.parametrize(("guide", "code"), [
    (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
     b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>', "xml.entities"),
    (b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>', "xml.invalid"),  # cut short
    (b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></x></row></sheetData></worksheet>', "xml.invalid"),
])
def test_an_unread_sheet_that_is_hostile_or_malformed_still_refuses_the_file(returned, tmp_path, ctx, guide, code):
    bad = _with_guide(returned, tmp_path / "DTI2023_so-tttt.xlsx", guide)
    with pytest.raises(IntakeError) as eager:
        open_workbook(bad)
    assert eager.value.code == code
    raw = open_workbook(bad, lazy=True)
    raw.sheets["Dữ liệu"]
    with pytest.raises(IntakeError) as lazy:
        raw.finish()
    assert (lazy.value.code, lazy.value.message) == (eager.value.code, eager.value.message)
    sub = read_submission(bad, expect_from(ctx))
    assert sub.verdict == "rejected" and sub.reason == f"{code} (IntakeError)"
    assert not sub.answers and not sub.sha256  # nothing read before the refusal is kept; feedback will not open it


def test_a_well_formed_unread_sheet_with_a_bad_address_does_not_lose_the_data(returned, tmp_path, ctx):
    """The chosen difference: an eager open refuses a cell address beyond Excel anywhere; merge keeps the data."""
    guide = b'<worksheet><sheetData><row r="1"><c r="ZZZZ1"><v>1</v></c></row></sheetData></worksheet>'
    odd = _with_guide(returned, tmp_path / "DTI2023_so-tttt.xlsx", guide)
    with pytest.raises(IntakeError):
        open_workbook(odd)
    sub = read_submission(odd, expect_from(ctx))
    assert sub.verdict in ("accepted", "accepted_with_warnings")
    assert sub.answers == read_submission(returned, expect_from(ctx)).answers


def test_a_rejected_file_gets_the_reason_of_an_eager_open(returned, tmp_path, ctx):
    """No stamp (not a template) and a bad sheet: the damaged sheet is named, as before lazy reading."""
    bad = badfiles.rewrite_zip(returned, tmp_path / "x.xlsx", {"xl/worksheets/sheet4.xml": badfiles._sheet_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row>'), GUIDE: b'<worksheet><sheetData><row r="1"><c r="1A"><v>1</v></c></row></sheetData></worksheet>'})
    with pytest.raises(IntakeError) as eager:
        open_workbook(bad)
    sub = read_submission(bad, expect_from(ctx))
    assert sub.reason == f"{eager.value.code} (IntakeError)"


def test_large_unread_sheets_are_read_with_the_cell_limits(returned, tmp_path, ctx, monkeypatch):
    """Past a size, unread sheets are read as an eager open reads them, so their cells stay bounded."""
    body = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 200))
    big = _with_guide(returned, tmp_path / "DTI2023_so-tttt.xlsx", badfiles._sheet_xml(body))
    monkeypatch.setattr(model, "_CHECK_ONLY_MAX", 1000)
    loaded: list[str] = []
    real = opener._read_worksheet
    monkeypatch.setattr(opener, "_read_worksheet", lambda z, m, sheet, *a: loaded.append(sheet.title) or real(z, m, sheet, *a))
    raw = open_workbook(big, lazy=True)
    raw.finish()
    assert "Hướng dẫn" in loaded and raw.sheets["Hướng dẫn"].max_row == 199
