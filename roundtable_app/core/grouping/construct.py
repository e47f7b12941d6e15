"""A first plan that meets every size bound and hard rule.

The search only ever moves between feasible plans, so it needs a feasible
start. Finding one is a small bin-packing problem (together-components of
different sizes, tables with minimum and maximum sizes, keep-apart pairs):
:func:`construct` solves it with a randomised greedy heuristic, a one-step
ejection when a node does not fit, a repair pass for tables left below their
minimum, and restarts. If every attempt fails the rules are reported as
conflicting (:class:`InfeasibleRulesError`), before any searching.
"""

from __future__ import annotations

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
    """
    p = problem
    m, nn = p.n_tables, p.n_nodes
    if nn == 0:
        return np.zeros(0, dtype=np.int64)
    s = p.sizes
    degree = np.array([len(a) for a in p.apart_nbrs])
    for attempt in range(attempts):
        g = np.full(nn, -1, dtype=np.int64)
        size = np.zeros(m, dtype=np.int64)
        pinned = np.flatnonzero(p.pinned >= 0)
        g[pinned] = p.pinned[pinned]
        np.add.at(size, p.pinned[pinned], s[pinned])
        free = np.flatnonzero(p.pinned < 0)
        noise = rng.random(len(free))
        keys: list[np.ndarray]  # lexsort: the last key sorts first
        if attempt == 0:
            keys = [noise, -degree[free], -s[free]]
        else:  # later attempts lean more on randomness
            keys = [noise, -s[free] - (noise < 0.3)]
        order = free[np.lexsort(keys)]
        ok = True
        for k in order:
            t = _pick_table(p, g, size, int(k), rng)
            if t < 0:
                t = _eject(p, g, size, int(k), rng)
            if t < 0:
                ok = False
                break
            g[k] = t
            size[t] += s[k]
        if ok and _repair_minimums(p, g, size, rng):
            return g
    raise InfeasibleRulesError(
        [
            RuleConflict(
                "packing",
                "no seating was found that meets every table size together with the "
                f"keep-together, keep-apart and pin rules (tried {attempts} times); "
                "the rules probably conflict: try fewer rules or wider table sizes.",
            )
        ]
    )


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
    p: Problem, g: np.ndarray, size: np.ndarray, k: int, rng: np.random.Generator
) -> int:
    m = p.n_tables
    sk = int(p.sizes[k])
    allowed = (size + sk <= p.upper) & ~_blocked(p, g, k, m)
    if not allowed.any():
        return -1
    deficit = p.lower - size
    tie = rng.random(m) * 0.5  # random tie-break among equal scores
    # Prefer tables short of their minimum that the node fits into exactly,
    # then tables short of it at all, then the roomiest.
    score = np.where(
        deficit >= sk,
        1e6 + deficit + tie,
        np.where(deficit > 0, 1e3 - (sk - deficit) + tie, (p.upper - size) + tie),
    )
    score[~allowed] = -np.inf
    return int(np.argmax(score))


def _eject(p: Problem, g: np.ndarray, size: np.ndarray, k: int, rng: np.random.Generator) -> int:
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
            g[j] = -1
            size[t] -= p.sizes[j]
            bad = _blocked(p, g, j, m) | (size + p.sizes[j] > p.upper)
            bad[t] = True  # k takes the freed seat
            options = np.flatnonzero(~bad)
            if len(options):
                t2 = int(options[rng.integers(len(options))])
                g[j] = t2
                size[t2] += p.sizes[j]
                return t
            g[j] = t
            size[t] += p.sizes[j]
    return -1


def _repair_minimums(p: Problem, g: np.ndarray, size: np.ndarray, rng: np.random.Generator) -> bool:
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
            g[j] = t
            size[src] -= sj
            size[t] += sj
            moved = True
            break
        if not moved:
            return False
    return bool(np.all(size >= p.lower))
