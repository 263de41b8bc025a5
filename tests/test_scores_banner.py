"""A scores file written with a banner (the demo's SỐ LIỆU MẪU, a line above every sheet's header) reads back the same."""

from __future__ import annotations

from report_round import sample_scores

from dti_cli.core.findings import Finding
from dti_cli.formats.scores import read_scores, write_scores


def test_a_banner_above_every_header_reads_back_the_same(tmp_path, ctx):
    s = sample_scores(ctx)
    s.problems = [Finding("score.reference_bad_value", "a bad reference", file="refs.csv")]
    s.adjustments = [{"row": 2, "input_id": "8.1.b", "indicator": "8.1", "old_value": 1.0, "new_value": 100.0, "reason": "sửa",
                      "by": "A", "date": "2023-10-06"}]
    plain, banner = tmp_path / "plain.xlsx", tmp_path / "banner.xlsx"
    write_scores(s, plain, province="Tỉnh Cà Mau")
    write_scores(s, banner, province="Tỉnh Cà Mau", banner="SỐ LIỆU MẪU")
    a, b = read_scores(plain), read_scores(banner)
    assert set(b.pillars) == set(s.pillars) == set(a.pillars)
    assert b.references == a.references == s.references
    assert [p.code for p in b.problems] == [p.code for p in a.problems] == ["score.reference_bad_value"]
    assert len(b.adjustments) == len(a.adjustments) == 1
    assert b.to_dict()["indicators"] == a.to_dict()["indicators"]
    assert (b.total_estimated, b.total_confirmed) == (a.total_estimated, a.total_confirmed)
