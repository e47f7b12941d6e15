"""What makes a good table: the pairwise weights the grouping optimiser maximises.

Pure Python and numpy. The services turn database rows into :class:`Invitee`
records and a ``past_pairs`` count; this module turns those into

* a symmetric weight matrix (:func:`build_weights`): the optimiser seats people
  so that the sum of weights over pairs at the same table is largest;
* hard rules the optimiser enforces (:func:`hard_rules`): keep-apart pairs for
  "one person per organisation", pins for "lived-experience minimum" and a
  share limit for "no sector above N % of a table";
* size bounds (:func:`table_bounds`).

Once a plan exists, :mod:`roundtable_app.core.grouping.scoring_explain` says why each
table is as it is.

One *unit* of weight is what a typical pair sharing interests earns. At equal
sliders, one repeat pairing and one same-sector pair each cost about as much
as one such pair gains, so the trade-off between shared interests and new
pairings (past roundtables were themselves seated by theme, so the pairs who
share most have often met) is exactly what the sliders say, and visible.

Two traps are handled deliberately:

* With mostly positive weights the optimiser fills tables to their upper
  bound. :func:`table_bounds` therefore uses a narrow band (sizes differ by at
  most one) unless staff set explicit bounds; :func:`build_weights` centres the
  weights (mean zero over all pairs); and when explicit bounds leave room,
  :func:`even_sizes` lowers every pair by the weight of a typical good
  tablemate, so a table grows only for someone who fits it better than that.
* Each component is scaled to the unit above before the sliders apply, so a
  slider at 0.8 against one at 0.4 really means "twice as important".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.grouping.share import ShareLimit, share_cap

Pair = tuple[int, int]

#: Cost of two people of one organisation at a table, when that rule is weighted.
ORGANISATION_PENALTY = 2.0
#: Mild repulsion between lived-experience participants (spreads them out).
LIVED_EXPERIENCE_REPULSION = 0.5
#: Attraction within a matched lived-experience pair when staff want two per table.
LIVED_EXPERIENCE_PAIR_BONUS = 2.0


@dataclass(frozen=True, slots=True)
class Invitee:
    """One person of the pool, as plain data; ``index`` is their row in the matrix."""

    index: int
    person_id: int
    name: str
    sector: str | None = None
    organisation: str | None = None
    interests: frozenset[str] = frozenset()
    lived_experience: bool = False
    may_be_named: bool = False


@dataclass(frozen=True, slots=True)
class Preferences:
    """What matters more, as staff set it with sliders and check boxes.

    ``interests``, ``new_pairings`` and ``sector_balance`` are relative
    importances (0 = ignore; any non-negative number, sliders give 0..1).
    ``sector_share`` is the largest share of a table one sector should hold.
    ``lived_experience_min`` is 0, 1 or 2 lived-experience participants per
    table (while there are enough of them). Each ``*_required`` flag turns that
    balance rule from a weighted preference into a hard rule.
    """

    interests: float = 1.0
    new_pairings: float = 1.0
    sector_balance: float = 1.0
    sector_share: float = 0.4
    sector_required: bool = False
    lived_experience_min: int = 1
    lived_experience_required: bool = False
    one_per_organisation: bool = True
    organisation_required: bool = False

    def __post_init__(self) -> None:
        for name in ("interests", "new_pairings", "sector_balance"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ValidationError(
                    f"The importance of {name.replace('_', ' ')} must be zero or more, "
                    f"not {value}.",
                    name,
                )
        if not 0 < self.sector_share <= 1:
            raise ValidationError(
                f"The largest sector share must be between 0 and 100%, not {self.sector_share}.",
                "sector_share",
            )
        if self.lived_experience_min not in (0, 1, 2):
            raise ValidationError(
                "Choose 0, 1 or 2 lived-experience participants per table, "
                f"not {self.lived_experience_min}.",
                "lived_experience_min",
            )


# --- size profile --------------------------------------------------------------

#: The table size a discussion works best at, smallest and largest (the default count).
TARGET_TABLE_SIZE = (8, 10)


def default_table_count(n: int) -> int:
    """How many tables seat ``n`` people nearest :data:`TARGET_TABLE_SIZE` a table.

    E.g. 37 people → 4 tables (of 9 and 10), 45 → 5, 12 → 2, 10 → 1. The count whose
    table sizes (``n // k`` and ``ceil(n / k)``) fall nearest the 8–10 band;
    on a tie, the average nearest 9, then smaller tables (a table above 10 is
    harder to chair than one below 8).
    """
    if n < 4:
        return 1
    smallest, largest = TARGET_TABLE_SIZE
    middle = (smallest + largest) / 2

    def miss(k: int) -> tuple[int, float, int]:
        outside = max(0, smallest - n // k) + max(0, math.ceil(n / k) - largest)
        return outside, abs(n / k - middle), -k

    return min(range(1, n // 2 + 1), key=miss)


def table_bounds(
    n: int,
    tables: int | None = None,
    size: int | None = None,
    min_size: int | None = None,
    max_size: int | None = None,
) -> tuple[list[int], list[int]]:
    """Per-table (lower, upper) size bounds for ``n`` people.

    The number of tables is ``tables``, else ``n / size`` rounded, else the
    count whose average size is nearest the middle of ``min_size..max_size``,
    else :func:`default_table_count`.
    Without explicit bounds every table seats ``floor(n/k)`` or ``ceil(n/k)``
    people: a narrow band, so the optimiser cannot favour big tables (trap 1).
    Explicit ``min_size`` / ``max_size`` are the user's choice and used as given.
    """
    if n < 2:
        raise ValidationError(f"Grouping needs at least 2 invitees; this pool has {n}.", "pool")
    for label, value in (("tables", tables), ("size", size), ("min_size", min_size)):
        if value is not None and value < 1:
            raise ValidationError(f"The {label.replace('_', ' ')} must be at least 1.", label)
    if max_size is not None and max_size < 2:
        raise ValidationError("The largest table must seat at least 2 people.", "max_size")
    if min_size is not None and max_size is not None and min_size > max_size:
        raise ValidationError(
            f"The smallest table size ({min_size}) is above the largest ({max_size}).", "min_size"
        )
    if tables is not None:
        k = tables
    elif size is not None:
        k = max(1, round(n / size))
    elif min_size is not None or max_size is not None:
        lo, hi = min_size or 2, max_size or max(min_size or 2, 10)
        feasible = range(math.ceil(n / hi), n // lo + 1)
        if not feasible:
            raise ValidationError(
                f"{n} invitees cannot be split into tables of {lo} to {hi}.", "max_size"
            )
        k = min(feasible, key=lambda c: (abs(n / c - (lo + hi) / 2), c))
    else:
        k = default_table_count(n)
    if 2 * k > n:
        raise ValidationError(
            f"{k} tables need at least {2 * k} invitees (two per table); this pool has {n}. "
            "Choose fewer tables.",
            "tables",
        )
    lower, upper = [n // k] * k, [math.ceil(n / k)] * k
    if min_size is not None or max_size is not None:
        lower = [min_size if min_size is not None else min(lower[0], max_size or lower[0])] * k
        upper = [max_size if max_size is not None else max(upper[0], min_size or 0)] * k
        if lower[0] * k > n or upper[0] * k < n:
            raise ValidationError(
                f"{n} invitees do not fit {k} tables of {lower[0]} to {upper[0]}: that seats "
                f"{lower[0] * k} to {upper[0] * k}. Change the number of tables or the sizes.",
                "tables",
            )
    return lower, upper


# --- weights -------------------------------------------------------------------


def interest_rarity(invitees: Sequence[Invitee]) -> dict[str, float]:
    """IDF weight of each interest in the pool: ``log(n / holders)``; universal = 0."""
    n = len(invitees)
    holders = Counter(t for inv in invitees for t in inv.interests)
    return {t: math.log(n / c) for t, c in holders.items()}


def _interest_matrix(invitees: Sequence[Invitee]) -> np.ndarray:
    """Sum of the rarity of the interests each pair shares, in units of a typical sharing pair."""
    n = len(invitees)
    rarity = interest_rarity(invitees)
    themes = sorted(rarity)
    if not themes:
        return np.zeros((n, n))
    col = {t: c for c, t in enumerate(themes)}
    member = np.zeros((n, len(themes)))
    for inv in invitees:
        for t in inv.interests:
            member[inv.index, col[t]] = 1.0
    idf = np.array([rarity[t] for t in themes])
    shared = (member * idf) @ member.T
    np.fill_diagonal(shared, 0.0)
    positive = np.count_nonzero(shared)
    if positive:
        shared /= shared.sum() / positive
    return shared


def pairing_value(times_met: int) -> float:
    """Value of seating a pair who already sat together ``times_met`` times.

    Never met: 0; met once: -1 unit; each doubling of meetings costs one more
    unit. After centring, never-met pairs earn a bonus and repeats a penalty.
    """
    return 0.0 if times_met <= 0 else -(1.0 + math.log2(times_met))


def build_weights(
    invitees: Sequence[Invitee],
    past_pairs: Mapping[Pair, int],
    preferences: Preferences,
) -> np.ndarray:
    """The symmetric n x n weight matrix (zero diagonal, mean zero off it).

    ``past_pairs[(i, j)]`` (``i < j``, indices) counts how often two invitees sat
    at one table before. Sector balance is a same-sector cost here; when it is
    required the share cap is also a hard rule (:func:`hard_rules`), and the
    cost still spreads sectors further below the cap.
    """
    n = len(invitees)
    _check_indices(invitees)
    p = preferences
    w = p.interests * _interest_matrix(invitees) if p.interests else np.zeros((n, n))
    if p.new_pairings:
        for (i, j), times in past_pairs.items():
            value = p.new_pairings * pairing_value(times)
            w[i, j] += value
            w[j, i] += value

    le = np.array([inv.lived_experience for inv in invitees], dtype=bool)
    if p.one_per_organisation and not p.organisation_required:
        w -= ORGANISATION_PENALTY * _same(invitees, lambda inv: inv.organisation)
    if p.lived_experience_min:
        # The lived-experience rule, not sector balance, decides where they sit.
        w -= LIVED_EXPERIENCE_REPULSION * np.outer(le, le)
        if p.lived_experience_min == 2:
            for i, j in lived_experience_pairs(invitees, w):
                w[i, j] += LIVED_EXPERIENCE_PAIR_BONUS + LIVED_EXPERIENCE_REPULSION
                w[j, i] = w[i, j]
    if p.sector_balance:
        same_sector = _same(invitees, lambda inv: inv.sector)
        if p.lived_experience_min:
            same_sector[np.outer(le, le)] = 0.0
        w -= p.sector_balance * same_sector
    np.fill_diagonal(w, 0.0)
    if n > 1:
        w -= w.sum() / (n * (n - 1))  # centre: a bigger table is not better per se
        np.fill_diagonal(w, 0.0)
    return w


def even_sizes(weights: np.ndarray, lower: Sequence[int], upper: Sequence[int]) -> np.ndarray:
    """Weights that do not reward a table for being big, when bounds leave room (trap 1).

    Even with mean-zero weights, the most cohesive tables grow to their upper
    bound and the rest shrink to the lower one (8-12 gives only 8s and 12s),
    because a table's score grows with the square of its size. Subtracting the
    weight of a typical good tablemate (the mean of each person's best
    ``target - 1`` weights) from every pair makes a table grow only for a
    newcomer who fits better than that. On demo data with bounds 8-12 the sizes
    then spread over the band instead of piling at its ends. With a narrow band
    (sizes within one) the weights are returned unchanged.
    """
    if max(upper) - min(lower) <= 1 or weights.shape[0] < 3:
        return weights
    n = weights.shape[0]
    mates = min(n - 1, max(1, round(n / len(lower)) - 1))
    others = weights.copy()
    np.fill_diagonal(others, -np.inf)  # nobody is their own tablemate
    best = -np.partition(-others, mates - 1, axis=1)[:, :mates]
    del others
    shifted = weights - float(best.mean())
    np.fill_diagonal(shifted, 0.0)
    return shifted


def _same(invitees: Sequence[Invitee], key: Callable[[Invitee], str | None]) -> np.ndarray:
    """1.0 where two different invitees share a non-empty ``key``, else 0."""
    codes: dict[str, int] = {}
    labels = np.array(
        [codes.setdefault(v, len(codes)) if (v := key(inv)) else -1 - inv.index for inv in invitees]
    )
    same = (labels[:, None] == labels[None, :]).astype(np.float64)
    np.fill_diagonal(same, 0.0)
    return same


def _check_indices(invitees: Sequence[Invitee]) -> None:
    if [inv.index for inv in invitees] != list(range(len(invitees))):
        raise ValueError("invitee indices must be 0, 1, ..., n-1 in order")


def lived_experience_pairs(invitees: Sequence[Invitee], weights: np.ndarray) -> list[Pair]:
    """Match lived-experience participants in pairs, most compatible first (deterministic).

    Greedy maximum-weight matching on the current weights, ties by index; two
    people of one organisation are paired only if nobody else is left.
    """
    le = [inv.index for inv in invitees if inv.lived_experience]
    org = {inv.index: inv.organisation for inv in invitees}
    candidates = sorted(
        ((i, j) for a, i in enumerate(le) for j in le[a + 1 :]),
        key=lambda ij: (bool(org[ij[0]]) and org[ij[0]] == org[ij[1]], -weights[ij], ij),
    )
    used: set[int] = set()
    pairs: list[Pair] = []
    for i, j in candidates:
        if i not in used and j not in used:
            used.update((i, j))
            pairs.append((i, j))
    return sorted(pairs)


# --- hard rules ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HardRules:
    """What the optimiser must respect beyond size bounds, from the preferences."""

    apart: tuple[Pair, ...] = ()
    pinned: Mapping[int, int] = field(default_factory=dict)
    share_limit: ShareLimit | None = None


def sector_cap(preferences: Preferences, table_size: int) -> int:
    """Most people of one sector a table of ``table_size`` seats within the chosen share.

    ``floor(share * size)``, but at least one: a single person of a sector
    never dominates a table. The optimiser (when the rule is required) and
    the plan's warnings use this same figure.
    """
    return share_cap(preferences.sector_share, table_size)


def organisation_apart(invitees: Sequence[Invitee], n_tables: int) -> list[Pair]:
    """Keep-apart pairs for every two people of one organisation.

    Raises :class:`ValidationError` when an organisation has more invitees than
    there are tables, naming it, since the rule then cannot be met.
    """
    by_org: dict[str, list[int]] = {}
    for inv in invitees:
        if inv.organisation:
            by_org.setdefault(inv.organisation, []).append(inv.index)
    too_many = sorted(o for o, people in by_org.items() if len(people) > n_tables)
    if too_many:
        first = too_many[0]
        raise ValidationError(
            f"{first} has {len(by_org[first])} invitees but there are only {n_tables} tables, "
            "so 'one person per organisation per table' cannot be required. Make it a "
            "preference or add tables.",
            "organisation_required",
        )
    return [
        (a, b) for people in by_org.values() for i, a in enumerate(people) for b in people[i + 1 :]
    ]


def lived_experience_pins(
    invitees: Sequence[Invitee],
    n_tables: int,
    minimum: int,
    weights: np.ndarray,
    locked: Mapping[int, int] | None = None,
    apart: Iterable[Pair] = (),
) -> dict[int, int]:
    """Pins giving each table ``minimum`` lived-experience participants while there are enough.

    Tables are filled in order (locked participants count where they are
    locked); with ``minimum == 2`` matched pairs (:func:`lived_experience_pairs`)
    share a table, and an odd one left over joins the last pair rather than sit
    alone. Participants beyond what the tables need stay free for the optimiser.
    Tables are interchangeable, so pinning costs little: only who sits with
    whom among these participants is fixed, not which table they use.
    """
    locked = dict(locked or {})
    if minimum <= 0 or n_tables <= 0:
        return {}
    blocked: dict[int, set[int]] = {}
    for i, j in apart:
        blocked.setdefault(i, set()).add(j)
        blocked.setdefault(j, set()).add(i)
    count = [0] * n_tables
    seated: dict[int, list[int]] = {t: [] for t in range(n_tables)}
    for person, table in locked.items():
        seated[table].append(person)
        count[table] += invitees[person].lived_experience
    if minimum == 2:
        queue = [p for pair in lived_experience_pairs(invitees, weights) for p in pair]
        paired = set(queue)
        queue += [inv.index for inv in invitees if inv.lived_experience and inv.index not in paired]
    else:
        queue = [inv.index for inv in invitees if inv.lived_experience]
    queue = [p for p in queue if p not in locked]
    pins: dict[int, int] = {}
    last_filled = None
    for t in range(n_tables):
        need = max(0, minimum - count[t])
        if need == 0 or len(queue) < need:
            continue
        for _ in range(need):
            ok = next((p for p in queue if not blocked.get(p, set()) & set(seated[t])), None)
            if ok is None:
                break
            queue.remove(ok)
            pins[ok] = t
            seated[t].append(ok)
            count[t] += 1
        last_filled = t
    if minimum == 2 and len(queue) == 1 and last_filled is not None:
        p = queue[0]
        if not blocked.get(p, set()) & set(seated[last_filled]):
            pins[p] = last_filled  # an odd one out joins a pair, never sits alone
    return pins


def hard_rules(
    invitees: Sequence[Invitee],
    n_tables: int,
    preferences: Preferences,
    weights: np.ndarray,
    locked: Mapping[int, int] | None = None,
) -> HardRules:
    """The apart pairs, pins and share limit the required balance rules imply (plus ``locked``)."""
    apart: list[Pair] = []
    if preferences.one_per_organisation and preferences.organisation_required:
        apart = organisation_apart(invitees, n_tables)
    pinned = dict(locked or {})
    if preferences.lived_experience_required and preferences.lived_experience_min:
        pinned.update(
            lived_experience_pins(
                invitees, n_tables, preferences.lived_experience_min, weights, locked, apart
            )
        )
    limit = None
    if preferences.sector_required:
        limit = ShareLimit([inv.sector for inv in invitees], preferences.sector_share)
    return HardRules(apart=tuple(apart), pinned=pinned, share_limit=limit)
