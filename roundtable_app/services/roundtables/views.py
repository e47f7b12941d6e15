"""Small read-only look-ups for the Roundtables screens (no writes, no commits)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roundtable_app.services.roundtables.counts import on_the_list
from roundtable_app.storage.models import DiscussionTable, Invitation, Person, Roundtable


@dataclass(frozen=True, slots=True)
class PersonChoice:
    """A person as a picker offers them: id, name and e-mail address."""

    id: int
    name: str
    email: str

    @property
    def label(self) -> str:
        """ "Name <email>", or the name alone."""
        return f"{self.name} <{self.email}>" if self.email else self.name


def person_choices(session: Session) -> list[PersonChoice]:
    """Everyone in the directory, by name: one light query, fast at 100,000 people."""
    rows = session.execute(
        select(Person.id, Person.full_name, Person.email).order_by(
            func.lower(Person.full_name), Person.id
        )
    )
    return [PersonChoice(int(pid), name, email or "") for pid, name, email in rows]


def invited_person_ids(session: Session, roundtable_id: int) -> set[int]:
    """People on the roundtable's list (not withdrawn)."""
    return {
        pid
        for pid in session.scalars(
            select(Invitation.person_id).where(
                Invitation.roundtable_id == roundtable_id,
                on_the_list(),
                Invitation.person_id.is_not(None),
            )
        )
        if pid is not None
    }


def invitee_zones(session: Session, roundtable_id: int) -> dict[str, int]:
    """How many invitees (not withdrawn) have each known personal time zone."""
    rows = session.execute(
        select(Person.time_zone, func.count())
        .join(Invitation, Invitation.person_id == Person.id)
        .where(
            Invitation.roundtable_id == roundtable_id,
            on_the_list(),
            Person.time_zone.is_not(None),
            Person.time_zone != "",
        )
        .group_by(Person.time_zone)
    )
    return {str(zone): int(n) for zone, n in rows}


def series_names(session: Session) -> list[str]:
    """Every series name, alphabetically (for the editor's series box)."""
    from roundtable_app.storage.models import Series

    return list(session.scalars(select(Series.name).order_by(func.lower(Series.name))))


@dataclass(frozen=True, slots=True)
class SavedPlanChoice:
    """A roundtable whose invitees are seated at tables: a plan to invite people from."""

    roundtable_id: int
    title: str
    starts_at: dt.datetime | None
    tables: int
    seated: int


def saved_plans(session: Session, *, exclude: int | None = None) -> list[SavedPlanChoice]:
    """Roundtables with a saved grouping plan (people seated at tables), newest first."""
    query = (
        select(
            Roundtable.id,
            Roundtable.title,
            Roundtable.starts_at,
            func.count(func.distinct(Invitation.table_id)),
            func.count(Invitation.id),
        )
        .join(Invitation, Invitation.roundtable_id == Roundtable.id)
        .where(Invitation.table_id.is_not(None), Invitation.person_id.is_not(None))
        .group_by(Roundtable.id, Roundtable.title, Roundtable.starts_at)
        .order_by(Roundtable.starts_at.desc().nulls_last(), Roundtable.id.desc())
    )
    if exclude is not None:
        query = query.where(Roundtable.id != exclude)
    return [
        SavedPlanChoice(int(rid), title, starts, int(tables), int(seated))
        for rid, title, starts, tables, seated in session.execute(query)
    ]


def seated_people(session: Session, roundtable_id: int) -> list[tuple[int, int]]:
    """(table number, person id) for everyone seated at the roundtable's tables."""
    query = (
        select(DiscussionTable.number, Invitation.person_id)
        .join(Invitation, Invitation.table_id == DiscussionTable.id)
        .where(
            DiscussionTable.roundtable_id == roundtable_id,
            Invitation.roundtable_id == roundtable_id,
            Invitation.person_id.is_not(None),
        )
        .order_by(DiscussionTable.number, Invitation.person_id)
    )
    return [(int(n), int(pid)) for n, pid in session.execute(query) if pid is not None]
