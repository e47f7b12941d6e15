"""Compiled inner loops of the iterated local search (numba, no Python per step).

:mod:`.local` drives the search; this module does the per-node work that
decides how many perturbation rounds fit into a time budget. Written in
numpy-style loops that numba compiles to machine code on first use (cached
on disk afterwards), the same search runs 20-40 times more rounds than the
vectorised numpy version it replaced, whose cost was mostly call overhead
on small arrays.

The plan lives in the arrays of :class:`.search.State`, which these
functions update in place: ``g`` (table per node), ``c`` (contribution
matrix ``C[t, i] = sum of w[i, j] over j at t``), ``size``, ``f`` (keep-apart
neighbours per table and node) and ``cnt`` (people per table and category
for a share limit). Every random choice comes from :func:`_next`, a
splitmix64 generator whose state is one ``uint64`` in an array, so a seed
gives the same steps on every machine and thread. The entry points release
the interpreter lock, so walks can run side by side on several cores. No
fast-math: the floating-point operations run in source order, so the same
inputs give the same bits everywhere.
"""

from __future__ import annotations

import numpy as np
from numba import njit

NEG = -np.inf

# Slots of the ``ints`` array shared with the driver.
ROUNDS, BEST_ROUND, STRENGTH, FAILS, WEAK, STRONG, STUCK = range(7)
# Slots of the ``floats`` array.
CUR, BEST, SLACK = range(3)


@njit(cache=True)
def _next(rng: np.ndarray) -> np.uint64:
    """splitmix64: the next 64 random bits (state in ``rng[0]``)."""
    rng[0] += np.uint64(0x9E3779B97F4A7C15)
    z = rng[0]
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def _below(rng: np.ndarray, n: int) -> int:
    """A random integer in ``[0, n)``."""
    return np.int64(_next(rng) % np.uint64(n))  # int64, never uint64: mixing them gives floats


@njit(cache=True)
def _tol(x: float) -> float:
    return 1e-9 * (abs(x) + 1.0)


@njit(cache=True)
def _shift(
    i: int,
    a: int,
    b: int,
    w: np.ndarray,
    g: np.ndarray,
    c: np.ndarray,
    f: np.ndarray,
    nb_ptr: np.ndarray,
    nb_idx: np.ndarray,
    comp: np.ndarray,
    cnt: np.ndarray,
) -> None:
    """Node ``i`` leaves table ``a`` for ``b``: update ``g``, ``C``, ``f`` and ``cnt``."""
    n = w.shape[0]
    for j in range(n):
        wij = w[i, j]
        c[a, j] -= wij
        c[b, j] += wij
    g[i] = b
    for k in range(nb_ptr[i], nb_ptr[i + 1]):
        f[a, nb_idx[k]] -= 1
        f[b, nb_idx[k]] += 1
    for k in range(comp.shape[1]):
        cnt[a, k] -= comp[i, k]
        cnt[b, k] += comp[i, k]


@njit(cache=True)
def _limit_ok(
    t: int,
    new_size: int,
    out_node: int,
    in_node: int,
    comp: np.ndarray,
    cnt: np.ndarray,
    caps: np.ndarray,
) -> bool:
    """Table ``t`` stays within the share limit when ``out_node`` leaves and ``in_node`` joins."""
    kk = comp.shape[1]
    if kk == 0:
        return True
    cap = caps[min(new_size, caps.shape[0] - 1)]
    for k in range(kk):
        v = cnt[t, k]
        if out_node >= 0:
            v -= comp[out_node, k]
        if in_node >= 0:
            v += comp[in_node, k]
        if v > cap:
            return False
    return True


@njit(cache=True)
def _move_allowed(
    i: int,
    b: int,
    g: np.ndarray,
    size: np.ndarray,
    s: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    f: np.ndarray,
    comp: np.ndarray,
    cnt: np.ndarray,
    caps: np.ndarray,
) -> bool:
    a = g[i]
    if a == b or f[b, i] > 0:
        return False
    if size[a] - s[i] < lo[a] or size[b] + s[i] > hi[b]:
        return False
    return _limit_ok(a, size[a] - s[i], i, -1, comp, cnt, caps) and _limit_ok(
        b, size[b] + s[i], -1, i, comp, cnt, caps
    )


@njit(cache=True)
def _swap_allowed(
    i: int,
    j: int,
    g: np.ndarray,
    size: np.ndarray,
    s: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    f: np.ndarray,
    comp: np.ndarray,
    cnt: np.ndarray,
    caps: np.ndarray,
) -> bool:
    """Whether ``i`` and ``j`` may change tables (both movable, in different tables)."""
    a, b = g[i], g[j]
    if a == b or f[b, i] > 0 or f[a, j] > 0:
        return False
    d = s[j] - s[i]
    if d != 0:
        if size[a] + d < lo[a] or size[a] + d > hi[a]:
            return False
        if size[b] - d < lo[b] or size[b] - d > hi[b]:
            return False
    if comp.shape[1] == 0:
        return True
    return _limit_ok(a, size[a] + d, i, j, comp, cnt, caps) and _limit_ok(
        b, size[b] - d, j, i, comp, cnt, caps
    )


@njit(cache=True)
def _best_step(
    i: int,
    w: np.ndarray,
    g: np.ndarray,
    c: np.ndarray,
    own: np.ndarray,
    size: np.ndarray,
    s: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    movable: np.ndarray,
    f: np.ndarray,
    comp: np.ndarray,
    cnt: np.ndarray,
    caps: np.ndarray,
    can_move: bool,
) -> tuple[float, int, bool]:
    """Best allowed move or swap of node ``i``: (gain, target, is_swap); target is a
    table for a move, a node for a swap. Gain is ``-inf`` when nothing is allowed."""
    m, n = c.shape
    a = g[i]
    own_i = c[a, i]
    into = np.empty(m)  # gain of moving i to each table; a contiguous copy of C[:, i]
    for t in range(m):
        into[t] = c[t, i] - own_i
    best = NEG
    target = -1
    is_swap = False
    if can_move and size[a] - s[i] >= lo[a]:
        for t in range(m):
            gain = into[t]
            if gain > best and _move_allowed(i, t, g, size, s, lo, hi, f, comp, cnt, caps):
                best, target = gain, t
    ca = c[a]
    wi = w[i]
    for j in range(n):
        b = g[j]
        if b == a or not movable[j]:
            continue
        gain = into[b] + (ca[j] - own[j]) - 2.0 * wi[j]
        if gain > best and _swap_allowed(i, j, g, size, s, lo, hi, f, comp, cnt, caps):
            best, target, is_swap = gain, j, True
    return best, target, is_swap


@njit(cache=True, nogil=True)
def descent(
    w: np.ndarray,
    g: np.ndarray,
    c: np.ndarray,
    size: np.ndarray,
    s: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    movable: np.ndarray,
    f: np.ndarray,
    nb_ptr: np.ndarray,
    nb_idx: np.ndarray,
    comp: np.ndarray,
    cnt: np.ndarray,
    caps: np.ndarray,
    can_move: bool,
    dirty: np.ndarray,
    rng: np.ndarray,
    journal: np.ndarray,
    jlen: np.ndarray,
    score: np.ndarray,
    max_steps: int,
) -> int:
    """First-improvement descent over the flagged nodes ("don't look" flags).

    Flagged nodes are scanned in random order; an improving step is applied
    at once and flags every node of the two tables it changed. Each change
    is journalled as (node, old table) while there is room (``jlen[1]`` is
    set to 1 when the journal overflowed). ``score[0]`` is kept up to date.
    Stops after ``max_steps`` steps (a plan is always left valid). Returns
    the steps taken.
    """
    n = w.shape[0]
    order = np.empty(n, dtype=np.int64)
    own = np.empty(n)  # C[g[j], j], refreshed for the two tables each step changes
    for j in range(n):
        own[j] = c[g[j], j]
    steps = 0
    while True:
        k = 0
        for i in range(n):
            if dirty[i]:
                if movable[i]:
                    order[k] = i
                    k += 1
                else:
                    dirty[i] = False
        if k == 0:
            return steps
        for x in range(k - 1, 0, -1):  # Fisher-Yates
            y = _below(rng, x + 1)
            order[x], order[y] = order[y], order[x]
        for x in range(k):
            i = order[x]
            if not dirty[i]:
                continue
            dirty[i] = False
            gain, target, is_swap = _best_step(
                i, w, g, c, own, size, s, lo, hi, movable, f, comp, cnt, caps, can_move
            )
            if gain <= _tol(score[0]):
                continue
            a = g[i]
            if is_swap:
                b = g[target]
                _record(journal, jlen, i, a)
                _record(journal, jlen, target, b)
                _shift(i, a, b, w, g, c, f, nb_ptr, nb_idx, comp, cnt)
                _shift(target, b, a, w, g, c, f, nb_ptr, nb_idx, comp, cnt)
                d = s[target] - s[i]
                size[a] += d
                size[b] -= d
            else:
                b = target
                _record(journal, jlen, i, a)
                _shift(i, a, b, w, g, c, f, nb_ptr, nb_idx, comp, cnt)
                size[a] -= s[i]
                size[b] += s[i]
            score[0] += gain
            steps += 1
            for j in range(n):
                t = g[j]
                if t == a or t == b:
                    own[j] = c[t, j]
                    if movable[j]:
                        dirty[j] = True
            if steps >= max_steps:
                return steps


@njit(cache=True)
def _record(journal: np.ndarray, jlen: np.ndarray, i: int, a: int) -> None:
    if jlen[0] < journal.shape[0]:
        journal[jlen[0], 0] = i
        journal[jlen[0], 1] = a
        jlen[0] += 1
    else:
        jlen[1] = 1  # overflow: this round can no longer be undone


@njit(cache=True)
def _undo(
    w: np.ndarray,
    g: np.ndarray,
    c: np.ndarray,
    size: np.ndarray,
    s: np.ndarray,
    f: np.ndarray,
    nb_ptr: np.ndarray,
    nb_idx: np.ndarray,
    comp: np.ndarray,
    cnt: np.ndarray,
    journal: np.ndarray,
    jlen: np.ndarray,
) -> None:
    """Put every journalled node back at its old table, newest first."""
    for x in range(jlen[0] - 1, -1, -1):
        i, a = journal[x, 0], journal[x, 1]
        cur = g[i]
        if cur != a:
            _shift(i, cur, a, w, g, c, f, nb_ptr, nb_idx, comp, cnt)
            size[cur] -= s[i]
            size[a] += s[i]
    jlen[0] = 0
    jlen[1] = 0


@njit(cache=True)
def _perturb(
    w: np.ndarray,
    g: np.ndarray,
    c: np.ndarray,
    size: np.ndarray,
    s: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    movable: np.ndarray,
    movable_idx: np.ndarray,
    f: np.ndarray,
    nb_ptr: np.ndarray,
    nb_idx: np.ndarray,
    comp: np.ndarray,
    cnt: np.ndarray,
    caps: np.ndarray,
    can_move: bool,
    strength: int,
    rng: np.ndarray,
    journal: np.ndarray,
    jlen: np.ndarray,
    score: np.ndarray,
    dirty: np.ndarray,
) -> int:
    """Re-mix two random tables with up to ``strength`` random allowed swaps.

    Falls back to one random allowed move when the pair allows no swap.
    Flags the nodes of the tables changed; returns the steps made (0: none).
    """
    nm = movable_idx.shape[0]
    m = c.shape[0]
    a = b = -1
    for _ in range(10):
        x = movable_idx[_below(rng, nm)]
        y = movable_idx[_below(rng, nm)]
        if g[x] != g[y]:
            a, b = g[x], g[y]
            break
    done = 0
    if a >= 0:
        mem = np.empty(nm, dtype=np.int64)
        k = 0
        for x in range(nm):
            node = movable_idx[x]
            if g[node] == a or g[node] == b:
                mem[k] = node
                k += 1
        for _ in range(4 * strength):
            if done >= strength:
                break
            i = mem[_below(rng, k)]
            j = mem[_below(rng, k)]
            if g[i] == g[j] or not _swap_allowed(i, j, g, size, s, lo, hi, f, comp, cnt, caps):
                continue
            ta, tb = g[i], g[j]
            gain = c[tb, i] - c[ta, i] + c[ta, j] - c[tb, j] - 2.0 * w[i, j]
            _record(journal, jlen, i, ta)
            _record(journal, jlen, j, tb)
            _shift(i, ta, tb, w, g, c, f, nb_ptr, nb_idx, comp, cnt)
            _shift(j, tb, ta, w, g, c, f, nb_ptr, nb_idx, comp, cnt)
            d = s[j] - s[i]
            size[ta] += d
            size[tb] -= d
            score[0] += gain
            done += 1
    if done == 0 and can_move:
        for _ in range(20):
            i = movable_idx[_below(rng, nm)]
            t = _below(rng, m)
            if _move_allowed(i, t, g, size, s, lo, hi, f, comp, cnt, caps):
                a, b = g[i], t
                gain = c[t, i] - c[a, i]
                _record(journal, jlen, i, a)
                _shift(i, a, t, w, g, c, f, nb_ptr, nb_idx, comp, cnt)
                size[a] -= s[i]
                size[t] += s[i]
                score[0] += gain
                done = 1
                break
    if done == 0:
        # The random tries found nothing: look at every step, and take one at
        # random (reservoir sampling). Only when there is none is the plan stuck.
        seen = 0
        pick_i = pick_target = -1
        pick_swap = False
        for x in range(nm):
            i = movable_idx[x]
            for y in range(x + 1, nm):
                j = movable_idx[y]
                if g[i] != g[j] and _swap_allowed(i, j, g, size, s, lo, hi, f, comp, cnt, caps):
                    seen += 1
                    if _below(rng, seen) == 0:
                        pick_i, pick_target, pick_swap = i, j, True
            if can_move:
                for t in range(m):
                    if _move_allowed(i, t, g, size, s, lo, hi, f, comp, cnt, caps):
                        seen += 1
                        if _below(rng, seen) == 0:
                            pick_i, pick_target, pick_swap = i, t, False
        if pick_i >= 0:
            i = pick_i
            a = g[i]
            if pick_swap:
                j = pick_target
                b = g[j]
                gain = c[b, i] - c[a, i] + c[a, j] - c[b, j] - 2.0 * w[i, j]
                _record(journal, jlen, i, a)
                _record(journal, jlen, j, b)
                _shift(i, a, b, w, g, c, f, nb_ptr, nb_idx, comp, cnt)
                _shift(j, b, a, w, g, c, f, nb_ptr, nb_idx, comp, cnt)
                d = s[j] - s[i]
                size[a] += d
                size[b] -= d
            else:
                b = pick_target
                gain = c[b, i] - c[a, i]
                _record(journal, jlen, i, a)
                _shift(i, a, b, w, g, c, f, nb_ptr, nb_idx, comp, cnt)
                size[a] -= s[i]
                size[b] += s[i]
            score[0] += gain
            done = 1
    if done:
        for x in range(nm):
            node = movable_idx[x]
            if g[node] == a or g[node] == b:
                dirty[node] = True
    return done


@njit(cache=True, nogil=True)
def rounds(
    w: np.ndarray,
    g: np.ndarray,
    c: np.ndarray,
    size: np.ndarray,
    s: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    movable: np.ndarray,
    movable_idx: np.ndarray,
    f: np.ndarray,
    nb_ptr: np.ndarray,
    nb_idx: np.ndarray,
    comp: np.ndarray,
    cnt: np.ndarray,
    caps: np.ndarray,
    can_move: bool,
    rng: np.ndarray,
    ints: np.ndarray,
    floats: np.ndarray,
    best_g: np.ndarray,
    count: int,
) -> None:
    """Run ``count`` perturbation rounds of the iterated local search.

    Each round re-mixes two tables, descends, and keeps the result when it
    is at most ``floats[SLACK]`` below the best (else undoes it from the
    journal). After a run of failures the perturbation grows a swap at a
    time up to ``ints[STRONG]``, and falls back to ``ints[WEAK]`` on every
    new best. The counters and scores live in ``ints`` / ``floats`` between
    calls; ``ints[STUCK]`` is set when no step at all is possible.
    """
    n = w.shape[0]
    journal = np.empty((8 * n + 64, 2), dtype=np.int64)
    jlen = np.zeros(2, dtype=np.int64)
    dirty = np.zeros(n, dtype=np.bool_)
    score = np.empty(1)
    nn_strength = max(1, n)
    for _ in range(count):
        score[0] = floats[CUR]
        jlen[0] = 0
        jlen[1] = 0
        done = _perturb(
            w,
            g,
            c,
            size,
            s,
            lo,
            hi,
            movable,
            movable_idx,
            f,
            nb_ptr,
            nb_idx,
            comp,
            cnt,
            caps,
            can_move,
            ints[STRENGTH],
            rng,
            journal,
            jlen,
            score,
            dirty,
        )
        if done == 0:
            ints[STUCK] = 1
            return
        ints[ROUNDS] += 1
        descent(
            w,
            g,
            c,
            size,
            s,
            lo,
            hi,
            movable,
            f,
            nb_ptr,
            nb_idx,
            comp,
            cnt,
            caps,
            can_move,
            dirty,
            rng,
            journal,
            jlen,
            score,
            1 << 40,
        )
        best = floats[BEST]
        if score[0] > best + _tol(best):
            floats[BEST] = floats[CUR] = score[0]
            best_g[:] = g
            ints[BEST_ROUND] = ints[ROUNDS]
            ints[STRENGTH] = ints[WEAK]
            ints[FAILS] = 0
        elif score[0] >= best - floats[SLACK] - _tol(best) or jlen[1] == 1:
            floats[CUR] = score[0]  # within the slack (or not undoable): walk on from here
            ints[FAILS] += 1
        else:
            _undo(w, g, c, size, s, f, nb_ptr, nb_idx, comp, cnt, journal, jlen)
            ints[FAILS] += 1
        if ints[FAILS] >= 4 * nn_strength // max(1, ints[STRENGTH]) and (
            ints[STRENGTH] < ints[STRONG]
        ):
            ints[STRENGTH] += 1
            ints[FAILS] = 0
