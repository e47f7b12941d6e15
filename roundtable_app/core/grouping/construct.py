"""A first plan that meets every size bound and hard rule.

The search only ever moves between feasible plans, so it needs a feasible
start. Finding one is a small bin-packing problem (together-components of
different sizes, tables with minimum and maximum sizes, keep-apart pairs,
and a share limit per category):
:func:`construct` solves it with a randomised greedy heuristic, a one-step
ejection when a node does not fit, a repair pass for tables left below their
minimum, and restarts. If every attempt fails the rules are reported as
conflicting (:class:`InfeasibleRulesError`), before any searching.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from roundtable_app.core.grouping.rules import InfeasibleRulesError, Problem, RuleConflict


def construct(problem: Problem, rng: np.random.Generator, attempts: int = 60) -> np.ndarray:
    """A table per node meeting every bound and rule, or :class:`InfeasibleRulesError`.

    Pinned nodes go first; free nodes follow, largest and most constrained
    first, each into a table still short of its minimum when one fits (so the
    minimums are met before any table is filled past them), otherwise into the
    allowed table with the most room. A failed node triggers one ejection
    (move a blocking node elsewhere); a table left short triggers a repair that
    moves nodes from tables with a surplus. Each retry shuffles the order.

    A share limit depends on a table's final size, unknown while it fills.
    With one, every other attempt first fixes a size per table (as even as
    the bounds allow, or at random) and packs to exactly those sizes, so each
    cap is exact; the attempts in between hold a table to the cap of its
    minimum size.
    """
    p = problem
    if p.n_nodes == 0:
        return np.zeros(0, dtype=np.int64)
    for attempt in range(attempts):
        q = p
        if p.has_limit and attempt % 2 == 0:
            target = _targets(p, rng, even=attempt % 4 == 0)
            if target is not None:
                q = replace(p, lower=target, upper=target)
        g = _attempt(q, rng, first=attempt < 2)
        if g is not None:
            return g
    rules = "keep-together, keep-apart and pin rules"
    if p.has_limit:
        rules = "keep-together, keep-apart and pin rules and the largest share per category"
    raise InfeasibleRulesError(
        [
            RuleConflict(
                "packing",
                "no seating was found that meets every table size together with the "
                f"{rules} (tried {attempts} times); "
                "the rules probably conflict: try fewer rules or wider table sizes.",
            )
        ]
    )


def _targets(p: Problem, rng: np.random.Generator, even: bool) -> np.ndarray | None:
    """A size per table within its bounds, summing to the pool: as even as possible, or random."""
    target = p.lower.copy()
    surplus = int(p.sizes.sum() - target.sum())
    if surplus < 0 or surplus > int((p.upper - target).sum()):
        return None
    for _ in range(surplus):
        room = np.flatnonzero(target < p.upper)
        if even:
            room = room[target[room] == target[room].min()]
        target[room[rng.integers(len(room))]] += 1
    return target


def _attempt(p: Problem, rng: np.random.Generator, first: bool) -> np.ndarray | None:
    """One randomised greedy packing; None when it got stuck."""
    m, nn = p.n_tables, p.n_nodes
    s = p.sizes
    degree = np.array([len(a) for a in p.apart_nbrs])
    # Nodes of the categories that fill their cap most tightly go first.
    pressure = np.zeros(nn)
    if p.has_limit:
        room = p.cap_by_size[p.upper].sum()
        pressure = (p.category_comp * (p.category_comp.sum(axis=0) / room)[None, :]).max(axis=1)
    g = np.full(nn, -1, dtype=np.int64)
    size = np.zeros(m, dtype=np.int64)
    cnt = np.zeros((m, p.category_comp.shape[1]), dtype=np.int64)
    pinned = np.flatnonzero(p.pinned >= 0)
    g[pinned] = p.pinned[pinned]
    np.add.at(size, p.pinned[pinned], s[pinned])
    np.add.at(cnt, p.pinned[pinned], p.category_comp[pinned])
    if np.any(size > p.upper) or not all(_fits(p, size, cnt, t, -1) for t in range(m)):
        return None  # the pins alone break these (target) sizes or the share limit
    free = np.flatnonzero(p.pinned < 0)
    noise = rng.random(len(free))
    keys: list[np.ndarray]  # lexsort: the last key sorts first
    if first:
        keys = [noise, -degree[free], -pressure[free], -s[free]]
    else:  # later attempts lean more on randomness
        keys = [noise, -pressure[free] * (noise < 0.7), -s[free] - (noise < 0.3)]
    for k in free[np.lexsort(keys)]:
        t = _pick_table(p, g, size, cnt, int(k), rng)
        if t < 0:
            t = _eject(p, g, size, cnt, int(k), rng)
        if t < 0:
            return None
        g[k] = t
        size[t] += s[k]
        cnt[t] += p.category_comp[k]
    if not _repair_minimums(p, g, size, cnt, rng):
        return None
    return None if p.limit_breaches(g) else g  # a last check; the steps above keep the limit


def _fits(
    p: Problem, size: np.ndarray, cnt: np.ndarray, t: int, add: int, remove: int = -1
) -> bool:
    """Whether table ``t`` keeps within the share limit after adding/removing nodes.

    While the plan is being built a table may still grow, so it is held to
    the cap of its final size at the least: ``max(lower, size)``.
    """
    if not p.has_limit:
        return True
    counts = cnt[t].copy()
    new_size = int(size[t])
    if add >= 0:
        counts += p.category_comp[add]
        new_size += int(p.sizes[add])
    if remove >= 0:
        counts -= p.category_comp[remove]
        new_size -= int(p.sizes[remove])
    cap = p.cap_by_size[min(max(new_size, int(p.lower[t])), len(p.cap_by_size) - 1)]
    return bool(counts.max(initial=0) <= cap)


def _fits_each(p: Problem, size: np.ndarray, cnt: np.ndarray, k: int) -> np.ndarray:
    """:func:`_fits` for adding node ``k`` to every table at once (bool per table)."""
    final = np.minimum(np.maximum(size + p.sizes[k], p.lower), len(p.cap_by_size) - 1)
    counts = cnt + p.category_comp[k][None, :]
    return counts.max(axis=1, initial=0) <= p.cap_by_size[final]


def _load(p: Problem, size: np.ndarray, cnt: np.ndarray, k: int) -> np.ndarray:
    """Per table, how full node ``k``'s fullest category would be (0..1; 0 without a limit)."""
    if not p.has_limit:
        return np.zeros(p.n_tables)
    final = np.minimum(np.maximum(size + p.sizes[k], p.lower), len(p.cap_by_size) - 1)
    comp = p.category_comp[k]
    if not comp.any():
        return np.zeros(p.n_tables)
    return ((cnt + comp[None, :]) * (comp > 0)[None, :]).max(axis=1) / p.cap_by_size[final]


def _blocked(p: Problem, g: np.ndarray, k: int, m: int, ignore: int = -1) -> np.ndarray:
    """Tables node ``k`` may not join because of a keep-apart partner there."""
    bad = np.zeros(m, dtype=bool)
    nb = p.apart_nbrs[k]
    if len(nb):
        nb = nb[nb != ignore]
        placed = g[nb]
        bad[placed[placed >= 0]] = True
    return bad


def _pick_table(
    p: Problem, g: np.ndarray, size: np.ndarray, cnt: np.ndarray, k: int, rng: np.random.Generator
) -> int:
    m = p.n_tables
    sk = int(p.sizes[k])
    allowed = (size + sk <= p.upper) & ~_blocked(p, g, k, m)
    if p.has_limit:
        allowed &= _fits_each(p, size, cnt, k)
    if not allowed.any():
        return -1
    deficit = p.lower - size
    # Random tie-break among equal scores; with a share limit, among equally
    # short tables, the one with fewest of this node's category wins.
    tie = rng.random(m) * 0.5 - 0.45 * _load(p, size, cnt, k)
    # Prefer tables short of their minimum that the node fits into exactly,
    # then tables short of it at all, then the roomiest.
    score = np.where(
        deficit >= sk,
        1e6 + deficit + tie,
        np.where(deficit > 0, 1e3 - (sk - deficit) + tie, (p.upper - size) + tie),
    )
    score[~allowed] = -np.inf
    return int(np.argmax(score))


def _eject(
    p: Problem, g: np.ndarray, size: np.ndarray, cnt: np.ndarray, k: int, rng: np.random.Generator
) -> int:
    """Make room for ``k`` by moving one placed free node elsewhere; table for ``k`` or -1."""
    m = p.n_tables
    sk = int(p.sizes[k])
    nbrs = p.apart_nbrs[k]
    for t in rng.permutation(m):
        t = int(t)
        in_t = g == t
        blockers = nbrs[in_t[nbrs]] if len(nbrs) else nbrs
        if len(blockers) > 1:
            continue
        for j in rng.permutation(np.flatnonzero(in_t)):
            j = int(j)
            if p.pinned[j] >= 0 or (len(blockers) == 1 and int(blockers[0]) != j):
                continue
            if size[t] - p.sizes[j] + sk > p.upper[t]:
                continue
            if not _fits(p, size, cnt, t, k, remove=j):
                continue
            g[j] = -1
            size[t] -= p.sizes[j]
            cnt[t] -= p.category_comp[j]
            bad = _blocked(p, g, j, m) | (size + p.sizes[j] > p.upper)
            bad[t] = True  # k takes the freed seat
            if p.has_limit:
                bad |= ~_fits_each(p, size, cnt, j)
            options = np.flatnonzero(~bad)
            if len(options):
                t2 = int(options[rng.integers(len(options))])
                g[j] = t2
                size[t2] += p.sizes[j]
                cnt[t2] += p.category_comp[j]
                return t
            g[j] = t
            size[t] += p.sizes[j]
            cnt[t] += p.category_comp[j]
    return -1


def _repair_minimums(
    p: Problem, g: np.ndarray, size: np.ndarray, cnt: np.ndarray, rng: np.random.Generator
) -> bool:
    """Move free nodes from tables above their minimum into tables below it."""
    m = p.n_tables
    for _ in range(4 * p.n_nodes + 10):
        short = np.flatnonzero(size < p.lower)
        if not len(short):
            return True
        t = int(short[rng.integers(len(short))])
        moved = False
        for j in rng.permutation(np.flatnonzero((g != t) & (p.pinned < 0))):
            j = int(j)
            src = int(g[j])
            sj = int(p.sizes[j])
            if size[src] - sj < p.lower[src] or size[t] + sj > p.upper[t]:
                continue
            if _blocked(p, g, j, m)[t]:
                continue
            if not (_fits(p, size, cnt, src, -1, remove=j) and _fits(p, size, cnt, t, j)):
                continue
            g[j] = t
            size[src] -= sj
            size[t] += sj
            cnt[src] -= p.category_comp[j]
            cnt[t] += p.category_comp[j]
            moved = True
            break
        if not moved:
            return False
    return bool(np.all(size >= p.lower))
