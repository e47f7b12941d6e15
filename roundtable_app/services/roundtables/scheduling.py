"""Scheduling rules: clashes, weekends, times as each invitee sees them, rescheduling.

Clash: another roundtable that is not cancelled and overlaps in time (half-open
intervals: one ending at 12:00 and another starting at 12:00 do not clash) and
shares an invitee (not withdrawn, not declined), the chair (as chair or
invitee) or the venue (same name, any case; online roundtables have no venue).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.model import Format, Response, RoundtableStatus
from roundtable_app.services.roundtables.calendar import needing_update
from roundtable_app.services.roundtables.counts import on_the_list
from roundtable_app.services.roundtables.records import (
    RoundtableEdit,
    RoundtableInfo,
    data_of,
    load_model,
    update_roundtable,
)
from roundtable_app.storage.models import Invitation, Person, Roundtable

CHUNK = 500


@dataclass(frozen=True, slots=True)
class Clash:
    """One conflict, phrased for a warning list."""

    kind: str  # "invitee", "chair" or "venue"
    roundtable_id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    person_id: int | None
    name: str  # the person's name, or the venue

    @property
    def message(self) -> str:
        when = f"{self.starts_at:%d %b %Y %H:%M} UTC"
        if self.kind == "venue":
            return f"{self.name} is booked for '{self.title}' ({when})."
        role = "The chair, " if self.kind == "chair" else ""
        return f"{role}{self.name}, is also invited to '{self.title}' ({when})."


def _clash(kind: str, rt: Roundtable, person_id: int | None, name: str) -> Clash:
    # Only roundtables with times overlap anything, so both are set here.
    assert rt.starts_at is not None and rt.ends_at is not None
    return Clash(kind, rt.id, rt.title, rt.starts_at, rt.ends_at, person_id, name)


def find_clashes(
    session: Session,
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    person_ids: Collection[int] = (),
    chair_id: int | None = None,
    venue: str = "",
    format: Format = Format.IN_PERSON,
    exclude_roundtable: int | None = None,
) -> list[Clash]:
    """Clashes for a planned slot (the editor calls this before saving)."""
    overlapping = and_(
        Roundtable.starts_at < ends_at,
        Roundtable.ends_at > starts_at,
        Roundtable.status != RoundtableStatus.CANCELLED.value,
    )
    if exclude_roundtable is not None:
        overlapping = and_(overlapping, Roundtable.id != exclude_roundtable)
    clashes: list[Clash] = []
    people = set(person_ids) | ({chair_id} if chair_id is not None else set())
    ids = sorted(people)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        invited = (
            select(Roundtable, Person.id, Person.full_name)
            .join(Invitation, Invitation.roundtable_id == Roundtable.id)
            .join(Person, Person.id == Invitation.person_id)
            .where(
                overlapping,
                Invitation.person_id.in_(chunk),
                on_the_list(),
                Invitation.response != Response.DECLINED.value,
            )
        )
        chairing = (
            select(Roundtable, Person.id, Person.full_name)
            .join(Person, Person.id == Roundtable.chair_id)
            .where(overlapping, Roundtable.chair_id.in_(chunk))
        )
        seen: set[tuple[int, int]] = set()
        for query in (invited, chairing):
            for rt, pid, name in session.execute(query):
                if (rt.id, pid) in seen:
                    continue
                seen.add((rt.id, pid))
                kind = "chair" if pid == chair_id else "invitee"
                clashes.append(_clash(kind, rt, pid, name))
    if venue.strip() and format != Format.ONLINE:
        for rt in session.scalars(
            select(Roundtable).where(
                overlapping,
                func.lower(Roundtable.venue) == venue.strip().lower(),
                Roundtable.format != Format.ONLINE.value,
            )
        ):
            clashes.append(_clash("venue", rt, None, rt.venue))
    order = {"chair": 0, "venue": 1, "invitee": 2}
    clashes.sort(key=lambda c: (order[c.kind], c.starts_at, c.name))
    return clashes


def clashes_for(session: Session, roundtable_id: int) -> list[Clash]:
    """Clashes of a stored roundtable with every other one."""
    rt = load_model(session, roundtable_id)
    if rt.starts_at is None or rt.ends_at is None:
        return []
    people = session.scalars(
        select(Invitation.person_id).where(
            Invitation.roundtable_id == roundtable_id,
            Invitation.person_id.is_not(None),
            on_the_list(),
            Invitation.response != Response.DECLINED.value,
        )
    )
    return find_clashes(
        session,
        starts_at=rt.starts_at,
        ends_at=rt.ends_at,
        person_ids=[p for p in people if p is not None],
        chair_id=rt.chair_id,
        venue=rt.venue,
        format=Format(rt.format),
        exclude_roundtable=roundtable_id,
    )


def weekend_warning(starts_at: dt.datetime, time_zone: str) -> str | None:
    """A warning when the roundtable falls on a Saturday or Sunday in its own zone."""
    local = starts_at.astimezone(ZoneInfo(time_zone))
    if local.weekday() >= 5:
        return f"{local:%A %d %B %Y} is a weekend day in {time_zone}."
    return None


@dataclass(frozen=True, slots=True)
class LocalTime:
    """The roundtable's time as one invitee will see it."""

    person_id: int
    name: str
    time_zone: str
    starts_at: dt.datetime  # in the person's zone
    ends_at: dt.datetime

    @property
    def text(self) -> str:
        day = "" if self.starts_at.date() == self.ends_at.date() else f" {self.ends_at:%a %d %b}"
        return (
            f"{self.starts_at:%a %d %b %Y %H:%M}–{day}{self.ends_at:%H:%M} "
            f"{self.starts_at.tzname()} ({self.time_zone})"
        )


def as_seen_by(
    starts_at: dt.datetime, ends_at: dt.datetime, time_zone: str
) -> tuple[dt.datetime, dt.datetime]:
    """Start and end in another zone (for the editor's "as they will see it" line)."""
    zone = ZoneInfo(time_zone)
    return starts_at.astimezone(zone), ends_at.astimezone(zone)


def invitee_local_times(session: Session, roundtable_id: int) -> list[LocalTime]:
    """For invitees whose own zone is known and differs from the roundtable's."""
    rt = load_model(session, roundtable_id)
    if rt.starts_at is None or rt.ends_at is None:
        return []
    rows = session.execute(
        select(Person.id, Person.full_name, Person.time_zone)
        .join(Invitation, Invitation.person_id == Person.id)
        .where(
            Invitation.roundtable_id == roundtable_id,
            on_the_list(),
            Person.time_zone.is_not(None),
            Person.time_zone != rt.time_zone,
        )
        .order_by(Person.full_name)
    )
    result = []
    for pid, name, zone in rows:
        if not zone:
            continue
        try:
            start, end = as_seen_by(rt.starts_at, rt.ends_at, zone)
        except Exception:  # a zone this machine's database does not know
            continue
        result.append(LocalTime(pid, name, zone, start, end))
    return result


def reschedule(
    session: Session, roundtable_id: int, new_start: dt.datetime, expected_version: int
) -> RoundtableEdit:
    """Move a roundtable to ``new_start``, keeping its duration (calendar drag and drop).

    Raises the sequence if invitations went out, so they show "needs update".
    Undo: ``reschedule(session, id, edit.before.data.starts_at, edit.after.version)``.
    """
    if new_start.tzinfo is None:
        raise ValueError("new_start must be an aware datetime")
    rt = load_model(session, roundtable_id)
    data = data_of(rt)
    if data.starts_at is None or data.ends_at is None:
        raise ValidationError(f"'{rt.title}' has no time yet; open it and set one.", "starts_at")
    duration = data.ends_at - data.starts_at
    moved = replace(data, starts_at=new_start, ends_at=new_start + duration)
    return update_roundtable(session, roundtable_id, moved, expected_version)


@dataclass(frozen=True)
class Move:
    """A roundtable moved to a new time, and what follows from it.

    ``needs_update`` counts the invitees sent an older time who now need the
    update; ``clashes`` and ``weekend`` are the warnings for the new time.
    """

    edit: RoundtableEdit
    needs_update: int
    clashes: list[Clash]
    weekend: str | None

    @property
    def before(self) -> RoundtableInfo:
        return self.edit.before

    @property
    def after(self) -> RoundtableInfo:
        return self.edit.after


def move_roundtable(
    session: Session, roundtable_id: int, new_start: dt.datetime, expected_version: int
) -> Move:
    """Reschedule (:func:`reschedule`) and say who needs the update and what now clashes.

    The use case behind dragging a roundtable in the calendar; undo with
    ``reschedule(session, id, move.before.data.starts_at, move.after.version)``.
    """
    edit = reschedule(session, roundtable_id, new_start, expected_version)
    return Move(
        edit=edit,
        needs_update=needing_update(session, roundtable_id),
        clashes=clashes_for(session, roundtable_id),
        weekend=weekend_warning(new_start, edit.after.data.time_zone),
    )
