"""A roundtable's attendance as the screens and sheets show it: who was expected, who came.

One row per person on the list (not withdrawn), walk-ins included, in the
order of the sign-in sheet (by surname), so that attendance is entered from the
sheet row by row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from roundtable_app.core.dates import format_date
from roundtable_app.core.errors import NotFoundError
from roundtable_app.core.model import (
    Attendance,
    InviteeRole,
    Response,
    ResponseChannel,
    RoundtableStatus,
)
from roundtable_app.core.names import surname_key
from roundtable_app.core.time_zones import time_zone as zone_named
from roundtable_app.core.validation import email_key
from roundtable_app.storage.base import utcnow
from roundtable_app.storage.models import (
    DiscussionTable,
    Invitation,
    Organisation,
    Person,
    Roundtable,
    Sector,
)


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    """One person on a roundtable's list: their answer, their attendance, their table."""

    invitation_id: int
    person_id: int | None  # None: erased; the row keeps the statistics
    name: str
    email: str
    organisation: str
    sector: str
    role: InviteeRole
    response: Response
    response_channel: ResponseChannel | None
    attendance: Attendance
    table: int | None  # the table number, when seated
    walk_in: bool
    checked_in_at: dt.datetime | None
    #: For staff only, never printed: someone needs access or dietary arrangements.
    has_needs: bool
    #: Consented to be named in outputs (else: first name and initial on sheets).
    may_be_named: bool
    #: Never shown on a check-in screen or a sheet (PRODUCT.md); statistics only.
    lived_experience: bool

    @property
    def expected(self) -> bool:
        """Expected at the door: accepted or tentative (not declined), or walked in."""
        return self.walk_in or self.response in (Response.ACCEPTED, Response.TENTATIVE)

    @property
    def arrived(self) -> bool:
        return self.attendance == Attendance.ATTENDED


def _roundtable(session: Session, roundtable_id: int) -> Roundtable:
    rt = session.get(Roundtable, roundtable_id)
    if rt is None:
        raise NotFoundError(f"There is no roundtable {roundtable_id}; it may have been deleted.")
    return rt


def attendance_rows(session: Session, roundtable_id: int) -> list[AttendanceRow]:
    """Everyone on the roundtable's list, walk-ins included, sorted by surname."""
    _roundtable(session, roundtable_id)
    query = (
        select(
            Invitation.id,
            Invitation.person_id,
            Person.shown_name,
            Person.email,
            Organisation.name,
            Sector.name,
            Invitation.role,
            Invitation.response,
            Invitation.response_channel,
            Invitation.attendance,
            DiscussionTable.number,
            Invitation.walk_in,
            Invitation.checked_in_at,
            Person.accessibility_needs,
            Person.dietary_needs,
            Person.may_be_named,
            Invitation.lived_experience,
        )
        .outerjoin(Person, Person.id == Invitation.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(Sector, Sector.id == Invitation.sector_id)
        .outerjoin(DiscussionTable, DiscussionTable.id == Invitation.table_id)
        .where(Invitation.roundtable_id == roundtable_id, Invitation.withdrawn_at.is_(None))
    )
    rows = [
        AttendanceRow(
            invitation_id=inv_id,
            person_id=person_id,
            name=name or "Erased person",
            email=email or "",
            organisation=organisation or "",
            sector=sector or "",
            role=InviteeRole(role),
            response=Response(response),
            response_channel=ResponseChannel(channel) if channel else None,
            attendance=Attendance(attendance),
            table=table,
            walk_in=bool(walk_in),
            checked_in_at=checked_in_at,
            has_needs=bool((access or "").strip() or (diet or "").strip()),
            may_be_named=bool(named),
            lived_experience=bool(lived),
        )
        for (
            inv_id,
            person_id,
            name,
            email,
            organisation,
            sector,
            role,
            response,
            channel,
            attendance,
            table,
            walk_in,
            checked_in_at,
            access,
            diet,
            named,
            lived,
        ) in session.execute(query)
    ]
    return sorted(rows, key=lambda r: (surname_key(r.name), r.invitation_id))


def has_started(roundtable: Roundtable, now: dt.datetime | None = None) -> bool:
    """Whether attendance can be recorded: the roundtable is held, or its start has passed."""
    if roundtable.status == RoundtableStatus.HELD.value:
        return True
    if roundtable.status == RoundtableStatus.CANCELLED.value or roundtable.starts_at is None:
        return False
    return roundtable.starts_at <= (now or utcnow())


def local_day(moment: dt.datetime, time_zone: str) -> dt.date:
    """The date of ``moment`` in ``time_zone`` (UTC if the zone is unknown)."""
    return moment.astimezone(zone_named(time_zone) or dt.UTC).date()


def can_check_in(roundtable: Roundtable, now: dt.datetime | None = None) -> bool:
    """Whether people can be checked in: it has started, or it starts later today.

    People arrive before the start, so the door opens on the day ("today" in
    the roundtable's own time zone); a cancelled roundtable never opens.
    """
    now = now or utcnow()
    if has_started(roundtable, now):
        return True
    if roundtable.status == RoundtableStatus.CANCELLED.value or roundtable.starts_at is None:
        return False
    return local_day(roundtable.starts_at, roundtable.time_zone) == local_day(
        now, roundtable.time_zone
    )


def not_open_yet(roundtable: Roundtable) -> str:
    """Why nobody can be checked in at ``roundtable`` (see :func:`can_check_in`)."""
    if roundtable.status == RoundtableStatus.CANCELLED.value:
        return f"“{roundtable.title}” is cancelled: nobody can be checked in."
    if roundtable.starts_at is None:
        return f"“{roundtable.title}” has no date yet: give it one (Edit details…) first."
    day = format_date(local_day(roundtable.starts_at, roundtable.time_zone))
    return (
        f"“{roundtable.title}” has not started yet: it is on {day}, "
        "and people are checked in from that day."
    )


def held_without_attendance(session: Session) -> set[int]:
    """Held roundtables with nobody's attendance recorded yet (the Roundtables page flags them)."""
    recorded = exists().where(
        Invitation.roundtable_id == Roundtable.id,
        Invitation.attendance != Attendance.UNKNOWN.value,
    )
    anyone = exists().where(Invitation.roundtable_id == Roundtable.id)
    query = select(Roundtable.id).where(
        Roundtable.status == RoundtableStatus.HELD.value, anyone, ~recorded
    )
    return set(session.scalars(query))


@dataclass(frozen=True, slots=True)
class Arrivals:
    """The check-in count: "23 of 31 expected have arrived", plus the others who came."""

    expected: int
    arrived: int  # of the expected
    others: int  # walk-ins, and invitees who had not said they would come

    def __str__(self) -> str:
        text = f"{self.arrived} of {self.expected} expected have arrived"
        if self.others:
            text += f", plus {self.others} more" if self.others > 1 else ", plus 1 more"
        return text


def arrival_counts(session: Session, roundtable_id: int) -> Arrivals:
    """How many of the expected have arrived, and how many others came (see :class:`Arrivals`)."""
    attended = Invitation.attendance == Attendance.ATTENDED.value
    expected = and_(
        Invitation.walk_in.is_(False),
        or_(
            Invitation.response == Response.ACCEPTED.value,
            Invitation.response == Response.TENTATIVE.value,
        ),
    )
    row = session.execute(
        select(
            func.count().filter(expected),
            func.count().filter(and_(expected, attended)),
            func.count().filter(and_(~expected, attended)),
        ).where(Invitation.roundtable_id == roundtable_id, Invitation.withdrawn_at.is_(None))
    ).one()
    return Arrivals(int(row[0]), int(row[1]), int(row[2]))


def table_numbers(session: Session, roundtable_id: int) -> list[int]:
    """The roundtable's table numbers (its table plan), in order; empty without a plan."""
    return list(
        session.scalars(
            select(DiscussionTable.number)
            .where(DiscussionTable.roundtable_id == roundtable_id)
            .order_by(DiscussionTable.number)
        )
    )


def listed_by_email(session: Session, roundtable_id: int, emails: list[str]) -> dict[str, int]:
    """Each address's invitation on the roundtable's list (the command line's ``--set``).

    Raises NotFoundError naming every address that is not on the list, so
    that nothing is changed for a typo.
    """
    rt = _roundtable(session, roundtable_id)
    keys = {email: email_key(email) for email in emails}
    query = (
        select(Person.email_key, Invitation.id)
        .join(Invitation, Invitation.person_id == Person.id)
        .where(
            Invitation.roundtable_id == roundtable_id,
            Invitation.withdrawn_at.is_(None),
            Person.email_key.in_(set(keys.values())),
        )
    )
    found = {key: inv_id for key, inv_id in session.execute(query)}
    missing = [email for email, key in keys.items() if key not in found]
    if missing:
        names = ", ".join(missing)
        one = len(missing) == 1
        where = f"{names} {'is' if one else 'are'} not on the list of roundtable {roundtable_id} "
        where += f"“{rt.title}”; check the address{'' if one else 'es'}"
        raise NotFoundError(
            f"{where}, or add someone who came uninvited as a walk-in.",
            cli=f"{where}, or add someone who came uninvited with --walk-in EMAIL",
        )
    return {email: found[key] for email, key in keys.items()}


def roundtable_started(session: Session, roundtable_id: int) -> bool:
    """Whether attendance can be recorded for the roundtable now (see :func:`has_started`)."""
    return has_started(_roundtable(session, roundtable_id))
