"""What the roundtables of a period, a series or one roundtable achieved, counted in numpy.

Definitions (the same on screen, in exports and on the command line):

- **invited**: on the list and not a walk-in; **accepted**: said yes;
- **expected**: accepted or tentative, at a roundtable whose attendance is
  recorded (a roundtable with none recorded yet would count everyone absent);
- **turnout**: the share of the expected who came; the **no-show** and
  **apology** rates: the share of the expected recorded as no-show or as
  having sent apologies;
- **attended**: everyone recorded as attended, walk-ins included;
- **new connections**: see :mod:`.history`;
- **reach**: the people who came and their organisations; people invited
  :data:`SEVERAL` times or more to roundtables with attendance recorded who
  never came.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from roundtable_app.services.statistics.history import (
    ACCEPTED,
    APOLOGIES,
    ATTENDED,
    NO_SHOW,
    TENTATIVE,
    History,
)

#: "Invited several times": this many invitations or more.
SEVERAL = 3


@dataclass(frozen=True, slots=True)
class Scope:
    """Which roundtables to count: one roundtable, or a series and/or a period (inclusive)."""

    series_id: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    roundtable_id: int | None = None


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True, slots=True)
class Counts:
    """Invited, accepted, attended… for everyone or for one sector."""

    invited: int = 0
    accepted: int = 0
    expected: int = 0
    came: int = 0  # of the expected
    no_shows: int = 0  # of the expected
    apologies: int = 0  # of the expected
    attended: int = 0  # everyone who came, walk-ins included
    walk_ins: int = 0
    lived_invited: int = 0
    lived_attended: int = 0

    @property
    def turnout(self) -> float | None:
        return _rate(self.came, self.expected)

    @property
    def no_show_rate(self) -> float | None:
        return _rate(self.no_shows, self.expected)

    @property
    def apology_rate(self) -> float | None:
        return _rate(self.apologies, self.expected)


@dataclass(frozen=True, slots=True)
class SectorCounts:
    """One sector's counts and its share of everyone who attended."""

    sector: str
    counts: Counts
    share: float | None  # of all attendees


@dataclass(frozen=True, slots=True)
class RoundtableFigures:
    """One roundtable of the scope: its headline counts and the connections it made."""

    roundtable_id: int
    title: str
    day: dt.date | None
    series: str
    counts: Counts
    recorded: bool
    table_pairs: int
    new_connections: int
    cumulative: int  # new connections in the scope up to and including this one


@dataclass(frozen=True, slots=True)
class Bucket:
    """A month or quarter of the scope: attendees by sector and new connections made."""

    label: str
    start: dt.date
    roundtables: int
    attendees: tuple[int, ...]  # by sector, as Figures.sectors
    new_connections: int
    cumulative: int


@dataclass(frozen=True, slots=True)
class Reach:
    """Who the roundtables reached, and who they did not."""

    people_invited: int
    people_reached: int  # came at least once
    organisations: int  # of the people who came
    #: (person id, times invited, last invited day), most invitations first.
    never_came: tuple[tuple[int, int, dt.date | None], ...]


@dataclass(frozen=True, slots=True)
class Figures:
    """Everything the Statistics page, the exports and the command line show for a scope."""

    scope: Scope
    #: What was counted, in words: "Supply chains programme · 1 Jan 2025 to 31 Dec 2025".
    label: str
    sectors: tuple[str, ...]
    totals: Counts
    by_sector: tuple[SectorCounts, ...]
    roundtables: tuple[RoundtableFigures, ...]  # in time order
    unrecorded: int  # roundtables without attendance recorded (left out of the rates)
    new_connections: int
    table_pairs: int
    buckets: tuple[Bucket, ...]
    bucket_kind: str  # "month" or "quarter"
    reach: Reach

    @property
    def single(self) -> bool:
        """One roundtable: its sector counts are small groups (the "fewer than 3" rule)."""
        return self.scope.roundtable_id is not None

    @property
    def first_day(self) -> dt.date | None:
        days = [r.day for r in self.roundtables if r.day is not None]
        return min(days) if days else None

    @property
    def last_day(self) -> dt.date | None:
        days = [r.day for r in self.roundtables if r.day is not None]
        return max(days) if days else None


def selected(history: History, scope: Scope) -> np.ndarray:
    """Which roundtables (a boolean mask over the history) the scope counts."""
    if scope.roundtable_id is not None:
        return history.roundtable_ids == scope.roundtable_id
    mask = np.ones(history.size, dtype=bool)
    if scope.series_id is not None:
        mask &= history.series == scope.series_id
    if scope.start is not None:
        mask &= history.days >= np.datetime64(scope.start, "D")
    if scope.end is not None:
        mask &= history.days <= np.datetime64(scope.end, "D")
    return mask


@dataclass(frozen=True, slots=True)
class RoundtableChoice:
    """A roundtable as a picker lists it."""

    id: int
    day: dt.date | None
    title: str

    @property
    def label(self) -> str:
        """ "3 Mar 2026 · Survivor support" (the title alone without a date)."""
        return f"{day_text(self.day)} · {self.title}" if self.day else self.title


def roundtable_choices(history: History, scope: Scope) -> list[RoundtableChoice]:
    """The roundtables ``scope`` counts, latest first (for a picker)."""
    positions = np.flatnonzero(selected(history, scope))[::-1]
    titles = history.titles
    return [
        RoundtableChoice(rid, day, titles[i])
        for rid, day, i in zip(
            history.roundtable_ids[positions].tolist(),
            history.days[positions].tolist(),  # datetime.date, or None for NaT
            positions.tolist(),
            strict=True,
        )
    ]


def date_range(history: History) -> tuple[dt.date, dt.date] | None:
    """The first and last day a roundtable took place (None: none had a date)."""
    days = history.days[~np.isnat(history.days)]
    if not len(days):
        return None
    first, last = _day(days.min()), _day(days.max())
    assert first is not None and last is not None
    return first, last


def _group_counts(history: History, inv: np.ndarray, group: np.ndarray, n: int) -> np.ndarray:
    """Count matrix ``(n, 10)`` in :class:`Counts` field order, grouped by ``group``."""
    h = history
    recorded = h.recorded[h.roundtable]
    invited = inv & ~h.walk_in
    expected = invited & recorded & ((h.response == ACCEPTED) | (h.response == TENTATIVE))
    attended = inv & (h.attendance == ATTENDED)
    conditions = (
        invited,
        invited & (h.response == ACCEPTED),
        expected,
        expected & (h.attendance == ATTENDED),
        expected & (h.attendance == NO_SHOW),
        expected & (h.attendance == APOLOGIES),
        attended,
        attended & h.walk_in,
        invited & h.lived,
        attended & h.lived,
    )
    return np.stack([np.bincount(group[c], minlength=n)[:n] for c in conditions], axis=1).astype(
        np.int64
    )


def _counts(row: np.ndarray) -> Counts:
    return Counts(*(int(x) for x in row))


@lru_cache(maxsize=2)
def _cube(history: History) -> np.ndarray:
    """Counts by roundtable and sector, ``(R, S, 10)``: counted once per history, so that a
    scope only adds up the roundtables it chose."""
    h = history
    n_sectors = len(h.sectors)
    group = h.roundtable.astype(np.int64) * n_sectors + h.sector.astype(np.int64)
    everything = np.ones(len(h.roundtable), dtype=bool)
    counts = _group_counts(h, everything, group, h.size * n_sectors)
    return counts.reshape(h.size, n_sectors, len(Counts.__dataclass_fields__))


@lru_cache(maxsize=2)
def _roundtable_counts(history: History) -> tuple[Counts, ...]:
    """Each roundtable's counts, made once per history (thousands of them at every scope
    took a tenth of a second)."""
    return tuple(Counts(*row) for row in _cube(history).sum(axis=1).tolist())


def compute(history: History, scope: Scope) -> Figures:
    """Count everything for ``scope`` (see the module's definitions)."""
    h = history
    chosen = selected(h, scope)
    inv = chosen[h.roundtable]
    n_sectors = len(h.sectors)
    positions = np.flatnonzero(chosen)
    cube = _cube(h)[positions]
    per_sector = cube.sum(axis=0)
    totals = _counts(per_sector.sum(axis=0))
    by_sector = tuple(
        SectorCounts(name, _counts(per_sector[i]), _rate(int(per_sector[i, 6]), totals.attended))
        for i, name in enumerate(h.sectors)
        if per_sector[i].any() or i < n_sectors - 1
    )
    new = h.new_connections[positions]
    # Whole columns to Python at once (thousands of roundtables, element by element, was slow).
    columns = zip(
        h.roundtable_ids[positions].tolist(),
        positions.tolist(),
        h.days[positions].tolist(),  # datetime.date, or None for NaT
        h.series[positions].tolist(),
        [_roundtable_counts(h)[i] for i in positions.tolist()],
        h.recorded[positions].tolist(),
        h.table_pairs[positions].tolist(),
        new.tolist(),
        np.cumsum(new).tolist(),
        strict=True,
    )
    roundtables = tuple(
        RoundtableFigures(
            roundtable_id=rid,
            title=h.titles[i],
            day=day,
            series=h.series_names.get(series, ""),
            counts=counts,
            recorded=recorded,
            table_pairs=pairs,
            new_connections=made,
            cumulative=so_far,
        )
        for rid, i, day, series, counts, recorded, pairs, made, so_far in columns
    )
    kind, buckets = _buckets(h, positions, n_sectors)
    return Figures(
        scope=scope,
        label=scope_label(h, scope),
        sectors=h.sectors,
        totals=totals,
        by_sector=by_sector,
        roundtables=roundtables,
        unrecorded=int((~h.recorded[positions]).sum()),
        new_connections=int(new.sum()),
        table_pairs=int(h.table_pairs[positions].sum()),
        buckets=buckets,
        bucket_kind=kind,
        reach=_reach(h, inv),
    )


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(day: dt.date) -> str:
    """ "3 Mar 2026" (in English whatever the locale, and without strftime: thousands
    of roundtables are labelled at once)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def scope_label(history: History, scope: Scope) -> str:
    """The scope in words, for titles: a roundtable, or a series and a period."""
    if scope.roundtable_id is not None:
        at = history.position(scope.roundtable_id)
        if at is None:
            return "A roundtable that has not taken place"
        day = _day(history.days[at])
        return f"{history.titles[at]}" + (f" · {day_text(day)}" if day else "")
    series = (
        history.series_names.get(scope.series_id, "A deleted series")
        if scope.series_id is not None
        else "All roundtables"
    )
    if scope.start and scope.end:
        period = f"{day_text(scope.start)} to {day_text(scope.end)}"
    elif scope.start:
        period = f"from {day_text(scope.start)}"
    elif scope.end:
        period = f"up to {day_text(scope.end)}"
    else:
        period = "all time"
    return f"{series} · {period}"


def _day(value: np.datetime64) -> dt.date | None:
    return None if np.isnat(value) else value.astype("datetime64[D]").astype(dt.date)


def _buckets(h: History, positions: np.ndarray, n_sectors: int) -> tuple[str, tuple[Bucket, ...]]:
    """Months when the scope spans up to two years, else quarters; empty ones included."""
    days = h.days[positions]
    dated = positions[~np.isnat(days)]
    if not len(dated):
        return "month", ()
    months = h.days[dated].astype("datetime64[M]").astype(np.int64)  # months since 1970
    kind = "month" if months.max() - months.min() < 24 else "quarter"
    step = 1 if kind == "month" else 3
    keys = (months // step) * step
    first, last = int(keys.min()), int(keys.max())
    n = (last - first) // step + 1
    slot = (keys - first) // step
    mask = np.zeros(h.size, dtype=bool)
    mask[dated] = True
    slot_of = np.full(h.size, -1, dtype=np.int64)
    slot_of[dated] = slot
    inv_slot = slot_of[h.roundtable]
    came = mask[h.roundtable] & (h.attendance == ATTENDED)
    flat = inv_slot[came] * n_sectors + h.sector[came].astype(np.int64)
    attendees = np.bincount(flat, minlength=n * n_sectors).reshape(n, n_sectors)
    new = np.bincount(slot, weights=h.new_connections[dated], minlength=n).astype(np.int64)
    count = np.bincount(slot, minlength=n)
    cumulative = np.cumsum(new)
    out = []
    for b in range(n):
        start = np.datetime64(first + b * step, "M").astype(dt.date)
        quarter = f"Q{(start.month - 1) // 3 + 1} {start.year}"
        label = f"{start:%b %Y}" if kind == "month" else quarter
        out.append(
            Bucket(
                label=label,
                start=start,
                roundtables=int(count[b]),
                attendees=tuple(int(x) for x in attendees[b]),
                new_connections=int(new[b]),
                cumulative=int(cumulative[b]),
            )
        )
    return kind, tuple(out)


def _distinct(ids: np.ndarray) -> int:
    """How many different ids (non-negative) ``ids`` holds."""
    if not len(ids):
        return 0
    if int(ids.max()) <= 4 * len(ids) + 1_000_000:  # a bitmap is cheaper than sorting
        seen = np.zeros(int(ids.max()) + 1, dtype=bool)
        seen[ids] = True
        return int(np.count_nonzero(seen))
    return len(np.unique(ids))


def _reach(h: History, inv: np.ndarray) -> Reach:
    known = inv & (h.person >= 0)
    came = known & (h.attendance == ATTENDED)
    people_invited = _distinct(h.person[known & ~h.walk_in])
    reached = _distinct(h.person[came])
    orgs = _distinct(h.org[came & (h.org >= 0)])
    # Invitations that could have been attended and were seen not to be.
    counted = known & ~h.walk_in & h.recorded[h.roundtable]
    persons, index, times = np.unique(h.person[counted], return_inverse=True, return_counts=True)
    attended = np.bincount(index, weights=h.attendance[counted] == ATTENDED, minlength=len(persons))
    day_number = h.days[h.roundtable[counted]].astype(np.int64)
    missing = np.isnat(h.days[h.roundtable[counted]])
    day_number = np.where(missing, np.iinfo(np.int64).min, day_number)
    last = np.full(len(persons), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, index, day_number)
    never = np.flatnonzero((times >= SEVERAL) & (attended == 0))
    never = never[np.lexsort((persons[never], -last[never], -times[never]))]
    return Reach(
        people_invited=people_invited,
        people_reached=reached,
        organisations=orgs,
        never_came=tuple(
            (
                int(persons[i]),
                int(times[i]),
                None
                if last[i] == np.iinfo(np.int64).min
                else np.datetime64(int(last[i]), "D").astype(dt.date),
            )
            for i in never
        ),
    )
