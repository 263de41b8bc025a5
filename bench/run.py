"""Benchmark of dti: start-up, templates, merge at scale, score and report.

Run as ``python bench/run.py`` (add ``--quick`` for a short run with fewer repetitions and
without the 1,000-file set). It generates everything it needs in a temporary folder — a profile
with N reporting units, their templates, filled returned workbooks — then measures each figure as
the median of several runs, in fresh processes, and prints a table of figures and ratios. Every
ratio compares two figures measured side by side in this same run: the unzip-and-parse limit and
`dti merge` are run alternately (limit, merge, limit, merge…) so that a change in the machine's
load falls on both. Peak memory is the maximum resident set size of the measured process (and
its children); the workbooks are generated in a child process so that the benchmark, whose
children start as copies of it, stays small.

dti is measured as ``pip install`` leaves it: with its modules compiled to bytecode, like its
dependencies. When this environment forbids writing bytecode (PYTHONDONTWRITEBYTECODE), every
run of an editable install would compile dti's modules again; the benchmark compiles them once
first and says so in the table.

Nothing here asserts a time: the table is the result.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
# The installed console script, as officials run it (falls back to the module).
_SCRIPT = Path(PY).parent / "dti"
DTI = [str(_SCRIPT)] if _SCRIPT.exists() else [PY, "-m", "dti_cli.cli"]


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of one command, measured with os.wait4 on its process."""
    with tempfile.TemporaryFile() as errf:  # a file, not a pipe: a chatty child must not block
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errf)
        _, status, usage = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        errf.seek(0)
        err = errf.read().decode("utf-8", "replace")
    if p.returncode not in (0, 1):  # merge exits 1 when it found data errors: still a full run
        raise SystemExit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return dt, usage.ru_maxrss / 1024


def median_of(n: int, cmd: list[str], **kw) -> tuple[float, float]:
    runs = [run(cmd, **kw) for _ in range(n)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def medians_alternating(n: int, *cmds: tuple[list[str], dict]) -> list[tuple[float, float]]:
    """Median time and peak RSS of each command, the commands run in turn n times (a, b, a, b…)."""
    runs: list[list[tuple[float, float]]] = [[] for _ in cmds]
    for _ in range(n):
        for i, (cmd, kw) in enumerate(cmds):
            runs[i].append(run(cmd, **kw))
    return [(statistics.median(r[0] for r in rs), max(r[1] for r in rs)) for rs in runs]


def compile_dti() -> bool:
    """Compile dti's modules to bytecode as pip install does; True when this environment would not have."""
    import dti_cli

    if not (sys.dont_write_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE")):
        return False
    compileall.compile_dir(str(Path(dti_cli.__file__).parent), quiet=1)
    return True


def make_profile(folder: Path, units: int) -> Path:
    """The Cà Mau profile with ``units`` district-level reporting units instead of nine."""
    from dti_cli.methodology.catalogue import data_path

    src = data_path("profile_camau.toml").read_text(encoding="utf-8")
    head = src.split("[[district]]", 1)[0]
    head = head.replace('catalogue = "catalogue_2023.toml"', f'catalogue = "{data_path("catalogue_2023.toml")}"')
    head = head.replace('baseline = "baseline_2022.toml"', f'baseline = "{data_path("baseline_2022.toml")}"')
    body = "".join(f'[[district]]\nid = "don-vi-{i:04d}"\nname = "Đơn vị báo cáo số {i:04d}"\nshort = "ĐV {i:04d}"\n\n' for i in range(1, units + 1))
    path = folder / f"profile_{units}.toml"
    path.write_text(head + body, encoding="utf-8")
    return path


def make_returned(folder: Path, units: int) -> tuple[Path, Path]:
    """Templates for ``units`` district units, filled as officials would; returns (profile, returned dir)."""
    from dti_cli.context import load_context

    from dti_cli.demo import SampleValue, fill_workbook
    from dti_cli.template import assignments, write_templates

    prof = make_profile(folder, units)
    ctx = load_context(prof)
    tdir, rdir = folder / f"templates_{units}", folder / f"returned_{units}"
    tdir.mkdir()
    rdir.mkdir()
    districts = [a for a in assignments(ctx) if a.unit.kind == "district"]
    written = write_templates(ctx, districts, tdir, force=True)
    for i, (a, path) in enumerate(written):
        values = {inp.id: SampleValue(a.unit.id, inp.id, _sample(inp, i)) for inp in a.inputs}
        fill_workbook(path, rdir / path.name, values)
    return prof, rdir


def make_returned_apart(folder: Path, units: int) -> tuple[Path, Path]:
    """make_returned in a child process: the benchmark itself stays small.

    A child process starts as a copy of this one and its peak memory counts what it inherited, so
    generating the workbooks here (openpyxl, a thousand templates) would inflate every measured peak.
    """
    out = subprocess.run([PY, str(Path(__file__).resolve()), "--make-returned", str(folder), str(units)],
                         check=True, capture_output=True, text=True).stdout.split("\n")
    return Path(out[0]), Path(out[1])


def _sample(inp, i: int):
    if inp.type == "yes_no":
        return "Có" if i % 7 else "Không"
    if inp.id.endswith((".e", ".f", ".b")):
        return 1500 + i % 900
    if i % 50 == 0:
        return "1.234"  # a number typed as text, as officials do
    return i % 9


def make_sample_round(folder: Path) -> Path:
    """The packaged sample round scored (each value read as typed, per-unit figures summed), as scores.xlsx in ``folder``."""
    import csv

    from dti_cli.formats.references import read_references
    from dti_cli.formats.scores import write_scores
    from dti_cli.methodology.catalogue import data_path
    from dti_cli.methodology.context import load_context
    from dti_cli.score import score_values
    from dti_cli.values import parse_value

    ctx = load_context()
    values: dict = {}
    with data_path("samples/values_2023.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            inp = ctx.catalogue.inputs[row["input_id"]]
            v = parse_value(row["value"], inp).value
            values[inp.id] = values.get(inp.id, 0.0) + v if inp.per_unit and isinstance(v, float) else v
    refs, _problems = read_references(ctx.catalogue, data_path("samples/references_2023.csv"))
    path = folder / "scores.xlsx"
    write_scores(score_values(ctx, values, refs, source={"kind": "sample"}), path, province=ctx.profile.name_full)
    return path


def plan_rows(tmp: Path, reps: int, add) -> None:
    """`dti plan` on the sample round, each command run in turn with `dti --help` (its ratio to start-up)."""
    scores = make_sample_round(tmp)
    out = tmp / "plan-out"
    cases = [("dti plan (sample round, terminal)", [*DTI, "plan", str(scores)]),
             ("dti plan --goal 650 -o html, xlsx, json", [*DTI, "plan", str(scores), "--goal", "650", "-o", str(out / "p.html"), "-o",
                                                          str(out / "p.xlsx"), "-o", str(out / "p.json"), "--force"])]
    for name, cmd in cases:
        (hlp, _), (t, mem) = medians_alternating(reps * 2, ([*DTI, "--help"], {}), (cmd, {}))
        add(name, f"{t * 1000:.0f} ms", f"{t / hlp:.2f}× dti --help ({hlp * 1000:.0f} ms; goal ≤ 2×, < 1 s), peak {mem:.0f} MB")


LIMIT_SCRIPT = textwrap.dedent(
    """
    # The limit: unzip each file and parse its data sheet and shared strings with expat, nothing else.
    import sys, zipfile, xml.parsers.expat
    from pathlib import Path
    cells = 0
    def count(data):
        global cells
        p = xml.parsers.expat.ParserCreate()
        def start(name, attrs):
            global cells
            if name == "c":
                cells += 1
        p.StartElementHandler = start
        p.Parse(data, True)
    for f in sorted(Path(sys.argv[1]).glob("*.xlsx")):
        with zipfile.ZipFile(f) as z:
            names = z.namelist()
            sheet = "xl/worksheets/sheet3.xml" if "xl/worksheets/sheet3.xml" in names else sorted(n for n in names if n.startswith("xl/worksheets/"))[0]
            count(z.read(sheet))
            if "xl/sharedStrings.xml" in names:
                count(z.read("xl/sharedStrings.xml"))
    print(cells)
    """
)

INTAKE_SCRIPT = textwrap.dedent(
    """
    # What merge cannot skip: intake's safe open of each file and the parse of the three sheets merge
    # reads (stamp, cover, data), the others checked. No merge logic, one process.
    import sys
    from pathlib import Path
    from dti_cli.intake import open_workbook
    n = 0
    for f in sorted(Path(sys.argv[1]).glob("*.xlsx")):
        wb = open_workbook(f, lazy=True)
        for title in ("_dti", "Thông tin", "Dữ liệu"):
            n += wb.sheets[title].max_row
        wb.finish()
    print(n)
    """
)

PANDAS_SCRIPT = textwrap.dedent(
    """
    # A plain pandas loop: read each returned workbook's data sheet.
    import sys
    from pathlib import Path
    import pandas as pd
    n = 0
    for f in sorted(Path(sys.argv[1]).glob("*.xlsx")):
        df = pd.read_excel(f, sheet_name=2, header=3)
        n += len(df)
    print(n)
    """
)

TYPER_MIN = textwrap.dedent(
    """
    import typer
    app = typer.Typer()
    @app.command()
    def hello(name: str = "x") -> None:
        \"\"\"Say hello.\"\"\"
    @app.command()
    def bye() -> None:
        \"\"\"Say bye.\"\"\"
    if __name__ == "__main__":
        app()
    """
)


class _Only(Exception):
    """Raised after the part asked for with --only."""


def report_rows(demo: Path, reps: int, add) -> None:
    """`dti report` on the demo round (its scores.xlsx, with merged.xlsx beside): the terminal, each format, every format at
    once; each against `dti --help`, run alternately with it (issue 18: ≤ 2× `dti --help`, and under 1 s with every format)."""
    scores = str(demo / "scores.xlsx")
    out = demo / "report-bench"
    run([*DTI, "report", scores])  # warm: the data files' parse cache
    cases = [("terminal", [])] + [(ext, ["-o", str(out / f"r.{ext}")]) for ext in ("html", "xlsx", "md", "json", "csv")]
    cases.append(("every format at once", [x for ext in ("html", "xlsx", "md", "json", "csv") for x in ("-o", str(out / f"all.{ext}"))]))
    for name, extra in cases:
        (hlp, _), (rp, mem) = medians_alternating(reps, ([*DTI, "--help"], {}), ([*DTI, "report", scores, *extra, "--force"], {}))
        goal = "goal ≤ 2× and < 1 s" if name == "every format at once" else "goal ≤ 2×"
        add(f"dti report, {name} (demo round)", f"{rp * 1000:.0f} ms", f"{rp / hlp:.2f}× dti --help ({hlp * 1000:.0f} ms) ({goal}), peak {mem:.0f} MB")


STARTUP_MODULES = textwrap.dedent(
    """
    # The modules `dti --help` loads.
    import sys
    from dti_cli.cli import main
    try:
        main(["--help"])
    except SystemExit:
        pass
    print(" ".join(sorted(sys.modules)))
    """
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions, no 1,000-file set")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--only", choices=["startup", "template", "report"], help="start-up and this part only (report: dti report on the demo round)")
    ap.add_argument("--make-returned", nargs=2, metavar=("DIR", "N"), help=argparse.SUPPRESS)
    ap.add_argument("--plan-only", action="store_true", help="only `dti plan` on the sample round (against `dti --help`)")
    args = ap.parse_args()
    import importlib.util

    if importlib.util.find_spec("pandas") is None and not args.plan_only and args.only != "report":
        raise SystemExit("bench/run.py compares dti merge with a pandas.read_excel loop: pip install -e '.[bench]' first.")
    if args.make_returned:  # the child of make_returned_apart
        prof, rdir = make_returned(Path(args.make_returned[0]), int(args.make_returned[1]))
        print(f"{prof}\n{rdir}")
        return
    reps = 3 if args.quick else 7
    sizes = (20, 100, 200) if args.quick else (20, 100, 200, 1000)
    tmp = Path(tempfile.mkdtemp(prefix="dti-bench-"))
    rows: list[tuple[str, str, str]] = []

    def add(name: str, value: str, note: str = "") -> None:
        rows.append((name, value, note))
        print(f"  {name:52} {value:>14}  {note}", file=sys.stderr, flush=True)

    try:
        print(f"dti benchmark in {tmp} (python {sys.version.split()[0]}, {os.cpu_count()} cores)", file=sys.stderr)
        (tmp / "typer_min.py").write_text(TYPER_MIN)
        (tmp / "limit.py").write_text(LIMIT_SCRIPT)
        (tmp / "pandas_loop.py").write_text(PANDAS_SCRIPT)
        (tmp / "intake_only.py").write_text(INTAKE_SCRIPT)

        if compile_dti():
            add("dti bytecode", "compiled", "as pip install does (PYTHONDONTWRITEBYTECODE is set here; dependencies are compiled)")
        if args.plan_only:
            plan_rows(tmp, reps, add)
            print_table(rows)
            return
        if args.only == "report":
            run([*DTI, "demo", str(tmp / "demo")])
            report_rows(tmp / "demo", reps * 2, add)
            raise _Only

        # Start-up
        py, _ = median_of(reps * 2, [PY, "-c", "pass"])
        typ, _ = median_of(reps * 2, [PY, str(tmp / "typer_min.py"), "--help"])
        hlp, _ = median_of(reps * 2, [*DTI, "--help"])
        lst, _ = median_of(reps, [*DTI, "catalog", "list", "--format", "json"])
        add("python -c pass", f"{py * 1000:.0f} ms")
        add("minimal typer app --help", f"{typ * 1000:.0f} ms")
        add("dti --help", f"{hlp * 1000:.0f} ms", f"{hlp / typ:.2f}× minimal typer (goal ≤ 1.2×)")
        add("dti catalog list --format json", f"{lst * 1000:.0f} ms", f"{lst / typ:.2f}× minimal typer")
        # pandas is a dependency (the API's frames) but never imported at start-up: dti --help with pandas
        # importable and with it hidden (as if not installed), run in turn; and whether it was imported.
        shown, hidden = ([PY, "-c", f"{pre}from dti_cli.cli import main; main(['--help'])"]
                         for pre in ("", "import sys; sys.modules['pandas'] = None; "))
        (with_pd, _), (without_pd, _) = medians_alternating(reps * 4, (shown, {}), (hidden, {}))
        loaded = subprocess.run([PY, "-c", STARTUP_MODULES], capture_output=True, text=True, check=True).stdout.split()
        add("dti --help, pandas installed / hidden", f"{with_pd / without_pd:.2f}×",
            f"{with_pd * 1000:.0f} vs {without_pd * 1000:.0f} ms (goal 1.00×); pandas imported at start-up: {'yes' if 'pandas' in loaded else 'no'}")
        if args.only == "startup":
            raise _Only

        # Templates: the 35 workbooks of the province against start-up, then a profile of 150 units
        # (26 agencies and 150 district-level units: 176 workbooks) against the 35, each run into a new folder
        prof150 = make_profile(tmp, 150)
        tpl: dict[str, list[float]] = {"help": [], "35": [], "150": []}
        for i in range(reps):
            tpl["help"].append(run([*DTI, "--help"])[0])
            tpl["35"].append(run([*DTI, "template", "--all", "-o", str(tmp / f"tpl35_{i}")])[0])
            tpl["150"].append(run([*DTI, "--profile", str(prof150), "template", "--all", "-o", str(tmp / f"tpl150_{i}")])[0])
        th, t35, t150 = (statistics.median(tpl[k]) for k in ("help", "35", "150"))
        add("dti template --all (Cà Mau, 35 workbooks)", f"{t35 * 1000:.0f} ms", f"{t35 / th:.2f}× dti --help (goal ≤ 3×)")
        add("dti template --all (150 units, 176 workbooks)", f"{t150 * 1000:.0f} ms",
            f"{t150 / t35:.2f}× the 35 workbooks (goal ≤ 4×); {(t150 - t35) / 141 * 1000:.1f} ms per workbook more")
        if args.only == "template":
            raise _Only

        # Merge at scale
        merge_times: dict[int, float] = {}
        limit_times: dict[int, float] = {}
        for n in sizes:
            print(f"preparing {n} filled workbooks…", file=sys.stderr, flush=True)
            (tmp / f"set{n}").mkdir()
            prof, rdir = make_returned_apart(tmp / f"set{n}", n)
            env = {**os.environ, "DTI_PROFILE": str(prof)}
            pd_t, pd_mem = median_of(1 if n >= 1000 else max(1, reps // 2), [PY, str(tmp / "pandas_loop.py"), str(rdir)])
            out = tmp / f"set{n}" / "merged.xlsx"
            (limit, limit_mem), (mt, mmem) = medians_alternating(
                reps, ([PY, str(tmp / "limit.py"), str(rdir)], {}), ([*DTI, "merge", str(rdir), "-o", str(out), "--force"], {"env": env}))
            merge_times[n], limit_times[n] = mt, limit
            add(f"merge {n} files: unzip+XML parse limit", f"{limit:.2f} s", f"peak {limit_mem:.0f} MB")
            if n == max(sizes):
                (limit2, _), (it, _) = medians_alternating(
                    reps, ([PY, str(tmp / "limit.py"), str(rdir)], {}), ([PY, str(tmp / "intake_only.py"), str(rdir)], {}))
                add(f"merge {n} files: intake alone, 1 process", f"{it:.2f} s",
                    f"{it / limit2:.2f}× limit: safe open + the 3 sheets merge reads, no merge logic ({(it - limit2) / n * 1000:.2f} ms/file more)")
            add(f"merge {n} files: pandas.read_excel loop", f"{pd_t:.2f} s", f"peak {pd_mem:.0f} MB")
            add(f"merge {n} files: dti merge", f"{mt:.2f} s",
                f"{mt / limit:.2f}× limit (goal ≤ 2×), {pd_t / mt:.1f}× faster than pandas (goal ≥ 4×), peak {mmem:.0f} MB (goal < 300)")
        if 1000 in merge_times and 100 in merge_times:
            add("merge 1,000 / merge 100", f"{merge_times[1000] / merge_times[100]:.1f}×", "goal ≤ 11× (linear)")
        big = max(merge_times)
        if big > 100 and 100 in merge_times:
            per = (merge_times[big] - merge_times[100]) / (big - 100)
            per_limit = (limit_times[big] - limit_times[100]) / (big - 100)
            add(f"merge: cost of one more file (100 → {big:,} files)", f"{per * 1000:.2f} ms",
                f"limit {per_limit * 1000:.2f} ms; the rest of dti merge (start-up, catalogue, consolidation, writing) "
                f"≈ {merge_times[big] - big * per:.2f} s")

        # Score and report on the merged samples (the demo round)
        demo = tmp / "demo"
        run([*DTI, "demo", str(demo)])
        merged = demo / "merged.xlsx"
        refs = demo / "references.csv"
        sc, _ = median_of(reps, [*DTI, "score", str(merged), "--references", str(refs), "-o", str(tmp / "s.json"), "--force"])
        add("dti score (demo round, start-up included)", f"{sc * 1000:.0f} ms", "goal < 1 s")
        report_rows(demo, reps, add)
        plan_rows(tmp, reps, add)
    except _Only:  # --only: the rest is not measured
        pass
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    print_table(rows)


def print_table(rows: list[tuple[str, str, str]]) -> None:
    print()
    print("| figure | value | note |\n|---|---:|---|")
    for name, value, note in rows:
        print(f"| {name} | {value} | {note} |")


if __name__ == "__main__":
    main()
