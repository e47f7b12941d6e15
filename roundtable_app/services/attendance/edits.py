"""Recording answers and attendance, with undo, checked against a colleague's change.

Every edit takes the value the user saw (``before``) and refuses, with a
:class:`~roundtable_app.core.errors.ConflictError`, when someone else changed
it meanwhile; it returns what it changed, and applying the changes turned
round undoes it. Functions take the caller's session and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from roundtable_app.core.errors import ConflictError, NotFoundError, ValidationError
from roundtable_app.core.model import Attendance, Response, ResponseChannel
from roundtable_app.services import audit
from roundtable_app.services.attendance.records import can_check_in, has_started
from roundtable_app.storage.base import utcnow
from roundtable_app.storage.models import DiscussionTable, Invitation, Person, Roundtable


@dataclass(frozen=True, slots=True)
class AttendanceChange:
    """One person's attendance from ``before`` to ``after`` (undo: :meth:`reversed`)."""

    invitation_id: int
    before: Attendance
    after: Attendance

    def reversed(self) -> AttendanceChange:
        return AttendanceChange(self.invitation_id, self.after, self.before)


@dataclass(frozen=True, slots=True)
class ResponseChange:
    """One person's answer, and how it came, from ``before`` to ``after``."""

    invitation_id: int
    before: tuple[Response, ResponseChannel | None]
    after: tuple[Response, ResponseChannel | None]

    def reversed(self) -> ResponseChange:
        return ResponseChange(self.invitation_id, self.after, self.before)


def listed_invitation(session: Session, invitation_id: int) -> Invitation:
    """The invitation, if its person is still on the list (not withdrawn)."""
    inv = session.get(Invitation, invitation_id)
    if inv is None or inv.withdrawn_at is not None:
        raise NotFoundError(
            "That person is no longer on the roundtable's list (removed by someone else?); "
            "refresh the list."
        )
    return inv


def _who(inv: Invitation) -> str:
    return inv.person.full_name if inv.person is not None else "An erased person"


def require_started(session: Session, inv: Invitation) -> None:
    """Refuse attendance for a roundtable that has not begun."""
    roundtable = session.get(Roundtable, inv.roundtable_id)
    if roundtable is None or not has_started(roundtable):
        title = f"“{roundtable.title}”" if roundtable else "This roundtable"
        raise ValidationError(
            f"{title} has not started yet: attendance is recorded once it has begun.",
            "attendance",
        )


def set_attendance(session: Session, changes: Iterable[AttendanceChange]) -> list[AttendanceChange]:
    """Apply each change whose ``before`` is still true; returns those that changed anything.

    Raises ConflictError (and changes nothing, the caller's transaction rolls
    back) when someone's attendance is no longer ``before``.
    """
    done: list[AttendanceChange] = []
    changes = list(changes)
    # One read for all of them, and no flush between them: a bulk action over 350
    # people read and flushed one by one took seconds.
    loaded = session.scalars(  # kept: the session holds its objects only while in use
        select(Invitation).where(Invitation.id.in_([c.invitation_id for c in changes]))
    ).all()
    started: set[int] = set()
    with session.no_autoflush:
        for change in changes:
            inv = listed_invitation(session, change.invitation_id)
            if inv.attendance != change.before.value:
                raise ConflictError(
                    f"{_who(inv)}'s attendance was changed by someone else meanwhile "
                    f"(now “{Attendance(inv.attendance).value.replace('_', '-')}”); "
                    "refresh and try again."
                )
            if change.before == change.after:
                continue
            if change.after != Attendance.UNKNOWN and inv.roundtable_id not in started:
                require_started(session, inv)
                started.add(inv.roundtable_id)
            inv.attendance = change.after.value
            if change.after != Attendance.ATTENDED:
                inv.checked_in_at = None
            done.append(change)
    del loaded
    if done:
        session.flush()
        audit.record(
            session,
            "roundtable",
            _roundtable_of(session, done),
            "attendance",
            f"{len(done)} people",
        )
    return done


def _roundtable_of(session: Session, changes: Sequence[AttendanceChange]) -> int | None:
    inv = session.get(Invitation, changes[0].invitation_id)
    return inv.roundtable_id if inv is not None else None


def mark(
    session: Session, invitation_ids: Iterable[int], attendance: Attendance
) -> list[AttendanceChange]:
    """Mark these people ``attendance`` (bulk: no-show, apologies, attended…) from what is stored.

    For a selection on screen prefer :func:`set_attendance` with the values the
    user saw; this reads them now (the command line's ``--set``).
    """
    changes = [
        AttendanceChange(inv_id, Attendance(current), attendance)
        for inv_id, current in session.execute(
            select(Invitation.id, Invitation.attendance).where(
                Invitation.id.in_(list(invitation_ids)), Invitation.withdrawn_at.is_(None)
            )
        )
    ]
    return set_attendance(session, changes)


def accepted_attended(session: Session, roundtable_id: int) -> list[AttendanceChange]:
    """Everyone who accepted and has no attendance recorded yet: attended."""
    ids = session.scalars(
        select(Invitation.id).where(
            Invitation.roundtable_id == roundtable_id,
            Invitation.withdrawn_at.is_(None),
            Invitation.response == Response.ACCEPTED.value,
            Invitation.attendance == Attendance.UNKNOWN.value,
        )
    ).all()
    return mark(session, ids, Attendance.ATTENDED)


def record_response(
    session: Session,
    invitation_id: int,
    before: tuple[Response, ResponseChannel | None],
    response: Response,
    channel: ResponseChannel,
) -> ResponseChange | None:
    """Record an answer given by phone, in an e-mail's text or in person (None: no change)."""
    inv = listed_invitation(session, invitation_id)
    now = (
        Response(inv.response),
        ResponseChannel(inv.response_channel) if inv.response_channel else None,
    )
    if now != before:
        raise ConflictError(
            f"{_who(inv)}'s answer was changed meanwhile (now “{now[0].value.replace('_', ' ')}”); "
            "refresh and try again."
        )
    after = (response, channel if response != Response.NEEDS_ACTION else None)
    if after == before:
        return None
    return apply_response(session, ResponseChange(invitation_id, before, after))


def apply_response(session: Session, change: ResponseChange) -> ResponseChange:
    """Set an answer (and how it came) from ``change.before`` to ``change.after``; undo too."""
    inv = listed_invitation(session, change.invitation_id)
    now = (
        Response(inv.response),
        ResponseChannel(inv.response_channel) if inv.response_channel else None,
    )
    if now != change.before:
        raise ConflictError(f"{_who(inv)}'s answer was changed meanwhile; refresh and try again.")
    inv.response = change.after[0].value
    inv.response_channel = change.after[1].value if change.after[1] else None
    session.flush()
    audit.record(session, "invitation", inv.id, "response", change.after[0].value)
    return change


@dataclass(frozen=True, slots=True)
class WalkIn:
    """Someone who came without an invitation, now on the list as attended."""

    invitation_id: int
    person_id: int
    name: str


def add_walk_in(
    session: Session,
    roundtable_id: int,
    person_id: int,
    *,
    table: int | None = None,
    at: dt.datetime | None = None,
) -> WalkIn | AttendanceChange:
    """Put ``person_id`` on the list as a walk-in who attended (at ``table``, if given).

    Checked in now (or ``at``), from the roundtable's day on. Someone already
    on the list is simply marked attended (the change is returned instead).
    Undo a walk-in with :func:`remove_walk_in`.
    """
    at = at or utcnow()
    roundtable = session.get(Roundtable, roundtable_id)
    if roundtable is None:
        raise NotFoundError(f"There is no roundtable {roundtable_id}; it may have been deleted.")
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError("That person is no longer in the directory (deleted meanwhile?).")
    if not can_check_in(roundtable, at):
        raise ValidationError(
            f"“{roundtable.title}” has not started yet: add walk-ins on the day or afterwards.",
            "attendance",
        )
    existing = session.scalar(
        select(Invitation).where(
            Invitation.roundtable_id == roundtable_id, Invitation.person_id == person_id
        )
    )
    if existing is not None and existing.withdrawn_at is None:
        change = AttendanceChange(existing.id, Attendance(existing.attendance), Attendance.ATTENDED)
        done = set_attendance(session, [change])
        if table is not None:
            seat(session, existing.id, table)
        return done[0] if done else change
    if existing is not None:  # withdrawn, yet came: a walk-in all the same
        session.delete(existing)
        session.flush()
    inv = Invitation(
        roundtable_id=roundtable_id,
        person_id=person_id,
        response=Response.ACCEPTED.value,
        response_channel=ResponseChannel.IN_PERSON.value,
        attendance=Attendance.ATTENDED.value,
        walk_in=True,
        checked_in_at=at,
        sector_id=person.sector_id,
        lived_experience=person.lived_experience,
    )
    session.add(inv)
    session.flush()
    if table is not None:
        seat(session, inv.id, table)
    audit.record(session, "roundtable", roundtable_id, "walk-in", "1 person")
    return WalkIn(inv.id, person_id, person.full_name)


def remove_walk_in(session: Session, invitation_id: int) -> None:
    """Undo :func:`add_walk_in`: take the walk-in off the list again."""
    inv = session.get(Invitation, invitation_id)
    if inv is None:
        return
    if not inv.walk_in:
        raise ValidationError("Only someone added as a walk-in can be taken off this way.")
    roundtable_id = inv.roundtable_id
    session.delete(inv)
    session.flush()
    audit.record(session, "roundtable", roundtable_id, "walk-in removed", "1 person")


def seat(session: Session, invitation_id: int, table: int | None) -> int | None:
    """Seat someone at table number ``table`` (None: unseat); returns the table they had."""
    inv = listed_invitation(session, invitation_id)
    before = inv.table.number if inv.table is not None else None
    if table is None:
        inv.table_id = None
    else:
        found = session.scalar(
            select(DiscussionTable).where(
                DiscussionTable.roundtable_id == inv.roundtable_id,
                DiscussionTable.number == table,
            )
        )
        if found is None:
            numbers = session.scalars(
                select(DiscussionTable.number)
                .where(DiscussionTable.roundtable_id == inv.roundtable_id)
                .order_by(DiscussionTable.number)
            ).all()
            have = (
                f"it has tables {', '.join(str(n) for n in numbers)}"
                if numbers
                else "it has no table plan yet"
            )
            raise ValidationError(f"There is no table {table} at this roundtable: {have}.", "table")
        inv.table_id = found.id
    session.flush()
    return before


def move_seat(
    session: Session, invitation_id: int, before: int | None, after: int | None
) -> int | None:
    """Seat someone at ``after`` (None: unseat) if they still sit at ``before``; undo too.

    Raises ConflictError when someone else moved them meanwhile.
    """
    inv = listed_invitation(session, invitation_id)
    now = inv.table.number if inv.table is not None else None
    if now != before:
        where = f"table {now}" if now is not None else "no table"
        raise ConflictError(
            f"{_who(inv)} was moved by someone else meanwhile (now at {where}); "
            "refresh and try again."
        )
    return seat(session, invitation_id, after)
