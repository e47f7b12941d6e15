"""Compiled inner loops of the iterated local search (numba, no Python per step).

:mod:`.local` drives the search; this module does the per-node work that
decides how many perturbation rounds fit into a time budget. Written in
numpy-style loops that numba compiles to machine code on first use (cached
on disk afterwards), the same search runs 20-40 times more rounds than the
vectorised numpy version it replaced, whose cost was mostly call overhead
on small arrays.

The plan lives in the arrays of :class:`.state.State`, which these
functions update in place: ``g`` (table per node), ``c`` (contribution
matrix ``C[t, i] = sum of w[i, j] over j at t``), ``size``, ``f`` (keep-apart
neighbours per table and node) and ``cnt`` (people per table and category
for a share limit). Every random choice comes from :func:`.steps.next_bits`, a
splitmix64 generator whose state is one ``uint64`` in an array, so a seed
gives the same steps on every machine and thread. The entry points release
the interpreter lock, so walks can run side by side on several cores. No
fast-math: the floating-point operations run in source order, so the same
inputs give the same bits everywhere.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from roundtable_app.core.grouping.steps import (
    below,
    best_step,
    do_move,
    do_swap,
    move_allowed,
    swap_allowed,
    tol,
    undo,
)

# Slots of the ``ints`` array shared with the driver.
ROUNDS, BEST_ROUND, STRENGTH, FAILS, WEAK, STRONG, STUCK = range(7)
# Slots of the ``floats`` array.
CUR, BEST, SLACK = range(3)


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
            y = below(rng, x + 1)
            order[x], order[y] = order[y], order[x]
        for x in range(k):
            i = order[x]
            if not dirty[i]:
                continue
            dirty[i] = False
            gain, target, is_swap = best_step(
                i, w, g, c, own, size, s, lo, hi, movable, f, comp, cnt, caps, can_move
            )
            if gain <= tol(score[0]):
                continue
            a = g[i]
            if is_swap:
                b = g[target]
                do_swap(
                    i, target, w, g, c, size, s, f, nb_ptr, nb_idx, comp, cnt, journal, jlen, score
                )
            else:
                b = target
                do_move(i, b, w, g, c, size, s, f, nb_ptr, nb_idx, comp, cnt, journal, jlen, score)
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
        x = movable_idx[below(rng, nm)]
        y = movable_idx[below(rng, nm)]
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
            i = mem[below(rng, k)]
            j = mem[below(rng, k)]
            if g[i] == g[j] or not swap_allowed(i, j, g, size, s, lo, hi, f, comp, cnt, caps):
                continue
            do_swap(i, j, w, g, c, size, s, f, nb_ptr, nb_idx, comp, cnt, journal, jlen, score)
            done += 1
    if done == 0 and can_move:
        for _ in range(20):
            i = movable_idx[below(rng, nm)]
            t = below(rng, m)
            if move_allowed(i, t, g, size, s, lo, hi, f, comp, cnt, caps):
                a, b = g[i], t
                do_move(i, t, w, g, c, size, s, f, nb_ptr, nb_idx, comp, cnt, journal, jlen, score)
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
                if g[i] != g[j] and swap_allowed(i, j, g, size, s, lo, hi, f, comp, cnt, caps):
                    seen += 1
                    if below(rng, seen) == 0:
                        pick_i, pick_target, pick_swap = i, j, True
            if can_move:
                for t in range(m):
                    if move_allowed(i, t, g, size, s, lo, hi, f, comp, cnt, caps):
                        seen += 1
                        if below(rng, seen) == 0:
                            pick_i, pick_target, pick_swap = i, t, False
        if pick_i >= 0:
            i = pick_i
            a = g[i]
            if pick_swap:
                b = g[pick_target]
                do_swap(
                    i,
                    pick_target,
                    w,
                    g,
                    c,
                    size,
                    s,
                    f,
                    nb_ptr,
                    nb_idx,
                    comp,
                    cnt,
                    journal,
                    jlen,
                    score,
                )
            else:
                b = pick_target
                do_move(i, b, w, g, c, size, s, f, nb_ptr, nb_idx, comp, cnt, journal, jlen, score)
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
        if score[0] > best + tol(best):
            floats[BEST] = floats[CUR] = score[0]
            best_g[:] = g
            ints[BEST_ROUND] = ints[ROUNDS]
            ints[STRENGTH] = ints[WEAK]
            ints[FAILS] = 0
        elif score[0] >= best - floats[SLACK] - tol(best) or jlen[1] == 1:
            floats[CUR] = score[0]  # within the slack (or not undoable): walk on from here
            ints[FAILS] += 1
        else:
            undo(w, g, c, size, s, f, nb_ptr, nb_idx, comp, cnt, journal, jlen)
            ints[FAILS] += 1
        if ints[FAILS] >= 4 * nn_strength // max(1, ints[STRENGTH]) and (
            ints[STRENGTH] < ints[STRONG]
        ):
            ints[STRENGTH] += 1
            ints[FAILS] = 0
