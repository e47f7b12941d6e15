"""Roundtables: create, edit and move through draft → scheduled → held / cancelled.

(The page's lists are in :mod:`.lists`, invitees in :mod:`.invitees`,
suggestions and the mix in :mod:`.mix`, clashes in :mod:`.scheduling`.)

Like the directory service, every function takes the caller's session and never
commits; every edit returns what the UI needs to undo it (the previous data or
status), and a save over someone else's newer change raises
:class:`ConflictError` (the row's ``version`` counter).

Calendar identity: ``ical_uid`` is created once, at creation, and never changes,
so every update and cancellation replaces the same event in invitees' calendars.
``ical_sequence`` is raised on every change of time, place (venue, address,
link, format) or status once at least one invitation has been sent: until then
there is nothing to revise and the first invitation goes out with SEQUENCE 0
(guide rule 4). Once raised it never goes down, not even on undo: undoing a
change of time is, for the invitees, one more change of time. Invitations sent
with a lower sequence then show as "needs update" (see :mod:`.invitees`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, fields, replace
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from roundtable_app.core.errors import ConflictError, NotFoundError, ValidationError
from roundtable_app.core.model import Format, RoundtableStatus
from roundtable_app.core.time_zones import time_zone
from roundtable_app.core.validation import check_texts, clean_name
from roundtable_app.services import audit, directory
from roundtable_app.storage.base import utcnow
from roundtable_app.storage.models import Invitation, Person, Roundtable, Series

DEFAULT_UID_DOMAIN = "roundtable.invalid"
DEFAULT_TIME_ZONE = "Europe/London"

#: Fields whose change invitees must see in their calendars (RFC 5546 §2.1.4).
CALENDAR_FIELDS = (
    "starts_at",
    "ends_at",
    "time_zone",
    "format",
    "venue",
    "venue_address",
    "online_link",
)


@dataclass(frozen=True, slots=True)
class RoundtableData:
    """Everything a user can edit about a roundtable (the editor's content).

    Times are aware datetimes (any zone; stored in UTC); ``time_zone`` is the
    IANA zone the roundtable is planned and shown in. Use :func:`local_times`
    to build them from a date, a start time and a duration.
    """

    title: str
    purpose: str = ""
    themes: tuple[str, ...] = ()
    evidence_questions: str = ""
    series: str | None = None
    format: Format = Format.IN_PERSON
    venue: str = ""
    venue_address: str = ""
    online_link: str = ""
    capacity: int | None = None
    chair_id: int | None = None
    accessibility_contact: str = ""
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    time_zone: str = DEFAULT_TIME_ZONE


@dataclass(frozen=True, slots=True)
class RoundtableInfo:
    """A stored roundtable: its data plus identity, status, version and calendar identity."""

    id: int
    version: int
    status: RoundtableStatus
    ical_uid: str
    ical_sequence: int
    data: RoundtableData


@dataclass(frozen=True, slots=True)
class RoundtableEdit:
    """The result of an edit: the state before (for undo) and after."""

    before: RoundtableInfo
    after: RoundtableInfo
    #: True when the change raised ``ical_sequence``: sent invitations need an update.
    sequence_raised: bool


def local_times(
    day: dt.date, start: dt.time, duration: dt.timedelta, time_zone: str
) -> tuple[dt.datetime, dt.datetime]:
    """(starts_at, ends_at) for a date and wall-clock start in ``time_zone``.

    A start in the hour skipped by the clocks going forward is refused, because
    no invitee's calendar could show it; an ambiguous start (clocks going back)
    takes the first occurrence.
    """
    zone = _zone(time_zone)
    local = dt.datetime.combine(day, start, tzinfo=zone)
    round_trip = local.astimezone(dt.UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValidationError(
            f"{start:%H:%M} does not exist on {day:%d %B %Y} in {time_zone} "
            "(the clocks go forward); choose another start time.",
            field="starts_at",
        )
    if duration <= dt.timedelta(0):
        raise ValidationError("The duration must be more than zero.", field="ends_at")
    starts = local.astimezone(dt.UTC)
    return starts, starts + duration


def _zone(name: str) -> ZoneInfo:
    zone = time_zone(name)
    if zone is None:
        raise ValidationError(
            f"'{name}' is not a time zone; pick one such as Europe/London.", field="time_zone"
        )
    return zone


# --- reading -------------------------------------------------------------------------


def load_model(session: Session, roundtable_id: int) -> Roundtable:
    """The ORM row, for the sibling services; raises :class:`NotFoundError`."""
    model = session.get(Roundtable, roundtable_id)
    if model is None:
        raise NotFoundError(
            f"Roundtable {roundtable_id} no longer exists; someone may have deleted it. "
            "Refresh the list (F5).",
            cli=f"There is no roundtable {roundtable_id}; list the roundtables and their ids "
            "with roundtable-app roundtables.",
        )
    return model


def data_of(model: Roundtable) -> RoundtableData:
    """The editable data of a row (for the sibling services)."""
    return RoundtableData(
        title=model.title,
        purpose=model.purpose,
        themes=tuple(t.name for t in model.themes),
        evidence_questions=model.evidence_questions,
        series=model.series.name if model.series else None,
        format=Format(model.format),
        venue=model.venue,
        venue_address=model.venue_address,
        online_link=model.online_link,
        capacity=model.capacity,
        chair_id=model.chair_id,
        accessibility_contact=model.accessibility_contact,
        starts_at=model.starts_at,
        ends_at=model.ends_at,
        time_zone=model.time_zone,
    )


def _info(model: Roundtable) -> RoundtableInfo:
    return RoundtableInfo(
        id=model.id,
        version=model.version,
        status=RoundtableStatus(model.status),
        ical_uid=model.ical_uid,
        ical_sequence=model.ical_sequence,
        data=data_of(model),
    )


def get_roundtable(session: Session, roundtable_id: int) -> RoundtableInfo:
    return _info(load_model(session, roundtable_id))


# --- validating and writing ------------------------------------------------------------


def validate(data: RoundtableData) -> RoundtableData:
    """Return ``data`` cleaned or raise :class:`ValidationError` naming the field."""
    check_texts(
        (
            (data.title, "the title", "title"),
            (data.purpose, "the purpose", "purpose"),
            *((theme, "a theme", "themes") for theme in data.themes),
            (data.evidence_questions, "the evidence questions", "evidence_questions"),
            (data.series, "the series", "series"),
            (data.venue, "the venue", "venue"),
            (data.venue_address, "the venue address", "venue_address"),
            (data.online_link, "the joining link", "online_link"),
            (data.accessibility_contact, "the accessibility contact", "accessibility_contact"),
            (data.time_zone, "the time zone", "time_zone"),
        )
    )
    title = clean_name(data.title)
    if not title:
        raise ValidationError("A roundtable needs a title.", field="title")
    if len(title) > 200:
        raise ValidationError("The title is longer than 200 characters; shorten it.", "title")
    _zone(data.time_zone)
    if (data.starts_at is None) != (data.ends_at is None):
        raise ValidationError("Give both a start and an end time, or neither.", "ends_at")
    for name in ("starts_at", "ends_at"):
        value = getattr(data, name)
        if value is not None and value.tzinfo is None:
            raise ValueError(f"{name} must be an aware datetime")
    if data.starts_at and data.ends_at and data.ends_at <= data.starts_at:
        raise ValidationError("The roundtable must end after it starts.", field="ends_at")
    if data.capacity is not None and data.capacity < 1:
        raise ValidationError("The capacity must be at least 1, or left empty.", "capacity")
    link = data.online_link.strip()
    if link and not link.lower().startswith(("https://", "http://")):
        raise ValidationError(
            "The joining link must start with https:// (copy it from the meeting invite).",
            field="online_link",
        )
    if data.format != Format.IN_PERSON and not link:
        raise ValidationError(
            f"An {data.format.label.lower()} roundtable needs a joining link.", "online_link"
        )
    if len(link) > 500:
        raise ValidationError("The joining link is longer than 500 characters.", "online_link")
    unique: dict[str, str] = {}
    for theme in data.themes:
        name = clean_name(theme)
        if name:
            unique.setdefault(name.lower(), name)  # themes compare in any case
    themes = tuple(unique.values())
    return replace(
        data,
        title=title,
        purpose=data.purpose.strip(),
        themes=themes,
        evidence_questions="\n".join(
            q.strip() for q in data.evidence_questions.splitlines() if q.strip()
        ),
        series=clean_name(data.series) or None,
        venue=clean_name(data.venue),
        venue_address=data.venue_address.strip(),
        online_link=link,
        accessibility_contact=data.accessibility_contact.strip(),
        starts_at=data.starts_at.astimezone(dt.UTC) if data.starts_at else None,
        ends_at=data.ends_at.astimezone(dt.UTC) if data.ends_at else None,
    )


def _series(session: Session, name: str | None) -> Series | None:
    if not name:
        return None
    found = session.scalar(select(Series).where(func.lower(Series.name) == name.lower()))
    if found is None:
        found = Series(name=name, description="")
        session.add(found)
    return found


def _assign(session: Session, model: Roundtable, data: RoundtableData) -> None:
    if data.chair_id is not None and session.get(Person, data.chair_id) is None:
        raise ValidationError("The chair is no longer in the directory; choose another.", "chair")
    with session.no_autoflush:
        model.title = data.title
        model.purpose = data.purpose
        model.themes = [directory.theme(session, name) for name in data.themes]
        model.evidence_questions = data.evidence_questions
        model.series = _series(session, data.series)
        model.format = data.format.value
        model.venue = data.venue
        model.venue_address = data.venue_address
        model.online_link = data.online_link
        model.capacity = data.capacity
        model.chair_id = data.chair_id
        model.accessibility_contact = data.accessibility_contact
        model.starts_at = data.starts_at
        model.ends_at = data.ends_at
        model.time_zone = data.time_zone
        # Touch the row so a change of themes alone raises the version too.
        model.updated_at = utcnow()


def new_uid(domain: str = DEFAULT_UID_DOMAIN) -> str:
    """A calendar UID: random, globally unique, created once per roundtable."""
    return f"{uuid.uuid4()}@{domain}"


def create_roundtable(
    session: Session, data: RoundtableData, *, uid_domain: str = DEFAULT_UID_DOMAIN
) -> RoundtableInfo:
    """Store a new draft roundtable with a fresh calendar UID. Undo: :func:`delete_roundtable`."""
    data = validate(data)
    model = Roundtable(status=RoundtableStatus.DRAFT.value, ical_uid=new_uid(uid_domain))
    model.ical_sequence = 0
    _assign(session, model, data)
    session.add(model)
    session.flush()
    audit.record(session, "roundtable", model.id, "created")
    return _info(model)


def delete_roundtable(session: Session, roundtable_id: int, expected_version: int) -> None:
    """Delete a draft that has never been sent to anyone (undo of create).

    A roundtable whose invitations went out is cancelled instead, so that
    invitees receive the CANCEL and the history stays.
    """
    model = load_model(session, roundtable_id)
    _check_version(model, expected_version)
    if any(inv.sent_sequence is not None for inv in model.invitations):
        raise ValidationError(
            f"Invitations to '{model.title}' have been sent; cancel it instead of deleting it."
        )
    session.delete(model)
    session.flush()
    audit.record(session, "roundtable", roundtable_id, "deleted")


def _check_version(model: Roundtable, expected_version: int) -> None:
    if model.version != expected_version:
        raise ConflictError(
            f"Someone else saved changes to '{model.title}' after you opened it. "
            "Open the roundtable again to see their changes, then make yours again.",
            cli=f"Someone else saved changes to '{model.title}' at the same moment; "
            "nothing was changed. Run the command again.",
        )


def _flush(session: Session, title: str) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(
            f"Someone else saved changes to '{title}' at the same moment. "
            "Open the roundtable again and repeat your change.",
            cli=f"Someone else saved changes to '{title}' at the same moment; "
            "nothing was changed. Run the command again.",
        ) from None


def any_sent(session: Session, roundtable_id: int) -> bool:
    """True when at least one invitation (or cancellation) has gone out."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Invitation)
            .where(Invitation.roundtable_id == roundtable_id, Invitation.sent_sequence.is_not(None))
        )
        or 0
    ) > 0


def _raise_sequence(session: Session, model: Roundtable) -> bool:
    """Raise the sequence above everything sent so far, if anything was sent.

    "Above everything sent" and not just "+1": a withdrawn invitee's CANCEL (or a
    re-invited person's REQUEST) may carry a number above the roundtable's own,
    and they too must see this change as newer.
    """
    highest = session.scalar(
        select(func.max(Invitation.sent_sequence)).where(Invitation.roundtable_id == model.id)
    )
    if highest is None:
        return False
    model.ical_sequence = max(model.ical_sequence, highest) + 1
    return True


def update_roundtable(
    session: Session, roundtable_id: int, data: RoundtableData, expected_version: int
) -> RoundtableEdit:
    """Save ``data`` over the version the user opened, or raise :class:`ConflictError`.

    Undo: ``update_roundtable(session, id, edit.before.data, edit.after.version)``.
    """
    data = validate(data)
    model = load_model(session, roundtable_id)
    _check_version(model, expected_version)
    before = _info(model)
    if before.status == RoundtableStatus.SCHEDULED and data.starts_at is None:
        raise ValidationError("A scheduled roundtable needs a date and time.", "starts_at")
    calendar_change = any(
        getattr(before.data, name) != getattr(data, name) for name in CALENDAR_FIELDS
    )
    _assign(session, model, data)
    raised = calendar_change and _raise_sequence(session, model)
    _flush(session, data.title)
    changed = [
        f.name
        for f in fields(RoundtableData)
        if getattr(before.data, f.name) != getattr(data, f.name)
    ]
    audit.record(session, "roundtable", roundtable_id, "updated", ", ".join(changed))
    return RoundtableEdit(before=before, after=_info(model), sequence_raised=raised)


#: The status changes a user may make (and their inverses, so that undo works).
TRANSITIONS: dict[RoundtableStatus, frozenset[RoundtableStatus]] = {
    RoundtableStatus.DRAFT: frozenset({RoundtableStatus.SCHEDULED, RoundtableStatus.CANCELLED}),
    RoundtableStatus.SCHEDULED: frozenset(
        {RoundtableStatus.HELD, RoundtableStatus.CANCELLED, RoundtableStatus.DRAFT}
    ),
    RoundtableStatus.HELD: frozenset({RoundtableStatus.SCHEDULED}),
    RoundtableStatus.CANCELLED: frozenset({RoundtableStatus.SCHEDULED, RoundtableStatus.DRAFT}),
}


def set_status(
    session: Session,
    roundtable_id: int,
    status: RoundtableStatus,
    expected_version: int,
    *,
    now: dt.datetime | None = None,
) -> RoundtableEdit:
    """Move a roundtable to ``status`` if the change is allowed (see :data:`TRANSITIONS`).

    Scheduling needs a date and time; "held" is only possible once it has started;
    going back to draft only while nothing has been sent. Cancelling (or
    reinstating) a roundtable whose invitations went out raises the sequence:
    everyone sent an invitation then needs the CANCEL (or the new REQUEST).
    Undo: ``set_status(session, id, edit.before.status, edit.after.version)``.
    """
    model = load_model(session, roundtable_id)
    _check_version(model, expected_version)
    before = _info(model)
    if status == before.status:
        return RoundtableEdit(before=before, after=before, sequence_raised=False)
    if status not in TRANSITIONS[before.status]:
        raise ValidationError(
            f"'{model.title}' is {before.status.value}; it cannot become {status.value}."
        )
    if status in (RoundtableStatus.SCHEDULED, RoundtableStatus.HELD) and model.starts_at is None:
        raise ValidationError(f"Give '{model.title}' a date and time first.", "starts_at")
    if (
        status == RoundtableStatus.HELD
        and model.starts_at is not None
        and model.starts_at > (now or utcnow())
    ):
        raise ValidationError(f"'{model.title}' has not started yet; it cannot be held.")
    sent = any_sent(session, roundtable_id)
    if status == RoundtableStatus.DRAFT and sent:
        raise ValidationError(
            f"Invitations to '{model.title}' have been sent; it cannot go back to draft."
        )
    model.status = status.value
    # "Held" changes nothing in the invitees' calendars; cancelling or reinstating does.
    raised = False
    if status != RoundtableStatus.HELD and before.status != RoundtableStatus.HELD:
        raised = _raise_sequence(session, model)
    model.updated_at = utcnow()
    _flush(session, model.title)
    audit.record(session, "roundtable", roundtable_id, "status", f"{before.status} → {status}")
    return RoundtableEdit(before=before, after=_info(model), sequence_raised=raised)
