"""The guard for one roundtable: who took part by sector, and the names its notes must not hold."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from roundtable_app.core.discussion import Guard, GuardPerson, Mention, could_name, name_words
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


class _Invited(NamedTuple):
    roundtable_id: int
    table_id: int | None
    attendance: str | None
    response: str | None
    sector: str | None
    full_name: str
    organisation: str | None
    display_name: str | None = None


def names_of(row: Any) -> tuple[str, ...]:
    """Every name a note could use for an invitee: full name and chosen display name."""
    display = row.display_name
    return (row.full_name, display) if display and display != row.full_name else (row.full_name,)


def _invitations(session: Session, roundtable_ids: Collection[int]) -> list[_Invited]:
    """Every invitation of these roundtables: who, from where, and whether they came.

    As plain tuples: a row's attributes by name cost a microsecond each.
    """
    return [
        _Invited(*row)
        for row in session.connection().execute(
            select(
                Invitation.roundtable_id,
                Invitation.table_id,
                Invitation.attendance,
                Invitation.response,
                Sector.name.label("sector"),
                Person.full_name,
                Organisation.name.label("organisation"),
                Person.display_name,
            )
            .join(Person, Person.id == Invitation.person_id)
            .join(Organisation, Organisation.id == Person.organisation_id, isouter=True)
            .join(Sector, Sector.id == Invitation.sector_id, isouter=True)
            .where(Invitation.roundtable_id.in_(list(roundtable_ids)))
        )
    ]


def _by_roundtable(rows: list[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.roundtable_id].append(row)
    return grouped


def _took_part(invited: list[Any]) -> list[tuple[int | None, str]]:
    attended = [r for r in invited if r.attendance == Attendance.ATTENDED.value]
    chosen = attended or [
        r for r in invited if r.response in (Response.ACCEPTED.value, Response.TENTATIVE.value)
    ]
    return [(r.table_id, r.sector or "No sector") for r in chosen]


def took_part_by_roundtable(
    session: Session, roundtable_ids: Collection[int]
) -> dict[int, list[tuple[int | None, str]]]:
    """(table, sector) of each person who took part, for each of many roundtables at once.

    Those recorded as attended; before attendance is recorded, those who accepted
    or said maybe (the people expected).
    """
    invited = _by_roundtable(_invitations(session, roundtable_ids))
    return {rid: _took_part(invited.get(rid, [])) for rid in roundtable_ids}


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
    """:func:`roundtable_guard` for each of many roundtables, in one query."""
    return guards_and_took_part(session, roundtable_ids, threshold)[0]


def invited_by_roundtable(
    session: Session, roundtable_ids: Collection[int]
) -> dict[int, list[Any]]:
    """Each roundtable's invitations (who, from where, whether they came), in one query;
    :func:`took_part_from` and :func:`guard_from` work on them."""
    return _by_roundtable(_invitations(session, roundtable_ids))


def took_part_from(invited: list[Any]) -> list[tuple[int | None, str]]:
    """(table, sector) of each who took part, of one roundtable's :func:`invited_by_roundtable`."""
    return _took_part(invited)


def guard_from(
    invited: list[Any],
    took_part: list[tuple[int | None, str]],
    threshold: int = DEFAULT_THRESHOLD,
) -> Guard:
    """The guard of one roundtable from its :func:`invited_by_roundtable` and who took part."""
    present = Counter(sector for _table, sector in took_part)
    return Guard(
        [
            GuardPerson(
                name,
                row.organisation or "",
                row.sector
                if row.sector
                and present.get(row.sector, 0) >= threshold
                and not reveals_lived_experience(row.sector)
                else None,
            )
            for row in invited
            for name in names_of(row)
        ]
    )


def guards_and_took_part(
    session: Session,
    roundtable_ids: Collection[int],
    threshold: int = DEFAULT_THRESHOLD,
    words: Mapping[int, AbstractSet[str]] | None = None,
) -> tuple[dict[int, Guard], dict[int, list[tuple[int | None, str]]]]:
    """Each roundtable's guard, and who took part there (as :func:`took_part_by_roundtable`).

    Given ``words`` (each roundtable's texts' folded words, see ``words_of``), a
    guard leaves out the people those texts cannot name: quick to build for the
    500 roundtables of a register, and just as safe over those texts.
    """
    invited = _by_roundtable(_invitations(session, roundtable_ids))
    ways: dict[tuple[str, str], Any] = {}  # people are invited again and again
    guards, took_part = {}, {}
    for roundtable_id in roundtable_ids:
        rows = invited.get(roundtable_id, [])
        took_part[roundtable_id] = _took_part(rows)
        present = Counter(sector for _table, sector in took_part[roundtable_id])
        among = words.get(roundtable_id, set()) if words is not None else None
        people = []
        for row in rows:
            organisation = row.organisation or ""
            sector = row.sector
            sayable = (
                sector
                if sector
                and present.get(sector, 0) >= threshold
                and not reveals_lived_experience(sector)
                else None
            )
            for name in names_of(row):
                if among is not None:
                    key = (name, organisation)
                    if key not in ways:
                        ways[key] = name_words(GuardPerson(name, organisation))
                    if not could_name(ways[key], among):
                        continue
                people.append(GuardPerson(name, organisation, sayable))
        guards[roundtable_id] = Guard(people)
    return guards, took_part


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
