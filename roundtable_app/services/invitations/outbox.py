"""Which calendar message each invitee needs next, and recording what really went out.

:func:`plan_messages` reads the roundtable and its invitations and returns plain
:class:`OutgoingMessage` records (no ORM objects), so the slow part (writing,
sending) runs outside any transaction. :func:`mark_sent` records one message
after it was written or accepted by the mail server.

Sequence numbers (guide rule 4, RFC 5546 §2.1.4):

- REQUEST: the roundtable's ``ical_sequence``; someone whose last message was a
  CANCEL (withdrawn, then invited again) gets one more than that CANCEL, or
  their calendar would ignore the new invitation.
- CANCEL of a cancelled roundtable: its ``ical_sequence`` (raised when it was
  cancelled), and always above what the invitee was last sent.
- CANCEL for one withdrawn invitee: one above both the roundtable's sequence and
  what they were sent. The roundtable's own sequence is not raised, so the other
  invitees do not show "needs update" for a change that does not concern them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from roundtable_app.core.errors import NotFoundError, ValidationError
from roundtable_app.core.model import Format, InviteeRole, RoundtableStatus
from roundtable_app.core.privacy import invitation_address, output_name
from roundtable_app.core.validation import is_valid_email
from roundtable_app.services.invitations.ical import (
    DEFAULT_REMINDER,
    Attendee,
    EventInfo,
    Method,
    Organiser,
    build_ics,
    message_stem,
    safe_filename,
)
from roundtable_app.services.roundtables import load_model
from roundtable_app.storage.models import Invitation, Person, Roundtable

CHUNK = 500  # ids per IN (...): well under SQLite's parameter limit


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """One calendar message for one invitee, ready to build."""

    invitation_id: int
    person_id: int
    event: EventInfo
    attendee: Attendee
    method: Method
    sequence: int
    #: True when this invitee was sent an earlier version ("Updated: …" subject).
    is_update: bool

    def ics(
        self,
        organiser: Organiser,
        stamp: dt.datetime | None = None,
        reminder: dt.timedelta | None = DEFAULT_REMINDER,
    ) -> bytes:
        """The .ics bytes for this message (a fresh DTSTAMP unless ``stamp`` is given)."""
        return build_ics(
            self.event,
            organiser,
            self.attendee,
            method=self.method,
            sequence=self.sequence,
            stamp=stamp,
            reminder=reminder,
        )

    def filename(self, extension: str) -> str:
        return safe_filename(message_stem(self.event, self.attendee, self.method), extension)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An invitee who gets no message, and why (shown in the per-invitee result)."""

    invitation_id: int
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Outbox:
    messages: tuple[OutgoingMessage, ...]
    skipped: tuple[Skipped, ...]


def event_info(rt: Roundtable) -> EventInfo:
    """The invitation's view of a stored roundtable."""
    if rt.starts_at is None or rt.ends_at is None:
        raise ValidationError(
            f"'{rt.title}' has no date and time yet; set them first.",
            cli=f"'{rt.title}' has no date and time yet; set them in the app first.",
        )
    return EventInfo(
        uid=rt.ical_uid,
        title=rt.title,
        starts_at=rt.starts_at,
        ends_at=rt.ends_at,
        time_zone=rt.time_zone,
        format=Format(rt.format),
        purpose=rt.purpose,
        venue=rt.venue,
        venue_address=rt.venue_address,
        online_link=rt.online_link,
        accessibility_contact=rt.accessibility_contact,
    )


def _next(rt: Roundtable, inv: Invitation) -> tuple[Method, int] | None:
    """The message this invitation needs now, or None."""
    sent, last_cancel = inv.sent_sequence, inv.sent_method == "cancel"
    if inv.withdrawn_at is not None or rt.status == RoundtableStatus.CANCELLED.value:
        if sent is None or last_cancel:
            return None  # never invited, or already cancelled
        if inv.withdrawn_at is not None and rt.status != RoundtableStatus.CANCELLED.value:
            return Method.CANCEL, max(rt.ical_sequence, sent) + 1
        return Method.CANCEL, max(rt.ical_sequence, sent + 1)
    if sent is None:
        return Method.REQUEST, rt.ical_sequence
    # Never below what they already have: a re-invited person's last message may
    # be a CANCEL above the roundtable's sequence (then one more than that).
    return Method.REQUEST, max(rt.ical_sequence, sent + 1 if last_cancel else sent)


def plan_messages(
    session: Session,
    roundtable_id: int,
    *,
    method: Method | None = None,
    only_pending: bool = True,
    invitation_ids: Collection[int] | None = None,
) -> Outbox:
    """The messages to send for a roundtable, one per invitee, and who is skipped.

    ``method`` limits the plan to invitations/updates (REQUEST) or cancellations
    (CANCEL); None plans both. ``only_pending`` (default) leaves out invitees who
    already have the latest version; False sends it again to everyone.
    ``invitation_ids`` limits the plan to some invitees (e.g. a retry of failures).
    Raises :class:`ValidationError` when invitations cannot go out at all (a
    draft, a roundtable without a date).
    """
    rt = load_model(session, roundtable_id)
    status = RoundtableStatus(rt.status)
    if method == Method.REQUEST and status == RoundtableStatus.CANCELLED:
        raise ValidationError(
            f"'{rt.title}' is cancelled; send cancellations instead.",
            cli=f"'{rt.title}' is cancelled; write cancellations instead (--method cancel).",
        )
    if method != Method.CANCEL and status == RoundtableStatus.DRAFT:
        raise ValidationError(
            f"'{rt.title}' is a draft; mark it scheduled before sending invitations.",
            cli=f"'{rt.title}' is a draft; mark it scheduled in the app (Roundtables page) "
            "before writing invitations.",
        )
    if method != Method.CANCEL and status == RoundtableStatus.HELD:
        raise ValidationError(f"'{rt.title}' has been held; there is nothing to invite to.")
    event = event_info(rt)
    query = (
        select(Invitation, Person)
        .outerjoin(Person, Person.id == Invitation.person_id)
        .where(Invitation.roundtable_id == roundtable_id)
        .order_by(Person.full_name, Invitation.id)
    )
    if invitation_ids is not None:
        ids = set(invitation_ids)
        unknown = ids - set(
            session.scalars(select(Invitation.id).where(Invitation.roundtable_id == roundtable_id))
        )
        if unknown:
            raise NotFoundError(
                f"{len(unknown)} of the invitations chosen are not on this roundtable; refresh."
            )
    messages: list[OutgoingMessage] = []
    skipped: list[Skipped] = []
    for inv, person in session.execute(query):
        if invitation_ids is not None and inv.id not in ids:
            continue
        planned = _next(rt, inv)
        if planned is None or (method is not None and planned[0] != method):
            continue
        kind, sequence = planned
        up_to_date = (
            inv.sent_sequence == sequence and (inv.sent_method or "request") == kind.value.lower()
        )
        if only_pending and up_to_date:
            continue
        if person is None:
            skipped.append(Skipped(inv.id, "(erased person)", "erased from the directory"))
            continue
        name = output_name(person.full_name, person.display_name)
        if kind == Method.REQUEST and not person.may_contact:
            # Consent withdrawn since they were added; a CANCEL still goes, as it
            # only takes back what is already in their calendar.
            skipped.append(Skipped(inv.id, name, "does not consent to be contacted"))
            continue
        address = invitation_address(person.email, person.contact_via_email)
        if not address or not is_valid_email(address):
            skipped.append(Skipped(inv.id, name, "no usable e-mail address in the directory"))
            continue
        messages.append(
            OutgoingMessage(
                invitation_id=inv.id,
                person_id=person.id,
                event=event,
                attendee=Attendee(name, address, InviteeRole(inv.role)),
                method=kind,
                sequence=sequence,
                is_update=inv.sent_sequence is not None,
            )
        )
    return Outbox(tuple(messages), tuple(skipped))


def mark_sent(session: Session, message: OutgoingMessage, at: dt.datetime | None = None) -> None:
    """Record that ``message`` was written or accepted by the mail server.

    Called once per message, in its own short transaction, right after it went
    out: a crash halfway through a batch then leaves exactly the messages that
    went out recorded, and the rest still pending.
    """
    inv = session.get(Invitation, message.invitation_id)
    if inv is None:
        return  # removed meanwhile; nothing to record
    inv.sent_sequence = message.sequence
    inv.sent_method = message.method.value.lower()
    inv.sent_at = at or dt.datetime.now(dt.UTC)
    session.flush()


def mark_sent_many(
    session: Session, messages: Sequence[OutgoingMessage], at: dt.datetime | None = None
) -> None:
    """:func:`mark_sent` for a batch of delivered messages, one UPDATE per kind of message."""
    at = at or dt.datetime.now(dt.UTC)
    groups: dict[tuple[Method, int], list[int]] = defaultdict(list)
    for message in messages:
        groups[(message.method, message.sequence)].append(message.invitation_id)
    for (method, sequence), ids in groups.items():
        for start in range(0, len(ids), CHUNK):
            session.execute(
                update(Invitation)
                .where(Invitation.id.in_(ids[start : start + CHUNK]))
                .values(sent_sequence=sequence, sent_method=method.value.lower(), sent_at=at)
                .execution_options(synchronize_session=False)
            )
