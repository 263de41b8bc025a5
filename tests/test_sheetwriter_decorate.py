"""core.sheetwriter's ``decorate`` hook: a caller adds to a sheet (a native chart) knowing where the table landed."""

from __future__ import annotations

import re
import zipfile

from dti_cli.core.sheetwriter import Column, Placement, Sheet, write_workbook


def test_decorate_gets_the_placement_and_can_add_a_chart_of_the_table(tmp_path):
    seen: list[Placement] = []

    def chart(wb, ws, at: Placement) -> None:
        seen.append(at)
        c = wb.add_chart({"type": "bar"})
        c.add_series({"categories": [at.sheet, at.first_row, 0, at.last_row, 0], "values": [at.sheet, at.first_row, 1, at.last_row, 1]})
        ws.insert_chart(at.last_row + 2, 0, c)

    rows = [["Một", 1.5], ["Hai", 2.0], ["Ba", 3.25]]
    path = tmp_path / "t.xlsx"
    write_workbook(path, [Sheet("Bảng", [Column("name", "Tên"), Column("v", "Giá trị", "number")], rows, title="Tiêu đề", decorate=chart),
                          Sheet("Trống", [Column("x", "X")], [], decorate=chart)])
    # A title line, then the header: the data rows are 2..4 (0-based), as a spreadsheet shows rows 3..5.
    assert seen[0] == Placement("Bảng", 1, 2, 4, seen[0].widths) and len(seen[0].widths) == 2
    assert seen[1].header_row == seen[1].last_row == 0  # no rows: last_row is the header's
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/charts/chart1.xml").decode()
    assert re.findall(r"<c:f>(.*?)</c:f>", xml) == ["Bảng!$A$3:$A$5", "Bảng!$B$3:$B$5"]


def test_a_decorated_workbook_is_never_given_to_the_fast_engine(tmp_path, monkeypatch):
    import pytest

    from dti_cli.core import sheetwriter

    monkeypatch.setattr(sheetwriter, "FAST_FROM", 1)  # every workbook is "large"
    calls = []
    sheet = Sheet("Bảng", [Column("v", "Giá trị", "number")], [[1.0], [2.0]], decorate=lambda wb, ws, at: calls.append(at))
    write_workbook(tmp_path / "a.xlsx", [sheet])
    assert len(calls) == 1
    with pytest.raises(ValueError, match="decorate"):
        write_workbook(tmp_path / "b.xlsx", [sheet], engine="fast")
