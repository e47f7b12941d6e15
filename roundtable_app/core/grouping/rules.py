"""Hard rules for grouping: validation, conflict reports and contraction.

Before any search starts, :func:`prepare` checks the size bounds and the hard
rules (keep together, keep apart, pin to a table, and an optional
:class:`ShareLimit` such as "no sector above 40 % of a table"), reports every conflict it
can prove with a message that names the people and tables involved, and turns
the problem into a *contracted* one: each chain of "keep together" pairs
becomes one node that always moves as a whole, so the search can never split
it. :mod:`.construct` then builds a first plan that meets every rule.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.grouping.share import ShareLimit, share_counts

Pair = tuple[int, int]


@dataclass(frozen=True)
class RuleConflict:
    """One reason why the rules cannot all be met.

    ``kind`` is a short machine-readable tag (``"together_apart"``,
    ``"pinned_apart"``, ``"pinned_two_tables"``, ``"too_large"``,
    ``"pinned_too_many"``, ``"sizes"``, ``"packing"``, ``"invalid"``,
    ``"share"``);
    ``together``, ``apart`` and ``pins`` list the user's rules that take part,
    so a UI can highlight them.
    """

    kind: str
    message: str
    people: tuple[int, ...] = ()
    tables: tuple[int, ...] = ()
    together: tuple[Pair, ...] = ()
    apart: tuple[Pair, ...] = ()
    pins: tuple[Pair, ...] = ()


class InfeasibleRulesError(ValidationError):
    """The size bounds and hard rules cannot all be met; ``conflicts`` says why."""

    def __init__(self, conflicts: Sequence[RuleConflict]) -> None:
        self.conflicts: tuple[RuleConflict, ...] = tuple(conflicts)
        lines = [c.message for c in self.conflicts]
        if len(lines) == 1:
            text = f"The seating rules cannot all be met: {lines[0]}"
        else:
            text = "The seating rules cannot all be met:\n" + "\n".join(f"- {t}" for t in lines)
        super().__init__(text + "\nChange or remove one of these rules and try again.", "rules")


@dataclass
class Problem:
    """The contracted problem the search works on.

    Node ``k`` stands for the people ``members[k]`` (a together-component).
    ``weights`` is the node-level matrix (sum of the person weights between two
    components, zero diagonal); ``constant`` is the score earned inside the
    components, which no plan can change.
    """

    n_people: int
    lower: np.ndarray  # int64[m]
    upper: np.ndarray  # int64[m]
    node_of: np.ndarray  # int64[n_people] -> node
    members: list[np.ndarray]
    sizes: np.ndarray  # int64[n_nodes]
    pinned: np.ndarray  # int64[n_nodes], -1 when free
    apart_nbrs: list[np.ndarray]  # per node, the nodes it must not share a table with
    weights: np.ndarray  # float64[n_nodes, n_nodes]
    constant: float
    person_names: list[str] = field(default_factory=list)
    table_names: list[str] = field(default_factory=list)
    # Share limit (empty when there is none): members per category of each
    # node, and the most members of one category a table of each size may hold.
    categories: list[str] = field(default_factory=list)
    category_comp: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))
    cap_by_size: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def has_limit(self) -> bool:
        return bool(self.categories)

    def limit_breaches(self, node_groups: np.ndarray) -> list[tuple[int, str, int, int]]:
        """(table, category, count, cap) for every table over the share limit."""
        if not self.has_limit:
            return []
        counts = np.zeros((self.n_tables, len(self.categories)), dtype=np.int64)
        np.add.at(counts, node_groups, self.category_comp)
        sizes = np.bincount(node_groups, weights=self.sizes, minlength=self.n_tables)
        out = []
        for t in range(self.n_tables):
            cap = int(self.cap_by_size[min(int(sizes[t]), len(self.cap_by_size) - 1)])
            for c in np.flatnonzero(counts[t] > cap):
                out.append((t, self.categories[int(c)], int(counts[t, c]), cap))
        return out

    @property
    def n_nodes(self) -> int:
        return int(self.sizes.shape[0])

    @property
    def n_tables(self) -> int:
        return int(self.lower.shape[0])

    @property
    def has_apart(self) -> bool:
        return any(len(a) for a in self.apart_nbrs)

    def expand(self, node_groups: np.ndarray) -> tuple[int, ...]:
        """Table index per person from a table index per node."""
        return tuple(int(t) for t in node_groups[self.node_of])


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:  # path compression keeps chains short
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            # Smaller root wins so the result does not depend on pair order.
            lo, hi = min(ri, rj), max(ri, rj)
            self.parent[hi] = lo


def _join(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _together_path(adj: dict[int, list[int]], start: int, goal: int) -> list[int]:
    """People on the shortest chain of together-pairs from ``start`` to ``goal``."""
    prev: dict[int, int] = {start: start}
    queue = deque([start])
    while queue:
        cur = queue.popleft()
        if cur == goal:
            break
        for nxt in adj.get(cur, ()):
            if nxt not in prev:
                prev[nxt] = cur
                queue.append(nxt)
    path = [goal]
    while path[-1] != start:
        path.append(prev[path[-1]])
    return path[::-1]


def _pairs(
    raw: Iterable[Sequence[int]], n: int, what: str, names: list[str]
) -> tuple[list[Pair], list[RuleConflict]]:
    pairs: list[Pair] = []
    bad: list[RuleConflict] = []
    for pair in raw:
        i, j = (int(x) for x in pair)
        if not (0 <= i < n and 0 <= j < n):
            raise ValidationError(
                f"A '{what}' rule names person {i} or {j}, who is not in the pool."
            )
        if i == j:
            if what == "keep apart":
                bad.append(
                    RuleConflict(
                        "invalid",
                        f"{names[i]} cannot be kept apart from themselves.",
                        people=(i,),
                        apart=((i, j),),
                    )
                )
            continue
        pairs.append((i, j))
    return pairs, bad


def prepare(
    weights: np.ndarray,
    lower: Sequence[int],
    upper: Sequence[int],
    together: Iterable[Sequence[int]] = (),
    apart: Iterable[Sequence[int]] = (),
    pinned: Mapping[int, int] | None = None,
    names: Sequence[str] | None = None,
    table_names: Sequence[str] | None = None,
    share_limit: ShareLimit | None = None,
) -> Problem:
    """Validate the inputs, report provable rule conflicts, contract together-chains.

    Raises :class:`InfeasibleRulesError` listing every conflict found, and
    :class:`ValidationError` / :class:`ValueError` for malformed input.
    """
    w = np.array(weights, dtype=np.float64, copy=True)
    if w.ndim != 2 or w.shape[0] != w.shape[1]:
        raise ValueError(f"weights must be a square matrix, got shape {w.shape}")
    n = int(w.shape[0])
    if not np.all(np.isfinite(w)):
        raise ValueError("weights contain NaN or infinite values")
    if not _symmetric(w):
        raise ValueError("weights must be symmetric")
    np.fill_diagonal(w, 0.0)  # the diagonal carries no meaning
    lo = np.asarray([int(x) for x in lower], dtype=np.int64)
    hi = np.asarray([int(x) for x in upper], dtype=np.int64)
    m = int(lo.shape[0])
    if hi.shape[0] != m:
        raise ValueError("lower and upper must have one entry per table")
    pnames = list(names) if names is not None else [f"person {i}" for i in range(n)]
    if len(pnames) != n:
        raise ValueError("names must have one entry per person")
    tnames = list(table_names) if table_names is not None else [f"table {t}" for t in range(m)]
    if len(tnames) != m:
        raise ValueError("table_names must have one entry per table")
    for t in range(m):
        if lo[t] < 0 or hi[t] < lo[t]:
            raise ValidationError(
                f"{tnames[t]} has a minimum size of {lo[t]} and a maximum of {hi[t]}; "
                "the minimum must be between 0 and the maximum.",
                "sizes",
            )

    conflicts: list[RuleConflict] = []
    if lo.sum() > n:
        conflicts.append(
            RuleConflict(
                "sizes",
                f"the {m} tables need at least {int(lo.sum())} people in all, "
                f"but only {n} are in the pool.",
            )
        )
    if hi.sum() < n:
        conflicts.append(
            RuleConflict(
                "sizes",
                f"the {m} tables seat at most {int(hi.sum())} people in all, "
                f"but {n} are in the pool.",
            )
        )

    tog, bad = _pairs(together, n, "keep together", pnames)
    conflicts += bad
    apt, bad = _pairs(apart, n, "keep apart", pnames)
    conflicts += bad
    pins: dict[int, int] = {}
    for person, table in (pinned or {}).items():
        p, t = int(person), int(table)
        if not 0 <= p < n:
            raise ValidationError(f"A pin names person {p}, who is not in the pool.", "pinned")
        if not 0 <= t < m:
            raise ValidationError(
                f"{pnames[p]} is pinned to table {t}, but there are only {m} tables.", "pinned"
            )
        pins[p] = t

    uf = _UnionFind(n)
    adj: dict[int, list[int]] = {}
    for i, j in tog:
        uf.union(i, j)
        adj.setdefault(i, []).append(j)
        adj.setdefault(j, []).append(i)
    root = np.fromiter((uf.find(i) for i in range(n)), dtype=np.int64, count=n)
    # Nodes numbered by first member, so the contraction is independent of rule order.
    _, node_of = np.unique(root, return_inverse=True)
    node_of = node_of.astype(np.int64)
    n_nodes = int(node_of.max()) + 1 if n else 0
    members = [np.flatnonzero(node_of == k) for k in range(n_nodes)] if n_nodes else []
    sizes = np.bincount(node_of, minlength=n_nodes).astype(np.int64)

    rule_of = {frozenset(pair): pair for pair in reversed(tog)}

    def chain(i: int, j: int) -> tuple[list[int], tuple[Pair, ...]]:
        path = _together_path(adj, i, j)
        # Report the user's own pairs, in the order they gave them.
        return path, tuple(rule_of[frozenset(path[k : k + 2])] for k in range(len(path) - 1))

    def chain_text(path: list[int]) -> str:
        if len(path) <= 2:
            return f"{pnames[path[0]]} and {pnames[path[-1]]} must sit together"
        via = _join([pnames[p] for p in path[1:-1]])
        return f"{pnames[path[0]]} and {pnames[path[-1]]} must sit together (through {via})"

    # Keep-apart inside a together-chain.
    for i, j in apt:
        if node_of[i] == node_of[j]:
            path, links = chain(i, j)
            conflicts.append(
                RuleConflict(
                    "together_apart",
                    f"{chain_text(path)}, but {pnames[i]} and {pnames[j]} must be kept apart.",
                    people=tuple(path),
                    together=links,
                    apart=((i, j),),
                )
            )

    # A chain pinned to two tables.
    node_pin = np.full(n_nodes, -1, dtype=np.int64)
    pin_holder: dict[int, int] = {}
    for p in sorted(pins):
        k, t = int(node_of[p]), pins[p]
        if node_pin[k] == -1:
            node_pin[k], pin_holder[k] = t, p
        elif node_pin[k] != t:
            q = pin_holder[k]
            path, links = chain(q, p)
            conflicts.append(
                RuleConflict(
                    "pinned_two_tables",
                    f"{chain_text(path)}, but {pnames[q]} is pinned to {tnames[int(node_pin[k])]} "
                    f"and {pnames[p]} to {tnames[t]}.",
                    people=tuple(path),
                    tables=(int(node_pin[k]), t),
                    together=links,
                    pins=((q, int(node_pin[k])), (p, t)),
                )
            )

    # A chain too large for any table (or for the table it is pinned to).
    max_upper = int(hi.max()) if m else 0
    for k in range(n_nodes):
        cap = int(hi[node_pin[k]]) if node_pin[k] >= 0 else max_upper
        if sizes[k] > cap:
            who = [int(x) for x in members[k]]
            links = tuple(p for p in tog if node_of[p[0]] == k)
            where = (
                f"{tnames[int(node_pin[k])]}, where they are pinned, seats"
                if node_pin[k] >= 0
                else "the largest table seats"
            )
            conflicts.append(
                RuleConflict(
                    "too_large",
                    f"{_join([pnames[p] for p in who])} must sit together ({len(who)} people), "
                    f"but {where} at most {cap}.",
                    people=tuple(who),
                    tables=(int(node_pin[k]),) if node_pin[k] >= 0 else (),
                    together=links,
                )
            )

    # Too many people pinned to one table.
    for t in range(m):
        ks = [k for k in range(n_nodes) if node_pin[k] == t]
        count = int(sizes[ks].sum()) if ks else 0
        if count > hi[t]:
            who = [int(p) for k in ks for p in members[k]]
            conflicts.append(
                RuleConflict(
                    "pinned_too_many",
                    f"{count} people must sit at {tnames[t]} (pinned there or kept together "
                    f"with someone pinned there: {_join([pnames[p] for p in who])}), "
                    f"but it seats at most {int(hi[t])}.",
                    people=tuple(who),
                    tables=(t,),
                    pins=tuple((p, t) for p in sorted(pins) if pins[p] == t),
                )
            )

    # Keep-apart between chains pinned to the same table.
    nbr_sets: list[set[int]] = [set() for _ in range(n_nodes)]
    for i, j in apt:
        a, b = int(node_of[i]), int(node_of[j])
        if a == b:
            continue
        nbr_sets[a].add(b)
        nbr_sets[b].add(a)
        if node_pin[a] >= 0 and node_pin[a] == node_pin[b]:
            t = int(node_pin[a])
            conflicts.append(
                RuleConflict(
                    "pinned_apart",
                    f"{pnames[i]} and {pnames[j]} must be kept apart, but both must sit at "
                    f"{tnames[t]}.",
                    people=(i, j),
                    tables=(t,),
                    apart=((i, j),),
                    pins=tuple(
                        (p, t) for p in sorted(pins) if pins[p] == t and node_of[p] in (a, b)
                    ),
                )
            )

    share_problems: list[tuple[str, tuple[int, ...]]] = []
    limit = share_counts(share_limit, n, lo, hi, node_of, n_nodes, node_pin, tnames, share_problems)
    conflicts += [RuleConflict("share", text, tables=tables) for text, tables in share_problems]

    if conflicts:
        raise InfeasibleRulesError(conflicts)

    categories, comp, caps = limit
    return Problem(
        n_people=n,
        lower=lo,
        upper=hi,
        node_of=node_of,
        members=members,
        sizes=sizes,
        pinned=node_pin,
        apart_nbrs=[np.array(sorted(s), dtype=np.int64) for s in nbr_sets],
        weights=_contract(w, node_of, n_nodes),
        constant=_inside_score(w, members),
        person_names=pnames,
        table_names=tnames,
        categories=categories,
        category_comp=comp,
        cap_by_size=caps,
    )


def _symmetric(w: np.ndarray, block: int = 512) -> bool:
    """``w == w.T`` up to rounding, checked in row blocks to bound memory for big pools."""
    for start in range(0, w.shape[0], block):
        rows = w[start : start + block]
        if not np.allclose(rows, w[:, start : start + block].T, rtol=1e-9, atol=1e-9):
            return False
    return True


def _contract(w: np.ndarray, node_of: np.ndarray, n_nodes: int) -> np.ndarray:
    """Node-level weights: the sum of person weights between two components.

    Built from row additions only (no BLAS), so the result is bit-identical on
    every machine, which the determinism promise relies on.
    """
    if n_nodes == w.shape[0]:
        return np.ascontiguousarray(w)  # all singletons: node k is person k
    order = np.argsort(node_of, kind="stable")
    starts = np.searchsorted(node_of[order], np.arange(n_nodes))
    rows = np.add.reduceat(w[order], starts, axis=0)  # n_nodes x n
    cw = np.add.reduceat(np.ascontiguousarray(rows.T[order]), starts, axis=0).T
    cw = np.ascontiguousarray(cw)
    np.fill_diagonal(cw, 0.0)
    return cw


def _inside_score(w: np.ndarray, members: list[np.ndarray]) -> float:
    total = 0.0
    for mem in members:
        if len(mem) > 1:
            sub = w[np.ix_(mem, mem)]
            total += float(np.triu(sub, 1).sum())
    return total
