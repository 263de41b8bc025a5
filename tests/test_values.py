"""values.parse_value and friends: what officials type, read as they mean it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dti_cli.intake.cells import ErrorValue
from dti_cli.methodology.model import Choice, Input
from dti_cli.values import (
    NO_DATA,
    excel_serial_to_datetime,
    parse_date,
    parse_number_text,
    parse_text,
    parse_value,
    read_number,
)


def inp(typ: str, unit: str = "", choices=(), unit_en: str = "") -> Input:
    return Input(id="9.9.a", indicator="9.9", label_vi="x", label_en="x", type=typ, unit=unit, unit_en=unit_en, choices=tuple(choices))


COUNT, NUMBER, AMOUNT, PERCENT, YES_NO = (inp("count", "người", unit_en="people"), inp("number"), inp("amount", "tỷ đồng", unit_en="billion VND"),
                                          inp("percent", "%"), inp("yes_no"))
CHOICE = inp("choice", choices=[Choice("chu_tich", "Bí thư/Chủ tịch tỉnh", "Secretary/Chairman"), Choice("pho", "Phó Chủ tịch", "Deputy")])


@pytest.mark.parametrize(
    ("raw", "typ", "value", "ambiguous"),
    [
        ("1.234,5", NUMBER, 1234.5, False),
        ("1,234.5", NUMBER, 1234.5, False),
        ("1.234.567", COUNT, 1234567, False),
        ("1,234,567", COUNT, 1234567, False),
        ("12 ", COUNT, 12, False),
        ("1 234", COUNT, 1234, False),
        ("1\u00a0234\u200b", COUNT, 1234, False),
        ("12,5", NUMBER, 12.5, False),
        ("12.5", AMOUNT, 12.5, False),
        ("1.234", COUNT, 1234, True),
        ("1,234", COUNT, 1234, True),
        ("1.234", AMOUNT, 1.234, True),
        ("1,234", AMOUNT, 1.234, True),
        ("1.234", NUMBER, 1234, True),
        ("0,234", AMOUNT, 0.234, False),
        ("12 người", COUNT, 12, False),
        ("12 people", COUNT, 12, False),
        (12, COUNT, 12, False),
        (12.0, COUNT, 12, False),
        (0, COUNT, 0, False),
        (85, PERCENT, 0.85, False),
        (0.85, PERCENT, 0.85, False),
        ("85%", PERCENT, 0.85, False),
        ("85 %", PERCENT, 0.85, False),
        ("85,5%", PERCENT, 0.855, False),
        ("0,85", PERCENT, 0.85, False),
        (1, PERCENT, 1.0, True),
        ("1%", PERCENT, 0.01, False),
        ("100%", PERCENT, 1.0, False),
    ],
)
def test_numbers(raw, typ, value, ambiguous):
    p = parse_value(raw, typ)
    assert p.ok, p
    assert p.value == pytest.approx(value) and isinstance(p.value, float)
    assert p.ambiguous is ambiguous
    assert (p.code == "value.ambiguous_number") is ambiguous
    if ambiguous:
        assert "đã hiểu là" in p.message or "100%" in p.message


def test_ambiguous_message_says_how_it_was_read():
    p = parse_value("1.234", COUNT)
    assert "1.234" in p.message and "số nguyên" in p.message


@pytest.mark.parametrize(
    ("raw", "typ", "code"),
    [
        (-3, COUNT, "value.negative"),
        ("-3", AMOUNT, "value.negative"),
        ("(1.000)", AMOUNT, "value.negative"),
        (12.5, COUNT, "value.not_whole"),
        ("12,5", COUNT, "value.not_whole"),
        ("abc", COUNT, "value.not_number"),
        ("1.23.4", NUMBER, "value.not_number"),
        (True, COUNT, "value.not_number"),
        (dt.datetime(2023, 1, 1), AMOUNT, "value.not_number"),
        ("150%", PERCENT, "value.percent_range"),
        (150, PERCENT, "value.percent_range"),
        ("85%", COUNT, "value.not_number"),
        ("có lẽ", YES_NO, "value.not_yes_no"),
        (2, YES_NO, "value.not_yes_no"),
        ("Thủ tướng", CHOICE, "value.unknown_choice"),
    ],
)
def test_refusals(raw, typ, code):
    p = parse_value(raw, typ)
    assert not p.ok and p.code == code and p.value is None
    assert "Đề nghị" in p.message


@pytest.mark.parametrize("raw", [ErrorValue("#DIV/0!"), "#DIV/0!", "#REF!", "#N/A", " #value! ", "#NAME?"])
def test_error_values_are_missing_with_a_reason(raw):
    for typ in (COUNT, PERCENT, YES_NO, CHOICE):
        p = parse_value(raw, typ)
        assert (p.value, p.ok, p.code) == (None, False, "value.error")


@pytest.mark.parametrize("raw", ["Không có số liệu", "không có số liệu", "KHONG CO SO LIEU", "No data", "KCSL", "N/A", "n/a", " Không có  số liệu\u200b"])
def test_no_data_texts(raw):
    for typ in (COUNT, PERCENT, YES_NO, CHOICE):
        p = parse_value(raw, typ)
        assert p.value is NO_DATA and p.ok and p.code is None


def test_dash_is_no_data_with_a_warning_never_zero():
    p = parse_value("-", COUNT)
    assert p.value is NO_DATA and p.ok and p.code == "value.dash" and "nhập 0" in p.message


@pytest.mark.parametrize("raw", [None, "", "   ", "\u200b"])
def test_empty_is_missing(raw):
    p = parse_value(raw, COUNT)
    assert (p.value, p.ok, p.code) == (None, True, None)


@pytest.mark.parametrize("raw", ["Có", "có", "co", "C", "x", "X", "Yes", "Y", "1", 1, True, "Đã ban hành", "Đã triển khai", " CÓ "])
def test_yes(raw):
    assert parse_value(raw, YES_NO) == parse_value(True, YES_NO)
    assert parse_value(raw, YES_NO).value is True


@pytest.mark.parametrize("raw", ["Không", "không", "K", "No", "N", "0", 0, False, "Chưa", "Chưa ban hành", "ko"])
def test_no(raw):
    assert parse_value(raw, YES_NO).value is False


@pytest.mark.parametrize("raw", ["Bí thư/Chủ tịch tỉnh", "bi thu/chu tich tinh", "BÍ THƯ / CHỦ TỊCH TỈNH", "Secretary/Chairman", "chu_tich", "CHU_TICH"])
def test_choices_by_label_or_code(raw):
    assert parse_value(raw, CHOICE).value == "chu_tich"


def test_parse_number_text_keeps_its_contract():
    assert parse_number_text("1.234,5") == 1234.5
    assert parse_number_text("1,234.5") == 1234.5
    assert parse_number_text("1.234") == 1234
    assert parse_number_text("12,5") == 12.5
    assert parse_number_text("x") is None
    assert parse_number_text("") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("25/12/2023", dt.date(2023, 12, 25)),
        ("25-12-2023", dt.date(2023, 12, 25)),
        ("25.12.2023", dt.date(2023, 12, 25)),
        ("5/1/2023", dt.date(2023, 1, 5)),  # day first
        ("25/12/23", dt.date(2023, 12, 25)),
        ("2023-12-25", dt.date(2023, 12, 25)),
        ("ngày 25 tháng 12 năm 2023", dt.date(2023, 12, 25)),
        (dt.datetime(2023, 12, 25, 8, 30), dt.date(2023, 12, 25)),
        (dt.date(2023, 12, 25), dt.date(2023, 12, 25)),
        (45285, dt.date(2023, 12, 25)),
        (45285.5, dt.date(2023, 12, 25)),
        ("31/02/2023", None),
        ("hôm qua", None),
        (True, None),
        (-5, None),
        (None, None),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


def test_excel_serials_and_the_1904_system():
    assert excel_serial_to_datetime(45285) == dt.datetime(2023, 12, 25)
    assert excel_serial_to_datetime(45285, date1904=True) == dt.datetime(2027, 12, 26)
    assert excel_serial_to_datetime(1) == dt.datetime(1900, 1, 1)
    assert excel_serial_to_datetime(-1) is None


def test_parse_text_keeps_codes_and_cleans():
    assert parse_text("0912345678") == "0912345678"
    assert parse_text(912345678.0) == "912345678"
    assert parse_text("Nguyễn  Văn\u200b A ") == "Nguyễn Văn A"
    assert parse_text("Nguye\u0302\u0303n") == "Nguyễn"  # NFC
    assert parse_text(dt.datetime(2023, 12, 25)) == "25/12/2023"
    assert parse_text("  ") is None


def _format(x: float, decimals: int, habit: str, grouped: bool) -> str:
    s = f"{x:,.{decimals}f}" if grouped else f"{x:.{decimals}f}"
    if habit == "vi":
        s = s.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return s


@given(
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=0, max_value=4),
    st.sampled_from(["vi", "en"]),
    st.booleans(),
)
def test_formatting_in_either_habit_parses_back(n, decimals, habit, grouped):
    x = n / 10**decimals
    text = _format(x, decimals, habit, grouped)
    r = read_number(text, dot="group" if habit == "vi" else "decimal", comma="decimal" if habit == "vi" else "group")
    assert r is not None and r[0] == pytest.approx(x, rel=1e-12, abs=1e-12), text
    # without knowing the habit: right, or flagged ambiguous
    value, ambiguous = read_number(text)
    assert ambiguous or value == pytest.approx(x, rel=1e-12, abs=1e-12), text


@pytest.mark.parametrize("raw", [1e308, "1e15", 10**13, "9.999.999.999.999"])
def test_implausibly_large_numbers_are_refused(ctx, raw):
    p = parse_value(raw, ctx.catalogue.inputs["3.1.b"])
    assert not p.ok and p.code == "value.too_large" and "quá lớn" in p.message


def test_a_large_but_plausible_figure_is_read(ctx):
    assert parse_value("82.345.678", ctx.catalogue.inputs["3.1.b"]).value == 82345678
