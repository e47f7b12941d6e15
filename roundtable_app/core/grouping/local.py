"""Iterated local search (large pools, and the app's centred weights).

Above :data:`.state.FULL_LIMIT` nodes the tabu search cannot afford the full
n x n swap matrix per step, and a tabu walk over randomly sampled rows drifts
more than it climbs (on 1,000 demo invitees it ended *below* a plain greedy
local optimum). Large pools, and pools whose weights are mostly zero or
negative, therefore use an iterated local search in the spirit of Lai and
Hao's iterated maxima search (2016):

* a descent scans one node at a time (its best move or swap, from the
  contribution matrix) and only re-scans nodes whose table changed since
  their last scan (the "don't look" flags), so a descent after a small
  perturbation costs a few scans, not a full pass;
* each round re-mixes *two* tables with about a table's worth of random
  swaps between them (flagging only those two tables), descends, keeps the
  result when it is at most a small slack below the best (plateaus are
  crossed, basins left) and otherwise undoes it from a journal (no O(n^2)
  rebuild); after long runs of failures the perturbation grows a swap at a
  time up to double and resets on every new best.

The per-node work is compiled (:mod:`.kernels`, numba); this module drives
it in time-boxed chunks and owns progress, stopping and the rebuilds that
clear rounding drift. Compiled, a round costs microseconds instead of the
~0.5 ms of the numpy version it replaced, so 20-40 times more rounds fit in
a budget: on demo data 200 invitees reached 0.3-0.9 % (of the improvement
over a random plan) below a 2-minute best in 2 s, where numpy reached
0.3-3 %.

A swap between nodes of untouched tables has an unchanged gain, and any swap
with a node of a touched table is seen when that node is re-scanned, so the
flags lose no improving swap. Every random choice comes from a generator
seeded from the one passed in, so a fixed seed and iteration cap (here:
perturbation rounds) give a fixed plan.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from roundtable_app.core.grouping.rules import Problem
from roundtable_app.core.grouping.state import SearchOutcome, State, report
from roundtable_app.core.grouping.warm_up import kernels_loaded
from roundtable_app.core.progress import Progress

# Below this share of positive weights the iterated local search is used even
# for small pools (see prefers_local_search).
POSITIVE_SHARE_FOR_TABU = 0.5
# How far (in mean absolute weights) a round may end below the best and still be kept.
SLACK_WEIGHTS = 3.0
# Independent walks run side by side (see iterated_local_search).
WALKS = 2
# Rounds between rebuilds of the contribution matrix from scratch.
REBUILD_EVERY = 2048


def prefers_local_search(problem: Problem) -> bool:
    """True for centred or sparse weights (mostly zero or negative), as the app builds.

    Measured, not derived: on demo data (200 invitees, 20 tables, 3 % positive
    weights, 2 s) this search ends 5-10 % of the improvement over a random
    plan above the tabu search of :mod:`.search` (-458..-486 against
    -507..-582), while on the all-positive MDGPLIB instances the tabu search
    is better (this one: 1.1 % off at 10 s on RanReal n = 240, over the 0.5 %
    budget). Both figures are from the numpy version of this search, before
    its inner loops were compiled; MDGPLIB was not re-measured with them.
    """
    w = problem.weights
    n = w.shape[0]
    if n < 3:
        return False
    positive = int(np.count_nonzero(w > 0))  # diagonal is zero
    return positive < POSITIVE_SHARE_FOR_TABU * n * (n - 1)


def _arrays(state: State) -> tuple:
    """The plan's arrays in the order the kernels take them (empty stand-ins when unused)."""
    nn, m = state.nn, state.m
    if state.f is None:  # no keep-apart pairs: zero counts, no neighbours
        f = np.zeros((m, nn), dtype=np.int32)
    else:
        f = state.f
    nb_ptr = np.zeros(nn + 1, dtype=np.int64)
    nb_ptr[1:] = np.cumsum([len(a) for a in state.nbrs])
    nb_idx = (
        np.concatenate(state.nbrs).astype(np.int64) if nb_ptr[-1] else np.zeros(0, dtype=np.int64)
    )
    if state.has_limit:
        comp, cnt, caps = state.comp, state.cnt, state.caps
    else:
        comp = np.zeros((nn, 0), dtype=np.int64)
        cnt = np.zeros((m, 0), dtype=np.int64)
        caps = np.ones(1, dtype=np.int64)
    return f, nb_ptr, nb_idx, comp, cnt, caps


def iterated_local_search(
    state: State,
    rng: np.random.Generator,
    *,
    deadline: float,
    max_iterations: int | None,
    should_stop: Callable[[int, float], bool],
) -> tuple[np.ndarray, float, int, int, str]:
    """Best of :data:`WALKS` independent walks; returns (plan, score, rounds, best round, reason).

    The walks start from the same plan with their own random streams and run
    side by side on separate cores (the kernels release the interpreter
    lock). A single walk sometimes settles in a poor basin for a long time
    (on 200 demo invitees with every balance rule required, 1 seed in 6
    ended 1.2 % below the 5-minute best at 2 s while others reached it), and
    two walks make that far less likely at no cost in time where two cores
    are free. ``rounds`` counts per walk, so an iteration cap is a cap on
    each walk, and the plan for a seed and cap is the same on every machine.
    Only the first walk reports progress; a stop request or Cancel ends all.
    """
    keys = [int(rng.integers(0, 2**63)) for _ in range(WALKS)]
    states = [state] + [State(state.p, state.g) for _ in range(WALKS - 1)]
    finish = threading.Event()
    bests = [float("-inf")] * WALKS

    def poll(k: int) -> Callable[[int, float], bool]:
        def check(done: int, best: float) -> bool:
            bests[k] = best
            if k == 0 and should_stop(done, max(bests)):
                finish.set()
            return finish.is_set()

        return check

    with ThreadPoolExecutor(max_workers=max(1, WALKS - 1)) as pool:
        others = [
            pool.submit(_walk, states[k], keys[k], deadline, max_iterations, poll(k))
            for k in range(1, WALKS)
        ]
        try:
            results = [_walk(states[0], keys[0], deadline, max_iterations, poll(0))]
        except BaseException:
            finish.set()  # Cancel (or a failure): end the other walks too
            raise
        results += [future.result() for future in others]
    pick = max(range(WALKS), key=lambda k: (results[k][1], -k))  # ties: the first walk
    best_g, best, _, best_round, _ = results[pick]
    rounds = max(r[2] for r in results)
    return best_g, best, rounds, best_round, results[0][4]


def _walk(
    state: State,
    seed: int,
    deadline: float,
    max_iterations: int | None,
    should_stop: Callable[[int, float], bool],
) -> tuple[np.ndarray, float, int, int, str]:
    """One walk: improve ``state`` in place; returns (best plan, score, rounds, best round, reason).

    A first descent from the start, then perturbation rounds
    (:func:`.kernels.rounds`) in chunks sized to about 40 ms, so that the
    time limit, ``should_stop(round, best)`` (progress reports, "stop and
    keep the best") and cancelling are checked between chunks. Chunk sizes
    never change which steps are taken, only where the search may stop.
    """
    # Imported here, not with the module: numba's import is a large part of a
    # cold start, and only a search needs it (the window imports this package).
    from roundtable_app.core.grouping import kernels

    nn = state.nn
    f, nb_ptr, nb_idx, comp, cnt, caps = _arrays(state)
    key = np.array([seed], dtype=np.uint64)
    movable_idx = np.flatnonzero(state.movable).astype(np.int64)
    movable = state.movable.astype(np.bool_)
    common = (state.w, state.g, state.c, state.size, state.s, state.lo, state.hi)
    score = np.array([state.score])
    journal = np.empty((1, 2), dtype=np.int64)
    jlen = np.zeros(2, dtype=np.int64)
    dirty = np.ones(nn, dtype=np.bool_)
    reason = "exhausted"
    # The first descent, in slices so that a large pool still reports progress.
    while dirty.any():
        jlen[0] = 0
        kernels.descent(
            *common,
            movable,
            f,
            nb_ptr,
            nb_idx,
            comp,
            cnt,
            caps,
            state.can_move,
            dirty,
            key,
            journal,
            jlen,
            score,
            256,
        )
        if time.perf_counter() >= deadline or should_stop(0, score[0]):
            break
    state.score = state.exact_score()  # drop the rounding drift of the descent
    best_g = state.g.copy()
    ints = np.zeros(7, dtype=np.int64)
    floats = np.zeros(3)
    floats[kernels.CUR] = floats[kernels.BEST] = state.score
    # Accept a round that ends up to three mean |weights| below the best (then
    # undo to the last accepted plan, not the best): a little drift lets the
    # walk leave seed-dependent basins. Tuned with the compiled kernels on demo
    # pools (slack 0-8 x strength 0.4-3 tables' worth; 200 invitees 2 s, 8 seeds,
    # 1,000 invitees 10 s, 3 seeds): 3 and 0.9 were best on both, or close.
    floats[kernels.SLACK] = SLACK_WEIGHTS * float(np.abs(state.w).sum()) / max(1, nn * (nn - 1))
    # Re-mixing two tables with about a table's worth of random swaps.
    weak = max(2, round(0.9 * nn / max(1, state.m)))
    ints[kernels.WEAK] = ints[kernels.STRENGTH] = weak
    ints[kernels.STRONG] = 2 * weak
    chunk = 1
    since_rebuild = 0
    while True:
        done = int(ints[kernels.ROUNDS])
        if max_iterations is not None and done >= max_iterations:
            reason = "iterations"
            break
        now = time.perf_counter()
        if now >= deadline:
            reason = "time"
            break
        if should_stop(done, float(floats[kernels.BEST])):
            reason = "stopped"
            break
        # Chunks end at every rebuild (each REBUILD_EVERY rounds), so rebuilds,
        # which change rounding, happen at the same rounds on every machine.
        count = min(chunk, REBUILD_EVERY - since_rebuild)
        if max_iterations is not None:
            count = min(count, max_iterations - done)
        started = time.perf_counter()
        kernels.rounds(
            *common,
            movable,
            movable_idx,
            f,
            nb_ptr,
            nb_idx,
            comp,
            cnt,
            caps,
            state.can_move,
            key,
            ints,
            floats,
            best_g,
            count,
        )
        if ints[kernels.STUCK]:
            break  # no allowed step exists: the plan cannot change
        spent = time.perf_counter() - started
        # Aim at ~40 ms per chunk (at most doubling), never past the deadline.
        left = max(0.0, deadline - time.perf_counter())
        per_round = spent / max(1, count)
        chunk = max(1, min(2 * chunk, int(min(0.04, left) / max(per_round, 1e-7))))
        since_rebuild += count
        if since_rebuild >= REBUILD_EVERY:
            # Rebuild C from scratch now and then: clears incremental rounding drift.
            since_rebuild = 0
            state.set(state.g)  # new arrays: hand the kernels the new ones
            floats[kernels.CUR] = state.score
            common = (state.w, state.g, state.c, state.size, state.s, state.lo, state.hi)
            if state.f is not None:
                f = state.f
            if state.has_limit:
                cnt = state.cnt
    best = float(floats[kernels.BEST])
    return best_g, best, int(ints[kernels.ROUNDS]), int(ints[kernels.BEST_ROUND]), reason


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
    if progress is not None and not kernels_loaded():
        progress.update(0, 1000, "Preparing the search (the first run after installing is slower)")

    def should_stop(it: int, best: float) -> bool:
        if progress is None:
            return False
        if progress.stopping_early:
            return True
        now = time.perf_counter()
        if now >= next_report[0]:
            report(progress, clock_start, time_limit, it, max_iterations, best + constant)
            next_report[0] = now + 0.1
        return False

    g, best, it, best_it, reason = iterated_local_search(
        state, rng, deadline=deadline, max_iterations=max_iterations, should_stop=should_stop
    )
    return SearchOutcome(g, best, it, best_it, reason)
