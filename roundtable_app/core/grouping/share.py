"""Share limits: "no category (a sector, say) above this share of a table".

:class:`ShareLimit` is the rule as the caller gives it; :func:`share_counts`
turns it into what the search keeps up to date (people per node and
category, the cap at each table size) and finds the conflicts that can be
proved before searching.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ShareLimit:
    """No category (a sector, say) may hold more than ``max_share`` of a table's seats.

    ``labels[i]`` is person ``i``'s category, or ``None`` for no category
    (never limited). A table of ``size`` seats may hold at most
    :meth:`cap` people of one category: ``floor(max_share * size)``, but
    always at least one, since one person cannot dominate a table. ``what``
    names the category in messages ("sector").
    """

    labels: Sequence[str | None]
    max_share: float
    what: str = "sector"

    def __post_init__(self) -> None:
        if not 0 < self.max_share <= 1:
            raise ValueError(f"max_share must be in (0, 1], got {self.max_share}")

    def cap(self, size: int) -> int:
        return share_cap(self.max_share, size)


def share_cap(max_share: float, size: int) -> int:
    """Most people of one category a table of ``size`` may seat: ``floor(share * size)``, >= 1."""
    return max(1, math.floor(max_share * size + 1e-9))


def most_room(caps: np.ndarray, lo: np.ndarray, hi: np.ndarray, n: int) -> int:
    """Most people of one category the tables can seat at once, over every size profile.

    Table sizes must add up to the pool, so raising one table's cap may take
    a seat (and with it cap) from another: a small knapsack over the seats
    left after every table's minimum. When that is too large to solve
    exactly, the cap at every table's maximum size (an upper bound) is used.
    """
    simple = int(sum(int(caps[int(h)]) for h in hi))
    spare = n - int(lo.sum())
    if spare < 0 or spare > int((hi - lo).sum()):
        return simple  # the size conflict is reported on its own
    if len(lo) * (spare + 1) * (int((hi - lo).max(initial=0)) + 1) > 4_000_000:
        return simple
    neg = -(1 << 40)
    best = np.full(spare + 1, neg, dtype=np.int64)
    best[0] = 0
    for t in range(len(lo)):
        nxt = np.full(spare + 1, neg, dtype=np.int64)
        for extra in range(int(hi[t] - lo[t]) + 1):
            gain = int(caps[int(lo[t]) + extra])
            if extra <= spare:
                cand = best[: spare + 1 - extra] + gain
                np.maximum(nxt[extra:], cand, out=nxt[extra:])
        best = nxt
    return int(best[spare]) if best[spare] > neg // 2 else simple


def share_counts(
    limit: ShareLimit | None,
    n: int,
    lo: np.ndarray,
    hi: np.ndarray,
    node_of: np.ndarray,
    n_nodes: int,
    node_pin: np.ndarray,
    tnames: list[str],
    conflicts: list[tuple[str, tuple[int, ...]]],
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Categories, per-node category counts and caps by table size; adds provable conflicts.

    Two conflicts are provable up front, added to ``conflicts`` as (message,
    tables): a category with more people than the tables can seat at the
    share (:func:`most_room`), and more people of one category pinned to a
    table than its cap.
    """
    empty: tuple[list[str], np.ndarray, np.ndarray] = (
        [],
        np.zeros((n_nodes, 0), dtype=np.int64),
        np.zeros(0, dtype=np.int64),
    )
    if limit is None:
        return empty
    if len(limit.labels) != n:
        raise ValueError("share_limit.labels must have one entry per person")
    categories = sorted({lab for lab in limit.labels if lab})
    if not categories:
        return empty
    col = {c: k for k, c in enumerate(categories)}
    comp = np.zeros((n_nodes, len(categories)), dtype=np.int64)
    for person, lab in enumerate(limit.labels):
        if lab:
            comp[node_of[person], col[lab]] += 1
    top = int(hi.max()) if len(hi) else 0
    caps = np.array([limit.cap(size) for size in range(top + 1)], dtype=np.int64)
    share = f"{limit.max_share:.0%}"
    room = most_room(caps, lo, hi, n)
    totals = comp.sum(axis=0)
    for k in np.argsort(-totals, kind="stable"):
        if totals[k] > room:
            conflicts.append(
                (
                    f"{int(totals[k])} people are from the {limit.what} {categories[k]}, but with "
                    f"no {limit.what} above {share} of a table, the {len(hi)} tables for {n} "
                    f"people can seat at most {room} of them; allow a larger share, or make "
                    f"{limit.what} balance a preference.",
                    (),
                )
            )
    for t in range(len(hi)):
        pinned_here = comp[node_pin == t].sum(axis=0)
        cap = int(caps[int(hi[t])])
        for k in np.flatnonzero(pinned_here > cap):
            conflicts.append(
                (
                    f"{int(pinned_here[k])} people from the {limit.what} {categories[k]} must "
                    f"sit at {tnames[t]} (pinned or kept together), but at {share} it may "
                    f"seat at most {cap} of them.",
                    (t,),
                )
            )
    return categories, comp, caps
