"""Small read-only counts for the calendar view: invitations sent, and updates waiting."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from roundtable_app.services.roundtables.counts import on_the_list
from roundtable_app.storage.models import Invitation, Roundtable

CHUNK = 500


def sent_invitations(session: Session, roundtable_id: int) -> int:
    """How many invitees (not withdrawn) were sent an invitation to this roundtable."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Invitation)
            .where(
                Invitation.roundtable_id == roundtable_id,
                Invitation.sent_sequence.is_not(None),
                on_the_list(),
            )
        )
        or 0
    )


def needing_update(session: Session, roundtable_id: int) -> int:
    """Invitees (not withdrawn) who were sent an older version than the current one."""
    sequence = select(Roundtable.ical_sequence).where(Roundtable.id == roundtable_id)
    return (
        session.scalar(
            select(func.count())
            .select_from(Invitation)
            .where(
                Invitation.roundtable_id == roundtable_id,
                on_the_list(),
                Invitation.sent_sequence.is_not(None),
                or_(Invitation.sent_method.is_(None), Invitation.sent_method != "cancel"),
                Invitation.sent_sequence < sequence.scalar_subquery(),
            )
        )
        or 0
    )
