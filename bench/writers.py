"""Benchmark of the workbook writers: today's hand-written XML, XlsxWriter (normal and stream), openpyxl write-only.

Run as ``python bench/writers.py`` (``--quick`` for fewer repetitions). Every writer writes the
same merged workbook — the same sheets, rows and stamp — in a fresh process, so that the time
includes importing the writer, as a `dti merge` run pays it:

- ``xlsx.py (today)``: :func:`dti_cli.merged.write_merged`, which writes through
  :mod:`dti_cli.xlsx` (XML built as text);
- ``sheetwriter``: :func:`dti_cli.core.sheetwriter.write_workbook` with the columns typed as merge
  would type them (ids, numbers, percentages; labels, notes and messages wrapped, so every such
  row gets a height) and the print setup — what the merged workbook would become;
- ``sheetwriter stream``: the same with ``stream=True`` (XlsxWriter's constant_memory mode);
- ``openpyxl write-only``: ``Workbook(write_only=True)``, header styled, widths, frozen header,
  auto-filter, formula-like text kept as text.

Two data sets: the demo round's merged workbook (``dti demo``, read back with openpyxl) and a
merged workbook the size of a 10,000-file round (Submissions 10,000 rows × 13 columns, Findings
30,000 × 7, Units 100,000 × 7, Data 200 × 13), generated. The rows are loaded before the clock
starts. Figures are medians of several runs; peak memory is the process's peak resident set
(ru_maxrss) and, after it, how much above the resident set once the rows were loaded.
Writers are run in turn (a, b, c, d, a, b…) so that a change in the machine's load falls on all of
them. Import times are what ``import X`` adds to ``python -c pass``, and to a process that has
imported what `dti merge` has when it writes.

Nothing here asserts a time: the table is the result.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
HERE = Path(__file__).resolve()
WRITERS = ("xlsx.py (today)", "sheetwriter", "sheetwriter stream", "openpyxl write-only")

# -- the data ------------------------------------------------------------------------------------


def demo_sheets(folder: Path) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """The demo round's merged workbook, as rows of dicts (what merge hands to write_merged)."""
    from openpyxl import load_workbook

    subprocess.run([str(Path(PY).parent / "dti"), "demo", str(folder / "demo")], check=True, capture_output=True)
    wb = load_workbook(folder / "demo" / "merged.xlsx", read_only=True)
    sheets: dict[str, list[dict]] = {}
    stamp: dict[str, str] = {}
    for ws in wb:
        rows = list(ws.iter_rows(values_only=True))
        if ws.title == "_dti":
            stamp = {str(k): str(v) for k, v in rows if k not in ("format", "format_version", "generated_at")}
            continue
        head = rows[0]
        sheets[ws.title] = [dict(zip(head, r, strict=False)) for r in rows[1:]]
    wb.close()
    return sheets, stamp


MESSAGES = [
    "Ô {cell} ({iid}): '{v}' có thể đọc hai cách; đã hiểu là {v2} (số tiền tính bằng tỷ đồng nên dấu phân cách là dấu thập phân). "
    "Nếu không đúng, đề nghị nhập lại không dùng dấu phân cách hàng nghìn.",
    "Còn {k}/15 số liệu chưa điền: {iid}. Đề nghị đơn vị điền giá trị hoặc ghi 'Không có số liệu'.",
    "Ô {cell} ({iid}): tử số {v} lớn hơn mẫu số {v2}; tỷ lệ được tính là 100%.",
    "Tệp đã được nộp lại; bản nhận lúc {t} thay thế bản trước.",
]


def round_sheets(files: int = 10_000) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """A merged workbook the size of a round of ``files`` returned files (deterministic)."""
    rnd = random.Random(2023)
    units = [(f"don-vi-{i:05d}", f"Đơn vị báo cáo số {i:05d}", f"DTI2023_don-vi-{i:05d}.xlsx") for i in range(1, files + 1)]
    subs = []
    for uid, name, f in units:
        subs.append({"unit_id": uid, "unit_name": name, "file": f, "verdict": "accepted" if rnd.random() > 0.05 else "rejected",
                     "reason": None, "received": f"2023-10-{rnd.randint(1, 28):02d}T08:{rnd.randint(0, 59):02d}:00+00:00",
                     "person": "Nguyễn Văn An, Chuyên viên", "cover_date": f"{rnd.randint(1, 28):02d}/10/2023",
                     "completeness": round(rnd.random(), 4), "errors": rnd.randint(0, 3), "warnings": rnd.randint(0, 5),
                     "superseded_by": None, "sha256": f"{rnd.getrandbits(256):064x}"})
    iids = [f"{p}.{k}.a" for p in range(1, 9) for k in (3, 9)][:10]
    findings = []
    for i in range(3 * files):
        uid, _, f = units[i % files]
        iid = iids[i % len(iids)]
        msg = MESSAGES[i % len(MESSAGES)].format(cell=f"F{5 + i % 40}", iid=iid, v=f"{rnd.randint(1, 99)}.250", v2=f"{rnd.randint(1, 99)},25",
                                                 k=rnd.randint(1, 9), t="2023-10-02 08:15")
        findings.append({"code": ("value.ambiguous_number", "VALUES_MISSING", "value.ratio_above_one", "file.superseded")[i % 4],
                         "severity": "warning", "file": f, "sheet": "Dữ liệu", "cell": f"F{5 + i % 40}", "input_id": iid, "message": msg})
    unit_rows = []
    for iid in iids:
        for uid, name, f in units:
            v = "Có" if iid.endswith("9.a") else rnd.randint(0, 2000)
            unit_rows.append({"input_id": iid, "unit_id": uid, "unit_name": name, "value": v, "status": "ok", "source_file": f,
                              "cell": f"Dữ liệu!F{5 + rnd.randint(0, 40)}"})
    data = []
    for i in range(200):
        data.append({"input_id": f"{1 + i // 25}.{i % 25}.a", "indicator": f"{1 + i // 25}.{i % 25}",
                     "label": "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến toàn trình trên tổng số hồ sơ",
                     "value": round(rnd.random() * 1000, 2) if i % 3 else "Có", "unit": "hồ sơ", "status": "ok",
                     "source_agency": "Sở Thông tin và Truyền thông", "source_file": "DTI2023_so-tttt.xlsx", "sheet": "Dữ liệu",
                     "cell": f"F{5 + i}", "evidence": "Văn bản số 1668/BC-STTTT năm 2023", "note": None, "sha256": f"{rnd.getrandbits(256):064x}"})
    refs = [{"indicator": f"4.{k}", "key": m, "value": None, "source": None} for k in range(5, 14) for m in ("min", "max")]
    return {"Data": data, "Units": unit_rows, "Submissions": subs, "Findings": findings, "Adjustments": [], "References": refs}, {"round": "2023"}


# -- the writers ---------------------------------------------------------------------------------

#: How the merged workbook's columns would be typed for the sheetwriter (kind, wrap).
KINDS = {
    "input_id": ("id", False), "indicator": ("id", False), "unit_id": ("id", False), "label": ("text", True), "value": ("number", False),
    "evidence": ("text", True), "note": ("text", True), "message": ("text", True), "reason": ("text", True),
    "completeness": ("percent", False), "errors": ("int", False), "warnings": ("int", False),
}


def write_today(out: Path, sheets: dict, stamp: dict) -> None:
    from dti_cli.merged import write_merged

    write_merged(out, sheets, stamp)


def write_sheetwriter(out: Path, sheets: dict, stamp: dict, stream: bool = False) -> None:
    from dti_cli.merged import SHEETS, _full_stamp

    from dti_cli.core.sheetwriter import Column, PageText, Sheet, write_workbook

    def values(keys: list[str], rows: list[dict]):  # a generator per sheet, bound to its own keys
        for r in rows:
            yield [r.get(k) for k in keys]

    tables = [Sheet(name, [Column(k, k, *KINDS.get(k, ("text", False))) for k in keys], values(keys, sheets.get(name, [])))
              for name, keys in SHEETS.items()]
    write_workbook(out, tables, page=PageText(header="Tỉnh Cà Mau · DTI 2023"), stamp={k: str(v) for k, v in _full_stamp(stamp).items()},
                   stream=stream)


def write_openpyxl(out: Path, sheets: dict, stamp: dict) -> None:
    from dti_cli.merged import SHEETS, _full_stamp, _widths
    from dti_cli.safety import looks_like_formula
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold, fill, top = Font(bold=True), PatternFill("solid", fgColor="DDEBF7"), Alignment(vertical="top", wrap_text=True)
    for name, keys in SHEETS.items():
        ws = wb.create_sheet(name)
        rows = sheets.get(name, [])
        for j, w in enumerate(_widths(keys, rows), 1):
            ws.column_dimensions[get_column_letter(j)].width = w
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{len(rows) + 1}"
        head = []
        for k in keys:
            c = WriteOnlyCell(ws, value=k)
            c.font, c.fill, c.alignment = bold, fill, top
            head.append(c)
        ws.append(head)
        for r in rows:
            vals = [r.get(k) for k in keys]
            for j, v in enumerate(vals):
                if looks_like_formula(v):  # text stays text: openpyxl would take "=…" for a formula
                    c = WriteOnlyCell(ws, value=v)
                    c.data_type = "s"
                    vals[j] = c
            ws.append(vals)
    st = wb.create_sheet("_dti")
    st.sheet_state = "hidden"
    for k, v in _full_stamp(stamp).items():
        st.append([k, str(v)])
    wb.save(out)


def make_data(folder: Path) -> None:
    """Both data sets, pickled in ``folder``; prints their shapes as JSON."""
    shapes = {}
    for key, (sheets, stamp) in (("demo", demo_sheets(folder)), ("round", round_sheets())):
        with open(folder / f"{key}.pickle", "wb") as f:
            pickle.dump((sheets, stamp), f)
        cells = sum(len(rows) * len(rows[0]) for rows in sheets.values() if rows)
        shapes[key] = (cells, ", ".join(f"{n} {len(r):,}" for n, r in sheets.items() if r) + " rows")
    print(json.dumps(shapes))


def child(writer: str, data: Path, out: Path) -> None:
    """One measured write, in this fresh process; prints a JSON line."""
    with open(data, "rb") as f:
        sheets, stamp = pickle.load(f)
    base = _rss_mb()
    t0 = time.perf_counter()
    if writer == "xlsx.py (today)":
        write_today(out, sheets, stamp)
    elif writer == "sheetwriter":
        write_sheetwriter(out, sheets, stamp)
    elif writer == "sheetwriter stream":
        write_sheetwriter(out, sheets, stamp, stream=True)
    elif writer == "openpyxl write-only":
        write_openpyxl(out, sheets, stamp)
    else:
        raise SystemExit(f"unknown writer {writer!r}")
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"s": dt, "base": base, "peak": peak, "size": out.stat().st_size}))


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# -- the table -----------------------------------------------------------------------------------


def measure(data: Path, out: Path, reps: int) -> dict[str, dict]:
    """Each writer ``reps`` times, in turn (a, b, c, d, a, b…): a change in the machine's load falls on all of them."""
    runs: dict[str, list[dict]] = {w: [] for w in WRITERS}
    for _ in range(reps):
        for w in WRITERS:
            res = subprocess.run([PY, str(HERE), "--child", w, str(data), str(out)], check=True, capture_output=True, text=True)
            runs[w].append(json.loads(res.stdout.strip().splitlines()[-1]))
            out.unlink()
    return {w: {"s": statistics.median(r["s"] for r in rs), "peak": max(r["peak"] for r in rs),
                "extra": max(r["peak"] - r["base"] for r in rs), "size": rs[-1]["size"]} for w, rs in runs.items()}


def import_ms(before: str, module: str, reps: int) -> float:
    """Median time ``import module`` adds to a process that has imported ``before`` (both run in turn)."""
    def once(code: str) -> float:
        t0 = time.perf_counter()
        subprocess.run([PY, "-c", code], check=True)
        return time.perf_counter() - t0

    a, b = [], []
    for _ in range(reps):
        a.append(once(before))
        b.append(once(f"{before}; import {module}"))
    return (statistics.median(b) - statistics.median(a)) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    ap.add_argument("--child", nargs=3, metavar=("WRITER", "DATA", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--make-data", metavar="DIR", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    if args.make_data:
        make_data(Path(args.make_data))
        return
    reps = {"demo": 3 if args.quick else 11, "round": 1 if args.quick else 5}
    table: list[tuple[str, ...]] = []
    with tempfile.TemporaryDirectory(prefix="dti-writers-") as tmp:
        folder = Path(tmp)
        print(f"writers benchmark in {folder} (python {sys.version.split()[0]}, {os.cpu_count()} cores)", file=sys.stderr)
        sys.path.insert(0, str(HERE.parent))
        from run import compile_dti  # dti's modules as pip install leaves them: compiled to bytecode

        compiled = compile_dti()
        # The data are made in a child process: a child starts as a copy of its parent and its
        # peak memory counts what it inherited, so the parent stays small.
        shapes = json.loads(subprocess.run([PY, str(HERE), "--make-data", str(folder)], check=True, capture_output=True, text=True).stdout)
        for key in ("demo", "round"):
            data = folder / f"{key}.pickle"
            cells, shape = shapes[key]
            label = "demo merged.xlsx" if key == "demo" else "10,000-file round"
            print(f"{label}: {shape}, {cells:,} cells", file=sys.stderr)
            ms = measure(data, folder / "out.xlsx", reps[key])
            base = ms[WRITERS[0]]["s"]
            for w, m in ms.items():
                row = (f"{label} ({cells:,} cells)", w, f"{m['s'] * 1000:,.0f} ms", f"{m['s'] / base:.2f}×", f"{m['peak']:,.0f} MB",
                       f"+{m['extra']:,.0f} MB", f"{m['size'] / 1024:,.0f} KB")
                table.append(row)
                print("  " + " | ".join(row), file=sys.stderr, flush=True)
    n = 7 if args.quick else 21
    merge = "import dti_cli.merge, dti_cli.merged"  # what a dti merge process has imported when it writes
    imp = [(f"`import {m}`", import_ms("pass", m, n)) for m in ("xlsxwriter", "openpyxl", "dti_cli.xlsx", "dti_cli.core.sheetwriter")]
    imp += [(f"`import {m}` after dti_cli.merge", import_ms(merge, m, n)) for m in ("xlsxwriter", "dti_cli.xlsx", "openpyxl")]
    print()
    print(f"Medians of {reps['demo']} runs (demo) and {reps['round']} (round), each in a fresh process, import of the writer included; "
          "peak = the process's peak RSS, + = above its RSS once the rows were loaded"
          + ("; dti's modules compiled to bytecode first, as pip install does" if compiled else "") + ".\n")
    print("| data | writer | time | vs today | peak RSS | + writing | file |\n|---|---|---:|---:|---:|---:|---:|")
    for row in table:
        print("| " + " | ".join(row) + " |")
    print("\n| import | ms it adds (medians, run in turn with the process without it) |\n|---|---:|")
    for m, ms in imp:
        print(f"| {m} | {ms:.0f} |")


if __name__ == "__main__":
    main()
