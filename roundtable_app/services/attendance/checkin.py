"""Checking people in at the door: idempotent, so two laptops at two doors never clash.

Checking in someone already checked in changes nothing (the earlier time
stays), whoever did it; undo puts back exactly what the check-in changed, and
only if nobody changed it since.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.model import Attendance
from roundtable_app.services import audit
from roundtable_app.services.attendance.edits import listed_invitation
from roundtable_app.services.attendance.records import can_check_in, not_open_yet
from roundtable_app.storage.base import utcnow
from roundtable_app.storage.models import Invitation, Roundtable


@dataclass(frozen=True, slots=True)
class CheckIn:
    """What one check-in did (``changed`` False: they were already checked in)."""

    invitation_id: int
    changed: bool
    checked_in_at: dt.datetime
    before: Attendance
    before_at: dt.datetime | None


def check_in(session: Session, invitation_id: int, at: dt.datetime | None = None) -> CheckIn:
    """Mark someone arrived, now (or ``at``); a second check-in changes nothing.

    Allowed from the roundtable's day on (people arrive before the start).
    """
    at = at or utcnow()
    inv = listed_invitation(session, invitation_id)
    roundtable = session.get(Roundtable, inv.roundtable_id)
    if roundtable is not None and not can_check_in(roundtable, at):
        raise ValidationError(not_open_yet(roundtable), "attendance")
    before, before_at = Attendance(inv.attendance), inv.checked_in_at
    # One statement, so that two doors checking the same person in at once both
    # see them arrived and the first time is kept.
    result = session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation_id,
            (Invitation.attendance != Attendance.ATTENDED.value)
            | Invitation.checked_in_at.is_(None),
        )
        .values(attendance=Attendance.ATTENDED.value, checked_in_at=at)
        .execution_options(synchronize_session=False)
    )
    changed = bool(result.rowcount)  # type: ignore[attr-defined]
    session.expire(inv)
    if changed:
        audit.record(session, "roundtable", inv.roundtable_id, "check-in", "1 person")
        return CheckIn(invitation_id, True, at, before, before_at)
    stored = session.scalar(select(Invitation.checked_in_at).where(Invitation.id == invitation_id))
    return CheckIn(invitation_id, False, stored or at, before, before_at)


def undo_check_in(session: Session, done: CheckIn) -> bool:
    """Take back a check-in, if it changed anything and is still as it left it."""
    if not done.changed:
        return False
    result = session.execute(
        update(Invitation)
        .where(
            Invitation.id == done.invitation_id,
            Invitation.attendance == Attendance.ATTENDED.value,
            Invitation.checked_in_at == done.checked_in_at,
        )
        .values(attendance=done.before.value, checked_in_at=done.before_at)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
