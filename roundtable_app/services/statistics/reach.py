"""Who is in the network and who has drifted out of it: the people behind the reach figures.

For staff on screen only: the exports and the report print counts, never these
names (PRODUCT.md: no output names a person who has not consented, and a
sector such as "Lived experience" beside a name would say what it must not).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from roundtable_app.storage.base import utcnow
from roundtable_app.storage.models import (
    Invitation,
    Organisation,
    Person,
    Roundtable,
    Sector,
    Theme,
    person_theme,
)

IN_CHUNK = 500  # ids per IN (...): well under SQLite's parameter limit
DRIFT_MONTHS = 12


@dataclass(frozen=True, slots=True)
class PersonBrief:
    """A person as the reach lists show them."""

    id: int
    name: str
    organisation: str
    sector: str
    email: str


@dataclass(frozen=True, slots=True)
class DriftedPerson:
    """Someone in the directory not invited to anything for a while."""

    person: PersonBrief
    last_invited: dt.datetime | None  # the last roundtable they were on the list of
    invitations: int


def _brief_columns() -> tuple[object, ...]:
    return (Person.id, Person.full_name, Organisation.name, Sector.name, Person.email)


def _brief(row: Sequence[object]) -> PersonBrief:
    pid, name, org, sector, email = row
    return PersonBrief(int(pid), str(name), str(org or ""), str(sector or ""), str(email or ""))  # type: ignore[call-overload]


def people_briefs(session: Session, ids: Iterable[int]) -> dict[int, PersonBrief]:
    """Name, organisation and sector of each person in ``ids`` (the erased are left out)."""
    wanted = sorted(set(ids))
    found: dict[int, PersonBrief] = {}
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start : start + IN_CHUNK]
        query = (
            select(*_brief_columns())  # type: ignore[call-overload]
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .outerjoin(Sector, Sector.id == Person.sector_id)
            .where(Person.id.in_(chunk))
        )
        for row in session.execute(query):
            brief = _brief(row)
            found[brief.id] = brief
    return found


def interests(session: Session) -> list[str]:
    """Every interest that someone in the directory has, alphabetically (for the filter)."""
    query = (
        select(Theme.name)
        .where(exists().where(person_theme.c.theme_id == Theme.id))
        .order_by(func.lower(Theme.name))
    )
    return list(session.scalars(query))


def drifted(
    session: Session,
    *,
    interest: str | None = None,
    months: int = DRIFT_MONTHS,
    never_invited: bool = False,
    now: dt.datetime | None = None,
) -> list[DriftedPerson]:
    """People who may be contacted and were not on any roundtable's list for ``months`` months.

    Their last invitation is the latest roundtable they were on the list of
    (withdrawn invitations do not count; walk-ins do). ``interest`` keeps only
    people with that interest; ``never_invited`` adds those never invited at
    all. Longest drifted first.
    """
    cutoff = (now or utcnow()) - dt.timedelta(days=round(months * 365.25 / 12))
    last = (
        select(
            Invitation.person_id.label("person_id"),
            func.max(Roundtable.starts_at).label("last"),
            func.count().label("times"),
        )
        .join(Roundtable, Roundtable.id == Invitation.roundtable_id)
        .where(Invitation.person_id.is_not(None), Invitation.withdrawn_at.is_(None))
        .group_by(Invitation.person_id)
        .subquery()
    )
    query = (
        select(*_brief_columns(), last.c.last, last.c.times)  # type: ignore[call-overload]
        .outerjoin(last, last.c.person_id == Person.id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(Sector, Sector.id == Person.sector_id)
        .where(Person.may_contact.is_(True))
    )
    if never_invited:
        query = query.where((last.c.last < cutoff) | last.c.person_id.is_(None))
    else:
        query = query.where(last.c.last < cutoff)
    if interest:
        query = query.where(
            exists().where(
                person_theme.c.person_id == Person.id,
                person_theme.c.theme_id == Theme.id,
                func.lower(Theme.name) == interest.casefold(),
            )
        )
    query = query.order_by(last.c.last.is_not(None), last.c.last, func.lower(Person.full_name))
    return [
        DriftedPerson(_brief(row[:5]), row[5], int(row[6] or 0)) for row in session.execute(query)
    ]
