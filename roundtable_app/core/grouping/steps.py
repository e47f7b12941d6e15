"""The primitives of the compiled search: random numbers, single steps, checks, undo.

Used by :mod:`.kernels` (the descent and the perturbation rounds); see there
for how the plan's arrays are laid out. Every function is compiled by numba
(``cache=True``: machine code is kept on disk after the first run).
"""

from __future__ import annotations

import numpy as np
from numba import njit

NEG = -np.inf


@njit(cache=True)
def next_bits(rng: np.ndarray) -> np.uint64:
    """splitmix64: the next 64 random bits (state in ``rng[0]``)."""
    rng[0] += np.uint64(0x9E3779B97F4A7C15)
    z = rng[0]
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def below(rng: np.ndarray, n: int) -> int:
    """A random integer in ``[0, n)``."""
    # int64, never uint64: mixing them gives floats. (An int64 is an int to the
    # compiled callers; mypy only sees numpy's scalar type.)
    return np.int64(next_bits(rng) % np.uint64(n))  # type: ignore[return-value]


@njit(cache=True)
def tol(x: float) -> float:
    return 1e-9 * (abs(x) + 1.0)


@njit(cache=True)
def shift(
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
def limit_ok(
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
def move_allowed(
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
    return limit_ok(a, size[a] - s[i], i, -1, comp, cnt, caps) and limit_ok(
        b, size[b] + s[i], -1, i, comp, cnt, caps
    )


@njit(cache=True)
def swap_allowed(
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
    return limit_ok(a, size[a] + d, i, j, comp, cnt, caps) and limit_ok(
        b, size[b] - d, j, i, comp, cnt, caps
    )


@njit(cache=True)
def best_step(
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
            if gain > best and move_allowed(i, t, g, size, s, lo, hi, f, comp, cnt, caps):
                best, target = gain, t
    ca = c[a]
    wi = w[i]
    for j in range(n):
        b = g[j]
        if b == a or not movable[j]:
            continue
        gain = into[b] + (ca[j] - own[j]) - 2.0 * wi[j]
        if gain > best and swap_allowed(i, j, g, size, s, lo, hi, f, comp, cnt, caps):
            best, target, is_swap = gain, j, True
    return best, target, is_swap


@njit(cache=True)
def record(journal: np.ndarray, jlen: np.ndarray, i: int, a: int) -> None:
    if jlen[0] < journal.shape[0]:
        journal[jlen[0], 0] = i
        journal[jlen[0], 1] = a
        jlen[0] += 1
    else:
        jlen[1] = 1  # overflow: this round can no longer be undone


@njit(cache=True)
def do_swap(
    i: int,
    j: int,
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
    score: np.ndarray,
) -> None:
    """Swap nodes ``i`` and ``j`` (journalled), adding the score change to ``score[0]``."""
    a, b = g[i], g[j]
    score[0] += (c[b, i] - c[a, i]) + (c[a, j] - c[b, j]) - 2.0 * w[i, j]  # as _best_step
    record(journal, jlen, i, a)
    record(journal, jlen, j, b)
    shift(i, a, b, w, g, c, f, nb_ptr, nb_idx, comp, cnt)
    shift(j, b, a, w, g, c, f, nb_ptr, nb_idx, comp, cnt)
    d = s[j] - s[i]
    size[a] += d
    size[b] -= d


@njit(cache=True)
def do_move(
    i: int,
    b: int,
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
    score: np.ndarray,
) -> None:
    """Move node ``i`` to table ``b`` (journalled), adding the score change to ``score[0]``."""
    a = g[i]
    score[0] += c[b, i] - c[a, i]
    record(journal, jlen, i, a)
    shift(i, a, b, w, g, c, f, nb_ptr, nb_idx, comp, cnt)
    size[a] -= s[i]
    size[b] += s[i]


@njit(cache=True)
def undo(
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
            shift(i, cur, a, w, g, c, f, nb_ptr, nb_idx, comp, cnt)
            size[cur] -= s[i]
            size[a] += s[i]
    jlen[0] = 0
    jlen[1] = 0
