"""Benchmark of the route solver (dti_cli.plan.route): how long the cheapest route takes.

Run as ``python bench/route_bench.py`` (``--repeat N`` for more runs). Each case is a random but
fixed (seeded) province: 100 indicators of 10 points each, every indicator with its level now and
5 better levels on the 0.01 grid (4 breakpoints and full), efforts growing with the level, from
effort classes (0.5, 1, 2, 3, 5) or any floats. Each case runs in a fresh process: "first" is its
first solve, as `dti plan` runs it (the tables' memory is new then: its page faults count), then
the median and min of the runs after it. Peak memory is what tracemalloc sees numpy and Python
allocate during one solve. Nothing here asserts a time: the table is the result.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dti_cli.plan.route import Level, Option, solve  # noqa: E402

AGENCIES = [f"agency{i:02d}" for i in range(12)]


def province(seed: int, classes: bool) -> list[Option]:
    """100 indicators × (now + 5 levels). Efforts from classes (0.5, 1, 2, 3, 5) or any floats."""
    rng = random.Random(seed)
    options = []
    for i in range(100):
        top = 1000                                         # 10 points, in hundredths
        now = rng.randint(0, top // 2)
        marks = sorted(rng.sample(range(now + 1, top), 4)) + [top]
        levels = [Level("now", now / 100)]
        effort = 0.0
        for j, mark in enumerate(marks):
            effort += rng.choice([0.5, 1, 2, 3, 5]) if classes else rng.uniform(0.1, 4.0)
            levels.append(Level("full" if j == 4 else f"step{j + 1}", mark / 100, effort))
        options.append(Option(f"{i // 10 + 1}.{i % 10 + 1}", tuple(levels), agency=AGENCIES[i % len(AGENCIES)]))
    return options


def caps_for(options: list[Option], share: float) -> dict[str, float]:
    """Each agency may spend ``share`` of what moving all its indicators to full would take."""
    full: dict[str, float] = {}
    for o in options:
        full[o.agency] = full.get(o.agency, 0.0) + o.levels[-1].effort
    return {a: share * e for a, e in full.items()}


def cases() -> list[tuple[str, list[Option], float, dict]]:
    classes = province(1, classes=True)
    floats = province(1, classes=False)
    return [
        ("goal 400, alternatives 2 (the default)", classes, 400, {}),
        ("goal 400, alternatives 0", classes, 400, {"alternatives": 0}),
        ("goal 400, alternatives 5", classes, 400, {"alternatives": 5}),
        ("goal 400, any float efforts", floats, 400, {}),
        ("goal 100", classes, 100, {}),
        ("goal 400, caps on 12 agencies (50%)", classes, 400, {"caps": caps_for(classes, 0.5)}),
        ("goal 400, caps (50%), any float efforts", floats, 400, {"caps": caps_for(floats, 0.5)}),
        ("goal 900: unreachable, closest route", classes, 900, {}),
    ]


def run_case(number: int, repeat: int) -> None:
    """In this (fresh) process: the first solve, then ``repeat`` more; prints JSON."""
    _, options, goal, kw = cases()[number]
    t0 = time.perf_counter()
    import numpy  # noqa: F401  (what `dti plan` pays once)
    imported = time.perf_counter() - t0
    times = []
    for _ in range(repeat + 1):
        t0 = time.perf_counter()
        result = solve(options, goal, **kw)
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    solve(options, goal, **kw)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    route = result.best or result.closest
    what = (f"effort {route.effort:.2f}, {len(route.steps)} steps, {len(result.alternatives)} alternatives" if result.reachable
            else f"max {result.max_gain:.2f}, shortfall {result.shortfall:.2f}")
    states = round(min(goal, result.max_gain) / 0.01) + 1
    print(json.dumps({"import": imported, "times": times, "peak": peak, "what": what, "states": states}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--case", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case is not None:
        run_case(args.case, args.repeat)
        return
    print(f"route solver: 100 indicators × 6 levels, resolution 0.01 (python {sys.version.split()[0]}, {os.cpu_count()} CPUs,"
          f" load {os.getloadavg()[0]:.1f}); each case in a fresh process")
    print(f"{'case':42} {'states':>7} {'first':>8} {'median':>8} {'min':>8} {'peak MB':>8}  result")
    imports = []
    for number, (name, *_) in enumerate(cases()):
        out = subprocess.run([sys.executable, __file__, "--case", str(number), "--repeat", str(args.repeat)],
                             capture_output=True, text=True, check=True).stdout
        r = json.loads(out)
        imports.append(r["import"])
        first, rest = r["times"][0], r["times"][1:]
        print(f"{name:42} {r['states']:>7} {first * 1000:>6.1f}ms {statistics.median(rest) * 1000:>6.1f}ms"
              f" {min(rest) * 1000:>6.1f}ms {r['peak'] / 1e6:>8.1f}  {r['what']}")
    print(f"first = the first solve in the process (as `dti plan` runs it); median and min of the {args.repeat} after it."
          f" numpy's import, paid once before: {statistics.median(imports) * 1000:.0f} ms.")


if __name__ == "__main__":
    main()
