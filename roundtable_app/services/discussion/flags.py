"""The guard for one roundtable: who took part by sector, and the names its notes must not hold."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from roundtable_app.core.discussion import Guard, GuardPerson, Mention
from roundtable_app.core.discussion.attribution import DEFAULT_THRESHOLD
from roundtable_app.core.model import Attendance, Response
from roundtable_app.core.privacy import reveals_lived_experience
from roundtable_app.storage.models import (
    DiscussionNote,
    Invitation,
    Organisation,
    Person,
    Sector,
)


def participants_by_sector(
    session: Session, roundtable_id: int, table_id: int | None = None
) -> Counter[str]:
    """How many people of each sector took part (at ``table_id``, or in the whole room).

    Those recorded as attended; before attendance is recorded, those who accepted
    or said maybe (the people expected).
    """
    rows = session.execute(
        select(Invitation.table_id, Invitation.attendance, Invitation.response, Sector.name)
        .join(Sector, Sector.id == Invitation.sector_id, isouter=True)
        .where(Invitation.roundtable_id == roundtable_id)
    ).all()
    attended = [r for r in rows if r.attendance == Attendance.ATTENDED.value]
    took_part = attended or [
        r for r in rows if r.response in (Response.ACCEPTED.value, Response.TENTATIVE.value)
    ]
    return Counter(
        r.name or "No sector" for r in took_part if table_id is None or r.table_id == table_id
    )


def roundtable_guard(
    session: Session, roundtable_id: int, threshold: int = DEFAULT_THRESHOLD
) -> Guard:
    """The guard over everyone invited to the roundtable, and their organisations."""
    present = participants_by_sector(session, roundtable_id)
    rows = session.execute(
        select(Person.full_name, Organisation.name, Sector.name)
        .join(Invitation, Invitation.person_id == Person.id)
        .join(Organisation, Organisation.id == Person.organisation_id, isouter=True)
        .join(Sector, Sector.id == Invitation.sector_id, isouter=True)
        .where(Invitation.roundtable_id == roundtable_id)
    ).all()
    people = []
    for name, organisation, sector in rows:
        sayable = (
            sector
            if sector
            and present.get(sector, 0) >= threshold
            and not reveals_lived_experience(sector)
            else None
        )
        people.append(GuardPerson(name, organisation or "", sayable))
    return Guard(people)


def note_flags(
    session: Session, roundtable_id: int, guard: Guard | None = None
) -> dict[int, list[Mention]]:
    """The unacknowledged mentions in each note of a roundtable that has any."""
    guard = guard or roundtable_guard(session, roundtable_id)
    flags: dict[int, list[Mention]] = {}
    if not guard:
        return flags
    for note_id, text, acknowledged in session.execute(
        select(DiscussionNote.id, DiscussionNote.text, DiscussionNote.acknowledged).where(
            DiscussionNote.roundtable_id == roundtable_id
        )
    ):
        found = guard.mentions(text, frozenset(filter(None, acknowledged.split("\n"))))
        if found:
            flags[note_id] = found
    return flags
