"""Small read-only helpers for the calendar view and the replies import in the GUI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from roundtable_app.core.model import Response
from roundtable_app.storage.models import Invitation, Roundtable

CHUNK = 500


@dataclass(frozen=True, slots=True)
class ReplyState:
    """An invitation's response as a reply left it (what redo of an import puts back)."""

    response: Response
    sequence: int | None
    stamp: dt.datetime | None


def reply_states(session: Session, invitation_ids: Collection[int]) -> dict[int, ReplyState]:
    """The current response, reply SEQUENCE and DTSTAMP of some invitations."""
    ids = sorted(set(invitation_ids))
    states: dict[int, ReplyState] = {}
    for start in range(0, len(ids), CHUNK):
        query = select(
            Invitation.id, Invitation.response, Invitation.reply_sequence, Invitation.reply_stamp
        ).where(Invitation.id.in_(ids[start : start + CHUNK]))
        for inv_id, response, sequence, stamp in session.execute(query):
            states[inv_id] = ReplyState(Response(response), sequence, stamp)
    return states


def sent_invitations(session: Session, roundtable_id: int) -> int:
    """How many invitees (not withdrawn) were sent an invitation to this roundtable."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Invitation)
            .where(
                Invitation.roundtable_id == roundtable_id,
                Invitation.sent_sequence.is_not(None),
                Invitation.withdrawn_at.is_(None),
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
                Invitation.withdrawn_at.is_(None),
                Invitation.sent_sequence.is_not(None),
                or_(Invitation.sent_method.is_(None), Invitation.sent_method != "cancel"),
                Invitation.sent_sequence < sequence.scalar_subquery(),
            )
        )
        or 0
    )
