"""The guard for one roundtable: who took part by sector, and the names its notes must not hold."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from typing import Any

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


def took_part_by_roundtable(
    session: Session, roundtable_ids: Collection[int]
) -> dict[int, list[tuple[int | None, str]]]:
    """(table, sector) of each person who took part, for each of many roundtables at once.

    Those recorded as attended; before attendance is recorded, those who accepted
    or said maybe (the people expected).
    """
    rows = session.execute(
        select(
            Invitation.roundtable_id,
            Invitation.table_id,
            Invitation.attendance,
            Invitation.response,
            Sector.name,
        )
        .join(Sector, Sector.id == Invitation.sector_id, isouter=True)
        .where(Invitation.roundtable_id.in_(list(roundtable_ids)))
    ).all()
    by_roundtable: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_roundtable[row.roundtable_id].append(row)
    took_part: dict[int, list[tuple[int | None, str]]] = {}
    for roundtable_id in roundtable_ids:
        invited = by_roundtable.get(roundtable_id, [])
        attended = [r for r in invited if r.attendance == Attendance.ATTENDED.value]
        chosen = attended or [
            r for r in invited if r.response in (Response.ACCEPTED.value, Response.TENTATIVE.value)
        ]
        took_part[roundtable_id] = [(r.table_id, r.name or "No sector") for r in chosen]
    return took_part


def participants_by_sector(
    session: Session, roundtable_id: int, table_id: int | None = None
) -> Counter[str]:
    """How many people of each sector took part (at ``table_id``, or in the whole room).

    Those recorded as attended; before attendance is recorded, those who accepted
    or said maybe (the people expected).
    """
    took_part = took_part_by_roundtable(session, [roundtable_id])[roundtable_id]
    return Counter(sector for table, sector in took_part if table_id is None or table == table_id)


def roundtable_guard(
    session: Session, roundtable_id: int, threshold: int = DEFAULT_THRESHOLD
) -> Guard:
    """The guard over everyone invited to the roundtable, and their organisations."""
    return roundtable_guards(session, [roundtable_id], threshold)[roundtable_id]


def roundtable_guards(
    session: Session, roundtable_ids: Collection[int], threshold: int = DEFAULT_THRESHOLD
) -> dict[int, Guard]:
    """:func:`roundtable_guard` for each of many roundtables, in two queries."""
    took_part = took_part_by_roundtable(session, roundtable_ids)
    rows = session.execute(
        select(Invitation.roundtable_id, Person.full_name, Organisation.name, Sector.name)
        .join(Invitation, Invitation.person_id == Person.id)
        .join(Organisation, Organisation.id == Person.organisation_id, isouter=True)
        .join(Sector, Sector.id == Invitation.sector_id, isouter=True)
        .where(Invitation.roundtable_id.in_(list(roundtable_ids)))
    ).all()
    invited: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        invited[row[0]].append(row[1:])
    guards = {}
    for roundtable_id in roundtable_ids:
        present = Counter(sector for _table, sector in took_part[roundtable_id])
        people = []
        for name, organisation, sector in invited.get(roundtable_id, []):
            sayable = (
                sector
                if sector
                and present.get(sector, 0) >= threshold
                and not reveals_lived_experience(sector)
                else None
            )
            people.append(GuardPerson(name, organisation or "", sayable))
        guards[roundtable_id] = Guard(people)
    return guards


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
