"""core.i18n's numbers print exactly what Babel's formatters print, in both languages (a faster path, the same text)."""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent
from hypothesis import given, settings
from hypothesis import strategies as st

from dti_cli.core import i18n

FLOATS = st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
                   st.integers(min_value=-10**9, max_value=10**9),
                   st.sampled_from([0.0, -0.0, 0.5, 1.5, 2.5, 2.675, 0.125, -0.001, 1234.5, 593.3115612231837, 1e-7, 999.995]))


@settings(max_examples=300, deadline=None)
@given(x=FLOATS, digits=st.integers(min_value=0, max_value=6))
def test_num_pts_pct_equal_babel(x, digits):
    for code in ("vi", "en"):
        with i18n.using(code):
            pattern = "#,##0" + ("." + "#" * digits if digits else "")
            want = format_decimal(x + 0.0, format=pattern, locale=code, decimal_quantization=True)
            assert i18n.num(x, digits) == ("0" if want in ("-0", "\u22120") else want)
            want = format_decimal(round(x + 0.0, 2) + 0.0, format="#,##0.00", locale=code).replace("-0,00", "0,00").replace("-0.00", "0.00")
            assert i18n.pts(x) == want
            assert i18n.pct(x, digits) == format_percent(x + 0.0, format=pattern + "%", locale=code, decimal_quantization=True)


def test_the_styles_of_the_glossary_and_huge_figures():
    with i18n.using("vi"):
        assert (i18n.num(1234.5, 1), i18n.pct(0.618), i18n.pts(593.3115), i18n.integer(1000)) == ("1.234,5", "61,8%", "593,31", "1.000")
        assert i18n.num(1.7976931348623157e308) == "1,798e+308" and i18n.pct(2e13) == "2e+15%"
    with i18n.using("en"):
        assert (i18n.num(1234.5, 1), i18n.pct(0.618), i18n.pts(593.3115), i18n.integer(1000)) == ("1,234.5", "61.8%", "593.31", "1,000")
        assert i18n.pts(-0.001) == "0.00" and i18n.pct(-0.0) == "0%"


def test_the_built_in_symbols_are_babels():
    for code, symbols in i18n.SYMBOLS.items():
        assert i18n.babel_symbols(code) == symbols
