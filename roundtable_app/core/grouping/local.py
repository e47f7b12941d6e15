"""Descent with "don't look" flags and iterated local search (large or sparse pools).

Above :data:`.search.FULL_LIMIT` nodes the tabu search cannot afford the full
n x n swap matrix per step, and a tabu walk over randomly sampled rows drifts
more than it climbs (on 1,000 demo invitees it ended *below* a plain greedy
local optimum). Large pools therefore use an iterated local search in the
spirit of Lai and Hao's iterated maxima search (2016):

* :func:`descent` scans one node at a time (its best move or swap, an O(n)
  row of gains from the contribution matrix) and only re-scans nodes whose
  table changed since their last scan (the "don't look" flags), so a
  descent after a small perturbation costs a few rows, not a full pass;
* :func:`iterated_local_search` alternates a perturbation with that descent:
  it re-mixes *two* tables with about a table's worth of random swaps
  between them (flagging only those two tables), keeps the result when it is
  at most a small slack below the best (plateaus are crossed, basins left)
  and otherwise undoes it from a journal (no O(n^2) rebuild); after long
  runs of failures the perturbation grows a swap at a time up to double (the
  "strong" one) and resets on every improvement.

Measured on demo data (1,000 invitees, 100 tables, 10 s): 2-3 random swaps
anywhere reached 7,577 (a tabu walk on sampled rows: 6,963, a greedy local
optimum 7,151); re-mixing two tables with 9-20 swaps reached 8,030-8,110.
The same search also serves small pools with centred or sparse weights (see
:func:`prefers_local_search`).

A swap between nodes of untouched tables has an unchanged gain, and any swap
with a node of a touched table is seen when that node is re-scanned, so the
flags lose no improving swap. Every random choice comes from the generator
passed in, so a fixed seed and iteration cap (here: perturbation rounds) give
a fixed plan.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from roundtable_app.core.grouping.rules import Problem
from roundtable_app.core.grouping.search import SearchOutcome, State
from roundtable_app.core.progress import Progress

# Below this share of positive weights the iterated local search is used even
# for small pools (see prefers_local_search).
POSITIVE_SHARE_FOR_TABU = 0.5
# How far (in mean absolute weights) a round may end below the best and still be kept.
SLACK_WEIGHTS = 2.0


def prefers_local_search(problem: Problem) -> bool:
    """True for centred or sparse weights (mostly zero or negative), as the app builds.

    Measured, not derived: on demo data (200 invitees, 20 tables, 3 % positive
    weights, 2 s) this search ends 5-10 % of the improvement over a random
    plan above the tabu search of :mod:`.search` (-458..-486 against
    -507..-582), while on the all-positive MDGPLIB instances the tabu search
    is better (this one: 1.1 % off at 10 s on RanReal n = 240, over the 0.5 %
    budget).
    """
    w = problem.weights
    n = w.shape[0]
    if n < 3:
        return False
    positive = int(np.count_nonzero(w > 0))  # diagonal is zero
    return positive < POSITIVE_SHARE_FOR_TABU * n * (n - 1)


def _tol(x: float) -> float:
    return 1e-9 * (abs(x) + 1.0)


def scan(
    state: State, i: int, own: np.ndarray | None = None
) -> tuple[float, int, int, bool] | None:
    """Best allowed move or swap of node ``i`` (no tabu), as :meth:`State.best_step`.

    The single-row case of ``best_step`` written with 1-D arrays only: the
    descent calls it once per flagged node, so its constant factor is what
    decides how many perturbation rounds fit in the budget. ``own`` may pass
    ``C[g[j], j]`` for every node, cached by the caller between steps.
    """
    c, g = state.c, state.g
    a = int(g[i])
    col = c[:, i] - c[a, i]  # gain of moving i to each table
    col[a] = -np.inf
    if state.f is not None:
        col[state.f[:, i] > 0] = -np.inf
    # d[j]: gain of swapping i with j = col[g[j]] + (c[a, j] - c[g[j], j]) - 2 w[i, j]
    d = col[g]
    d += c[a]
    d -= c[g, state.ar] if own is None else own
    row = state.w[i]
    d -= row  # twice in place: no temporary for 2 * w[i]
    d -= row
    d[state.fixed] = -np.inf
    if state.f is not None:
        d[state.f[a] > 0] = -np.inf
    mask = state.swap_ok(np.array([i]))
    if mask is not None:
        d[~mask[0]] = -np.inf
    j = int(d.argmax())
    best: tuple[float, int, int, bool] | None = None
    if d[j] > -np.inf:
        best = (float(d[j]), i, j, True)
    if state.can_move and state.size[a] - state.s[i] >= state.lo[a]:
        col[state.size + state.s[i] > state.hi] = -np.inf
        if state.has_limit:
            col[~state._limit_move_ok(np.array([i]))[:, 0]] = -np.inf
        t = int(col.argmax())
        if col[t] > -np.inf and (best is None or col[t] > best[0]):
            best = (float(col[t]), i, t, False)
    return best


def descent(
    state: State,
    rng: np.random.Generator,
    dirty: np.ndarray,
    deadline: float = float("inf"),
    journal: list[tuple[int, int]] | None = None,
) -> int:
    """Apply improving steps until no flagged node has one; returns the steps taken.

    ``dirty`` (bool per node) marks the nodes to scan and is cleared as they
    are; a step re-flags every node of the two tables it changed. Each applied
    step is appended to ``journal`` as ``(node, old table)`` pairs so it can
    be undone. Stops early (leaving a valid plan) at ``deadline``.
    """
    steps = 0
    dirty &= state.movable
    while dirty.any():
        order = np.flatnonzero(dirty)
        order = order[rng.permutation(len(order))]
        own = state.c[state.g, state.ar]  # scans outnumber steps: refresh per step only
        for i in order.tolist():
            if not dirty[i]:
                continue
            dirty[i] = False
            step = scan(state, i, own)
            if step is None or step[0] <= _tol(state.score):
                continue
            gain, _, target, is_swap = step
            a = int(state.g[i])
            if is_swap:
                b = int(state.g[target])
                if journal is not None:
                    journal.append((i, a))
                    journal.append((target, b))
                state.swap(i, target, gain)
            else:
                b = target
                if journal is not None:
                    journal.append((i, a))
                state.move(i, b, gain)
            steps += 1
            own = state.c[state.g, state.ar]
            touched = (state.g == a) | (state.g == b)
            dirty |= touched & state.movable
            if steps % 64 == 0 and time.perf_counter() >= deadline:
                return steps
    return steps


def _undo(state: State, journal: list[tuple[int, int]], score: float) -> None:
    """Put every journalled node back at its old table, newest first."""
    for i, a in reversed(journal):
        cur = int(state.g[i])
        if cur != a:
            state.move(i, a, 0.0)
    state.score = score
    journal.clear()


def _pair_steps(state: State, rng: np.random.Generator, strength: int) -> int:
    """Up to ``strength`` random feasible swaps between two random tables; returns how many.

    Only swaps, so the size profile is left to the descent's moves. Falls
    back to one :meth:`State.random_step` when the pair allows no swap.
    """
    movable = np.flatnonzero(state.movable)
    if len(movable) < 2:
        return 0
    done = 0
    a = b = -1  # the two tables, chosen with the first swap
    for _ in range(4 * strength):
        if done >= strength:
            break
        i = int(movable[rng.integers(len(movable))])
        if done == 0:
            k = int(movable[rng.integers(len(movable))])
            a, b = int(state.g[i]), int(state.g[k])
            if a == b:
                continue
        elif int(state.g[i]) not in (a, b):
            # later swaps stay within the same two tables
            mem = movable[(state.g[movable] == a) | (state.g[movable] == b)]
            i = int(mem[rng.integers(len(mem))])
        src = int(state.g[i])
        dst = b if src == a else a
        cand = state.movable & (state.g == dst)
        if state.f is not None:
            cand &= state.f[src, :] == 0
            if state.f[dst, i] > 0:
                continue
        mask = state.swap_ok(np.array([i]))
        if mask is not None:
            cand &= mask[0]
        js = np.flatnonzero(cand)
        if len(js) == 0:
            continue
        j = int(js[rng.integers(len(js))])
        c = state.c
        gain = c[dst, i] - c[src, i] + c[src, j] - c[dst, j] - 2 * state.w[i, j]
        state.swap(i, j, float(gain))
        done += 1
    if done == 0:
        return 1 if state.random_step(rng) else 0
    return done


def _perturb(
    state: State, rng: np.random.Generator, strength: int, journal: list[tuple[int, int]]
) -> np.ndarray | None:
    """Re-mix two tables (journalled); the nodes to re-scan, or None when nothing can change."""
    before = state.g.copy()
    done = _pair_steps(state, rng, strength)
    if done == 0:
        return None
    changed = np.flatnonzero(before != state.g)
    journal.extend((int(i), int(before[i])) for i in changed)
    tables = np.zeros(state.m, dtype=bool)
    tables[before[changed]] = True
    tables[state.g[changed]] = True
    return tables[state.g] & state.movable


def iterated_local_search(
    state: State,
    rng: np.random.Generator,
    *,
    deadline: float,
    max_iterations: int | None,
    should_stop: Callable[[int, float], bool],
) -> tuple[np.ndarray, float, int, int, str]:
    """Improve ``state`` in place; returns (best plan, score, rounds, best round, reason).

    ``should_stop(round, best)`` is polled once per round (progress reports,
    "stop and keep the best"); it returns True to stop.
    """
    nn = state.nn
    descent(state, rng, np.ones(nn, dtype=bool), deadline)
    state.score = state.exact_score()  # drop the rounding drift of the descent
    best = cur = state.score
    best_g = state.g.copy()
    best_it = 0
    # Accept a round that ends up to two mean |weights| below the best (then
    # undo to the last accepted plan, not the best): a little drift lets the
    # walk leave seed-dependent basins. Demo data, 1,000 invitees, 10 s:
    # 8,073 -> 8,146; 200 invitees, 2 s, seeds 1-3: mean -470 -> -464.
    slack = SLACK_WEIGHTS * float(np.abs(state.w).sum()) / max(1, nn * (nn - 1))
    # Re-mixing two tables with about a table's worth of random swaps worked
    # best on 1,000 demo invitees (strength 9-20 at 10 per table; 2-4 far worse).
    per_table = nn / max(1, state.m)
    weak = max(2, round(1.2 * per_table))
    strong = 2 * weak
    strength = weak
    fails = 0
    it = 0
    reason = "exhausted"
    journal: list[tuple[int, int]] = []
    while True:
        if max_iterations is not None and it >= max_iterations:
            reason = "iterations"
            break
        if time.perf_counter() >= deadline:
            reason = "time"
            break
        if should_stop(it, best):
            reason = "stopped"
            break
        journal.clear()
        dirty = _perturb(state, rng, strength, journal)
        if dirty is None:
            break  # no feasible step exists: the plan cannot change
        it += 1
        descent(state, rng, dirty, deadline, journal)
        if state.score > best + _tol(best):
            best = cur = state.score
            best_g = state.g.copy()
            best_it = it
            strength, fails = weak, 0
        elif state.score >= best - slack - _tol(best):
            cur = state.score
            fails += 1  # equal: keep it, walking the plateau
        else:
            _undo(state, journal, cur)
            fails += 1
        # Grow the perturbation after a run of failures, up to the strong one.
        if fails >= 4 * nn // max(1, strength) and strength < strong:
            strength, fails = strength + 1, 0
        if it % 2048 == 0:
            state.set(state.g)  # clear rounding drift of the incremental C
    return best_g, best, it, best_it, reason


def large_search(
    state: State,
    rng: np.random.Generator,
    deadline: float,
    max_iterations: int | None,
    progress: Progress | None,
    clock_start: float,
    time_limit: float,
) -> SearchOutcome:
    """Large pools: :func:`iterated_local_search` with the tabu search's stop and progress rules."""
    next_report = [time.perf_counter()]
    constant = state.p.constant

    def should_stop(it: int, best: float) -> bool:
        if progress is None:
            return False
        if progress.stopping_early:
            return True
        now = time.perf_counter()
        if now >= next_report[0]:
            frac = (now - clock_start) / time_limit if time_limit > 0 else 1.0
            if max_iterations:
                frac = max(frac, it / max_iterations)
            done = min(999, int(1000 * frac))
            progress.update(done, 1000, f"Best plan so far scores {best + constant:,.1f}")
            next_report[0] = now + 0.1
        return False

    g, best, it, best_it, reason = iterated_local_search(
        state, rng, deadline=deadline, max_iterations=max_iterations, should_stop=should_stop
    )
    return SearchOutcome(g, best, it, best_it, reason)
