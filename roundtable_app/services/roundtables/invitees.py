"""A roundtable's invitees: adding, withdrawing, roles, statuses and the invitee list.

Withdrawing someone who was never sent anything deletes their invitation.
Withdrawing someone who WAS sent an invitation keeps the row with
``withdrawn_at`` set: they still need a CANCEL (``sending`` sends it), and undo
can bring them back exactly. Each edit returns what undo needs.

Suggestions and the mix statistics live in :mod:`.mix`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from roundtable_app.core.errors import NotFoundError, ValidationError
from roundtable_app.core.model import Attendance, InviteeRole, Response, RoundtableStatus
from roundtable_app.services import audit
from roundtable_app.services.roundtables.counts import on_the_list
from roundtable_app.services.roundtables.records import load_model
from roundtable_app.storage.base import utcnow
from roundtable_app.storage.models import Invitation, Organisation, Person, Sector

CHUNK = 500


class InviteeStatus(enum.StrEnum):
    """Where an invitee stands with the calendar messages (the invitee list's column)."""

    NOT_SENT = "not_sent"
    SENT = "sent"
    NEEDS_UPDATE = "needs_update"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TENTATIVE = "tentative"
    #: Withdrawn, or the roundtable was cancelled: the CANCEL has not gone out yet.
    CANCEL_NOT_SENT = "cancel_not_sent"
    #: The CANCEL went out (withdrawn invitee, or cancelled roundtable).
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class InviteeRow:
    """One line of the invitee list."""

    invitation_id: int
    person_id: int | None  # None: the person was erased; the row keeps the statistics
    name: str
    email: str
    organisation: str
    sector: str
    lived_experience: bool
    time_zone: str | None
    role: InviteeRole
    response: Response
    attendance: Attendance
    sent_sequence: int | None
    sent_at: dt.datetime | None
    withdrawn: bool
    status: InviteeStatus

    @property
    def status_label(self) -> str:
        """ "not sent", "sent (version 2)", "needs update", "accepted", …"""
        if self.status == InviteeStatus.SENT:
            return f"sent (version {(self.sent_sequence or 0) + 1})"
        return {
            InviteeStatus.NOT_SENT: "not sent",
            InviteeStatus.NEEDS_UPDATE: "needs update",
            InviteeStatus.CANCEL_NOT_SENT: "cancellation not sent",
            InviteeStatus.CANCELLED: "cancelled",
        }.get(self.status, self.status.value)


def invitee_status(
    *,
    roundtable_status: RoundtableStatus,
    ical_sequence: int,
    sent_sequence: int | None,
    sent_method: str | None,
    withdrawn: bool,
    response: Response,
) -> InviteeStatus:
    """The status shown for one invitation (pure, so the UI can recompute it cheaply).

    "Needs update" wins over a response: someone who accepted the old time must
    be sent the new one before their "accepted" means anything.
    """
    if sent_method == "cancel":
        return InviteeStatus.CANCELLED
    if withdrawn or roundtable_status == RoundtableStatus.CANCELLED:
        # Nobody needs a CANCEL for an invitation they never received.
        if sent_sequence is None:
            return InviteeStatus.CANCELLED
        return InviteeStatus.CANCEL_NOT_SENT
    if sent_sequence is None:
        return InviteeStatus.NOT_SENT
    if sent_sequence < ical_sequence:
        return InviteeStatus.NEEDS_UPDATE
    if response == Response.ACCEPTED:
        return InviteeStatus.ACCEPTED
    if response == Response.DECLINED:
        return InviteeStatus.DECLINED
    if response == Response.TENTATIVE:
        return InviteeStatus.TENTATIVE
    return InviteeStatus.SENT


def invitee_rows(
    session: Session, roundtable_id: int, *, include_withdrawn: bool = True
) -> list[InviteeRow]:
    """The roundtable's invitees with their statuses, by name."""
    rt = load_model(session, roundtable_id)
    query = (
        select(Invitation, Person, Organisation.name, Sector.name)
        .outerjoin(Person, Person.id == Invitation.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(Sector, Sector.id == Invitation.sector_id)
        .where(Invitation.roundtable_id == roundtable_id)
    )
    if not include_withdrawn:
        query = query.where(on_the_list())
    rows = []
    for inv, person, org, sector in session.execute(query):
        response = Response(inv.response)
        rows.append(
            InviteeRow(
                invitation_id=inv.id,
                person_id=inv.person_id,
                name=person.full_name if person else "(erased)",
                email=(person.email or "") if person else "",
                organisation=org or "",
                sector=sector or "",
                lived_experience=inv.lived_experience,
                time_zone=person.time_zone if person else None,
                role=InviteeRole(inv.role),
                response=response,
                attendance=Attendance(inv.attendance),
                sent_sequence=inv.sent_sequence,
                sent_at=inv.sent_at,
                withdrawn=inv.withdrawn_at is not None,
                status=invitee_status(
                    roundtable_status=RoundtableStatus(rt.status),
                    ical_sequence=rt.ical_sequence,
                    sent_sequence=inv.sent_sequence,
                    sent_method=inv.sent_method,
                    withdrawn=inv.withdrawn_at is not None,
                    response=response,
                ),
            )
        )
    rows.sort(key=lambda r: (r.withdrawn, r.name.lower(), r.invitation_id))
    return rows


# --- adding and withdrawing ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddResult:
    """What :func:`add_invitees` did. Undo: ``withdraw_invitees(session, result.undo_ids)``."""

    #: New invitation ids.
    added: tuple[int, ...]
    #: Invitations of withdrawn people that were brought back.
    reinstated: tuple[int, ...]
    #: Person ids already on the list (nothing done).
    already_invited: tuple[int, ...]
    #: Person ids not added because they did not consent to be contacted.
    not_contactable: tuple[int, ...]

    @property
    def undo_ids(self) -> tuple[int, ...]:
        return self.added + self.reinstated


def add_invitees(
    session: Session,
    roundtable_id: int,
    person_ids: Iterable[int],
    role: InviteeRole = InviteeRole.PARTICIPANT,
) -> AddResult:
    """Invite people (from the directory, a filter or a grouping plan).

    People who withdrew their consent to be contacted are not added (reported).
    """
    rt = load_model(session, roundtable_id)
    if rt.status in (RoundtableStatus.HELD.value, RoundtableStatus.CANCELLED.value):
        raise ValidationError(f"'{rt.title}' is {rt.status}; invitees cannot be added.")
    wanted = list(dict.fromkeys(person_ids))
    existing = {
        inv.person_id: inv
        for inv in session.scalars(
            select(Invitation).where(Invitation.roundtable_id == roundtable_id)
        )
    }
    people: dict[int, tuple[int | None, bool, bool]] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for pid, sector_id, lived, may_contact in session.execute(
            select(Person.id, Person.sector_id, Person.lived_experience, Person.may_contact).where(
                Person.id.in_(chunk)
            )
        ):
            people[pid] = (sector_id, bool(lived), bool(may_contact))
    missing = [pid for pid in wanted if pid not in people]
    if missing:
        raise NotFoundError(
            f"{len(missing)} of the people chosen no longer exist; refresh and try again."
        )
    rows, reinstated, already, refused = [], [], [], []
    now = utcnow()
    for pid in wanted:
        sector_id, lived, may_contact = people[pid]
        inv = existing.get(pid)
        if inv is not None and inv.withdrawn_at is None:
            already.append(pid)
        elif not may_contact:
            refused.append(pid)
        elif inv is not None:
            inv.withdrawn_at = None
            inv.role = role.value
            reinstated.append(inv.id)
        else:
            rows.append(
                {
                    "roundtable_id": roundtable_id,
                    "person_id": pid,
                    "role": role.value,
                    "response": Response.NEEDS_ACTION.value,
                    "attendance": Attendance.UNKNOWN.value,
                    "sector_id": sector_id,
                    "lived_experience": lived,
                    "created_at": now,
                }
            )
    added: list[int] = []
    if rows:
        # One INSERT … RETURNING for the lot: adding 500 people stays instant.
        added = list(
            session.scalars(
                insert(Invitation).returning(Invitation.id, sort_by_parameter_order=True), rows
            )
        )
    session.flush()
    if added or reinstated:
        audit.record(
            session,
            "roundtable",
            roundtable_id,
            "invitees added",
            f"{len(added) + len(reinstated)}",
        )
    return AddResult(tuple(added), tuple(reinstated), tuple(already), tuple(refused))


@dataclass(frozen=True, slots=True)
class RemovedInvitation:
    """A snapshot of an invitation before it was withdrawn (for undo)."""

    values: dict[str, object]
    deleted: bool


_COLUMNS = tuple(c.key for c in Invitation.__table__.columns)


def withdraw_invitees(session: Session, invitation_ids: Sequence[int]) -> list[RemovedInvitation]:
    """Take invitees off the list. Undo: :func:`restore_invitees` with the result.

    Someone never sent anything is deleted; someone sent an invitation is marked
    withdrawn and shows "cancellation not sent" until ``sending`` sends the CANCEL.
    """
    removed = []
    now = utcnow()
    for inv_id in invitation_ids:
        inv = session.get(Invitation, inv_id)
        if inv is None:
            raise NotFoundError(f"Invitation {inv_id} no longer exists; refresh the list.")
        snapshot = {key: getattr(inv, key) for key in _COLUMNS}
        if inv.sent_sequence is None:
            session.delete(inv)
            removed.append(RemovedInvitation(snapshot, deleted=True))
        elif inv.withdrawn_at is None:
            inv.withdrawn_at = now
            removed.append(RemovedInvitation(snapshot, deleted=False))
    session.flush()
    if removed:
        audit.record(
            session,
            "roundtable",
            int(removed[0].values["roundtable_id"]),  # type: ignore[call-overload]
            "invitees withdrawn",
            f"{len(removed)}",
        )
    return removed


def restore_invitees(session: Session, removed: Sequence[RemovedInvitation]) -> None:
    """Undo :func:`withdraw_invitees`: the same rows, ids and values as before."""
    for item in removed:
        if item.deleted:
            session.execute(insert(Invitation).values(**item.values))
        else:
            inv = session.get(Invitation, item.values["id"])
            if inv is None:
                raise NotFoundError("The invitation to restore no longer exists.")
            for key, value in item.values.items():
                setattr(inv, key, value)
    session.flush()


def set_role(
    session: Session, invitation_ids: Sequence[int], role: InviteeRole
) -> dict[int, InviteeRole]:
    """Give the invitees ``role``; return each one's previous role (for undo).

    Undo: call ``set_role`` once per distinct previous role.
    """
    previous: dict[int, InviteeRole] = {}
    for inv_id in invitation_ids:
        inv = session.get(Invitation, inv_id)
        if inv is None:
            raise NotFoundError(f"Invitation {inv_id} no longer exists; refresh the list.")
        previous[inv_id] = InviteeRole(inv.role)
        inv.role = role.value
    session.flush()
    return previous


def capacity_warning(session: Session, roundtable_id: int, adding: int = 0) -> str | None:
    """A warning when the invitees (not declined, not withdrawn) + ``adding`` exceed capacity."""
    rt = load_model(session, roundtable_id)
    if rt.capacity is None:
        return None
    count = sum(
        1
        for inv in rt.invitations
        if inv.withdrawn_at is None and inv.response != Response.DECLINED.value
    )
    total = count + adding
    if total > rt.capacity:
        return (
            f"{total} invitees for {rt.capacity} places: {total - rt.capacity} over capacity. "
            "Some may decline; otherwise raise the capacity or remove people."
        )
    return None
