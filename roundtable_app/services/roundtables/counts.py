"""Who counts as invited: one definition, and the counts the screens show from it.

The Roundtables list ("invited / accepted"), the invitee panel's headline, the
editor's clash check and the CLI all count with :func:`on_the_list`, so no two
screens disagree about how many people were invited.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from roundtable_app.core.model import Response
from roundtable_app.storage.models import Invitation

CHUNK = 500  # ids per IN (...)


def on_the_list() -> ColumnElement[bool]:
    """THE definition of "invited": an invitation that was not withdrawn.

    Someone who declined was invited all the same (and is counted as such);
    lists, panels and counts all use this one condition.
    """
    return Invitation.withdrawn_at.is_(None)


@dataclass(frozen=True, slots=True)
class InviteCounts:
    """How many are invited to one roundtable, and how many replied yes or no."""

    invited: int = 0
    accepted: int = 0
    declined: int = 0

    @property
    def expected(self) -> int:
        """Invited and not declined: the people the table is planned for."""
        return self.invited - self.declined


def invite_counts(
    session: Session, roundtable_ids: Collection[int] | None = None
) -> dict[int, InviteCounts]:
    """Invited (see :func:`on_the_list`), accepted and declined, per roundtable id.

    Roundtables with no one invited are absent (read them as ``InviteCounts()``).
    """
    accepted = func.sum(case((Invitation.response == Response.ACCEPTED.value, 1), else_=0))
    declined = func.sum(case((Invitation.response == Response.DECLINED.value, 1), else_=0))
    query = (
        select(Invitation.roundtable_id, func.count(), accepted, declined)
        .where(on_the_list())
        .group_by(Invitation.roundtable_id)
    )
    counts: dict[int, InviteCounts] = {}
    ids = list(roundtable_ids) if roundtable_ids is not None else None
    chunks = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)] if ids is not None else [None]
    for chunk in chunks:
        part = query if chunk is None else query.where(Invitation.roundtable_id.in_(chunk))
        for rid, n, yes, no in session.execute(part):
            counts[int(rid)] = InviteCounts(int(n), int(yes or 0), int(no or 0))
    return counts
