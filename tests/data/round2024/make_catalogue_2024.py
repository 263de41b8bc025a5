"""Write catalogue_2024.toml (a made-up 2024 methodology) from the packaged catalogue_2023.toml.

    python tests/data/round2024/make_catalogue_2024.py      # rewrites catalogue_2024.toml beside this file

The changes a new methodology brings, each applied once (an edit that finds nothing fails):

- 1.3 (ratio) is worth 15 points instead of 10, 1.4 (choice) 5 instead of 10: pillar 1 still adds up to 100;
- 2.9 (yes_no, the policy on DX experts) is removed, 2.12 (ratio, led by Sở Nội vụ, which led nothing in
  2023) is added with its 10 points: pillar 2 still adds up to 100;
- 7.5 (threshold) is full from 40% instead of 50%.

The catalogue's texts cite documents and earlier results by their year; every 2022 and 2023 in them is
written 2024, so that any 2022 or 2023 in what a 2024 round writes comes from the baseline or from the
code, never from this file (test_round_2024 checks it). Nothing here is an official methodology.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parents[2] / "dti_cli" / "data" / "catalogue_2023.toml"
TARGET = HERE / "catalogue_2024.toml"

HEAD = '''# A made-up 2024 methodology for the tests (not an official one): the packaged catalogue with the changes listed in
# make_catalogue_2024.py, which writes this file (do not edit it by hand).
# One [[pillar]] per main index and one [[indicator]] per row of the plan's appendix.

[catalogue]
id = "dti-province-2024"
version = "2024.1"
year = 2024
source = "Bộ chỉ số giả định năm 2024 cho kiểm thử (dựa trên Kế hoạch 213/KH-UBND của tỉnh Cà Mau)"
source_en = "A made-up 2024 methodology for the tests (based on plan 213/KH-UBND of Cà Mau province)"
total_points = 1000
'''

ADDED = '''[[indicator]]
code = "2.12"
parent = "2"
name_vi = "Tỷ lệ cơ quan, đơn vị cấp tỉnh có cán bộ chuyên trách chuyển đổi số"
name_en = "Share of provincial bodies with a dedicated digital transformation officer"
max_points = 10
method_vi = "a = Số cơ quan, đơn vị cấp tỉnh có cán bộ chuyên trách chuyển đổi số; b = Tổng số cơ quan, đơn vị cấp tỉnh; Tỷ lệ = a/b; Điểm = Tỷ lệ*Điểm tối đa"
deadline_vi = "Trong năm"
target_vi = "100% cơ quan, đơn vị cấp tỉnh có cán bộ chuyên trách"
target_en = "100% of provincial bodies with a dedicated officer"
target = { kind = "full" }
lead_seed = "Sở Nội vụ"
lead = ["so-nv"]
coordinating_seed = "Sở TT&TT"
coordinating = ["Sở Thông tin và Truyền thông"]
[indicator.rule]
kind = "ratio"
numerator = ["2.12.a"]
denominator = ["2.12.b"]
zero_denominator = "zero"
[[indicator.inputs]]
id = "2.12.a"
label_vi = "Số cơ quan, đơn vị cấp tỉnh có cán bộ chuyên trách chuyển đổi số"
label_en = "Provincial bodies with a dedicated DX officer"
type = "count"
unit = "cơ quan"
part_of = "2.12.b"
[[indicator.inputs]]
id = "2.12.b"
label_vi = "Tổng số cơ quan, đơn vị cấp tỉnh"
label_en = "Provincial bodies"
type = "count"
unit = "cơ quan"

'''


def once(text: str, old: str, new: str, *, start: str = "") -> str:
    """Replace ``old`` once, in the indicator block that begins with ``start`` when given."""
    at = text.index(start) if start else 0
    end = text.find("\n[[indicator]]", at + 1) if start else len(text)
    block = text[at:end]
    if block.count(old) != 1:
        raise SystemExit(f"{start or 'catalogue'}: {old!r} found {block.count(old)} times, not once")
    return text[:at] + block.replace(old, new) + text[end:]


def build(source: str) -> str:
    head = source.index("[catalogue]\n")
    text = source[source.index("\n\n", head) + 2:]  # the 2023 head and its [catalogue] table are replaced; [units] and the rest stay
    text = HEAD + "\n" + text
    text = once(text, '[units]\n', '[units]\n"cơ quan" = "agencies"\n')  # the unit of 2.12's inputs
    # max points moved inside pillar 1
    text = once(text, "max_points = 10\n", "max_points = 15\n", start='code = "1.3"\n')
    text = once(text, "max_points = 10\n", "max_points = 5\n", start='code = "1.4"\n')
    # 2.9 removed, 2.12 added at the end of pillar 2
    at = text.index('[[indicator]]\ncode = "2.9"\n')
    text = text[:at] + text[text.index("[[indicator]]", at + 1):]
    text = once(text, '[[pillar]]\ncode = "3"\n', ADDED + '[[pillar]]\ncode = "3"\n')
    # 7.5 full from 40%
    text = once(text, "threshold = 0.5\n", "threshold = 0.4\n", start='code = "7.5"\n')
    text = once(text, "Tỷ lệ ≥ 50%: điểm tối đa Tỷ lệ < 50%: điểm = điểm tối đa * tỷ lệ/50%",
                "Tỷ lệ ≥ 40%: điểm tối đa Tỷ lệ < 40%: điểm = điểm tối đa * tỷ lệ/40%", start='code = "7.5"\n')
    # years in the texts: the pillar 9 note loses its year, every other 2022 or 2023 becomes 2024
    text = once(text, "năm 2022 Bộ chưa chấm", "Bộ chưa chấm")
    text = once(text, "did not score it in 2022", "did not score it")
    text = re.sub(r"(?<!\d)202[23](?!\d)", "2024", text)
    assert not re.search(r"(?<!\d)202[23](?!\d)", text)
    return text


def main() -> int:
    TARGET.write_text(build(SOURCE.read_text(encoding="utf-8")), encoding="utf-8", newline="\n")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
