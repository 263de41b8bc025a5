"""The cheapest route to a goal: which level each indicator should reach so that the index gains
at least G points for the least effort.

Each indicator (an :class:`Option`) offers a few :class:`Level` s: where it stands now, and better
levels (a breakpoint of its rule, the plan's target, full points), each with its points and the
effort to get there from now. Choosing one level per indicator so that the gains add up to G at
the least total effort is a multiple-choice knapsack. Thresholds and yes/no steps make greedy
choices wrong, so :func:`solve` solves it exactly, by dynamic programming over the gain.

What "exactly" means here:

* Gains are counted at ``resolution`` (0.01 point: points are shown with two decimals). Each
  level's gain over now is rounded DOWN to a multiple of it and the goal UP, so a route found
  really reaches the goal; a route that would reach it only through the digits below the
  resolution is not seen. A level whose gain rounds down to 0 or less is never chosen.
* Efforts are added on a grid of :data:`EFFORT_GRID` (a coarser power of ten only when efforts
  are too large for it), so that 0.1 + 0.2 costs the same as 0.3 and equal efforts are found
  equal. Every effort a result reports is the sum of the levels' own efforts. A level with an
  infinite effort is never chosen.
* Routes are ordered by effort, then by gain (larger first, at resolution), then by the number
  of steps (fewer first), then by code order: the first indicator where two routes differ
  decides; there, a level given earlier in ``levels`` comes before one given later, and any move
  comes before staying at now. Indicators are taken in the order given (the catalogue's: codes
  such as 1.10 and 1.9 do not sort as text), except that the indicators of an agency with a cap
  form a block at the place of its first indicator. The best route is the first in this order
  and the alternatives are the next ones: exact k-best, each a different choice of levels.
* Agency caps: the summed effort of the levels chosen for an agency's indicators never exceeds
  its cap (compared on the effort grid). Indicators of an agency without a cap, or with no
  agency, are not limited.

Why one module of ~700 lines: the solver is one algorithm whose stages, DP tables and k-best
search share private types (``_Stage`` and its kinds); split, those would become a public surface
that nothing else should use. ``tests/test_route.py`` holds it against brute force.

How: a table per indicator, computed backwards with numpy, of the best (effort, gain, steps) that
reaches the goal from each gain so far, the gain capped at the goal (anything above counts as the
goal). An agency whose cap can bind is a single decision whose choices are the combinations of
its indicators' levels within the cap: for each gain, the k cheapest, from a small k-best table
over its indicators. Gains are counted in multiples of their greatest common divisor, which
changes no result, only the size of the tables. The alternatives come from Lawler's partition of
the routes (fix the start of a route found, forbid its next choice, take the rest from the
tables).

Cost: about indicators × levels × goal/resolution element operations (100 × 6 × 40,001 in well
under 0.3 s: ``bench/route_bench.py``); when alternatives are asked, the tables are kept, about
14 bytes per indicator and state (57 MB for 100 indicators and a goal of 400 points). An agency
with a cap adds a k-best table over the gains its indicators can reach, and each of its
undominated combinations costs one pass over the states.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

#: Efforts are added as whole multiples of this (exact in floating point up to 2**53 of them).
EFFORT_GRID = 1e-9
#: The most memory the tables may take: beyond it :func:`solve` refuses (a coarser resolution helps).
MAX_TABLE_BYTES = 2**30
# x / resolution lands a hair off a whole number (0.29 / 0.01 = 28.999999999999996).
_SLACK = 1e-9


# ---------------------------------------------------------------------------------------------
# What the caller gives and gets


@dataclass(frozen=True)
class Level:
    """A level an indicator can reach: its points, the effort to reach it from now, words for the step."""

    key: str
    points: float
    effort: float = 0.0
    label: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Option:
    """An indicator and its levels; ``levels[0]`` is where it stands now (effort 0)."""

    code: str
    levels: tuple[Level, ...]
    agency: str = ""
    fixed: bool = False


@dataclass(frozen=True)
class Step:
    """One indicator a route moves: from ``now`` to ``level``."""

    code: str
    level: Level
    now: Level
    agency: str = ""

    @property
    def gain(self) -> float:
        return self.level.points - self.now.points


@dataclass(frozen=True)
class Route:
    """A choice of levels: the indicators it moves (largest gain per effort first, then in the order
    given), its real gain and its effort."""

    steps: tuple[Step, ...]
    gain: float
    effort: float

    def choice(self) -> dict[str, str]:
        """Code → level key of every indicator the route moves."""
        return {s.code: s.level.key for s in self.steps}


@dataclass(frozen=True)
class RouteResult:
    """The best route to the goal and the next ones, or, when no route reaches it, the closest."""

    goal_gain: float
    reachable: bool
    best: Route | None
    alternatives: tuple[Route, ...]
    max_gain: float
    shortfall: float
    closest: Route | None


def solve(options: Sequence[Option], goal_gain: float, *, caps: Mapping[str, float] | None = None,
          alternatives: int = 2, resolution: float = 0.01) -> RouteResult:
    """The least-effort choice of one level per indicator whose gains add up to ``goal_gain`` or more.

    Gains are counted at ``resolution``: each level's gain over now rounded DOWN to a multiple of
    it, the goal rounded UP, so the route found really reaches the goal (see the module's
    docstring for the order of equal routes and the effort grid). ``caps`` maps an agency to the
    most effort its indicators may take together. ``alternatives`` asks for that many further
    routes, each the next in order of effort and a different choice of levels.

    When no choice reaches the goal, ``reachable`` is False, ``best`` None, ``alternatives``
    empty, and ``closest`` the least-effort route to ``max_gain`` (the most any choice within the
    caps gains, at resolution); ``shortfall`` is what it lacks.

    Raises ValueError for options, caps or numbers that make no sense (a negative effort, a
    "now" level with an effort, two options with one code, a resolution that is not positive),
    and when the tables would take more than :data:`MAX_TABLE_BYTES`.
    """
    if not (isinstance(alternatives, int) and alternatives >= 0):
        raise ValueError(f"alternatives must be a whole number ≥ 0, not {alternatives!r}")
    if not (isinstance(goal_gain, int | float) and math.isfinite(goal_gain)):
        raise ValueError(f"goal_gain must be a finite number, not {goal_gain!r}")
    problem = _Problem(options, caps or {}, resolution, alternatives + 1)
    goal = problem.goal_units(goal_gain)
    max_gain = problem.max_units * problem.unit
    if goal <= problem.max_units:
        routes = problem.routes(goal, alternatives + 1)
        return RouteResult(goal_gain, True, routes[0], tuple(routes[1:]), max_gain, 0.0, None)
    (closest,) = problem.routes(problem.max_units, 1)
    return RouteResult(goal_gain, False, None, (), max_gain, goal_gain - max_gain, closest)


def levels_table(result: RouteResult | Route) -> list[dict[str, Any]]:
    """A route as rows with running totals, in its step order: the best route, else the closest.

    Each row: code, agency, level (its key), label, points (reached), gain, effort,
    running_gain, running_effort.
    """
    route = (result.best or result.closest) if isinstance(result, RouteResult) else result
    if route is None:
        return []
    rows: list[dict[str, Any]] = []
    gains: list[float] = []
    efforts: list[float] = []
    for step in route.steps:
        gains.append(step.gain)
        efforts.append(step.level.effort)
        rows.append({"code": step.code, "agency": step.agency, "level": step.level.key, "label": step.level.label,
                     "points": step.level.points, "gain": step.gain, "effort": step.level.effort,
                     "running_gain": math.fsum(gains), "running_effort": math.fsum(efforts)})
    return rows


# ---------------------------------------------------------------------------------------------
# The problem in whole units


class _Choice(NamedTuple):
    """A level of one indicator in units: ``index`` into its levels, ``h`` gain, ``e`` effort, ``t`` tie key."""

    index: int
    h: int
    e: float
    t: int
    rank: int


@dataclass
class _Indicator:
    pos: int
    option: Option
    choices: list[_Choice]     # now first


class _Problem:
    """Options checked and turned into whole units, grouped into decisions (stages)."""

    def __init__(self, options: Sequence[Option], caps: Mapping[str, float], resolution: float, k: int):
        import numpy as np

        if not (isinstance(resolution, int | float) and math.isfinite(resolution) and resolution > 0):
            raise ValueError(f"resolution must be a positive number, not {resolution!r}")
        self.options = list(options)
        self.resolution = float(resolution)
        _check(self.options, caps)

        raw: list[list[tuple[int, int, float]]] = []      # per option: (level index, gain units, effort) of usable moves
        for opt in self.options:
            now = opt.levels[0].points
            moves = []
            if not opt.fixed:
                for i, lv in enumerate(opt.levels[1:], 1):
                    h = _floor_units(lv.points - now, self.resolution)
                    if h > 0 and math.isfinite(lv.effort):
                        moves.append((i, h, lv.effort))
            raw.append(moves)
        self.gcd = math.gcd(*(h for moves in raw for _, h, _ in moves)) or 1
        self.unit = self.gcd * self.resolution
        top = math.fsum(max((e for _, _, e in moves), default=0.0) for moves in raw)
        self.grid = EFFORT_GRID
        while top / self.grid > 2.0**52:
            self.grid *= 10

        # Ties: larger gain first, then fewer steps; one unit of gain outweighs every step count.
        per_step = len(self.options) + 1
        indicators = []
        for pos, (opt, moves) in enumerate(zip(self.options, raw, strict=True)):
            if not moves:
                continue
            now = _Choice(0, 0, 0.0, 0, len(opt.levels))
            choices = [now] + [_Choice(i, h // self.gcd, float(round(e / self.grid)), -(h // self.gcd) * per_step + 1, i)
                               for i, h, e in moves]
            indicators.append(_Indicator(pos, opt, choices))

        # Tie keys stay within ±(every gain × per_step + every step): int32 when that fits.
        span = sum(max(c.h for c in ind.choices) for ind in indicators) * per_step + len(indicators)
        self.tie = np.int32 if span < 2**31 else np.int64

        # Indicators without an agency are never limited, whatever a cap on "" says.
        capped = {a: c for a, c in caps.items() if a and math.isfinite(c)}
        first: dict[str, int] = {}
        for pos, opt in enumerate(self.options):
            if opt.agency in capped:
                first.setdefault(opt.agency, pos)
        indicators.sort(key=lambda ind: (first.get(ind.option.agency, ind.pos), ind.pos))

        # Decisions: one per indicator, or one per agency whose cap can bind.
        self.blocks: list[_Indicator | _GroupTable] = []
        i = 0
        while i < len(indicators):
            agency = indicators[i].option.agency
            j = i + 1
            if agency not in capped:
                self.blocks.append(indicators[i])
                i = j
                continue
            while j < len(indicators) and indicators[j].option.agency == agency:
                j += 1
            cap = float(round(capped[agency] / self.grid))
            members = []
            for ind in indicators[i:j]:
                within = [c for c in ind.choices if c.e <= cap]
                if len(within) > 1:
                    members.append(_Indicator(ind.pos, ind.option, within))
            if len(members) > 1 and sum(max(c.e for c in m.choices) for m in members) > cap:
                states = sum(max(c.h for c in m.choices) for m in members) + 1
                _room(states * k * (12 * max(len(m.choices) for m in members) + 4 * len(members)), f"the table of agency {agency!r}")
                self.blocks.append(_GroupTable(members, cap, k, self.tie))
            else:
                self.blocks.extend(members)
            i = j
        self.max_units = sum(b.max_h for b in self.blocks if isinstance(b, _GroupTable)) + \
            sum(max(c.h for c in b.choices) for b in self.blocks if isinstance(b, _Indicator))

    def goal_units(self, goal_gain: float) -> int:
        if goal_gain <= 0:
            return 0
        q = goal_gain / self.resolution
        units = math.ceil(q - _SLACK - abs(q) * 1e-15)
        return -(-units // self.gcd)

    def stages(self, goal: int) -> list[_Stage]:
        return [_OptionStage(b) if isinstance(b, _Indicator) else _GroupStage(b, goal) for b in self.blocks]

    def routes(self, goal: int, k: int) -> list[Route]:
        """The first ``k`` routes to ``goal`` units (fewer when fewer choices reach it)."""
        _room((goal + 1) * len(self.blocks) * (14 if k > 1 else 2), f"{goal + 1:,} states × {len(self.blocks)} decisions")
        stages = self.stages(goal)
        return [self.route(stages, path) for path in _k_best(stages, goal, k, self.tie)]

    def route(self, stages: list[_Stage], path: tuple[int, ...]) -> Route:
        steps = []
        for stage, c in zip(stages, path, strict=True):
            for pos, index in stage.moves(c):
                opt = self.options[pos]
                step = Step(opt.code, opt.levels[index], opt.levels[0], opt.agency)
                ratio = step.gain / step.level.effort if step.level.effort > 0 else math.inf
                steps.append((-ratio, pos, step))
        steps.sort(key=lambda item: item[:2])
        ordered = tuple(step for _, _, step in steps)
        return Route(ordered, math.fsum(s.gain for s in ordered), math.fsum(s.level.effort for s in ordered))


def _check(options: list[Option], caps: Mapping[str, float]) -> None:
    seen: set[str] = set()
    for opt in options:
        if opt.code in seen:
            raise ValueError(f"two options have the code {opt.code!r}")
        seen.add(opt.code)
        if not opt.levels:
            raise ValueError(f"{opt.code}: no levels (levels[0] must be where it stands now)")
        for lv in opt.levels:
            if not math.isfinite(lv.points):
                raise ValueError(f"{opt.code}: level {lv.key!r} has points {lv.points!r}")
            if math.isnan(lv.effort) or lv.effort < 0:
                raise ValueError(f"{opt.code}: level {lv.key!r} has effort {lv.effort!r}; efforts are ≥ 0")
        if opt.levels[0].effort != 0:
            raise ValueError(f"{opt.code}: levels[0] ({opt.levels[0].key!r}) is where it stands now and takes no effort")
    for agency, cap in caps.items():
        if math.isnan(cap) or cap < 0:
            raise ValueError(f"cap of {agency!r} is {cap!r}; caps are ≥ 0")


def _room(nbytes: int, what: str) -> None:
    if nbytes > MAX_TABLE_BYTES:
        raise ValueError(f"the route's tables for {what} would take about {nbytes / 2**20:,.0f} MB (at most"
                         f" {MAX_TABLE_BYTES / 2**20:,.0f}): use a coarser resolution, a smaller goal or fewer alternatives")


def _floor_units(x: float, resolution: float) -> int:
    q = x / resolution
    return math.floor(q + _SLACK + abs(q) * 1e-15)


# ---------------------------------------------------------------------------------------------
# Decisions


class _Stage:
    """One decision of a route. Choice ``c`` adds gain ``h[c]`` (capped at the goal when used),
    effort ``e[c]`` and tie key ``t[c]``; ``front`` lists the choices that can be best from some
    state, worst rank first."""

    h: Any
    e: Any
    t: Any
    front: list[int]

    def rank(self, c: int) -> tuple[int, ...]:
        raise NotImplementedError

    def moves(self, c: int) -> tuple[tuple[int, int], ...]:
        """(option position, level index) of each indicator choice ``c`` moves."""
        raise NotImplementedError

    def best_from(self, s: int, excluded: frozenset[int], after: tuple[Any, Any], goal: int) -> tuple[int, float, int, int] | None:
        """The best choice from state ``s`` but the excluded ones, with the rest from the tables
        ``after``: (choice, effort to the goal, tie key to the goal, next state), or None."""
        raise NotImplementedError


class _OptionStage(_Stage):
    def __init__(self, ind: _Indicator):
        self.ind = ind
        self.h = [c.h for c in ind.choices]
        self.e = [c.e for c in ind.choices]
        self.t = [c.t for c in ind.choices]
        self.front = sorted(range(len(ind.choices)), key=lambda c: -ind.choices[c].rank)

    def rank(self, c: int) -> tuple[int, ...]:
        return (self.ind.choices[c].rank,)

    def moves(self, c: int) -> tuple[tuple[int, int], ...]:
        index = self.ind.choices[c].index
        return ((self.ind.pos, index),) if index else ()

    def best_from(self, s, excluded, after, goal):
        after_e, after_t = after
        best = None
        for c in range(len(self.h)):
            if c in excluded:
                continue
            nxt = min(s + self.h[c], goal)
            e = self.e[c] + float(after_e[nxt])
            if e == math.inf:
                continue
            key = (e, self.t[c] + int(after_t[nxt]), self.ind.choices[c].rank)
            if best is None or key < best[0]:
                best = (key, c, nxt)
        if best is None:
            return None
        (e, t, _), c, nxt = best
        return c, e, t, nxt


class _GroupTable:
    """The k cheapest combinations of an agency's levels within its cap, for each gain they reach.

    Built backwards over the agency's indicators, so that among combinations equal in effort and
    tie key the order is that of their first indicator's level, then of the rest: code order."""

    def __init__(self, members: list[_Indicator], cap: float, k: int, tie: Any):
        import numpy as np

        self.members = members
        top = sum(max(c.h for c in m.choices) for m in members)
        n = top + 1
        cols = np.arange(n)
        E = np.full((k, n), np.inf)
        E[0, 0] = 0.0
        T = np.zeros((k, n), tie)
        self.level: list[Any] = [None] * len(members)
        self.source: list[Any] = [None] * len(members)
        big = np.iinfo(tie).max
        for i in range(len(members) - 1, -1, -1):
            # Best rank first: among equal candidates the first row wins.
            choices = sorted(range(len(members[i].choices)), key=lambda c, i=i: members[i].choices[c].rank)
            width = len(choices)
            # Per choice, its k best (sorted) and an empty row, side by side; the merge below
            # keeps a head per choice and takes the best head k times.
            cand_e = np.full((width, (k + 1) * n), np.inf)
            cand_t = np.zeros((width, (k + 1) * n), tie)
            for j, c in enumerate(choices):
                ch = members[i].choices[c]
                np.add(E[:, :n - ch.h], ch.e, out=cand_e[j].reshape(k + 1, n)[:k, ch.h:])
                np.add(T[:, :n - ch.h], ch.t, out=cand_t[j].reshape(k + 1, n)[:k, ch.h:])
            rows = (np.arange(width) * (k + 1) * n)[:, None] + cols
            which_rows = np.arange(width)[:, None]
            taken = np.zeros((width, n), np.intp)        # how many of each choice's list are taken
            new_e = np.empty((k, n))
            new_t = np.empty((k, n), tie)
            level = np.empty((k, n), np.int16)
            source = np.empty((k, n), np.int16)
            index = np.array(choices, np.int16)
            for r in range(k):
                at = rows + taken * n if r else rows
                heads_e = np.take(cand_e, at)
                heads_t = np.take(cand_t, at)
                best_e = heads_e.min(axis=0)
                is_best = heads_e == best_e
                best_t = np.where(is_best, heads_t, big).min(axis=0)
                is_best &= heads_t == best_t
                which = np.where(is_best, which_rows, width).min(axis=0)
                new_e[r] = best_e
                new_t[r] = best_t
                level[r] = index[which]
                source[r] = np.take(taken, which * n + cols)
                taken += which_rows == which
            # Lists are sorted by effort: the k best within the cap are the k best, cut at the cap.
            new_e[new_e > cap] = np.inf
            E, T = new_e, new_t
            self.level[i] = level
            self.source[i] = source
        self.E, self.T = E, T
        self.max_h = int(np.flatnonzero(np.isfinite(E[0]))[-1])
        self._combos: dict[tuple[int, int], tuple[int, ...]] = {}

    def combo(self, h: int, r: int) -> tuple[int, ...]:
        """The choice of each member in entry ``r`` of gain ``h``."""
        key = (h, r)
        if key not in self._combos:
            out = []
            for i, m in enumerate(self.members):
                c = int(self.level[i][r, h])
                out.append(c)
                r = int(self.source[i][r, h])
                h -= m.choices[c].h
            self._combos[key] = tuple(out)
        return self._combos[key]

    def rank(self, h: int, r: int) -> tuple[int, ...]:
        return tuple(m.choices[c].rank for m, c in zip(self.members, self.combo(h, r), strict=True))


class _GroupStage(_Stage):
    """An agency with a cap as one decision, for one goal: gains at or above the goal are one state."""

    def __init__(self, table: _GroupTable, goal: int):
        import numpy as np

        self.table = table
        E, T = table.E, table.T
        below = min(goal, E.shape[1])
        r_low, h_low = np.nonzero(np.isfinite(E[:, :below]))
        r_top, h_top = np.nonzero(np.isfinite(E[:, below:]))
        h_top = h_top + below
        # At the goal, the k best of every combination reaching it.
        order = np.lexsort((T[r_top, h_top], E[r_top, h_top]))
        k = E.shape[0]
        keep = list(order[:k])
        if len(order) > k:
            last = (E[r_top[order[k - 1]], h_top[order[k - 1]]], T[r_top[order[k - 1]], h_top[order[k - 1]]])
            for o in order[k:]:
                if (E[r_top[o], h_top[o]], T[r_top[o], h_top[o]]) != last:
                    break
                keep.append(o)
        keep.sort(key=lambda o: (E[r_top[o], h_top[o]], T[r_top[o], h_top[o]], table.rank(int(h_top[o]), int(r_top[o]))))
        keep = keep[:k]
        self.origin_h = np.concatenate([h_low, h_top[keep]]).astype(np.int64)
        self.origin_r = np.concatenate([r_low, r_top[keep]]).astype(np.int64)
        self.h = np.minimum(self.origin_h, goal)
        self.e = E[self.origin_r, self.origin_h]
        self.t = T[self.origin_r, self.origin_h]

        # The front: each gain's first entry, less those another entry beats with a larger gain.
        first = np.flatnonzero(self.origin_r == 0)
        if len(keep):
            first = np.append(first, len(h_low))
        first = first[np.argsort(-self.h[first], kind="stable")]
        by_key = np.lexsort((self.t[first], self.e[first]))
        dense = np.empty(len(first), np.int64)
        se, st = self.e[first][by_key], self.t[first][by_key]
        dense[by_key] = np.concatenate([[0], np.cumsum((se[1:] != se[:-1]) | (st[1:] != st[:-1]))])
        best_above = np.concatenate([[np.iinfo(np.int64).max], np.minimum.accumulate(dense)[:-1]])
        front = first[dense < best_above]
        self.front = sorted((int(c) for c in front), key=self.rank, reverse=True)

    def rank(self, c: int) -> tuple[int, ...]:
        return self.table.rank(int(self.origin_h[c]), int(self.origin_r[c]))

    def moves(self, c: int) -> tuple[tuple[int, int], ...]:
        combo = self.table.combo(int(self.origin_h[c]), int(self.origin_r[c]))
        out = []
        for m, ci in zip(self.table.members, combo, strict=True):
            if m.choices[ci].index:
                out.append((m.pos, m.choices[ci].index))
        return tuple(out)

    def best_from(self, s, excluded, after, goal):
        import numpy as np

        after_e, after_t = after
        nxt = np.minimum(s + self.h, goal)
        total_e = self.e + after_e[nxt]
        if excluded:
            total_e[list(excluded)] = np.inf
        e = float(total_e.min())
        if e == math.inf:
            return None
        tied = np.flatnonzero(total_e == e)
        total_t = self.t[tied] + after_t[nxt[tied]]
        t = int(total_t.min())
        c = min((int(c) for c in tied[total_t == t]), key=self.rank)
        return c, e, t, int(nxt[c])


# ---------------------------------------------------------------------------------------------
# Tables and the k best routes


def _tables(stages: list[_Stage], goal: int, keep: bool, tie: Any) -> tuple[list[Any], list[Any]]:
    """Backwards over the stages: for each state (gain so far, capped at the goal), the best
    (effort, tie key) to the goal, and the choice that gives it (the smallest rank among equals).
    ``tie`` is the integer dtype of tie keys."""
    import numpy as np

    n = goal + 1
    best_e = np.full(n, np.inf)
    best_e[goal] = 0.0
    best_t = np.zeros(n, tie)
    tables: list[Any] = [None] * (len(stages) + 1)
    tables[-1] = (best_e, best_t)
    args: list[Any] = [None] * len(stages)
    cand_e = np.empty(n)
    cand_t = np.empty(n, tie)
    less, equal, tied = (np.empty(n, bool) for _ in range(3))
    for k in range(len(stages) - 1, -1, -1):
        stage = stages[k]
        new_e = np.empty(n)
        new_t = np.empty(n, tie)
        arg = np.empty(n, np.int16 if len(stage.h) < 2**15 else np.int32)
        for i, c in enumerate(stage.front):
            h = min(int(stage.h[c]), goal)
            e, t = stage.e[c], stage.t[c]
            into_e, into_t = (new_e, new_t) if i == 0 else (cand_e, cand_t)
            np.add(best_e[h:], e, out=into_e[:n - h])
            into_e[n - h:] = best_e[goal] + e
            np.add(best_t[h:], t, out=into_t[:n - h])
            into_t[n - h:] = best_t[goal] + t
            if i == 0:
                arg.fill(c)
                continue
            # The front runs from the worst rank to the best: an equal candidate replaces.
            np.less(cand_e, new_e, out=less)
            np.equal(cand_e, new_e, out=equal)
            np.less_equal(cand_t, new_t, out=tied)
            equal &= tied
            less |= equal
            np.copyto(new_e, cand_e, where=less)
            np.copyto(new_t, cand_t, where=less)
            np.copyto(arg, c, where=less)
        best_e, best_t = new_e, new_t
        args[k] = arg
        if keep or k == 0:
            tables[k] = (best_e, best_t)
    return tables, args


class _Node:
    """A part of Lawler's partition: routes that start with ``prefix``, avoid ``excluded`` at the
    next stage and go on freely; holds that part's best route, built when first needed."""

    __slots__ = ("e", "t", "prefix", "c", "after", "excluded", "_path", "_rank", "_solver")

    def __init__(self, solver: _Lawler, e: float, t: int, prefix: tuple[int, ...], c: int, after: int, excluded: frozenset[int]):
        self._solver = solver
        self.e, self.t, self.prefix, self.c, self.after = e, t, prefix, c, after
        self.excluded = excluded
        self._path: tuple[int, ...] | None = None
        self._rank: tuple[int, ...] | None = None

    def path(self) -> tuple[int, ...]:
        if self._path is None:
            self._path = self.prefix + (self.c,) + self._solver.suffix(len(self.prefix) + 1, self.after)
        return self._path

    def rank(self) -> tuple[int, ...]:
        if self._rank is None:
            self._rank = tuple(r for stage, c in zip(self._solver.stages, self.path(), strict=True) for r in stage.rank(c))
        return self._rank

    def __lt__(self, other: _Node) -> bool:
        if self.e != other.e:
            return self.e < other.e
        if self.t != other.t:
            return self.t < other.t
        return self.rank() < other.rank()


class _Lawler:
    def __init__(self, stages: list[_Stage], goal: int, keep: bool, tie: Any):
        self.stages = stages
        self.goal = goal
        self.tables, self.args = _tables(stages, goal, keep, tie)

    def suffix(self, k: int, s: int) -> tuple[int, ...]:
        out = []
        for j in range(k, len(self.stages)):
            c = int(self.args[j][s])
            out.append(c)
            s = min(s + int(self.stages[j].h[c]), self.goal)
        return tuple(out)

    def node(self, path: tuple[int, ...], k: int, excluded: frozenset[int], walk: list[tuple[int, float, int]]) -> _Node | None:
        s, e, t = walk[k]
        found = self.stages[k].best_from(s, excluded, self.tables[k + 1], self.goal)
        if found is None:
            return None
        c, de, dt, after = found
        return _Node(self, e + de, t + dt, path[:k], c, after, excluded)

    def walk(self, path: tuple[int, ...]) -> list[tuple[int, float, int]]:
        """State, effort and tie key before each stage of ``path``."""
        s, e, t = 0, 0.0, 0
        out = [(s, e, t)]
        for stage, c in zip(self.stages, path, strict=True):
            s = min(s + int(stage.h[c]), self.goal)
            e += float(stage.e[c])
            t += int(stage.t[c])
            out.append((s, e, t))
        return out


def _k_best(stages: list[_Stage], goal: int, k: int, tie: Any) -> list[tuple[int, ...]]:
    """The first ``k`` routes in order (Lawler): each popped route's part is split into the routes
    that leave it at each later stage, and the rest of its own stage's choices."""
    lawler = _Lawler(stages, goal, k > 1, tie)
    if lawler.tables[0][0][0] == math.inf:
        return []
    best = lawler.suffix(0, 0)
    found = [best]
    heap: list[_Node] = []

    def split(path: tuple[int, ...], start: int, walk: list[tuple[int, float, int]]) -> None:
        for j in range(start, len(stages)):
            node = lawler.node(path, j, frozenset((path[j],)), walk)
            if node is not None:
                heapq.heappush(heap, node)

    if k > 1:
        split(best, 0, lawler.walk(best))
    while heap and len(found) < k:
        node = heapq.heappop(heap)
        path = node.path()
        found.append(path)
        if len(found) == k:
            break
        start = len(node.prefix)
        walk = lawler.walk(path)
        sibling = lawler.node(path, start, node.excluded | {node.c}, walk)
        if sibling is not None:
            heapq.heappush(heap, sibling)
        split(path, start + 1, walk)
    return found
