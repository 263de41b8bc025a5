"""Benchmark of dti: start-up, templates, merge at scale, the everyday commands, a round of 10,000 files.

Run as ``python bench/run.py`` (add ``--quick`` for a short run with fewer repetitions, without
the 1,000-file set and the 10,000-file round; ``--only PART`` for one part; ``--cache DIR`` to keep
the 10,000 generated workbooks between runs). It generates everything it needs in a temporary
folder — a profile with N reporting units, their templates, filled returned workbooks (in
parallel child processes), the demo round — then measures each figure as the median of several
runs, in fresh processes, and prints a table of figures and ratios. Every ratio compares two
figures measured side by side in this same run, run alternately (a, b, a, b…) so that a change
in the machine's load falls on both: the everyday commands on the demo round (score, report,
plan, status) against `dti --help`, `dti merge` against the unzip-and-parse limit.

Peak memory ("peak") is the kernel's ru_maxrss of the measured process and the children it
waited for: the LARGEST SINGLE PROCESS, not their sum. For the 10,000-file round, where merge
reads in worker processes, the whole tree's memory is also sampled from /proc (summed PSS and
RSS). The workbooks are generated in child processes so that the benchmark stays small.

dti is measured as ``pip install`` leaves it — through the installed ``dti`` script, with its
modules compiled to bytecode — and always this checkout's code: when the script would import
another checkout (an editable install of it), this checkout is put first on PYTHONPATH for every
command measured. When this environment forbids writing bytecode (PYTHONDONTWRITEBYTECODE),
every run of an editable install would compile dti's modules again; the benchmark compiles them
once first and says so in the table.

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
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # this checkout's dti_cli, whichever is installed in the environment
PY = sys.executable
# The installed console script, as officials run it (falls back to the module).
_SCRIPT = Path(PY).parent / "dti"
DTI = [str(_SCRIPT)] if _SCRIPT.exists() else [PY, "-m", "dti_cli.cli"]
_PROBE = "import sys; sys.path[0] = sys.argv[1]; import dti_cli; print(dti_cli.__file__)"


def use_this_checkout() -> str:
    """Make every dti the benchmark starts run this checkout's code; says how.

    The console script imports whatever dti_cli the environment resolves (an editable install of
    another checkout, say). When that is not this checkout, this checkout is put first on
    PYTHONPATH for every child — the script then imports it, and so does ``python -m``.
    """
    import dti_cli

    own = Path(dti_cli.__file__).resolve()

    def seen() -> Path:  # what the script would import: its interpreter, the script's folder first on the path
        out = subprocess.run([PY, "-c", _PROBE, str(Path(DTI[0]).parent if DTI[0] != PY else ROOT)],
                             capture_output=True, text=True, check=True).stdout.strip()
        return Path(out).resolve()

    if seen() == own:
        return f"{' '.join(Path(c).name for c in DTI)} runs {own.parent}"
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    if seen() != own:
        raise SystemExit(f"cannot make {DTI[0]} run {own.parent}")
    return f"{' '.join(Path(c).name for c in DTI)} runs {own.parent} (PYTHONPATH set for every command measured)"


def run_full(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, float, int, str, float]:
    """Wall time (s), peak RSS (MB), exit code, standard error and CPU time (user + system, s) of one command (os.wait4).

    The peak is the kernel's ru_maxrss of the process and the descendants it waited for: the
    LARGEST SINGLE process among them, not their sum (see tree_memory for the sum).
    """
    with tempfile.TemporaryFile() as errf:  # a file, not a pipe: a chatty child must not block
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errf)
        _, status, usage = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
        errf.seek(0)
        err = errf.read().decode("utf-8", "replace")
    return dt, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), err, usage.ru_utime + usage.ru_stime


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB, the largest single process) of one command; stops the benchmark if it failed."""
    dt, mem, rc, err, _cpu = run_full(cmd, cwd, env)
    if rc not in (0, 1):  # merge exits 1 when it found data errors: still a full run
        raise SystemExit(f"command failed ({rc}): {' '.join(cmd)}\n{err[-2000:]}")
    return dt, mem


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


def make_returned(folder: Path, units: int, part: int = 0, parts: int = 1) -> tuple[Path, Path]:
    """Templates for ``units`` district units, filled as officials would; returns (profile, returned dir).

    ``part``/``parts``: this process makes every ``parts``-th unit's workbook from the ``part``-th on
    (the others are made by other processes at the same time, into the same folders).
    """
    from dti_cli.demo import SampleValue, fill_workbook
    from dti_cli.methodology.context import load_context
    from dti_cli.template import assignments, write_templates

    prof = folder / f"profile_{units}.toml"
    if not prof.exists():
        prof = make_profile(folder, units)
    ctx = load_context(prof)
    tdir, rdir = folder / f"templates_{units}", folder / f"returned_{units}"
    tdir.mkdir(exist_ok=True)
    rdir.mkdir(exist_ok=True)
    districts = [a for a in assignments(ctx) if a.unit.kind == "district"][part::parts]
    written = write_templates(ctx, districts, tdir, force=True, workers=1 if parts > 1 else None).written
    for a, path in written:
        i = int(a.unit.id.rsplit("-", 1)[1]) - 1  # the unit's place in the profile, whichever process makes it
        values = {inp.id: SampleValue(a.unit.id, inp.id, _sample(inp, i)) for inp in a.inputs}
        fill_workbook(path, rdir / path.name, values)
        path.unlink()  # the template is not needed once filled (10,000 of them would double the folder)
    return prof, rdir


def make_returned_apart(folder: Path, units: int, parts: int | None = None) -> tuple[Path, Path]:
    """make_returned in ``parts`` child processes at once (default: one per processor), each making its share.

    Child processes also keep the benchmark itself small: a child starts as a copy of this process
    and its peak memory counts what it inherited, so generating the workbooks here (openpyxl,
    thousands of templates) would inflate every measured peak.
    """
    parts = parts or os.cpu_count() or 1
    prof = make_profile(folder, units)  # once, before the children read it
    procs = [subprocess.Popen([PY, str(Path(__file__).resolve()), "--make-returned", str(folder), str(units), str(k), str(parts)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for k in range(parts)]
    for p in procs:
        out, err = p.communicate()
        if p.returncode:
            raise SystemExit(f"making the returned workbooks failed:\n{err[-2000:]}")
    return prof, folder / f"returned_{units}"


def cached_returned(cache: Path, units: int) -> tuple[Path, Path, str]:
    """The ``units`` returned workbooks in ``cache``, made (in parallel) only when the cache does not hold them all.

    The cache is valid for this catalogue (its sha256 is in the stamps merge checks) and this count.
    """
    import json

    from dti_cli.methodology.catalogue import data_path, load_catalogue

    sha = load_catalogue(data_path("catalogue_2023.toml")).sha256
    mark = cache / f"returned_{units}.json"
    rdir = cache / f"returned_{units}"
    want = {"units": units, "catalogue_sha256": sha}
    if mark.exists() and json.loads(mark.read_text()) == want and sum(1 for _ in rdir.glob("*.xlsx")) == units:
        return make_profile(cache, units), rdir, f"cached in {cache}"
    if rdir.exists():
        shutil.rmtree(rdir)
    shutil.rmtree(cache / f"templates_{units}", ignore_errors=True)
    mark.unlink(missing_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    prof, rdir = make_returned_apart(cache, units)
    made = sum(1 for _ in rdir.glob("*.xlsx"))
    if made != units:
        raise SystemExit(f"{rdir}: {made} workbooks made, {units} wanted")
    mark.write_text(json.dumps(want))
    return prof, rdir, f"made in {time.perf_counter() - t0:.0f} s ({os.cpu_count()} processes), cached in {cache}"


def _tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat", "rb") as f:
                    ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _rollup(pid: int) -> tuple[int, int]:
    """Rss and Pss (kB) of one process, from /proc/PID/smaps_rollup; (0, 0) once it is gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def tree_memory(cmd: list[str], env: dict | None = None, every: float = 0.02) -> tuple[float, float, float, float, int, int]:
    """Run ``cmd`` while sampling its process tree every ``every`` s from /proc.

    Returns wall time (s), the largest single process's peak (ru_maxrss, MB), and the peak over
    samples of the tree's summed RSS and summed PSS (MB; PSS shares a page forked children still
    share among them, RSS counts it once per process), the most processes seen, the exit code.
    A sampled peak can miss a spike shorter than the interval.
    """
    import threading

    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = {"rss": 0, "pss": 0, "procs": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pids = _tree(p.pid)
            rs = [_rollup(pid) for pid in pids]
            peak["rss"] = max(peak["rss"], sum(r for r, _ in rs))
            peak["pss"] = max(peak["pss"], sum(q for _, q in rs))
            peak["procs"] = max(peak["procs"], len(pids))
            done.wait(every)

    t = threading.Thread(target=sample, daemon=True)
    t0 = time.perf_counter()
    t.start()
    _, status, usage = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    done.set()
    t.join()
    return dt, usage.ru_maxrss / 1024, peak["rss"] / 1024, peak["pss"] / 1024, peak["procs"], os.waitstatus_to_exitcode(status)


def _sample(inp, i: int):
    if inp.type == "yes_no":
        return "Có" if i % 7 else "Không"
    if inp.id.endswith((".e", ".f", ".b")):
        return 1500 + i % 900
    if i % 50 == 0:
        return "1.234"  # a number typed as text, as officials do
    return i % 9


def vs_help(reps: int, name: str, cmd: list[str], add, goal: float = 2.0, cwd: Path | None = None) -> float:
    """``cmd`` run in turn with `dti --help` (help, cmd, help, cmd…); adds its row: median, ratio to help, goal, peak."""
    (hlp, _), (t, mem) = medians_alternating(reps, ([*DTI, "--help"], {"cwd": cwd}), (cmd, {"cwd": cwd}))
    add(name, f"{t * 1000:.0f} ms", f"{t / hlp:.2f}× dti --help ({hlp * 1000:.0f} ms) (goal ≤ {goal:g}×), peak {mem:.0f} MB")
    return t / hlp


def score_rows(demo: Path, reps: int, add) -> None:
    """`dti score merged.xlsx --references tham-chieu.csv -o s.json` on the demo round, against `dti --help`."""
    out = demo / "score-bench"
    out.mkdir(exist_ok=True)
    vs_help(reps, "dti score merged.xlsx --references tham-chieu.csv -o s.json (demo round)",
            [*DTI, "score", "merged.xlsx", "--references", "tham-chieu.csv", "-o", str(out / "s.json"), "--force"], add, cwd=demo)


def plan_rows(demo: Path, reps: int, add) -> None:
    """`dti plan` on the demo round's scores.xlsx (terminal, and --goal 650 in three formats), against `dti --help`."""
    scores = str(demo / "scores.xlsx")
    out = demo / "plan-bench"
    cases = [("dti plan scores.xlsx (demo round, terminal)", [*DTI, "plan", scores]),
             ("dti plan --goal 650 -o html, xlsx, json (demo round)",
              [*DTI, "plan", scores, "--goal", "650", "-o", str(out / "p.html"), "-o", str(out / "p.xlsx"), "-o", str(out / "p.json"), "--force"])]
    for name, cmd in cases:
        vs_help(reps, name, cmd, add)


def status_rows(demo: Path, reps: int, add) -> None:
    """`dti status 2-phieu-nhan-ve` (the demo's 36 returned files) against `dti --help`."""
    from dti_cli.demo import RETURNED

    vs_help(reps, f"dti status {RETURNED} (demo round, table)", [*DTI, "status", RETURNED], add, cwd=demo)
    vs_help(reps, f"dti status {RETURNED} --deadline 15/10/2023 -f json", [*DTI, "status", RETURNED, "--deadline", "15/10/2023", "-f", "json"],
            add, cwd=demo)


SUBMISSIONS = textwrap.dedent(
    """
    # The merged workbook's Submissions sheet read back through dti's own reader: files received, units not received;
    # and the sheet's title (the workbook's language), to find it among LibreOffice's CSVs.
    import sys
    from dti_cli.core import i18n
    from dti_cli.formats.merged import SHEETS, read_merged
    m = read_merged(sys.argv[1], only=("submissions",))
    i18n.set_language(m.stamp.get("lang") or None)
    print(sum(1 for s in m.submissions if s.get("file")), sum(1 for s in m.submissions if not s.get("file")), i18n._(SHEETS["submissions"][0]))
    """
)
#: LibreOffice's CSV filter: UTF-8, every sheet to its own file (the last field, -1; LibreOffice 7.2 on).
LO_EVERY_SHEET = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def merge10k_rows(tmp: Path, cache: Path | None, runs: int, add) -> None:
    """A round of 10,000 returned files: dti merge's wall time, its memory (single process and whole tree), exit code,
    the submissions the merged workbook holds, and whether LibreOffice opens it (issue 18: < 12 s, < 500 MB, opens)."""
    units = 10_000
    print(f"preparing {units:,} filled workbooks (cache: {cache or 'none'})…", file=sys.stderr, flush=True)
    prof, rdir, how = cached_returned(cache or tmp / "cache10k", units)
    add(f"merge {units:,} files: the returned workbooks", f"{units:,}", how)
    env = {**os.environ, "DTI_PROFILE": str(prof)}
    out = tmp / "merged10k.xlsx"
    cmd = [*DTI, "merge", str(rdir), "-o", str(out), "--force"]
    (tmp / "limit.py").write_text(LIMIT_SCRIPT)
    limit_cmd = [PY, str(tmp / "limit.py"), str(rdir)]
    times, limits, peaks, codes, cpus = [], [], [], [], []
    for _ in range(runs):  # the limit and merge in turn, so that a change in the machine's load falls on both
        limits.append(run(limit_cmd)[0])
        dt, mem, rc, err, cpu = run_full(cmd, env=env)
        times.append(dt)
        cpus.append(cpu)
        peaks.append(mem)
        codes.append(rc)
        if rc not in (0, 1):
            raise SystemExit(f"dti merge failed ({rc}):\n{err[-2000:]}")
    mt, limit = statistics.median(times), statistics.median(limits)
    spread = f" (runs: {', '.join(f'{t:.2f}' for t in times)} s)" if runs > 1 else ""
    add(f"merge {units:,} files: unzip+XML parse limit, 1 process", f"{limit:.2f} s", "for scale: what merge cannot skip, on one core")
    add(f"merge {units:,} files: dti merge, wall", f"{mt:.2f} s",
        f"median of {runs}{spread}, {mt / limit:.2f}× the limit run in turn with it; goal < 12 s on 2 cores ({os.cpu_count()} here); "
        f"exit code {', '.join(map(str, sorted(set(codes))))}")
    cpu = statistics.median(cpus)
    add(f"merge {units:,} files: dti merge, CPU time", f"{cpu:.2f} s",
        f"user + system of merge and its workers (median), less sensitive to the machine's load than wall: "
        f"{cpu / mt:.2f} processors busy on average; on {os.cpu_count()} idle processors wall ≥ {cpu / (os.cpu_count() or 1):.1f} s")
    add(f"merge {units:,} files: peak, largest single process", f"{max(peaks):.0f} MB", "ru_maxrss of merge and the workers it waited for (goal < 500 MB)")
    dt, _, rss, pss, procs, _rc = tree_memory(cmd, env=env)
    add(f"merge {units:,} files: peak, whole process tree", f"{pss:.0f} MB",
        f"summed PSS ({rss:.0f} MB summed RSS), sampled every 20 ms from /proc over {procs} processes, one more run ({dt:.2f} s)")
    t0 = time.perf_counter()
    got = subprocess.run([PY, "-c", SUBMISSIONS, str(out)], capture_output=True, text=True, check=True).stdout.split(maxsplit=2)
    received, missing, title = int(got[0]), int(got[1]), got[2].strip()
    add(f"merge {units:,} files: submissions in merged.xlsx", f"{received:,}",
        f"{'all' if received == units else 'NOT all'} of {units:,} files, and {missing} rows for agencies with nothing received; "
        f"read back by read_merged in {time.perf_counter() - t0:.2f} s")
    lo = shutil.which("soffice") or shutil.which("libreoffice")
    if lo is None:
        add(f"merge {units:,} files: opens in LibreOffice", "not tried", "soffice not found")
        return
    conv = tmp / "lo-csv"
    t0 = time.perf_counter()  # a profile of its own: a LibreOffice already running (someone else's) would take the job and return at once
    r = subprocess.run([lo, f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}", "--headless", "--convert-to", LO_EVERY_SHEET,
                        "--outdir", str(conv), str(out)], capture_output=True, text=True, timeout=900)
    took = time.perf_counter() - t0
    sheets = sorted(conv.glob("*.csv")) if conv.exists() else []
    lo_rows = None
    for f in sheets:
        if f.stem.endswith(f"-{title}"):
            import csv

            with f.open(encoding="utf-8", newline="") as fh:
                lo_rows = sum(1 for row in csv.reader(fh) if len(row) > 3 and row[2].endswith(".xlsx"))
    ok = r.returncode == 0 and len(sheets) > 0 and lo_rows == received
    add(f"merge {units:,} files: opens in LibreOffice", "yes" if ok else "no",
        f"soffice --headless --convert-to csv (every sheet): exit {r.returncode}, {len(sheets)} sheets, "
        f"{lo_rows if lo_rows is not None else 'no'} received files in its '{title}' sheet, {took:.1f} s"
        + ("" if ok else f"; {(r.stderr or r.stdout).strip()[-300:]}"))


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


def report_rows(demo: Path, reps: int, add) -> None:
    """`dti report` on the demo round (its scores.xlsx, with merged.xlsx beside): the terminal, each format, every format at
    once, --compare 2022 to HTML; each against `dti --help`, run alternately with it (issue 18: ≤ 2× `dti --help`)."""
    scores = str(demo / "scores.xlsx")
    out = demo / "report-bench"
    run([*DTI, "report", scores])  # warm: the data files' parse cache
    cases = [("terminal", [])] + [(ext, ["-o", str(out / f"r.{ext}")]) for ext in ("html", "xlsx", "md", "json", "csv")]
    cases.append(("every format at once", [x for ext in ("html", "xlsx", "md", "json", "csv") for x in ("-o", str(out / f"all.{ext}"))]))
    cases.append(("--compare 2022 -o html", ["--compare", "2022", "-o", str(out / "c.html")]))
    for name, extra in cases:
        vs_help(reps, f"dti report, {name} (demo round)", [*DTI, "report", scores, *extra, "--force"], add)


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


PARTS = ("startup", "template", "merge", "score", "report", "plan", "status", "merge10k")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions, no 1,000-file set, no 10,000-file round (unless --size10k)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--only", choices=PARTS, help="this part alone (merge: the 20…1,000-file sets; merge10k: the 10,000-file round)")
    ap.add_argument("--size10k", action="store_true", help="with --quick: the 10,000-file round too (a full run has it)")
    ap.add_argument("--cache", type=Path, metavar="DIR",
                    help="keep the 10,000 generated workbooks in DIR and reuse them in later runs (generating them takes minutes)")
    ap.add_argument("--make-returned", nargs="+", metavar="DIR N [PART PARTS]", help=argparse.SUPPRESS)
    ap.add_argument("--plan-only", action="store_true", help=argparse.SUPPRESS)  # the old spelling of --only plan
    args = ap.parse_args()
    if args.make_returned:  # a child of make_returned_apart
        folder, n, *part = args.make_returned
        prof, rdir = make_returned(Path(folder), int(n), *map(int, part))
        print(f"{prof}\n{rdir}")
        return
    only = "plan" if args.plan_only else args.only
    wanted = {only} if only else set(PARTS) - ({"merge10k"} if args.quick and not args.size10k else set())
    import importlib.util

    if importlib.util.find_spec("pandas") is None and "merge" in wanted:
        raise SystemExit("bench/run.py compares dti merge with a pandas.read_excel loop: pandas is a dependency of dti; pip install -e . first.")
    reps = 3 if args.quick else 7
    sizes = (20, 100, 200) if args.quick else (20, 100, 200, 1000)
    tmp = Path(tempfile.mkdtemp(prefix="dti-bench-"))
    rows: list[tuple[str, str, str]] = []

    def add(name: str, value: str, note: str = "") -> None:
        rows.append((name, value, note))
        print(f"  {name:52} {value:>14}  {note}", file=sys.stderr, flush=True)

    try:
        how = use_this_checkout()
        print(f"dti benchmark in {tmp} (python {sys.version.split()[0]}, {os.cpu_count()} cores); {how}", file=sys.stderr)
        (tmp / "typer_min.py").write_text(TYPER_MIN)
        (tmp / "limit.py").write_text(LIMIT_SCRIPT)
        (tmp / "pandas_loop.py").write_text(PANDAS_SCRIPT)
        (tmp / "intake_only.py").write_text(INTAKE_SCRIPT)

        if compile_dti():
            add("dti bytecode", "compiled", "as pip install does (PYTHONDONTWRITEBYTECODE is set here; dependencies are compiled)")

        if "startup" in wanted:
            startup_rows(tmp, reps, add)
        if "template" in wanted:
            template_rows(tmp, reps, add)
        if "merge" in wanted:
            merge_rows(tmp, reps, sizes, add)
        if wanted & {"score", "report", "plan", "status"}:
            demo = tmp / "demo"
            run([*DTI, "demo", str(demo)])
            for part, rows_of in (("score", score_rows), ("report", report_rows), ("plan", plan_rows), ("status", status_rows)):
                if part in wanted:
                    rows_of(demo, reps * 2, add)
        if "merge10k" in wanted:
            merge10k_rows(tmp, args.cache, 1 if args.quick else 3, add)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    print_table(rows)


def startup_rows(tmp: Path, reps: int, add) -> None:
    """`dti --help` against a minimal typer app, `dti catalog list`, and start-up with pandas importable or hidden."""
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


def template_rows(tmp: Path, reps: int, add) -> None:
    """The 35 workbooks of the province against start-up, then a profile of 150 units (26 agencies and 150
    district-level units: 176 workbooks) against the 35, run in turn (help, 35, 150, help…), each into a new folder."""
    prof150 = make_profile(tmp, 150)
    tpl: dict[str, list[float]] = {"help": [], "35": [], "150": []}
    for i in range(reps):
        tpl["help"].append(run([*DTI, "--help"])[0])
        tpl["35"].append(run([*DTI, "template", "--all", "-o", str(tmp / f"tpl35_{i}")])[0])
        tpl["150"].append(run([*DTI, "--profile", str(prof150), "template", "--all", "-o", str(tmp / f"tpl150_{i}")])[0])
    n35, n150 = (sum(1 for _ in (tmp / f"tpl{k}_0").glob("*.xlsx")) for k in (35, 150))
    th, t35, t150 = (statistics.median(tpl[k]) for k in ("help", "35", "150"))
    add(f"dti template --all (Cà Mau, {n35} workbooks)", f"{t35 * 1000:.0f} ms", f"{t35 / th:.2f}× dti --help ({th * 1000:.0f} ms) (goal ≤ 3×)")
    add(f"dti template --all (150 units, {n150} workbooks)", f"{t150 * 1000:.0f} ms",
        f"{t150 / t35:.2f}× the {n35} workbooks (goal ≤ 4×); {(t150 - t35) / (n150 - n35) * 1000:.1f} ms per workbook more")


def merge_rows(tmp: Path, reps: int, sizes: tuple[int, ...], add) -> None:
    """dti merge on 20…1,000 files against the unzip-and-parse limit (run alternately), intake alone, a pandas loop."""
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


def print_table(rows: list[tuple[str, str, str]]) -> None:
    print()
    print("| figure | value | note |\n|---|---:|---|")
    for name, value, note in rows:
        print(f"| {name} | {value} | {note} |")


if __name__ == "__main__":
    main()
