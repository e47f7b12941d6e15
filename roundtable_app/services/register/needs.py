"""Every evidence need across roundtables, as the register shows and prints it.

The privacy rules of the summary apply, decided here once for the page and
every output: a need's text has every invitee's name replaced (and every
organisation not acknowledged as a public source) by the roundtable's guard,
and a need is credited only to the sectors that may be named where it was
raised (at least ``threshold`` of them at the table or in the room, never
lived experience). Filtering by sector finds only needs credited to it, so a
filter cannot reveal a sector the outputs withhold.

The needs of 500 roundtables are read in a handful of queries, not one per
roundtable: the page must open in half a second.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import Session

from roundtable_app.core.discussion import (
    EvidenceKind,
    Guard,
    GuardPerson,
    NeedStatus,
    NoteKind,
    attribute,
    could_name,
    name_words,
    redact,
    words_of,
)
from roundtable_app.core.discussion.attribution import DEFAULT_THRESHOLD
from roundtable_app.core.model import Priority
from roundtable_app.core.privacy import reveals_lived_experience
from roundtable_app.services.discussion import (
    guard_from,
    invited_by_roundtable,
    names_of,
    took_part_from,
)
from roundtable_app.storage.models import (
    DiscussionNote,
    DiscussionTable,
    Roundtable,
    Sector,
    Series,
    Theme,
)
from roundtable_app.storage.models.discussion import note_sector, note_theme

PRIORITY_RANK = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2, None: 3}
NO_THEME = "Other evidence needs"
_PRIORITIES: dict[str | None, Priority] = {p.value: p for p in Priority}
_KINDS: dict[str | None, EvidenceKind] = {k.value: k for k in EvidenceKind}
_STATUSES: dict[str | None, NeedStatus] = {s.value: s for s in NeedStatus}


class _NoteRow(NamedTuple):
    id: int
    version: int
    roundtable_id: int
    table_id: int | None
    text: str
    priority: str | None
    evidence_kind: str | None
    need_status: str | None
    centre_owner: str
    answer_reference: str
    group_id: int | None
    acknowledged: str


@dataclass(frozen=True, slots=True)
class RegisterFilter:
    """Which needs the register shows; ``None`` (or "") leaves a criterion out."""

    series: str | None = None
    theme: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    priority: Priority | None = None
    sector: str | None = None
    status: NeedStatus | None = None
    text: str = ""

    @property
    def empty(self) -> bool:
        return self == RegisterFilter()

    def describe(self) -> str:
        """The filters in words, for a report's header ("" when none)."""
        parts = []
        if self.series:
            parts.append(f"Series: {self.series}")
        if self.date_from and self.date_to:
            parts.append(f"Held {_day(self.date_from)} to {_day(self.date_to)}")
        elif self.date_from:
            parts.append(f"Held from {_day(self.date_from)}")
        elif self.date_to:
            parts.append(f"Held until {_day(self.date_to)}")
        if self.theme:
            parts.append(f"Theme: {self.theme}")
        if self.priority:
            parts.append(f"{self.priority.value.capitalize()} priority")
        if self.sector:
            parts.append(f"Raised by {self.sector}")
        if self.status:
            parts.append(f"Status: {self.status.label}")
        if self.text.strip():
            parts.append(f"Containing “{self.text.strip()}”")
        return " · ".join(parts)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


class _Redaction:
    """The guards of the roundtables read, each built when a need of it is first read.

    A roundtable's guard holds only the people its needs' words could name (see
    ``could_name``): as safe over those texts, and quick to build for 500.
    """

    __slots__ = ("_guards", "_invited", "_texts", "_threshold", "_took_part", "_ways")

    def __init__(
        self,
        invited: dict[int, list[Any]],
        took_part: dict[int, list[tuple[int | None, str]]],
        texts: dict[int, list[str]],
        threshold: int,
    ) -> None:
        self._invited, self._took_part, self._threshold = invited, took_part, threshold
        self._texts = texts
        self._guards: dict[int, Guard] = {}
        self._ways: dict[tuple[str, str], Any] = {}  # people are invited again and again

    def _guard(self, roundtable_id: int) -> Guard:
        words: set[str] = set()
        for text in self._texts.get(roundtable_id, ()):
            words |= words_of(text)
        named = []
        for row in self._invited.get(roundtable_id, []):
            for name in names_of(row):
                key = (name, row.organisation or "")
                ways = self._ways.get(key)
                if ways is None and key not in self._ways:
                    ways = self._ways[key] = name_words(GuardPerson(*key))
                if could_name(ways, words):
                    named.append(row)
                    break
        return guard_from(named, self._took_part[roundtable_id], self._threshold)

    def words(self, roundtable_id: int, raw: str, acknowledged: frozenset[str]) -> str:
        guard = self._guards.get(roundtable_id)
        if guard is None:
            guard = self._guards[roundtable_id] = self._guard(roundtable_id)
        return redact(guard, raw, acknowledged).strip()


class _Words:
    """A need's words as every output prints them (names removed), worked out when first
    read: the page paints its first rows without redacting 5,000 needs. The words as
    typed are never handed out."""

    __slots__ = ("_acknowledged", "_raw", "_redaction", "_roundtable_id", "_value")

    def __init__(
        self, redaction: _Redaction, roundtable_id: int, raw: str, acknowledged: frozenset[str]
    ) -> None:
        self._redaction, self._roundtable_id = redaction, roundtable_id
        self._raw, self._acknowledged = raw, acknowledged
        self._value: str | None = None

    def get(self) -> str:
        if self._value is None:
            self._value = self._redaction.words(self._roundtable_id, self._raw, self._acknowledged)
            self._raw = ""
        return self._value


@dataclass(frozen=True, slots=True)
class Need:
    """One evidence need as the register shows it: names removed, credit as may be said."""

    id: int
    version: int
    roundtable_id: int
    roundtable: str
    held_on: dt.date | None
    series: str
    words: _Words = field(repr=False, compare=False)
    themes: tuple[str, ...]
    priority: Priority | None
    evidence_kind: EvidenceKind | None
    #: The sectors it may be credited to there, and whether others who raised it are not named.
    sectors: tuple[str, ...]
    others: bool
    attribution: str
    status: NeedStatus
    centre_owner: str
    answer_reference: str
    group_id: int | None

    @property
    def text(self) -> str:
        """Its words, every invitee's name replaced (and organisations not acknowledged)."""
        return self.words.get()

    @property
    def held_text(self) -> str:
        return _day(self.held_on) if self.held_on else "Date to be set"


def _held_on(starts_at: dt.datetime | None, zone: str | None) -> dt.date | None:
    if starts_at is None:
        return None
    return starts_at.astimezone(ZoneInfo(zone or "Europe/London")).date()


def _query(criteria: RegisterFilter) -> Select:
    query = (
        select(
            DiscussionNote.id,
            DiscussionNote.version,
            DiscussionNote.roundtable_id,
            DiscussionNote.table_id,
            DiscussionNote.text,
            DiscussionNote.priority,
            DiscussionNote.evidence_kind,
            DiscussionNote.need_status,
            DiscussionNote.centre_owner,
            DiscussionNote.answer_reference,
            DiscussionNote.group_id,
            DiscussionNote.acknowledged,
        )
        .join(Roundtable, Roundtable.id == DiscussionNote.roundtable_id)
        .join(Series, Series.id == Roundtable.series_id, isouter=True)
        .where(DiscussionNote.kind == NoteKind.NEED.value, func.trim(DiscussionNote.text) != "")
    )
    if criteria.series:
        query = query.where(func.lower(Series.name) == criteria.series.casefold())
    # A day in the roundtable's own zone is at most 14 hours from UTC: a coarse cut in
    # SQL, the exact one (by the local date) once read.
    if criteria.date_from:
        since = dt.datetime.combine(criteria.date_from, dt.time(), dt.UTC) - dt.timedelta(days=1)
        query = query.where(Roundtable.starts_at >= since)
    if criteria.date_to:
        until = dt.datetime.combine(criteria.date_to, dt.time(), dt.UTC) + dt.timedelta(days=2)
        query = query.where(Roundtable.starts_at < until)
    if criteria.priority:
        query = query.where(DiscussionNote.priority == criteria.priority.value)
    if criteria.status == NeedStatus.OPEN:
        query = query.where(
            (DiscussionNote.need_status == NeedStatus.OPEN.value)
            | DiscussionNote.need_status.is_(None)
        )
    elif criteria.status:
        query = query.where(DiscussionNote.need_status == criteria.status.value)
    if criteria.theme:
        query = query.where(
            DiscussionNote.id.in_(
                select(note_theme.c.note_id)
                .join(Theme, Theme.id == note_theme.c.theme_id)
                .where(func.lower(Theme.name) == criteria.theme.casefold())
            )
        )
    return query


def _names_by_note(
    session: Session, link: Table, model: Any, notes: Select
) -> dict[int, list[str]]:
    """The theme (or sector) names of each note the query ``notes`` selects."""
    column = link.c.theme_id if model is Theme else link.c.sector_id
    names: dict[int, list[str]] = defaultdict(list)
    for note_id, name in session.connection().execute(
        select(link.c.note_id, model.name)
        .join(model, model.id == column)
        .where(link.c.note_id.in_(notes))
        .order_by(model.name)
    ):
        names[note_id].append(name)
    return names


def list_needs(
    session: Session,
    criteria: RegisterFilter = RegisterFilter(),  # noqa: B008 - frozen, never changed
    *,
    threshold: int = DEFAULT_THRESHOLD,
) -> list[Need]:
    """The needs the filter selects, names removed, credited as the privacy rules allow."""
    query = _query(criteria)
    # Core execution (no ORM loading step) and plain tuples: a row's attributes by name
    # cost a microsecond each, 60,000 times.
    rows = [_NoteRow(*row) for row in session.connection().execute(query)]
    if not rows:
        return []
    # Each roundtable's title, day and series once, not once per need.
    held = {
        r.id: (r.title, _held_on(r.starts_at, r.time_zone), r.series or "")
        for r in session.execute(
            select(
                Roundtable.id,
                Roundtable.title,
                Roundtable.starts_at,
                Roundtable.time_zone,
                Series.name.label("series"),
            )
            .join(Series, Series.id == Roundtable.series_id, isouter=True)
            .where(Roundtable.id.in_(query.with_only_columns(DiscussionNote.roundtable_id)))
        )
    }
    if criteria.date_from or criteria.date_to:
        low, high = criteria.date_from or dt.date.min, criteria.date_to or dt.date.max
        rows = [
            r for r in rows if (day := held[r.roundtable_id][1]) is not None and low <= day <= high
        ]
    if not rows:
        return []
    ids = query.with_only_columns(DiscussionNote.id)
    themes = _names_by_note(session, note_theme, Theme, ids)
    sectors = _names_by_note(session, note_sector, Sector, ids)
    roundtable_ids = sorted({r.roundtable_id for r in rows})
    invited = invited_by_roundtable(session, roundtable_ids)
    took_part = {rid: took_part_from(invited.get(rid, [])) for rid in roundtable_ids}
    texts: dict[int, list[str]] = defaultdict(list)
    for r in rows:
        texts[r.roundtable_id].append(r.text)
    redaction = _Redaction(invited, took_part, texts, threshold)
    room: dict[int, dict[str, int]] = {}
    at_table: dict[int, dict[str, int]] = defaultdict(dict)
    for rid, people in took_part.items():
        here = room[rid] = {}
        for table_id, sector in people:
            here[sector] = here.get(sector, 0) + 1
            if table_id is not None:
                table = at_table[table_id]
                table[sector] = table.get(sector, 0) + 1
    labels = {
        id_: name or f"Table {number}"
        for id_, number, name in session.execute(
            select(DiscussionTable.id, DiscussionTable.number, DiscussionTable.name).where(
                DiscussionTable.roundtable_id.in_(roundtable_ids)
            )
        )
    }
    needle = " ".join(criteria.text.casefold().split())
    needs = []
    for r in rows:
        raised_by = sectors.get(r.id, [])
        if r.table_id is not None and r.table_id in labels:
            credit = attribute(
                raised_by, at_table[r.table_id], place=labels[r.table_id], threshold=threshold
            )
        else:
            credit = attribute(raised_by, room[r.roundtable_id], threshold=threshold)
        if criteria.sector and criteria.sector.casefold() not in {
            s.casefold() for s in credit.named
        }:
            continue
        acknowledged = frozenset(filter(None, r.acknowledged.split("\n")))
        words = _Words(redaction, r.roundtable_id, r.text, acknowledged)
        if needle and needle not in " ".join(words.get().casefold().split()):
            continue
        needs.append(
            Need(
                id=r.id,
                version=r.version,
                roundtable_id=r.roundtable_id,
                roundtable=held[r.roundtable_id][0],
                held_on=held[r.roundtable_id][1],
                series=held[r.roundtable_id][2],
                words=words,
                themes=tuple(themes.get(r.id, ())),
                priority=_PRIORITIES.get(r.priority),
                evidence_kind=_KINDS.get(r.evidence_kind),
                sectors=credit.named,
                others=bool(credit.withheld) or (not raised_by),
                attribution=credit.text,
                status=_STATUSES.get(r.need_status, NeedStatus.OPEN),
                centre_owner=r.centre_owner,
                answer_reference=r.answer_reference,
                group_id=r.group_id,
            )
        )
    return needs


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """What the register's filters offer: the series, themes and sectors needs have."""

    series: tuple[str, ...]
    themes: tuple[str, ...]
    sectors: tuple[str, ...]


def filter_choices(session: Session) -> FilterChoices:
    """The series, themes and sectors of the evidence needs (never lived experience)."""
    needs = select(DiscussionNote.id).where(DiscussionNote.kind == NoteKind.NEED.value)
    series = session.scalars(
        select(Series.name)
        .join(Roundtable, Roundtable.series_id == Series.id)
        .where(
            Roundtable.id.in_(
                select(DiscussionNote.roundtable_id).where(
                    DiscussionNote.kind == NoteKind.NEED.value
                )
            )
        )
        .distinct()
    )
    themes = session.scalars(
        select(Theme.name)
        .join(note_theme, note_theme.c.theme_id == Theme.id)
        .where(note_theme.c.note_id.in_(needs))
        .distinct()
    )
    sectors = session.scalars(
        select(Sector.name)
        .join(note_sector, note_sector.c.sector_id == Sector.id)
        .where(note_sector.c.note_id.in_(needs))
        .distinct()
    )
    return FilterChoices(
        tuple(sorted(series, key=str.casefold)),
        tuple(sorted(themes, key=str.casefold)),
        tuple(sorted((s for s in sectors if not reveals_lived_experience(s)), key=str.casefold)),
    )
