"""Extract the appendix of plan 213/KH-UBND (the seed) into tests/data/seed_appendix.csv.

    python tests/data/make_seed_appendix.py ../shared/seed/000_cacecb8799e26908.txt > tests/data/seed_appendix.csv

The appendix starts at the line "PHÂN CÔNG NHIỆM VỤ CẢI THIỆN VÀ NÂNG CAO CHỈ SỐ THÀNH PHẦN";
after three title lines, every line is one cell ending in "|", nine cells a row: STT, name, max,
how it is scored, deadline, target, lead, coordinating, note. One CSV row per pillar and
indicator, as the seed writes them (the rows a, b, c under 5.12.1 and 6.22 name input amounts,
not indicators, and are left out):

- max_points: the seed's text, blank where the seed leaves it blank (pillar 8, 8.8.1.4);
- lead: the lead agency cell as written;
- result_2022: the note's 2022 clause (up to "- Năm 2023"), without the leading "- ";
- score_2022: that clause read as a number: "không có điểm" = 0, "điểm tối đa" = the max,
  "đạt X/Y" or "được X/Y" = X; and the slip "đạt 5 31/10" (8.5) = 5.31. The slip
  "Năm 2022; đạt 4.29/20" (3.6) reads as 4.29 through the ordinary rule.

The only number not in the seed: "đạt điểm tối đa" under a blank max (8.8.1.4) takes the max
its parent implies (8.8.1 = 4 = four leaves of 1), listed in BLANK_MAX.

Standard library only, so the tests can import it and rebuild the CSV in memory.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

START = "PHÂN CÔNG NHIỆM VỤ CẢI THIỆN VÀ NÂNG CAO CHỈ SỐ THÀNH PHẦN"
TITLE_LINES = 3  # "DTI TỈNH CÀ MAU NĂM 2023" and "(Kèm theo Kế hoạch ...", over two lines
CELLS = 9
HEADER = ["STT", "Chỉ số chính/Chỉ số thành phần", "Thang điểm", "Cách xác định và tính điểm", "Thời gian hoàn thành",
          "Kết quả/ Mục tiêu đạt được", "Cơ quan chủ trì", "Cơ quan phối hợp", "Ghi chú"]
COLUMNS = ["code", "name_vi", "max_points", "lead", "result_2022", "score_2022"]
CODE = re.compile(r"\d+(\.\d+)*")
#: The max a blank "Thang điểm" stands for, only to read "đạt điểm tối đa" under it.
BLANK_MAX = {"8.8.1.4": 1.0}

_SCORE = re.compile(r"(?:đạt|được)\s+(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*điểm")
_SPACE_SLIP = re.compile(r"đạt\s+(\d+)\s+(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*điểm")  # 8.5: "đạt 5 31/10 điểm"


def cells(text: str) -> list[str]:
    """The appendix's cells, in order, the header row included."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == START)
    body = [line for line in lines[start + 1 + TITLE_LINES:] if line.strip()]
    out = []
    for n, line in enumerate(body, start + 2 + TITLE_LINES):
        line = line.rstrip()
        if not line.endswith("|"):
            raise ValueError(f"line {n}: a cell must end with '|': {line!r}")
        out.append(line[:-1].strip())
    if len(out) % CELLS or out[:CELLS] != HEADER:
        raise ValueError(f"the appendix is not a table of {CELLS} columns under {HEADER}")
    return out


def result_2022(note: str) -> str:
    """The note's 2022 clause: "- Năm 2022: đạt 6.67/10 điểm; - Năm 2023: …" → "Năm 2022: đạt 6.67/10 điểm"."""
    head = re.split(r"\s*-\s*Năm 2023", note, maxsplit=1)[0]
    return head.strip().lstrip("-").strip().rstrip(";").strip()


def _num(text: str) -> float:
    return float(text)


def score_2022(code: str, result: str, max_text: str) -> float:
    if "không có điểm" in result:
        return 0.0
    if "điểm tối đa" in result:
        return _num(max_text) if max_text else BLANK_MAX[code]
    m = _SCORE.search(result)
    if m:
        x, of = m.groups()
    else:
        m = _SPACE_SLIP.search(result)
        if not m:
            raise ValueError(f"{code}: no 2022 score in {result!r}")
        x, of = f"{m.group(1)}.{m.group(2)}", m.group(3)
    if max_text and _num(of) != _num(max_text):
        raise ValueError(f"{code}: 2022 score out of {of}, max {max_text}")
    return _num(x)


def appendix_rows(text: str) -> list[dict[str, str]]:
    """One dict per pillar and indicator of the appendix, keyed by COLUMNS, values as CSV text."""
    c = cells(text)
    rows = []
    for i in range(CELLS, len(c), CELLS):
        code, name, mx, _how, _when, _target, lead, _coord, note = c[i:i + CELLS]
        if not CODE.fullmatch(code):
            continue  # a, b, c: the input amounts under 5.12.1 and 6.22
        pillar = "." not in code
        result = "" if pillar else result_2022(note)
        score = "" if pillar else f"{score_2022(code, result, mx):g}"
        rows.append({"code": code, "name_vi": name, "max_points": mx, "lead": lead, "result_2022": result, "score_2022": score})
    return rows


def to_csv(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    sys.stdout.write(to_csv(appendix_rows(Path(argv[1]).read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
