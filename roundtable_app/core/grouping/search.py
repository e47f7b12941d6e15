"""Iterated tabu search for the Maximally Diverse Grouping Problem.

The search follows the iterated tabu search of Palubeckis, Ostreika and
Rubliauskas (2015) with the move + swap neighbourhoods of Lai and Hao (2016):

* a tabu search phase takes, at every iteration, the best allowed move
  (one node to another table, when both tables' size bounds allow it) or swap
  (two nodes in different tables), even when it lowers the score; after
  moving node ``i`` out of table ``a``, putting ``i`` back into ``a`` is tabu
  for a random number of iterations;
* a phase ends after ``depth`` iterations without improving its best plan;
  the next phase starts from the best plan so far after a few random moves
  and swaps (the perturbation).

Every gain comes from the contribution matrix ``C[t, i] = sum of w[i, j] over
j at table t``: moving ``i`` from ``a`` to ``b`` gains ``C[b, i] - C[a, i]``;
swapping ``i`` (at ``a``) with ``j`` (at ``b``) gains
``C[b, i] - C[a, i] + C[a, j] - C[b, j] - 2 w[i, j]``. The whole swap
neighbourhood is one numpy expression ``H + H.T`` with ``H[i, j] = (gain of
moving i to j's table) - w[i, j]``; forbidden entries (tabu, pinned,
keep-apart, same table, size bounds) are set to ``-inf`` first so ``argmax``
never picks them. A move updates two rows of ``C`` in O(n).

Pools above :data:`.state.FULL_LIMIT` nodes, and pools whose weights are
mostly zero or negative (the app's centred demo-style weights), go to the
iterated local search of :mod:`.local` instead, which measured far better
there (the package's ``solve`` chooses).

Nodes are the together-components of :mod:`.rules`: a node moves as a whole,
and a swap of unequal nodes is allowed only when both tables stay in bounds.

Determinism: every random choice comes from the generator passed in, and the
numeric work is elementwise (no BLAS, whose summation order depends on the
CPU), so the same inputs, seed and iteration cap give the same plan on any
machine. Time is only ever used to decide when to stop.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from roundtable_app.core.grouping.state import (
    SAMPLE_CELLS,
    SearchOutcome,
    State,
    report,
)
from roundtable_app.core.progress import Progress


@dataclass(frozen=True)
class Settings:
    """Tuning of the search; defaults follow from the number of nodes."""

    tenure_min: int
    tenure_max: int
    depth: int
    perturb_min: int
    perturb_max: int

    @staticmethod
    def for_size(n_nodes: int) -> Settings:
        tmin = max(3, round(0.04 * n_nodes))
        tmax = max(tmin + 2, round(0.10 * n_nodes))
        pmin = max(2, round(0.03 * n_nodes))
        pmax = max(pmin + 1, round(0.08 * n_nodes))
        # Long phases: on MDGPLIB n = 240, phases of ~16 n iterations beat
        # short ones (n, 2 n, 4 n) at both 10 s and 60 s.
        return Settings(tmin, tmax, max(100, 16 * n_nodes), pmin, pmax)


def _sample_rows(state: State, rng: np.random.Generator) -> np.ndarray | None:
    if state.full:
        return None
    movable = np.flatnonzero(state.movable)
    k = max(8, min(len(movable), SAMPLE_CELLS // max(1, state.nn)))
    return np.sort(movable[rng.integers(0, len(movable), k)])


def _apply(
    state: State,
    step: tuple[float, int, int, bool],
    it: int,
    rng: np.random.Generator,
    st: Settings,
) -> None:
    """Take ``step`` and make moving back tabu for a random tenure."""
    gain, i, target, is_swap = step
    a = int(state.g[i])
    if is_swap:
        b = int(state.g[target])
        state.swap(i, target, gain)
        state.tabu[b, target] = it + int(rng.integers(st.tenure_min, st.tenure_max + 1))
    else:
        state.move(i, target, gain)
    state.tabu[a, i] = it + int(rng.integers(st.tenure_min, st.tenure_max + 1))


def iterated_tabu_search(
    state: State,
    rng: np.random.Generator,
    *,
    time_limit: float,
    max_iterations: int | None,
    progress: Progress | None,
    clock_start: float,
    settings: Settings | None = None,
) -> SearchOutcome:
    """Improve the plan in ``state`` until the iteration cap, the time limit or a stop request."""
    problem = state.p
    st = settings or Settings.for_size(problem.n_nodes)
    best_g = state.g.copy()
    best = state.score
    best_it = 0
    phase_best = state.score
    stall = 0
    it = 0
    deadline = clock_start + time_limit
    next_report = time.perf_counter()
    reason = "exhausted"
    tol = 1e-9
    # No greedy descent first here: on MDGPLIB it did not help the tabu search
    # (RanReal_n240_ds_01, 60k iterations: seed 1 0.10 % -> 0.53 % off, seed 2
    # 0.56 % -> 0.44 %), and the tabu search climbs to a local optimum anyway.

    def tolerance(x: float) -> float:
        return tol * (abs(x) + 1.0)

    idle = 0  # consecutive iterations that found no allowed step
    while True:
        if max_iterations is not None and it >= max_iterations:
            reason = "iterations"
            break
        now = time.perf_counter()
        if now >= deadline:
            reason = "time"
            break
        if progress is not None:
            if progress.stopping_early:
                reason = "stopped"
                break
            if now >= next_report:
                report(
                    progress, clock_start, time_limit, it, max_iterations, best + problem.constant
                )
                next_report = now + 0.1
        step = state.best_step(it, _sample_rows(state, rng))
        if step is None:
            if state.full and not (state.tabu > it).any():
                break  # no move or swap is allowed at all: the plan cannot change
            idle += 1
            if idle > 200:
                break  # sampled rows keep finding nothing: treat as stuck
            if state.full or idle % 20 == 0:
                stall = st.depth  # everything allowed is tabu: start a new phase
        else:
            idle = 0
            _apply(state, step, it, rng, st)
            it += 1
            if state.score > best + tolerance(best):
                best = state.score
                best_g[:] = state.g
                best_it = it
            if state.score > phase_best + tolerance(phase_best):
                phase_best = state.score
                stall = 0
            else:
                stall += 1
        if stall >= st.depth:
            # Next phase: the best plan so far, shaken by a few random steps.
            state.set(best_g)
            for _ in range(int(rng.integers(st.perturb_min, st.perturb_max + 1))):
                if not state.random_step(rng):
                    break
            state.score = state.exact_score()
            phase_best = state.score
            stall = 0
    return SearchOutcome(best_g, best, it, best_it, reason)
