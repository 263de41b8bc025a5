"""Where the time of the everyday commands goes, on the demo round: a compact Markdown summary.

Run as ``python bench/profile.py`` (``--keep`` keeps the folder, ``--runs N`` times each command N
times). It writes the demo round (``dti demo``) into a temporary folder, then for each of

    dti score merged.xlsx --references tham-chieu.csv -o s.json
    dti report scores.xlsx -o x.html
    dti plan scores.xlsx
    dti template --all
    dti merge 2-phieu-nhan-ve -o m.xlsx

prints, each measured in fresh processes running this checkout's code:

- its wall time (median of ``--runs``, no profiler), split into the interpreter's start, imports
  and work. Imports are what ``python -X importtime`` reports in a run of its own (the top-level
  imports' cumulative time): those of ``import dti_cli.cli`` (what every command pays, `dti --help`
  included) and those the command makes lazily once it runs (with the largest of them). Work is
  the rest: wall − ``python -c pass`` − imports. -X importtime itself slows imports a little, so
  the split is an estimate;
- the command under cProfile (``from dti_cli.cli import main; main([...])``, pstats sorted by
  cumulative time): the top entries of our own code (dti_cli), and the self time by package
  (dti_cli's subpackages, third-party packages, the standard library, the import machinery).
  Percentages of the profiled run: the profiler slows Python calls more than C code.

`dti template --all` shares its workbooks among forked processes; cProfile sees only the parent, so
its profile is taken with one process (its wall time is the command's own, in parallel).

Nothing here asserts a time: the summary is the result.
"""

from __future__ import annotations

import argparse
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}

COMMANDS: list[tuple[str, list[str]]] = [
    ("dti score merged.xlsx --references tham-chieu.csv -o s.json",
     ["score", "merged.xlsx", "--references", "tham-chieu.csv", "-o", "out/s.json", "--force"]),
    ("dti report scores.xlsx -o x.html", ["report", "scores.xlsx", "-o", "out/x.html", "--force"]),
    ("dti plan scores.xlsx", ["plan", "scores.xlsx"]),
    ("dti template --all", ["template", "--all", "-o", "out/tpl", "--force"]),
    ("dti merge 2-phieu-nhan-ve -o m.xlsx", ["merge", "2-phieu-nhan-ve", "-o", "out/m.xlsx", "--force"]),
]

# Runs one command in this process; argv[1]: "plain", "importtime" or a .prof path to write cProfile's stats to.
CHILD = """
import sys
mode, args = sys.argv[1], sys.argv[2:]
sys.stderr.write("--- script\\n"); sys.stderr.flush()
import dti_cli.cli
sys.stderr.write("--- main\\n"); sys.stderr.flush()
if mode.endswith(".prof"):
    import cProfile
    if args[0] == "template":  # one process, so that the profile sees every workbook written (its import is not profiled)
        import dti_cli.template.write as w
        w.default_workers = lambda n: 1
    prof = cProfile.Profile()
    prof.enable()
try:
    dti_cli.cli.main(args)
except SystemExit as e:
    code = e.code
else:
    code = 0
if mode.endswith(".prof"):
    prof.disable()
    prof.dump_stats(mode)
sys.exit(code)
"""


def child(mode: str, args: list[str], cwd: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    r = subprocess.run([PY, *(["-X", "importtime"] if mode == "importtime" else []), "-c", CHILD, mode, *args], cwd=cwd, env=ENV,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t0
    if r.returncode not in (0, 1):
        raise SystemExit(f"dti {' '.join(args)} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    return dt, r.stderr


def import_times(stderr: str) -> dict[str, list[tuple[str, float]]]:
    """Top-level imports (name, cumulative s) of each phase: before the script, `import dti_cli.cli`, the command."""
    phases: dict[str, list[tuple[str, float]]] = {"interpreter": [], "dti_cli.cli": [], "command": []}
    phase = "interpreter"
    for line in stderr.splitlines():
        if line == "--- script":
            phase = "dti_cli.cli"
        elif line == "--- main":
            phase = "command"
        elif line.startswith("import time:") and "|" in line:
            _self, cum, name = line[len("import time:"):].split("|", 2)
            if cum.strip().isdigit() and not name[1:].startswith(" "):  # top level: the name is not indented
                phases[phase].append((name.strip(), int(cum) / 1e6))
    return phases


def package(filename: str) -> str:
    """Who a profiled function belongs to: dti_cli.<subpackage>, a third-party package, the stdlib, import machinery."""
    f = filename.replace("\\", "/")
    if f.startswith("<frozen importlib") or "importlib/" in f:
        return "(import machinery)"
    if f == "~" or f.startswith("<"):
        return "(builtins)"
    if "/dti_cli/" in f:
        rest = f.split("/dti_cli/", 1)[1].split("/")
        return "dti_cli." + (rest[0] if len(rest) > 1 else rest[0].removesuffix(".py"))
    if "site-packages/" in f:
        return f.split("site-packages/", 1)[1].split("/")[0].removesuffix(".py")
    return "(stdlib)"


#: Dispatch on the way to a command (typer, our wrappers): left out of the top entries, which would all be 100%.
DISPATCH = ("cli.py", "commands/clihelp.py", "commands/base.py")


def label(file: str, func: str) -> str:
    f = file.replace("\\", "/")
    if "/dti_cli/" in f:
        return f"{f.split('/dti_cli/', 1)[1]} {func}"
    return f"{package(file)} {Path(f).stem + '.' if f not in ('~',) and not f.startswith('<') else ''}{func}"


def summarize(prof: Path, command: str, top: int) -> tuple[list[str], list[str], list[str], float]:
    """Our code's top entries by cumulative time, the command function's callees, self time by package; and the total."""
    st = pstats.Stats(str(prof))
    total = max(v[3] for v in st.stats.values())  # the outermost call's cumulative time
    own = [(k, v) for k, v in st.stats.items() if "/dti_cli/" in k[0].replace("\\", "/")
           and not k[0].replace("\\", "/").split("/dti_cli/", 1)[1].startswith(DISPATCH)]
    own.sort(key=lambda kv: kv[1][3], reverse=True)
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in own[:top]:
        rows.append(f"| `{file.replace(chr(92), '/').split('/dti_cli/', 1)[1]}:{line} {func}` | {ct / total:.0%} | {tt / total:.0%} | {nc} |")
    # the command function (commands/<command>.py) and what it calls, by cumulative time
    st.calc_callees()
    cmd = next((k for k in st.stats if k[0].replace("\\", "/").endswith(f"dti_cli/commands/{command}.py") and k[2] == command), None)
    callees = []
    if cmd is not None:
        for (file, _line, func), v in sorted(st.all_callees[cmd].items(), key=lambda kv: kv[1][3], reverse=True)[:5]:
            if v[3] / total >= 0.02:
                callees.append(f"{label(file, func)} {v[3] / total:.0%}")
        callees.insert(0, f"**{st.stats[cmd][3] / total:.0%}** in the command")
    by: dict[str, float] = defaultdict(float)
    for (file, _line, _func), (_cc, _nc, tt, _ct, _callers) in st.stats.items():
        by[package(file)] += tt
    shares = [f"{name} {t / total:.0%}" for name, t in sorted(by.items(), key=lambda kv: kv[1], reverse=True) if t / total >= 0.02]
    return rows, callees, shares, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each command (median), default 5")
    ap.add_argument("--top", type=int, default=8, help="entries of our own code shown per command, default 8")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (the .prof files for snakeviz or pstats)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dti-profile-"))
    demo = tmp / "demo"
    try:
        subprocess.run([PY, "-m", "dti_cli.cli", "demo", str(demo)], env=ENV, check=True, stdout=subprocess.DEVNULL)
        (demo / "out").mkdir()
        start = statistics.median(_timed([PY, "-c", "pass"]) for _ in range(args.runs))
        out = [f"# Where the time goes (demo round, {time.strftime('%Y-%m-%d')}, python {sys.version.split()[0]}, "
               f"{os.cpu_count()} cores)", "",
               f"`python -c pass`: {start * 1000:.0f} ms. Wall: median of {args.runs} runs, no profiler. Imports: `python -X importtime`, "
               "top-level cumulative. Work = wall − python start − imports (an estimate). Profile shares: % of the cProfile run.", ""]
        for title, cmd in COMMANDS:
            print(f"profiling: {title}", file=sys.stderr, flush=True)
            child("plain", cmd, demo)  # warm: the data files' parse cache, the page cache
            wall = statistics.median(child("plain", cmd, demo)[0] for _ in range(args.runs))
            phases = import_times(child("importtime", cmd, demo)[1])
            at_start = sum(t for _n, t in phases["dti_cli.cli"])
            lazy = sorted(phases["command"], key=lambda nt: nt[1], reverse=True)
            lazy_t = sum(t for _n, t in lazy)
            work = wall - start - at_start - lazy_t
            biggest = ", ".join(f"{n} {t * 1000:.0f}" for n, t in lazy[:4] if t >= 0.002) or "none"
            prof = tmp / f"{cmd[0]}.prof"
            child(str(prof), cmd, demo)
            rows, callees, shares, total = summarize(prof, cmd[0], args.top)
            out += [f"## `{title}`", "",
                    f"- wall **{wall * 1000:.0f} ms** = python start {start * 1000:.0f} + `import dti_cli.cli` {at_start * 1000:.0f} "
                    f"+ lazy imports {lazy_t * 1000:.0f} + work {work * 1000:.0f} ms "
                    f"(imports {(at_start + lazy_t) / wall:.0%} of wall, work {work / wall:.0%})",
                    f"- largest lazy imports (ms): {biggest}",
                    f"- profiled{' in one process' if cmd[0] == 'template' else ''}: {total:.2f} s; {', '.join(callees)}",
                    f"- self time by package: {', '.join(shares)}",
                    "", "| our code, by cumulative time | cum | self | calls |", "|---|---:|---:|---:|", *rows, ""]
        print("\n".join(out))
        if args.keep:
            print(f"(kept: {tmp})", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def _timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, env=ENV)
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
