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

Pools above ``FULL_LIMIT`` nodes, and pools whose weights are mostly zero or
negative (the app's centred demo-style weights), go to the iterated local
search of :mod:`.local` instead, which measured far better there.

Nodes are the together-components of :mod:`.rules`: a node moves as a whole,
and a swap of unequal nodes is allowed only when both tables stay in bounds.

Determinism: every random choice comes from the generator passed in, and the
numeric work is elementwise (no BLAS, whose summation order depends on the
CPU), so the same inputs, seed and iteration cap give the same plan on any
machine. Time is only ever used to decide when to stop.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from roundtable_app.core.grouping.rules import Problem
from roundtable_app.core.progress import Progress

NEG = -np.inf

# Above this many nodes the full n x n swap matrix per iteration costs more
# than it brings; the search then evaluates swaps for a random sample of rows.
FULL_LIMIT = 700
SAMPLE_CELLS = 120_000
# An iteration number later than any tabu expiry: nothing counts as tabu.
_NEVER_TABU = np.iinfo(np.int64).max // 2


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


@dataclass(frozen=True)
class SearchOutcome:
    groups: np.ndarray  # table per node
    score: float  # node-level score (without the inside-component constant)
    iterations: int
    best_iteration: int
    stop_reason: str  # "iterations", "time", "stopped" or "exhausted"


class State:
    """A plan (table per node) with its contribution matrix and move masks."""

    def __init__(self, problem: Problem, groups: np.ndarray) -> None:
        self.p = problem
        self.w = problem.weights
        self.s = problem.sizes
        self.nn = problem.n_nodes
        self.m = problem.n_tables
        self.lo = problem.lower
        self.hi = problem.upper
        self.ar = np.arange(self.nn)
        self.fixed = np.flatnonzero(problem.pinned >= 0)
        self.movable = problem.pinned < 0
        self.uniform = bool(self.nn == 0 or np.all(self.s == self.s[0]))
        self.nbrs = problem.apart_nbrs
        self.has_apart = problem.has_apart
        self.full = self.nn <= FULL_LIMIT
        # With every table at a fixed size only swaps of equal nodes are possible.
        self.can_move = bool(np.any(self.lo < self.hi))
        if self.full:  # big pools skip these n x n arrays and work on sampled rows
            self.buf_h = np.empty((self.nn, self.nn))
            self.buf_d = np.empty((self.nn, self.nn))
        if not self.uniform and self.full:
            self.sdiff = self.s[None, :] - self.s[:, None]  # s[j] - s[i]
        self.tabu = np.zeros((self.m, self.nn), dtype=np.int64)  # [table, node]: tabu until
        # Share limit ("no sector above 40 % of a table"): counts per table and category.
        self.has_limit = problem.has_limit
        if self.has_limit:
            self.comp = problem.category_comp
            self.caps = problem.cap_by_size
            # Singletons of one size with at most one category each (the usual
            # case) allow an O(n) swap check instead of O(n * categories).
            self.cat = np.where(self.comp.sum(axis=1) > 0, self.comp.argmax(axis=1), -1)
            self.simple_limit = self.uniform and bool(np.all(self.comp.sum(axis=1) <= 1))
        self.set(groups)

    # -- plan bookkeeping -------------------------------------------------

    def set(self, groups: np.ndarray) -> None:
        """Load a plan and rebuild C from scratch (also clears rounding drift)."""
        self.g = np.array(groups, dtype=np.int64, copy=True)
        self.size = np.bincount(self.g, weights=self.s, minlength=self.m).astype(np.int64)
        self.c = np.zeros((self.m, self.nn))
        for t in range(self.m):
            mem = np.flatnonzero(self.g == t)
            if len(mem):
                self.c[t] = self.w[mem].sum(axis=0)  # row additions: same bits on every CPU
        self.f: np.ndarray | None = None
        if self.has_apart:
            self.f = np.zeros((self.m, self.nn), dtype=np.int32)
            for k in range(self.nn):
                if len(self.nbrs[k]):
                    self.f[self.g[k], self.nbrs[k]] += 1
        if self.has_limit:
            self.cnt = np.zeros((self.m, self.comp.shape[1]), dtype=np.int64)
            np.add.at(self.cnt, self.g, self.comp)
        self.score = self.exact_score()
        self.tabu.fill(0)

    def exact_score(self) -> float:
        if self.nn == 0:
            return 0.0
        return 0.5 * math.fsum(self.c[self.g, self.ar].tolist())

    def _shift(self, i: int, a: int, b: int) -> None:
        row = self.w[i]
        self.c[a] -= row
        self.c[b] += row
        self.g[i] = b
        if self.f is not None and len(self.nbrs[i]):
            self.f[a, self.nbrs[i]] -= 1
            self.f[b, self.nbrs[i]] += 1
        if self.has_limit:
            self.cnt[a] -= self.comp[i]
            self.cnt[b] += self.comp[i]

    def move(self, i: int, b: int, gain: float) -> None:
        a = int(self.g[i])
        self._shift(i, a, b)
        self.size[a] -= self.s[i]
        self.size[b] += self.s[i]
        self.score += gain

    def swap(self, i: int, j: int, gain: float) -> None:
        a, b = int(self.g[i]), int(self.g[j])
        self._shift(i, a, b)
        self._shift(j, b, a)
        if not self.uniform:
            d = int(self.s[j] - self.s[i])
            self.size[a] += d
            self.size[b] -= d
        self.score += gain

    # -- neighbourhood evaluation -----------------------------------------
    # Matrices are laid out table x node ([m, n]) so that gathering by table
    # (``mg[g]``) copies contiguous rows, which is several times faster than
    # gathering columns.

    def _forbidden(self, rows: np.ndarray | None, it: int) -> np.ndarray:
        """Bool [m x rows]: node may not be put into table (tabu, own, pinned, apart)."""
        if rows is None:
            bad = self.tabu > it
            bad[self.g, self.ar] = True
            bad[:, self.fixed] = True
            if self.f is not None:
                bad |= self.f > 0
            return bad
        bad = self.tabu[:, rows] > it
        bad[self.g[rows], np.arange(len(rows))] = True
        bad[:, ~self.movable[rows]] = True
        if self.f is not None:
            bad |= self.f[:, rows] > 0
        return bad

    def _move_ok(self, rows: np.ndarray | None) -> np.ndarray | None:
        """Bool [m x rows] of size-feasible moves, or None when no move fits anywhere."""
        if not self.can_move:
            return None
        g = self.g if rows is None else self.g[rows]
        s = self.s if rows is None else self.s[rows]
        leave = self.size[g] - s >= self.lo[g]
        if not leave.any():
            return None
        ok = leave[None, :] & (self.size[:, None] + s[None, :] <= self.hi[:, None])
        if self.has_limit:
            ok &= self._limit_move_ok(self.ar if rows is None else rows)
        return ok if ok.any() else None

    def _cap(self, sizes: np.ndarray) -> np.ndarray:
        return self.caps[np.clip(sizes, 0, len(self.caps) - 1)]

    def _limit_move_ok(self, rows: np.ndarray) -> np.ndarray:
        """Bool [m x rows]: moving the node keeps both tables within the share limit.

        The table left behind is checked too: it shrinks, and so may its cap.
        """
        comp, s, gi = self.comp[rows], self.s[rows], self.g[rows]
        into = (self.cnt[:, None, :] + comp[None, :, :]).max(axis=2)
        ok = into <= self._cap(self.size[:, None] + s[None, :])
        leave = (self.cnt[gi] - comp).max(axis=1) <= self._cap(self.size[gi] - s)
        ok &= leave[None, :]
        return ok

    def _limit_swap_ok(self, rows: np.ndarray) -> np.ndarray:
        """Bool [rows x n]: swapping keeps both tables within the share limit."""
        gi = self.g[rows]
        if self.simple_limit:
            # Sizes do not change and each node adds one to at most one
            # category, so only the incoming category can go over the cap.
            ci, cj = self.cat[rows][:, None], self.cat[None, :]
            same = ci == cj
            cap_a = self._cap(self.size[gi])[:, None]
            cap_b = self._cap(self.size[self.g])[None, :]
            into_a = self.cnt[gi[:, None], np.maximum(cj, 0)] + 1 <= cap_a
            into_b = self.cnt[self.g[None, :], np.maximum(ci, 0)] + 1 <= cap_b
            return same | (((cj < 0) | into_a) & ((ci < 0) | into_b))
        comp_r, s_r = self.comp[rows], self.s[rows]
        d = self.s[None, :] - s_r[:, None]  # size change of the row's table
        new_a = (self.cnt[gi][:, None, :] - comp_r[:, None, :] + self.comp[None, :, :]).max(axis=2)
        new_b = ((self.cnt[self.g] - self.comp)[None, :, :] + comp_r[:, None, :]).max(axis=2)
        return (new_a <= self._cap(self.size[gi][:, None] + d)) & (
            new_b <= self._cap(self.size[self.g][None, :] - d)
        )

    def swap_ok(self, rows: np.ndarray | None) -> np.ndarray | None:
        """Bool [rows x n] of swaps the size bounds and share limit allow; None: all do."""
        mask = None if self.uniform else self._swap_size_ok(rows)
        if self.has_limit:
            lim = self._limit_swap_ok(self.ar if rows is None else rows)
            mask = lim if mask is None else mask & lim
        return mask

    def _swap_size_ok(self, rows: np.ndarray | None) -> np.ndarray:
        """Bool [rows x n]: swapping unequal nodes keeps both tables within bounds."""
        gi = self.g if rows is None else self.g[rows]
        d = self.sdiff if rows is None else self.s[None, :] - self.s[rows][:, None]
        ga = self.size[gi][:, None] + d
        gb = self.size[self.g][None, :] - d
        return (
            (ga >= self.lo[gi][:, None])
            & (ga <= self.hi[gi][:, None])
            & (gb >= self.lo[self.g][None, :])
            & (gb <= self.hi[self.g][None, :])
        )

    def best_step(self, it: int, rows: np.ndarray | None) -> tuple[float, int, int, bool] | None:
        """Best allowed (gain, i, target, is_swap); target is a node for swaps, a table for moves.

        ``rows=None`` evaluates every node; otherwise only swaps and moves of
        the sampled nodes in ``rows``.
        """
        c, g = self.c, self.g
        own = c[g, self.ar]
        bad = self._forbidden(rows, it)
        if rows is None:
            mg = c - own[None, :]  # mg[t, i]: gain of moving i to table t
            np.putmask(mg, bad, NEG)
            # h[j, i] = mg[g[j], i] - w[i, j]; the swap gain of (i, j) is then
            # h[i, j] + h[j, i]: three passes over n x n instead of four.
            h, d = self.buf_h, self.buf_d
            np.subtract(mg[g], self.w, out=h)  # plain indexing beats take(out=) here
            np.add(h, h.T, out=d)
        else:
            mg = c[:, rows] - own[None, rows]
            np.putmask(mg, bad, NEG)
            gr = g[rows]
            into_i = c[gr] - own[None, :]  # [r, j]: gain of j moving to r's table
            jbad = self.tabu[gr] > it
            jbad |= gr[:, None] == g[None, :]
            jbad[:, self.fixed] = True
            if self.f is not None:
                jbad |= self.f[gr] > 0
            np.putmask(into_i, jbad, NEG)
            d = mg[g].T + into_i
            d -= 2.0 * self.w[rows]
        mask = self.swap_ok(rows)
        if mask is not None:
            d[~mask] = NEG
        best: tuple[float, int, int, bool] | None = None
        k = int(np.argmax(d))
        gain = float(d.flat[k])
        if gain > NEG:
            i, j = divmod(k, d.shape[1])
            best = (gain, int(i) if rows is None else int(rows[i]), int(j), True)
        ok = self._move_ok(rows)
        if ok is not None:
            mv = np.where(ok, mg, NEG)
            k = int(np.argmax(mv))
            gain = float(mv.flat[k])
            if gain > NEG and (best is None or gain > best[0]):
                t, i = divmod(k, mv.shape[1])
                best = (gain, int(i) if rows is None else int(rows[i]), int(t), False)
        return best

    def apply(
        self, step: tuple[float, int, int, bool], it: int, rng: np.random.Generator, st: Settings
    ) -> None:
        gain, i, target, is_swap = step
        a = int(self.g[i])
        if is_swap:
            b = int(self.g[target])
            self.swap(i, target, gain)
            self.tabu[b, target] = it + int(rng.integers(st.tenure_min, st.tenure_max + 1))
        else:
            self.move(i, target, gain)
        self.tabu[a, i] = it + int(rng.integers(st.tenure_min, st.tenure_max + 1))

    # -- random steps (perturbation, baseline start) ----------------------

    def random_step(self, rng: np.random.Generator) -> bool:
        """One random feasible move or swap; False when none was found."""
        movable = np.flatnonzero(self.movable)
        if len(movable) == 0 or self.m < 2:
            return False
        for _ in range(20):
            i = int(movable[rng.integers(len(movable))])
            a = int(self.g[i])
            into = np.ones(self.m, dtype=bool)
            into[a] = False
            if self.f is not None:
                into &= self.f[:, i] == 0
            if rng.random() < 0.5:
                ok = self._move_ok(np.array([i]))
                if ok is not None:
                    tables = np.flatnonzero(ok[:, 0] & into)
                    if len(tables):
                        b = int(tables[rng.integers(len(tables))])
                        self.move(i, b, float(self.c[b, i] - self.c[a, i]))
                        return True
            cand = self.movable & into[self.g]
            if self.f is not None:
                cand &= self.f[a, :] == 0
            mask = self.swap_ok(np.array([i]))
            if mask is not None:
                cand &= mask[0]
            js = np.flatnonzero(cand)
            if len(js):
                j = int(js[rng.integers(len(js))])
                b = int(self.g[j])
                gain = self.c[b, i] - self.c[a, i] + self.c[a, j] - self.c[b, j] - 2 * self.w[i, j]
                self.swap(i, j, float(gain))
                return True
        return False


def _sample_rows(state: State, rng: np.random.Generator) -> np.ndarray | None:
    if state.full:
        return None
    movable = np.flatnonzero(state.movable)
    k = max(8, min(len(movable), SAMPLE_CELLS // max(1, state.nn)))
    return np.sort(movable[rng.integers(0, len(movable), k)])


def iterated_tabu_search(
    problem: Problem,
    start: np.ndarray,
    rng: np.random.Generator,
    *,
    time_limit: float,
    max_iterations: int | None,
    progress: Progress | None,
    clock_start: float,
    settings: Settings | None = None,
) -> SearchOutcome:
    """Improve ``start`` until the iteration cap, the time limit or a stop request."""
    st = settings or Settings.for_size(problem.n_nodes)
    state = State(problem, start)
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
    if problem.n_tables < 2 or not state.movable.any():
        return SearchOutcome(best_g, best, 0, 0, reason)  # the start is the only plan
    # Imported here because local.py builds on this module.
    from roundtable_app.core.grouping.local import large_search, prefers_local_search

    if not state.full or prefers_local_search(problem):
        return large_search(state, rng, deadline, max_iterations, progress, clock_start, time_limit)
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
            state.apply(step, it, rng, st)
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


def report(
    progress: Progress,
    clock_start: float,
    time_limit: float,
    it: int,
    max_iterations: int | None,
    best: float,
) -> None:
    """One progress update: the share of the time (or of the iteration cap) used, and the best."""
    frac = (time.perf_counter() - clock_start) / time_limit if time_limit > 0 else 1.0
    if max_iterations:
        frac = max(frac, it / max_iterations)
    progress.update(min(999, int(1000 * frac)), 1000, f"Best plan so far scores {best:,.1f}")
