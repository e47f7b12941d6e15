"""The search state the tabu and local searches share, its outcome and progress reports.

:class:`State` holds a plan (a table per node) with its contribution matrix
``C[t, i] = sum of w[i, j] over j at table t`` and the masks of allowed moves
and swaps; :mod:`.search` (iterated tabu search) and :mod:`.local` (iterated
local search) both work on it, and the package's :func:`~roundtable_app.core.grouping.solve`
chooses between them, so neither search imports the other.
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
NEVER_TABU = np.iinfo(np.int64).max // 2


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
