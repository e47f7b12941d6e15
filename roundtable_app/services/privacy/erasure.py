"""Erasure (the right to be forgotten): a person gone from the directory and from the files.

What goes: the person's record, interests and seating rules, and their name
wherever a discussion note (or a final summary's kept revision) mentions it,
replaced as the Chatham House guard would ("a participant"). What stays, without
anything that points to them: their invitations (sector and lived-experience
snapshot, response and attendance), so that the statistics still add up, and
the audit entries about "person #N", which never held values.

:func:`erase_person` works in the caller's transaction and cannot be undone.
Once it is committed, :func:`clean_up` rewrites the database files so that
the erased bytes are gone from them too (storage/scrub.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from roundtable_app.core.discussion import Guard, GuardPerson, redact
from roundtable_app.core.errors import ConflictError, NotFoundError
from roundtable_app.services import audit
from roundtable_app.storage.models import (
    DiscussionNote,
    Invitation,
    Person,
    Roundtable,
    SeatingRule,
    SummaryRevision,
    person_theme,
)
from roundtable_app.storage.scrub import scrub
from roundtable_app.storage.unit_of_work import Database

#: The tables whose files may hold an erased person's bytes.
PERSONAL_TABLES = (
    "person",
    "person_theme",
    "invitation",
    "seating_rule",
    "discussion_note",
    "summary_revision",
    "roundtable",
    "audit_entry",
)


@dataclass(frozen=True, slots=True)
class ErasurePreview:
    """What erasing a person removes and what stays, for the confirmation."""

    person_id: int
    name: str
    email: str
    invitations: int
    seating_rules: int
    chaired: int
    mentions: int

    def stays(self) -> str:
        return (
            f"{self.invitations} invitation{'s stay' if self.invitations != 1 else ' stays'} "
            "in the statistics without their name (sector, lived-experience status and "
            "attendance only)"
            if self.invitations
            else "Nothing of theirs stays: they were never invited"
        )


def person_model(session: Session, person_id: int) -> Person:
    """The stored person, or NotFoundError that says they are gone."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(
            f"Person #{person_id} is no longer in the directory (already erased or deleted)."
        )
    return person


def _guard(person: Person) -> Guard:
    """Every name a note could give them by: the full name and any chosen display name."""
    names = dict.fromkeys(n for n in (person.full_name, person.display_name) if n)
    return Guard([GuardPerson(name, "") for name in names])


def _noted(session: Session, person: Person) -> list[DiscussionNote]:
    """The notes of the roundtables they were invited to that mention their name."""
    roundtables = select(Invitation.roundtable_id).where(Invitation.person_id == person.id)
    guard = _guard(person)
    return [
        note
        for note in session.scalars(
            select(DiscussionNote).where(DiscussionNote.roundtable_id.in_(roundtables))
        )
        if guard.mentions(note.text)
    ]


def erasure_preview(session: Session, person_id: int) -> ErasurePreview:
    """What :func:`erase_person` would do to ``person_id``."""
    person = person_model(session, person_id)
    count = session.scalar(
        select(func.count()).select_from(Invitation).where(Invitation.person_id == person_id)
    )
    rules = session.scalar(
        select(func.count())
        .select_from(SeatingRule)
        .where(or_(SeatingRule.person_a_id == person_id, SeatingRule.person_b_id == person_id))
    )
    chaired = session.scalar(
        select(func.count()).select_from(Roundtable).where(Roundtable.chair_id == person_id)
    )
    return ErasurePreview(
        person_id,
        person.full_name,
        person.email or "",
        count or 0,
        rules or 0,
        chaired or 0,
        len(_noted(session, person)),
    )


def erase_person(session: Session, person_id: int, expected_version: int | None = None) -> int:
    """Erase ``person_id`` (see the module); returns the number of invitations kept.

    ``expected_version`` is the version of the record the user saw: a colleague's
    edit meanwhile refuses the erasure (ConflictError), as any edit would.
    """
    person = person_model(session, person_id)
    if expected_version is not None and person.version != expected_version:
        raise ConflictError(
            "Someone else changed this person meanwhile; look at their record again "
            "before erasing it.",
            cli=f"Person #{person_id} was changed by someone else meanwhile; nothing was erased.",
        )
    guard = _guard(person)
    invited = list(
        session.scalars(select(Invitation.roundtable_id).where(Invitation.person_id == person_id))
    )
    for note in _noted(session, person):
        note.text = redact(guard, note.text)
    # A final summary's kept revisions hold the notes' words too.
    for revision in session.scalars(
        select(SummaryRevision).where(SummaryRevision.roundtable_id.in_(invited))
    ):
        content = json.loads(revision.content)
        changed = False
        for item in content:
            if guard.mentions(item.get("text", "")):
                item["text"] = redact(guard, item["text"])
                changed = True
        if changed:
            revision.content = json.dumps(content, ensure_ascii=False)
    session.execute(
        update(Invitation).where(Invitation.person_id == person_id).values(person_id=None)
    )
    session.execute(
        update(Roundtable).where(Roundtable.chair_id == person_id).values(chair_id=None)
    )
    session.execute(
        delete(SeatingRule).where(
            or_(SeatingRule.person_a_id == person_id, SeatingRule.person_b_id == person_id)
        )
    )
    session.execute(delete(person_theme).where(person_theme.c.person_id == person_id))
    session.delete(person)
    session.flush()
    audit.record(session, "person", person_id, "erased")
    return len(invited)


def clean_up(db: Database) -> None:
    """After an erasure is committed: rewrite the files that held the erased bytes.

    Raises :class:`~roundtable_app.storage.scrub.ScrubError` (a RoundtableError
    that says what to do) when another program holds the database.
    """
    scrub(db.engine, PERSONAL_TABLES)


def record_sensitive_shown(session: Session, where: str) -> None:
    """Audit that staff chose to see lived experience and access needs (``where``)."""
    audit.record(session, "session", None, "sensitive details shown", where)
