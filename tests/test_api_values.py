"""Values typed as officials type them: the same points and findings through ``dti.score_values`` as through merge.

Through merge, end to end: the unit's template (written by the template stage) is filled through
its defined names with openpyxl, as Excel saves what is typed (text stays text, numbers numbers),
merged with ``dti.merge`` and scored; through the API, the same values go to
``dti.score_values`` as a mapping. A finding is the same when its code, severity, input and
reason are: merge says where the cell is ("Cell F12 (7.1.a): reason"), the API has no cell
("7.1.a: reason"). One more test generates the templates with ``dti template`` itself.
"""

from __future__ import annotations

import functools
import itertools
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dti_cli import api as dti
from dti_cli.core.i18n import _
from dti_cli.methodology.assign import expected_inputs

UNITS = ("so-tttt", "so-tc")  # counts, yes/no and choices; amounts (billion VND)
CHECKED = re.compile(r"^(value\.|merge\.part_exceeds_whole$|merge\.requires_unmet$)")
_counter = itertools.count()


def returned_workbook(ctx, unit_id: str, values: dict, folder: Path) -> Path:
    """The unit's template, filled with ``values`` through the defined names of their value cells, in ``folder``."""
    from helpers_fill import fill_template, template_path

    src = template_path(ctx, unit_id)
    folder.mkdir(parents=True, exist_ok=True)
    dst = shutil.copyfile(src, folder / src.name)
    return fill_template(dst, values, by_name=True)


# --- the forms merge accepts (and refuses) --------------------------------------------------------


def vi_number(x: float, decimals: int) -> str:
    s = f"{x:,.{decimals}f}"  # 1,234.50
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".")  # 1.234,50


def numbers() -> st.SearchStrategy:
    whole = st.integers(min_value=0, max_value=2_000_000)
    frac = st.floats(min_value=0, max_value=100_000, allow_nan=False).map(lambda x: round(x, 2))
    return st.one_of(
        whole,  # a number cell
        frac,
        whole.map(str),  # "1234"
        frac.map(lambda x: vi_number(x, 2)),  # "1.234,50"
        frac.map(lambda x: f"{x:,.2f}"),  # "1,234.50"
        whole.map(lambda x: vi_number(x, 0)),  # "1.234.567" / "1.234" (ambiguous)
        whole.map(lambda x: f"{x:,}"),  # "1,234" (ambiguous)
        whole.map(lambda x: f" {x}\u00a0"),  # stray spaces
        st.integers(0, 100).map(lambda x: f"{x} %"),  # a percentage where a count is asked
        st.integers(0, 300).map(lambda x: f"{x},5%"),
        # what a % cell stores (to 6 decimals: a cell holds 15 significant digits, openpyxl writes fewer than repr)
        st.floats(min_value=0, max_value=1, allow_nan=False).map(lambda x: round(x, 6)),
        st.integers(1, 9).map(lambda x: f"{x},5"),  # not whole for a count
        st.sampled_from(["-5", "(12)", "1e20", "1e3", "12 người", "3 tỷ đồng"]),
    )


YES_NO = ["Có", "Không", "có", "KHÔNG", "x", "Yes", "no", "Đã ban hành", "Chưa triển khai", "Đạt", "1", "0", True, False, 1, 0, "Có thể"]
NO_DATA = ["Không có số liệu", "không có số liệu", "KCSL", "N/A", "No data", "Chưa có số liệu", "-", "–", "—", "--"]
ERRORS = ["#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?"]
JUNK = ["abc", "nhiều", "?", "1.2.3", "không rõ"]


def forms_for(inp) -> st.SearchStrategy:
    common = st.sampled_from(NO_DATA + ERRORS + JUNK)
    if inp.type == "yes_no":
        own = st.sampled_from(YES_NO)
    elif inp.type == "choice":
        labels = [x for c in inp.choices for x in (c.label_vi, c.label_en, c.value, c.label_vi.upper())]
        own = st.sampled_from(labels)
    else:
        own = numbers()
    return st.one_of(own, own, common, numbers() if inp.type != "count" else st.sampled_from(YES_NO))


@st.composite
def typed_values(draw, ctx):
    uid = draw(st.sampled_from(UNITS))
    ids = expected_inputs(ctx)[uid]
    chosen = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=10, unique=True))
    # whole and part together now and then, so that part > whole and "requires" get drawn
    pairs = [i for i in ids if ctx.catalogue.inputs[i].part_of in ids or ctx.catalogue.inputs[i].requires in ids]
    if pairs and draw(st.booleans()):
        i = draw(st.sampled_from(pairs))
        inp = ctx.catalogue.inputs[i]
        chosen += [x for x in (i, inp.part_of or inp.requires) if x not in chosen]
    return uid, {i: draw(forms_for(ctx.catalogue.inputs[i])) for i in chosen}


# --- comparing ------------------------------------------------------------------------------------


def _reason(message: str, prefix: str) -> str:
    assert message.startswith(prefix), (message, prefix)
    return message[len(prefix):]


def merge_findings(result, file_name: str) -> list[tuple]:
    """(code, severity, input, reason) of the value findings merge made about ``file_name``; the reason without "Cell F12 (id): "."""
    out = []
    for f in result.findings:
        if f.file == file_name and CHECKED.match(f.code):
            where = _("Cell {cell} ({id}): {reason}").format(cell=f.cell, id=f.input, reason="")
            out.append((f.code, f.severity, f.input, _reason(f.message, where) if f.code.startswith("value.") else ""))
    return sorted(out)


def api_findings(scores) -> list[tuple]:
    """The same of the API's findings; the reason without "id: "."""
    out = []
    for f in scores.problems:
        if CHECKED.match(f.code):
            where = _("{id}: {reason}").format(id=f.input, reason="")
            out.append((f.code, f.severity, f.input, _reason(f.message, where) if f.code.startswith("value.") else ""))
    return sorted(out)


def points(scores) -> dict[str, tuple[float, str]]:
    return {c: (round(s.points, 9), s.status) for c, s in scores.indicators.items()}


@functools.cache
def context():
    return dti.load_context()  # not the fixture: hypothesis would print the whole context with a failing example


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_values_as_typed_give_the_same_points_and_findings_through_the_api_as_through_merge(tmp_path, data):
    ctx = context()
    uid, values = data.draw(typed_values(ctx), label="unit and values")
    path = returned_workbook(ctx, uid, values, tmp_path / f"{next(_counter)}")
    merged = dti.merge(ctx, [path])
    through_merge = dti.score(ctx, merged)
    through_api = dti.score_values(ctx, values)
    assert points(through_api) == points(through_merge)
    assert api_findings(through_api) == merge_findings(merged, path.name)
    # What was used (or left out) is the same. A per-unit input is compared by its points only: in this
    # one-file merge the other units have sent nothing, so one unit's "no data" combines to missing.
    per_unit = {i for i in values if ctx.catalogue.inputs[i].per_unit}
    for code, s in through_api.indicators.items():
        m = through_merge.indicators[code]
        assert {k: v for k, v in s.inputs.items() if v is not None and k not in per_unit} == \
               {k: v for k, v in m.inputs.items() if v is not None and k not in per_unit}


@pytest.mark.parametrize(("raw", "code"), [("1.234", "value.ambiguous_number"), ("-", "value.dash"), ("#DIV/0!", "value.error"),
                                           ("2,5", "value.not_whole"), ("85 %", "value.not_number"), ("-3", "value.negative")])
def test_each_checked_form_of_a_count_gives_merges_finding(ctx, tmp_path, raw, code):
    path = returned_workbook(ctx, "so-tttt", {"1.3.a": raw}, tmp_path)
    merged = dti.merge(ctx, [path])
    assert [f[0] for f in merge_findings(merged, path.name)] == [code]
    assert api_findings(dti.score_values(ctx, {"1.3.a": raw})) == merge_findings(merged, path.name)


def test_a_part_larger_than_its_whole_is_left_out_in_both(ctx, tmp_path):
    values = {"3.1.a": "120", "3.1.b": "100"}
    path = returned_workbook(ctx, "so-tttt", values, tmp_path)
    merged = dti.merge(ctx, [path])
    api = dti.score_values(ctx, values)
    assert [f[:3] for f in api_findings(api)] == [f[:3] for f in merge_findings(merged, path.name)] == [
        ("merge.part_exceeds_whole", "error", "3.1.a")]
    assert api.indicators["3.1"].input_status["3.1.a"] == "invalid"


def test_an_answer_that_contradicts_the_no_it_requires_is_reported_in_both(ctx, tmp_path):
    values = {"6.2.a": "Không", "6.2.b": "Có"}
    path = returned_workbook(ctx, "so-tttt", values, tmp_path)
    merged = dti.merge(ctx, [path])
    api = dti.score_values(ctx, values)
    assert api_findings(api) == merge_findings(merged, path.name) == [("merge.requires_unmet", "warning", "6.2.b", "")]
    assert [f.message for f in api.problems if f.code == "merge.requires_unmet"] == \
           [f.message for f in merged.findings if f.code == "merge.requires_unmet"]


# --- end to end, with the templates `dti template` writes --------------------------------------------


def test_end_to_end_a_template_filled_through_its_defined_names(ctx, invoke, tmp_path):
    from openpyxl import load_workbook

    from dti_cli.formats import template as layout

    res = invoke("template", "--all", "-o", str(tmp_path / "phieu"))
    assert res.exit_code == 0, res.output
    values = {"1.2.a": "Có", "1.3.a": "1.234", "1.3.b": "Không có số liệu", "3.1.a": "12,5", "3.1.b": "#DIV/0!", "1.1.a": "Phó Bí thư/Phó Chủ tịch tỉnh"}
    src = tmp_path / "phieu" / layout.file_name("so-tttt", ctx.year)
    wb = load_workbook(src)
    for iid, v in values.items():
        sheet, ref = next(iter(wb.defined_names[layout.defined_name(iid)].destinations))
        wb[sheet][ref.replace("$", "")].value = v
    filled_path = tmp_path / "nhan-ve" / src.name
    filled_path.parent.mkdir()
    wb.save(filled_path)
    merged = dti.merge(ctx, [filled_path])
    assert points(dti.score_values(ctx, values)) == points(dti.score(ctx, merged))
    found = merge_findings(merged, filled_path.name)
    assert api_findings(dti.score_values(ctx, values)) == found
    assert {f[0] for f in found} == {"value.ambiguous_number", "value.not_whole", "value.error"}
