"""Walk-ins: finding the person who came in the directory, or adding them in a few keystrokes.

:func:`~roundtable_app.services.attendance.edits.add_walk_in` puts a person
already in the directory on the list; here are the search that finds them
(by name, e-mail or organisation, any case) and the walk-in who is new to the
directory too, created through the directory's own rules (a valid, unused
e-mail address) and taken off again, person and all, by undo.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from roundtable_app.core.errors import NotFoundError, ValidationError
from roundtable_app.core.model import PersonData
from roundtable_app.services import directory
from roundtable_app.services.attendance.edits import (
    AttendanceChange,
    WalkIn,
    add_walk_in,
    remove_walk_in,
)
from roundtable_app.storage.models import Invitation, Organisation, Person, Roundtable

LIKE_ESCAPE = "\\"


def _like_escaped(text: str) -> str:
    """``text`` with LIKE's wildcards taken literally."""
    return (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person in the directory who may be the one who walked in."""

    person_id: int
    name: str
    email: str
    organisation: str
    #: Already on the roundtable's list: picking them marks them attended.
    on_list: bool


def walk_in_candidates(
    session: Session, roundtable_id: int, text: str, *, limit: int = 50
) -> list[Candidate]:
    """People whose name, e-mail or organisation contains ``text`` (any case), best first.

    Names that begin with the text, or have a word that does, come first; then
    the others, by name. An empty text finds nobody: the directory may hold
    100,000 people.
    """
    words = " ".join(text.split()).lower()
    if not words:
        return []
    pattern = f"%{_like_escaped(words)}%"
    name = func.lower(Person.full_name)
    starts = or_(
        name.like(f"{_like_escaped(words)}%", escape=LIKE_ESCAPE),
        name.like(f"% {_like_escaped(words)}%", escape=LIKE_ESCAPE),
    )
    listed = (
        select(Invitation.id)
        .where(
            Invitation.roundtable_id == roundtable_id,
            Invitation.person_id == Person.id,
            Invitation.withdrawn_at.is_(None),
        )
        .exists()
    )
    query = (
        select(Person.id, Person.full_name, Person.email, Organisation.name, listed)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(
            or_(
                name.like(pattern, escape=LIKE_ESCAPE),
                func.lower(func.coalesce(Person.email, "")).like(pattern, escape=LIKE_ESCAPE),
                func.lower(func.coalesce(Organisation.name, "")).like(pattern, escape=LIKE_ESCAPE),
            )
        )
        .order_by(case((starts, 0), else_=1), name, Person.id)
        .limit(limit)
    )
    return [
        Candidate(pid, full_name, email or "", organisation or "", bool(on_list))
        for pid, full_name, email, organisation, on_list in session.execute(query)
    ]


@dataclass(frozen=True, slots=True)
class NewWalkIn:
    """A walk-in who was new to the directory: undo takes off the person too."""

    walk_in: WalkIn
    #: The person's version when created: undo keeps them in the directory if edited since.
    created_version: int
    #: After undo, what brings the person back (None: they stayed in the directory).
    person: directory.DeletedPerson | None = None


def add_new_walk_in(
    session: Session,
    roundtable_id: int,
    data: PersonData,
    *,
    table: int | None = None,
) -> NewWalkIn:
    """Create the person (name, and an e-mail and organisation if given) and add them as a walk-in.

    The directory's rules apply: a name is needed, and an e-mail address
    another person has is refused (pick that person instead).
    """
    roundtable = session.get(Roundtable, roundtable_id)
    if roundtable is None:
        raise NotFoundError(f"There is no roundtable {roundtable_id}; it may have been deleted.")
    person = directory.create_person(session, data)
    done = add_walk_in(session, roundtable_id, person.id, table=table)
    assert isinstance(done, WalkIn)  # a new person cannot be on the list already
    return NewWalkIn(done, person.version)


def remove_new_walk_in(session: Session, added: NewWalkIn) -> NewWalkIn:
    """Undo :func:`add_new_walk_in`: off the list, and out of the directory again.

    The person stays in the directory when they have been invited anywhere
    else since, or edited: then only the walk-in is undone. The result is what
    :func:`redo_new_walk_in` needs.
    """
    walk_in = added.walk_in
    remove_walk_in(session, walk_in.invitation_id)
    if not untouched_since_created(session, walk_in.person_id, added.created_version):
        return NewWalkIn(walk_in, added.created_version)
    deleted = directory.delete_people(session, [walk_in.person_id])
    return NewWalkIn(walk_in, added.created_version, deleted[0])


def untouched_since_created(session: Session, person_id: int, created_version: int) -> bool:
    """Whether undoing a new walk-in may take the person out of the directory again.

    Not when anyone has edited them since (their version moved on) or they are
    on any roundtable's list (the walk-in's own place already taken off): the
    one rule for the attendance window and the check-in screen.
    """
    elsewhere = session.scalar(
        select(func.count()).select_from(Invitation).where(Invitation.person_id == person_id)
    )
    person = session.get(Person, person_id)
    return person is not None and not elsewhere and person.version == created_version


def redo_new_walk_in(
    session: Session, roundtable_id: int, removed: NewWalkIn, *, table: int | None = None
) -> NewWalkIn:
    """Redo :func:`add_new_walk_in` after :func:`remove_new_walk_in`: the same person again."""
    version = removed.created_version
    if removed.person is not None:
        version = directory.restore_people(session, [removed.person])[0].version
    done = add_walk_in(session, roundtable_id, removed.walk_in.person_id, table=table)
    if not isinstance(done, WalkIn):
        raise ValidationError(
            f"{removed.walk_in.name} is on the list again already (added meanwhile?); "
            "nothing to redo."
        )
    return NewWalkIn(done, version)


def add_walk_in_by_email(
    session: Session,
    roundtable_id: int,
    email: str,
    name: str | None = None,
    *,
    table: int | None = None,
) -> WalkIn | AttendanceChange | NewWalkIn:
    """A walk-in known by their address (the command line's ``--walk-in``).

    Someone in the directory is added (or, already on the list, marked
    attended); a new address needs ``name`` and creates the person.
    """
    found = directory.find_by_email(session, email)
    if found is not None:
        return add_walk_in(session, roundtable_id, found[0], table=table)
    if not (name or "").strip():
        raise ValidationError(
            f"Nobody in the directory has the address {email}; "
            "give their name too to add them as a new person.",
            "full_name",
            cli=f"nobody in the directory has the address {email}; "
            "add --name NAME to add them as a new person",
        )
    return add_new_walk_in(
        session, roundtable_id, PersonData(full_name=name or "", email=email), table=table
    )
