"""The people directory: reading it fast, and every edit a user can undo.

Each mutation takes the caller's session (it never commits) and returns what
the caller needs to undo it: a created id, a snapshot of what was deleted, or
the previous values of a bulk change. Saves carry the version the user saw;
a save over someone else's newer change raises :class:`ConflictError`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from roundtable_app.core.errors import (
    ConflictError,
    DuplicateEmailError,
    NotFoundError,
    ValidationError,
)
from roundtable_app.core.model import Attendance, ConsentMethod, Person, PersonData, PersonRow
from roundtable_app.core.time_zones import time_zone
from roundtable_app.core.validation import (
    NUL,
    check_texts,
    clean_name,
    email_key,
    email_problem,
    normalise_email,
)
from roundtable_app.services import audit
from roundtable_app.services.directory import vocabulary
from roundtable_app.storage.base import utcnow
from roundtable_app.storage.contention import violates_unique
from roundtable_app.storage.models import (
    Invitation,
    Organisation,
    Roundtable,
    Sector,
    Theme,
    person_theme,
)
from roundtable_app.storage.models import Person as PersonModel

CHUNK = 500  # ids per IN (...) clause: well under SQLite's parameter limit


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


# --- reading -----------------------------------------------------------------


def list_rows(session: Session, *, first: int | None = None) -> list[PersonRow]:
    """Every person as a directory row, in three set-based queries (fast at 100,000).

    With ``first``, only the first ``first`` people by name: enough to fill the
    screen at once while the whole directory loads.
    """
    people = (
        select(
            PersonModel.id,
            PersonModel.full_name,
            Organisation.name,
            Sector.name,
            PersonModel.email,
            PersonModel.lived_experience,
        )
        .outerjoin(Organisation, Organisation.id == PersonModel.organisation_id)
        .outerjoin(Sector, Sector.id == PersonModel.sector_id)
    )
    links = select(person_theme.c.person_id, person_theme.c.theme_id)
    attended = (
        select(Invitation.person_id, func.max(Roundtable.starts_at))
        .join(Roundtable, Roundtable.id == Invitation.roundtable_id)
        .where(Invitation.attendance == Attendance.ATTENDED, Invitation.person_id.is_not(None))
        .group_by(Invitation.person_id)
    )
    if first is not None:
        people = people.order_by(func.lower(PersonModel.full_name), PersonModel.id).limit(first)
    person_rows = session.execute(people).all()
    if first is not None:
        ids = [row[0] for row in person_rows]
        links = links.where(person_theme.c.person_id.in_(ids))
        attended = attended.where(Invitation.person_id.in_(ids))
    theme_names = dict(session.execute(select(Theme.id, Theme.name)).all())
    rank = {tid: i for i, (tid, _) in enumerate(sorted(theme_names.items(), key=_lower_name))}
    by_person: dict[int, list[int]] = defaultdict(list)
    for person_id, theme_id in session.execute(links):
        by_person[person_id].append(theme_id)
    interests = {
        pid: "; ".join(theme_names[t] for t in sorted(tids, key=rank.__getitem__))
        for pid, tids in by_person.items()
    }
    last_attended = dict(session.execute(attended).all())
    get_interests, get_last = interests.get, last_attended.get
    return [
        PersonRow(
            pid,
            name,
            org or "",
            sector or "",
            get_interests(pid, ""),
            email or "",
            bool(lived),
            get_last(pid),
        )
        for pid, name, org, sector, email, lived in person_rows
    ]


def _lower_name(item: tuple[int, str]) -> str:
    return item[1].lower()


def _to_data(model: PersonModel) -> PersonData:
    return PersonData(
        full_name=model.full_name,
        email=model.email,
        organisation=model.organisation.name if model.organisation else None,
        role=model.role,
        sector=model.sector.name if model.sector else None,
        interests=tuple(t.name for t in model.themes),
        lived_experience=model.lived_experience,
        may_contact=model.may_contact,
        may_be_named=model.may_be_named,
        accessibility_needs=model.accessibility_needs,
        dietary_needs=model.dietary_needs,
        notes=model.notes,
        time_zone=model.time_zone,
        display_name=model.display_name,
        contact_via=model.contact_via,
        contact_via_email=model.contact_via_email,
        contact_consent_how=model.contact_consent_how,
        named_consent_how=model.named_consent_how,
        contact_consent_at=model.contact_consent_at,
        named_consent_at=model.named_consent_at,
    )


def _load(session: Session, person_id: int) -> PersonModel:
    model = session.get(PersonModel, person_id)
    if model is None:
        raise NotFoundError(
            f"Person #{person_id} no longer exists; someone may have deleted them. "
            "Refresh the directory (F5)."
        )
    return model


def get_person(session: Session, person_id: int) -> Person:
    model = _load(session, person_id)
    return Person(id=model.id, version=model.version, data=_to_data(model))


def find_by_email(
    session: Session, email: str, exclude_id: int | None = None
) -> tuple[int, str] | None:
    """The (id, name) of the person with this address (any case), if there is one."""
    query = select(PersonModel.id, PersonModel.full_name).where(
        PersonModel.email_key == email_key(email)
    )
    if exclude_id is not None:
        query = query.where(PersonModel.id != exclude_id)
    found = session.execute(query).first()
    return (found[0], found[1]) if found else None


# --- validating and writing ----------------------------------------------------


def _refuse_nul(data: PersonData) -> None:
    check_texts(
        (
            (data.full_name, "the name", "full_name"),
            (data.organisation, "the organisation", "organisation"),
            (data.role, "the role", "role"),
            (data.sector, "the sector", "sector"),
            *((interest, "an interest", "interests") for interest in data.interests),
            (data.accessibility_needs, "the accessibility needs", "accessibility_needs"),
            (data.dietary_needs, "the dietary needs", "dietary_needs"),
            (data.notes, "the notes", "notes"),
            (data.time_zone, "the time zone", "time_zone"),
            (data.display_name, "the display name", "display_name"),
            (data.contact_via, "the support contact", "contact_via"),
        )
    )


#: ``clean_name`` for organisations, roles, sectors and interests, which repeat
#: from row to row of an import: each distinct spelling is cleaned once.
_clean_term = lru_cache(maxsize=4096)(clean_name)


@lru_cache(maxsize=4096)
def _clean_interests(given: tuple[str, ...]) -> tuple[str, ...]:
    """Each interest cleaned, blanks and repeats dropped (the same lists recur in an import)."""
    return tuple(dict.fromkeys(filter(None, map(_clean_term, given))))


def _is_time_zone(name: str) -> bool:
    """Whether ``name`` is a time zone this computer knows (cached in ``core.time_zones``)."""
    return time_zone(name) is not None


def validate(data: PersonData) -> PersonData:
    """Return ``data`` cleaned (spaces, e-mail form) or raise :class:`ValidationError`.

    It runs for each of 100,000 imported rows, so it is written for speed: one
    test for NUL characters before naming the field, each interest cleaned
    once, and ``data`` itself given back when there was nothing to clean.
    """
    full_name, organisation, role, sector = (
        data.full_name,
        data.organisation,
        data.role,
        data.sector,
    )
    given = data.interests
    access, diet, notes, zone = (
        data.accessibility_needs,
        data.dietary_needs,
        data.notes,
        data.time_zone,
    )
    # None reads as "None" here, which holds no NUL either.
    if NUL in (
        f"{full_name}{organisation}{role}{sector}{access}{diet}{notes}{zone}"
        f"{data.display_name}{data.contact_via}"
    ) or (given and NUL in "".join(given)):
        _refuse_nul(data)
    name = clean_name(full_name)
    if not name:
        raise ValidationError("A person needs a name.", field="full_name")
    if len(name) > 200:
        raise ValidationError("The name is longer than 200 characters; shorten it.", "full_name")
    email = normalise_email(data.email)
    problem = email_problem(email) if email is not None else None
    if problem is not None:
        raise ValidationError(
            f"{problem}; write it as name@example.org or leave it empty.", field="email"
        )
    if zone and not _is_time_zone(zone):
        raise ValidationError(
            f"'{zone}' is not a time zone; pick one such as Europe/London.", field="time_zone"
        )
    interests = _clean_interests(tuple(given)) if given else ()  # tuple(): a list may come
    organisation_clean = _clean_term(organisation) or None
    role_clean = _clean_term(role) or None
    sector_clean = _clean_term(sector) or None
    access_clean, diet_clean, notes_clean = access.strip(), diet.strip(), notes.rstrip()
    zone = zone or None
    display, via, via_email = _contact_and_names(data)
    for how in (data.contact_consent_how, data.named_consent_how):
        if how not in _CONSENT_METHODS:
            raise ValidationError(f"'{how}' is not a way of giving consent.", field="consent")
    if (
        name == full_name
        and email == data.email
        and organisation_clean == organisation
        and role_clean == role
        and sector_clean == sector
        and interests == given
        and access_clean == access
        and diet_clean == diet
        and notes_clean == notes
        and zone == data.time_zone
        and display == data.display_name
        and via == data.contact_via
        and via_email == data.contact_via_email
    ):
        return data  # already clean (immutable, so the same object will do)
    return PersonData(
        name,
        email,
        organisation_clean,
        role_clean,
        sector_clean,
        interests,
        data.lived_experience,
        data.may_contact,
        data.may_be_named,
        access_clean,
        diet_clean,
        notes_clean,
        zone,
        display,
        via,
        via_email,
        data.contact_consent_how,
        data.named_consent_how,
        data.contact_consent_at,
        data.named_consent_at,
    )


_CONSENT_TIMES = frozenset({"contact_consent_at", "named_consent_at"})
_CONSENT_METHODS = frozenset(method.value for method in ConsentMethod)


def _contact_and_names(data: PersonData) -> tuple[str | None, str | None, str | None]:
    """The display name, support contact and their address, cleaned, or ValidationError."""
    display = clean_name(data.display_name or "") or None
    if display is not None and len(display) > 200:
        raise ValidationError(
            "The display name is longer than 200 characters; shorten it.", "display_name"
        )
    via = clean_name(data.contact_via or "") or None
    if via is not None and len(via) > 200:
        raise ValidationError(
            "The support contact's name is longer than 200 characters; shorten it.", "contact_via"
        )
    via_email = normalise_email(data.contact_via_email)
    problem = email_problem(via_email) if via_email is not None else None
    if problem is not None:
        raise ValidationError(
            f"The support contact's address: {problem}; write it as name@example.org "
            "or leave it empty.",
            field="contact_via_email",
        )
    return display, via, via_email


def _with_consent_times(
    data: PersonData, before: PersonData | None, now: dt.datetime
) -> PersonData:
    """``data`` with when each consent was given or withdrawn: now, if it changed.

    A consent, or how it was given, that differs from ``before`` (or a new
    person's consent given or its "how" said) is stamped ``now``; otherwise the
    time recorded before stays. The form's own copy of the times is never trusted.
    """
    contact_at = before.contact_consent_at if before else None
    named_at = before.named_consent_at if before else None
    if before is None:
        if data.may_contact or data.contact_consent_how:
            contact_at = now
        if data.may_be_named or data.named_consent_how:
            named_at = now
    else:
        if (data.may_contact, data.contact_consent_how) != (
            before.may_contact,
            before.contact_consent_how,
        ):
            contact_at = now
        if (data.may_be_named, data.named_consent_how) != (
            before.may_be_named,
            before.named_consent_how,
        ):
            named_at = now
    return replace(data, contact_consent_at=contact_at, named_consent_at=named_at)


def _apply(session: Session, model: PersonModel, data: PersonData) -> None:
    # One flush at the end, so a save raises the version exactly once.
    with session.no_autoflush:
        _assign(session, model, data)


def _assign(session: Session, model: PersonModel, data: PersonData) -> None:
    # The vocabulary first: creating a name may flush, and the person's own changes
    # should go in once, at the end.
    sector = vocabulary.sector(session, data.sector) if data.sector else None
    organisation = (
        vocabulary.organisation(session, data.organisation, sector.id if sector else None)
        if data.organisation
        else None
    )
    themes = vocabulary.themes(session, data.interests)
    model.full_name = data.full_name
    model.email = data.email
    model.email_key = email_key(data.email) if data.email else None
    model.sector = sector
    model.organisation = organisation
    model.role = data.role
    model.themes = themes
    model.lived_experience = data.lived_experience
    model.may_contact = data.may_contact
    model.may_be_named = data.may_be_named
    model.accessibility_needs = data.accessibility_needs
    model.dietary_needs = data.dietary_needs
    model.notes = data.notes
    model.time_zone = data.time_zone
    model.display_name = data.display_name
    model.contact_via = data.contact_via
    model.contact_via_email = data.contact_via_email
    model.contact_consent_how = data.contact_consent_how
    model.named_consent_how = data.named_consent_how
    model.contact_consent_at = data.contact_consent_at
    model.named_consent_at = data.named_consent_at
    # Touch the row itself so that a change of interests alone raises the version too.
    model.updated_at = utcnow()


def _check_email_free(session: Session, data: PersonData, person_id: int | None) -> None:
    if data.email:
        clash = find_by_email(session, data.email, exclude_id=person_id)
        if clash:
            raise DuplicateEmailError(data.email, clash[0], clash[1])


@contextmanager
def _saving(session: Session, data: PersonData, person_id: int | None) -> Iterator[None]:
    """Write a person in a savepoint, so that a clash on their address reads as one.

    :func:`_check_email_free` cannot see an address that someone else is
    saving at the same moment; the database's unique index then refuses the
    second save. That refusal becomes the same :class:`DuplicateEmailError`
    (naming who has the address now) as if the first save had come earlier.
    """
    savepoint = session.begin_nested()
    try:
        yield
        session.flush()
    except IntegrityError as exc:
        savepoint.rollback()
        if not (data.email and violates_unique(exc, "person", "email_key")):
            raise
        clash = find_by_email(session, data.email, exclude_id=person_id)
        if clash is None:  # they have already changed or deleted it again
            raise ConflictError(
                f"Someone else saved the e-mail address {data.email} at the same moment; "
                "nothing was changed. Try again."
            ) from None
        raise DuplicateEmailError(data.email, clash[0], clash[1]) from None
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()


def create_person(session: Session, data: PersonData) -> Person:
    data = _with_consent_times(validate(data), None, utcnow())
    _check_email_free(session, data, None)
    model = PersonModel()
    with _saving(session, data, None):
        _apply(session, model, data)
        session.add(model)
    audit.record(session, "person", model.id, "created")
    return Person(id=model.id, version=model.version, data=_to_data(model))


def update_person(
    session: Session, person_id: int, data: PersonData, expected_version: int
) -> Person:
    """Save ``data`` over the version the user opened, or raise :class:`ConflictError`."""
    data = validate(data)
    model = _load(session, person_id)
    if model.version != expected_version:
        raise ConflictError(
            f"Someone else saved changes to {model.full_name} after you opened them. "
            "Close this window and open the person again to see their changes, "
            "then make yours again."
        )
    _check_email_free(session, data, person_id)
    before = _to_data(model)
    data = _with_consent_times(data, before, utcnow())
    with _saving(session, data, person_id):
        _apply(session, model, data)
        try:
            session.flush()
        except StaleDataError:
            raise ConflictError(
                f"Someone else saved changes to {data.full_name} at the same moment. "
                "Open the person again and repeat your change."
            ) from None
    changed = [
        f
        for f in PersonData.__slots__
        if getattr(before, f) != getattr(data, f) and f not in _CONSENT_TIMES
    ]
    audit.record(session, "person", person_id, "updated", ", ".join(changed))
    return Person(id=person_id, version=model.version, data=_to_data(model))


@dataclass(frozen=True, slots=True)
class DeletedPerson:
    """Enough to bring a deleted person back exactly as they were (undo)."""

    person: Person
    created_at: dt.datetime
    invitation_ids: tuple[int, ...]
    chaired_roundtable_ids: tuple[int, ...]


def delete_people(session: Session, person_ids: Sequence[int]) -> list[DeletedPerson]:
    """Delete people; their invitations stay, anonymised, for the statistics."""
    deleted = []
    for person_id in person_ids:
        model = _load(session, person_id)
        invitations = tuple(
            session.scalars(select(Invitation.id).where(Invitation.person_id == person_id))
        )
        chaired = tuple(
            session.scalars(select(Roundtable.id).where(Roundtable.chair_id == person_id))
        )
        deleted.append(
            DeletedPerson(
                person=Person(id=model.id, version=model.version, data=_to_data(model)),
                created_at=model.created_at,
                invitation_ids=invitations,
                chaired_roundtable_ids=chaired,
            )
        )
        session.delete(model)
        audit.record(session, "person", person_id, "deleted")
    session.flush()
    return deleted


def restore_people(session: Session, deleted: Sequence[DeletedPerson]) -> list[Person]:
    """Undo :func:`delete_people`: the same ids, data and links as before."""
    restored = []
    for item in deleted:
        data = item.person.data
        _check_email_free(session, data, None)
        model = PersonModel(id=item.person.id, created_at=item.created_at)
        with _saving(session, data, None):
            _apply(session, model, data)
            session.add(model)
        for ids in _chunks(item.invitation_ids):
            session.execute(
                update(Invitation)
                .where(Invitation.id.in_(ids), Invitation.person_id.is_(None))
                .values(person_id=model.id)
            )
        for ids in _chunks(item.chaired_roundtable_ids):
            session.execute(
                update(Roundtable)
                .where(Roundtable.id.in_(ids), Roundtable.chair_id.is_(None))
                .values(chair_id=model.id)
                .execution_options(synchronize_session=False)
            )
        audit.record(session, "person", model.id, "restored")
        restored.append(Person(id=model.id, version=model.version, data=_to_data(model)))
    return restored


# --- bulk changes ------------------------------------------------------------------


def _bump(session: Session, person_ids: Sequence[int]) -> None:
    """Raise the version of people changed in bulk, so open editors see a conflict."""
    now = utcnow()
    for ids in _chunks(person_ids):
        session.execute(
            update(PersonModel)
            .where(PersonModel.id.in_(ids))
            .values(version=PersonModel.version + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    session.expire_all()


def _existing(session: Session, person_ids: Sequence[int]) -> list[int]:
    found: list[int] = []
    for ids in _chunks(person_ids):
        found.extend(session.scalars(select(PersonModel.id).where(PersonModel.id.in_(ids))))
    return found


def add_interest(session: Session, person_ids: Sequence[int], theme_name: str) -> list[int]:
    """Give everyone in ``person_ids`` the interest; return those who did not have it."""
    theme = vocabulary.theme(session, theme_name)
    had: set[int] = set()
    for ids in _chunks(person_ids):
        had.update(
            session.scalars(
                select(person_theme.c.person_id).where(
                    person_theme.c.theme_id == theme.id, person_theme.c.person_id.in_(ids)
                )
            )
        )
    added = [pid for pid in _existing(session, person_ids) if pid not in had]
    if added:
        session.execute(
            insert(person_theme), [{"person_id": pid, "theme_id": theme.id} for pid in added]
        )
        _bump(session, added)
        audit.record(session, "person", None, "bulk add interest", f"{len(added)} people")
    return added


def remove_interest(session: Session, person_ids: Sequence[int], theme_name: str) -> list[int]:
    """Take the interest away from everyone in ``person_ids``; return those who had it."""
    theme = session.scalar(select(Theme).where(func.lower(Theme.name) == theme_name.lower()))
    if theme is None:
        return []
    removed: list[int] = []
    for ids in _chunks(person_ids):
        removed.extend(
            session.scalars(
                select(person_theme.c.person_id).where(
                    person_theme.c.theme_id == theme.id, person_theme.c.person_id.in_(ids)
                )
            )
        )
    for ids in _chunks(removed):
        session.execute(
            delete(person_theme).where(
                person_theme.c.theme_id == theme.id, person_theme.c.person_id.in_(ids)
            )
        )
    if removed:
        _bump(session, removed)
        audit.record(session, "person", None, "bulk remove interest", f"{len(removed)} people")
    return removed


def set_sector(
    session: Session, person_ids: Sequence[int], sector_name: str | None
) -> dict[int, str | None]:
    """Set everyone's sector; return each person's previous sector (for undo)."""
    sector_id = vocabulary.sector(session, sector_name).id if sector_name else None
    previous: dict[int, str | None] = {}
    for ids in _chunks(person_ids):
        for pid, name in session.execute(
            select(PersonModel.id, Sector.name)
            .outerjoin(Sector, Sector.id == PersonModel.sector_id)
            .where(PersonModel.id.in_(ids))
        ):
            previous[pid] = name
    for ids in _chunks(list(previous)):
        session.execute(
            update(PersonModel)
            .where(PersonModel.id.in_(ids))
            .values(sector_id=sector_id)
            .execution_options(synchronize_session=False)
        )
    if previous:
        _bump(session, list(previous))
        audit.record(session, "person", None, "bulk set sector", f"{len(previous)} people")
    return previous


def restore_sectors(session: Session, previous: dict[int, str | None]) -> None:
    """Undo :func:`set_sector`: give each person back their own previous sector."""
    by_sector: dict[str | None, list[int]] = defaultdict(list)
    for pid, name in previous.items():
        by_sector[name].append(pid)
    for name, pids in by_sector.items():
        set_sector(session, pids, name)
