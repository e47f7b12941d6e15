"""The check-in screen at the door: what it shows, how it finds people, and walk-ins.

One read (:func:`door`) gives the screen everything, at opening and on each
poll; :class:`DoorList` narrows the list as the user types (in memory: every
keystroke must update the list within a frame); walk-ins are checked in from
the directory or as someone new, and undone with what the step returns.
Functions take the caller's session and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from roundtable_app.core.dates import format_date
from roundtable_app.core.errors import ConflictError, NotFoundError
from roundtable_app.core.model import PersonData, RoundtableStatus
from roundtable_app.core.text_search import SearchKey, query_words
from roundtable_app.core.time_zones import time_zone
from roundtable_app.services import directory
from roundtable_app.services.attendance.checkin import CheckIn, check_in
from roundtable_app.services.attendance.edits import WalkIn, add_walk_in, remove_walk_in
from roundtable_app.services.attendance.records import (
    Arrivals,
    AttendanceRow,
    arrival_counts,
    attendance_rows,
    local_day,
)
from roundtable_app.services.attendance.walk_ins import untouched_since_created
from roundtable_app.storage.base import utcnow
from roundtable_app.storage.models import DiscussionTable, Invitation, Organisation, Person
from roundtable_app.storage.models import Roundtable as RoundtableModel

#: How many directory matches the walk-in search offers.
WALK_IN_MATCHES = 30


@dataclass(frozen=True, slots=True)
class Door:
    """A roundtable as the check-in screen shows it: who is expected, who has come."""

    roundtable_id: int
    title: str
    venue: str
    status: RoundtableStatus
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    time_zone: str
    rows: tuple[AttendanceRow, ...]
    arrivals: Arrivals
    tables: tuple[int, ...]  # the roundtable's table numbers (walk-ins can be seated)

    def local(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` in the roundtable's own time zone (the clock on the wall)."""
        return moment.astimezone(time_zone(self.time_zone) or dt.UTC)

    def late_by(self, row: AttendanceRow) -> dt.timedelta | None:
        """How late ``row`` arrived (None: on time, or not arrived)."""
        if not row.arrived or row.checked_in_at is None or self.starts_at is None:
            return None
        late = row.checked_in_at - self.starts_at
        return late if late > dt.timedelta(0) else None


def door(session: Session, roundtable_id: int) -> Door:
    """Everything the check-in screen shows, in one read (at opening and on each poll)."""
    roundtable = session.get(RoundtableModel, roundtable_id)
    if roundtable is None:
        raise NotFoundError(f"There is no roundtable {roundtable_id}; it may have been deleted.")
    tables = session.scalars(
        select(DiscussionTable.number)
        .where(DiscussionTable.roundtable_id == roundtable_id)
        .order_by(DiscussionTable.number)
    ).all()
    return Door(
        roundtable_id=roundtable_id,
        title=roundtable.title,
        venue=roundtable.venue,
        status=RoundtableStatus(roundtable.status),
        starts_at=roundtable.starts_at,
        ends_at=roundtable.ends_at,
        time_zone=roundtable.time_zone,
        rows=tuple(attendance_rows(session, roundtable_id)),
        arrivals=arrival_counts(session, roundtable_id),
        tables=tuple(tables),
    )


def door_closed(
    title: str,
    status: RoundtableStatus,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    time_zone: str,
    now: dt.datetime | None = None,
) -> str | None:
    """Why the check-in screen does not open for this roundtable (None: it opens).

    It opens on the roundtable's day (in its own time zone) and stays open until
    its last day ends; a past roundtable's attendance is recorded in its list.
    """
    if status == RoundtableStatus.CANCELLED:
        return f"“{title}” is cancelled: there is nobody to check in."
    if starts_at is None:
        return f"“{title}” has no date yet: give it one (Edit details…) first."
    today = local_day(now or utcnow(), time_zone)
    first = local_day(starts_at, time_zone)
    last = local_day(ends_at, time_zone) if ends_at is not None else first
    if today < first:
        return f"“{title}” is on {format_date(first)}: the check-in opens on the day."
    if today > last:
        return (
            f"“{title}” took place on {format_date(first)}: record who came in its "
            "attendance list instead."
        )
    return None


@dataclass(frozen=True, slots=True)
class OpenDoor:
    """A roundtable whose check-in is open now (a check-in laptop offers these)."""

    roundtable_id: int
    title: str
    starts_at: dt.datetime
    venue: str


def open_doors(session: Session, now: dt.datetime | None = None) -> list[OpenDoor]:
    """The roundtables whose check-in is open now (:func:`door_closed`), earliest first."""
    now = now or utcnow()
    margin = dt.timedelta(days=2)  # "today" somewhere: the zones differ by up to 26 hours
    rt = RoundtableModel
    query = (
        select(rt.id, rt.title, rt.status, rt.starts_at, rt.ends_at, rt.time_zone, rt.venue)
        .where(
            rt.starts_at.is_not(None),
            rt.starts_at < now + margin,
            func.coalesce(rt.ends_at, rt.starts_at) > now - margin,
        )
        .order_by(rt.starts_at, rt.id)
    )
    return [
        OpenDoor(rid, title, starts_at, venue)
        for rid, title, status, starts_at, ends_at, zone, venue in session.execute(query)
        if starts_at is not None
        and door_closed(title, RoundtableStatus(status), starts_at, ends_at, zone, now) is None
    ]


def counts_text(arrivals: Arrivals, walk_ins: int) -> tuple[str, str]:
    """The count's two lines: "23 of 31 expected have arrived", then who else came."""
    headline = f"{arrivals.arrived} of {arrivals.expected} expected have arrived"
    others = arrivals.others - walk_ins
    parts = []
    if walk_ins:
        parts.append(f"{walk_ins} walk-in{'s' if walk_ins != 1 else ''}")
    if others:
        parts.append(f"{others} who had not said they would come")
    return headline, ("plus " + " and ".join(parts)) if parts else ""


class DoorList:
    """The list narrowed to what was typed: expected people first, arrivals last.

    Built once per load of the rows; :meth:`search` runs on every keystroke.
    Each typed word must start a word of the name or organisation (or, after
    those, appear inside one); within that, people expected and not yet
    arrived come first, then the others not yet arrived, then those who have
    arrived, each in the sheet's order (by surname).
    """

    def __init__(self, rows: Sequence[AttendanceRow], reuse: DoorList | None = None) -> None:
        """``reuse``: the list these rows replace; its folded texts are kept (a check-in
        changes one row of hundreds, and folding them all again costs a frame or two)."""
        self.rows = tuple(rows)
        known: dict[tuple[str, str], SearchKey] = reuse._by_text if reuse is not None else {}
        self._keys = [
            known.get((r.name, r.organisation)) or SearchKey.of(r.name, r.organisation)
            for r in self.rows
        ]
        self._by_text: dict[tuple[str, str], SearchKey] = {
            (r.name, r.organisation): key for r, key in zip(self.rows, self._keys, strict=True)
        }
        self._group = [(r.arrived, not r.expected) for r in self.rows]

    def search(self, query: str) -> list[AttendanceRow]:
        words = query_words(query)
        rows, groups = self.rows, self._group
        if not words:
            order = sorted(range(len(rows)), key=groups.__getitem__)
            return [rows[i] for i in order]
        found = []
        for i, key in enumerate(self._keys):
            rank = key.rank(words)
            if rank is not None:
                found.append((groups[i], rank, i))
        found.sort()
        return [rows[i] for _g, _r, i in found]


# --- walk-ins ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DoorCandidate:
    """Someone in the directory who is not on the list: a possible walk-in."""

    person_id: int
    name: str
    organisation: str
    key: SearchKey


def door_candidates(session: Session, roundtable_id: int) -> list[DoorCandidate]:
    """Everyone in the directory not on the roundtable's list (withdrawn people are offered).

    Read once when the walk-in search opens (on a worker thread: the whole
    directory), then searched in memory with :func:`find_candidates`.
    """
    on_list = (
        select(Invitation.person_id)
        .where(
            Invitation.roundtable_id == roundtable_id,
            Invitation.withdrawn_at.is_(None),
            Invitation.person_id.is_not(None),
        )
        .scalar_subquery()
    )
    query = (
        select(Person.id, Person.full_name, Organisation.name, Person.email)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Person.id.not_in(on_list))
    )
    return [
        DoorCandidate(pid, name, org or "", SearchKey.of(name, org or "", email or ""))
        for pid, name, org, email in session.execute(query)
    ]


def find_candidates(
    candidates: Sequence[DoorCandidate], query: str, limit: int = WALK_IN_MATCHES
) -> list[DoorCandidate]:
    """The best ``limit`` matches for what was typed (names starting so come first)."""
    words = query_words(query)
    if not words:
        return []
    found = []
    for i, candidate in enumerate(candidates):
        rank = candidate.key.rank(words)
        if rank is not None:
            found.append((rank, candidate.key.text, i))
    found.sort()
    return [candidates[i] for _r, _t, i in found[:limit]]


@dataclass(frozen=True, slots=True)
class DoorWalkIn:
    """A walk-in checked in at the door; ``created``: they were new to the directory."""

    walk_in: WalkIn
    created: bool
    table: int | None
    at: dt.datetime  # when they were checked in (a redo keeps it)
    #: The new person's version when created (undo keeps them if edited since).
    created_version: int = 1


def check_in_walk_in(
    session: Session,
    roundtable_id: int,
    person_id: int,
    *,
    table: int | None = None,
    at: dt.datetime | None = None,
) -> DoorWalkIn | CheckIn:
    """Check in someone not on the list, from the directory.

    Someone on the list meanwhile (added at another door) is simply checked
    in: the :class:`CheckIn` is returned instead.
    """
    at = at or utcnow()
    existing = _listed(session, roundtable_id, person_id)
    if existing is not None:
        return check_in(session, existing, at)
    try:
        result = add_walk_in(session, roundtable_id, person_id, table=table, at=at)
    except IntegrityError:  # the other door put them on the list a moment ago
        raise ConflictError(
            "They were added at another door a moment ago: they are already checked in."
        ) from None
    assert isinstance(result, WalkIn)  # not on the list, so a walk-in
    return DoorWalkIn(result, False, table, at)


def check_in_new_person(
    session: Session,
    roundtable_id: int,
    data: PersonData,
    *,
    table: int | None = None,
    at: dt.datetime | None = None,
) -> DoorWalkIn:
    """Add someone new to the directory (name, and organisation or e-mail if given) and
    check them in as a walk-in."""
    at = at or utcnow()
    person = directory.create_person(session, data)
    result = add_walk_in(session, roundtable_id, person.id, table=table, at=at)
    assert isinstance(result, WalkIn)
    return DoorWalkIn(result, True, table, at, person.version)


def undo_walk_in(session: Session, done: DoorWalkIn) -> list[directory.DeletedPerson]:
    """Take the walk-in off the list again, and out of the directory if they were new.

    A new person someone has edited or invited since stays in the directory
    (:func:`~.walk_ins.untouched_since_created`, as in the attendance window).
    """
    remove_walk_in(session, done.walk_in.invitation_id)
    person_id = done.walk_in.person_id
    if done.created and untouched_since_created(session, person_id, done.created_version):
        return directory.delete_people(session, [person_id])
    return []


def redo_walk_in(
    session: Session,
    roundtable_id: int,
    done: DoorWalkIn,
    deleted: Sequence[directory.DeletedPerson],
) -> DoorWalkIn:
    """Do :func:`undo_walk_in`'s step again: the same person, back on the list."""
    restored = directory.restore_people(session, deleted) if deleted else []
    person_id = done.walk_in.person_id
    if _listed(session, roundtable_id, person_id) is not None:
        raise ConflictError(f"{done.walk_in.name} is on the list again already (another door?).")
    result = add_walk_in(session, roundtable_id, person_id, table=done.table, at=done.at)
    assert isinstance(result, WalkIn)
    version = restored[0].version if restored else done.created_version
    return DoorWalkIn(result, done.created, done.table, done.at, version)


def _listed(session: Session, roundtable_id: int, person_id: int) -> int | None:
    return session.scalar(
        select(Invitation.id).where(
            Invitation.roundtable_id == roundtable_id,
            Invitation.person_id == person_id,
            Invitation.withdrawn_at.is_(None),
        )
    )
