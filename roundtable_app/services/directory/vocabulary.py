"""Sectors, organisations and themes: listing them and finding-or-creating by name.

Names are matched case-insensitively and kept in the spelling first used, so
"forced labour" typed in a dialog joins the existing "Forced labour" theme.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.validation import clean_name
from roundtable_app.storage.models import Organisation, Sector, Theme, person_theme

MAX_NAME = 200
CHUNK = 500  # ids per IN (...) clause


def _checked(kind: str, name: str) -> str:
    cleaned = clean_name(name)
    if not cleaned:
        raise ValidationError(f"A {kind} needs a name.")
    if len(cleaned) > MAX_NAME:
        raise ValidationError(
            f"The {kind} name '{cleaned[:40]}…' is longer than {MAX_NAME} characters; shorten it."
        )
    return cleaned


def theme_names(session: Session) -> list[str]:
    return list(session.scalars(select(Theme.name).order_by(func.lower(Theme.name))))


def sector_names(session: Session) -> list[str]:
    return list(session.scalars(select(Sector.name).order_by(Sector.sort_order, Sector.name)))


def organisation_names(session: Session) -> list[str]:
    return list(session.scalars(select(Organisation.name).order_by(func.lower(Organisation.name))))


def theme(session: Session, name: str) -> Theme:
    """The theme called ``name`` (any case), created if it does not exist yet."""
    cleaned = _checked("theme", name)
    found = session.scalar(select(Theme).where(func.lower(Theme.name) == cleaned.lower()))
    if found is None:
        found = Theme(name=cleaned)
        session.add(found)
        session.flush()
    return found


def sector(session: Session, name: str) -> Sector:
    cleaned = _checked("sector", name)
    found = session.scalar(select(Sector).where(func.lower(Sector.name) == cleaned.lower()))
    if found is None:
        last = session.scalar(select(func.max(Sector.sort_order))) or 0
        found = Sector(name=cleaned, sort_order=last + 1)
        session.add(found)
        session.flush()
    return found


def organisation(session: Session, name: str, sector_id: int | None = None) -> Organisation:
    cleaned = _checked("organisation", name)
    found = session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == cleaned.lower())
    )
    if found is None:
        found = Organisation(name=cleaned, sector_id=sector_id)
        session.add(found)
        session.flush()
    return found


def theme_names_of(session: Session, person_ids: Sequence[int]) -> list[str]:
    """The interests that at least one of ``person_ids`` has, by name."""
    found: set[str] = set()
    for start in range(0, len(person_ids), CHUNK):
        chunk = person_ids[start : start + CHUNK]
        found.update(
            session.scalars(
                select(Theme.name)
                .join(person_theme, person_theme.c.theme_id == Theme.id)
                .where(person_theme.c.person_id.in_(chunk))
                .distinct()
            )
        )
    return sorted(found, key=str.lower)
