"""Retention: people with no invitation, attendance or change for N years are erased.

The rule holds for the whole team, so it is kept in the database
(``team_setting`` "retention_years"; absent: off, the default). Staff review
the list first (:func:`retention_review`: who, the last thing that happened
and when) and confirm once; :func:`apply_retention` then erases each person
as an erasure by hand does (:func:`~.erasure.erase_person`, one transaction
each, so that a Cancel between people keeps those already erased) and ends
with one rewrite of the database files (:func:`~.erasure.clean_up`).

What counts as activity, within the period:

- an invitation to a roundtable that starts in it (or, not yet scheduled, an
  invitation made in it), and attendance at one;
- a change to their record (``person.updated_at``, the record's creation);
- an entry of the audit trail about them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from roundtable_app.core.errors import Cancelled, ValidationError
from roundtable_app.core.progress import Progress
from roundtable_app.services import audit
from roundtable_app.services.privacy.erasure import clean_up, erase_person
from roundtable_app.storage.models import (
    AuditEntry,
    Invitation,
    Person,
    Roundtable,
    SeatingRule,
    TeamSetting,
)
from roundtable_app.storage.unit_of_work import Database

#: The team setting's key; its value is a whole number of years.
RETENTION_KEY = "retention_years"
#: What the window suggests when retention is turned on.
SUGGESTED_YEARS = 3
MAX_YEARS = 50


def retention_years(session: Session) -> int | None:
    """The team's retention period in years, or None when retention is off."""
    value = session.scalar(select(TeamSetting.value).where(TeamSetting.key == RETENTION_KEY))
    try:
        years = int(value) if value else 0
    except ValueError:
        return None  # a value no version of the app wrote: treat as off, never erase
    return years if 0 < years <= MAX_YEARS else None


def check_years(years: int) -> int:
    """``years`` if it is a period the rule accepts, else a ValidationError."""
    if not 1 <= years <= MAX_YEARS:
        raise ValidationError(
            f"A retention period of {years} years is not possible; "
            f"choose from 1 to {MAX_YEARS} years ({SUGGESTED_YEARS} is usual)."
        )
    return years


def set_retention_years(session: Session, years: int | None) -> None:
    """Turn retention on for ``years``, or off (None), for everyone using this database."""
    setting = session.get(TeamSetting, RETENTION_KEY)
    if years is None:
        if setting is not None:
            session.delete(setting)
            audit.record(session, "team_setting", None, "retention turned off")
        return
    value = str(check_years(years))
    if setting is None:
        session.add(TeamSetting(key=RETENTION_KEY, value=value))
    elif setting.value == value:
        return
    else:
        setting.value = value
    audit.record(
        session, "team_setting", None, "retention set", "1 year" if years == 1 else f"{value} years"
    )


def cutoff(years: int, today: dt.date) -> dt.datetime:
    """The start (UTC) of the day ``years`` before ``today``: activity before it is too old."""
    check_years(years)
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February in a year without one
        day = today.replace(year=today.year - years, day=28)
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class RetentionCandidate:
    """Someone the rule would erase, and why."""

    person_id: int
    name: str
    email: str
    #: The last activity (UTC).
    last_activity: dt.datetime
    #: "Last attended a roundtable", "Last invited", "Record last changed", "Added, never invited".
    reason: str

    def why(self) -> str:
        """ "Last invited on 3 Mar 2021"."""
        day = self.last_activity.date()
        return f"{self.reason} on {day.day} {day:%b %Y}"


def _inactive(moment: dt.datetime) -> Select[tuple[int, ...]]:
    """People whose last activity is before ``moment``, with what they last did."""
    invited_at = func.coalesce(Roundtable.starts_at, Invitation.created_at)
    attended_at = case((Invitation.attendance == "attended", Roundtable.starts_at))
    invitations = (
        select(
            Invitation.person_id.label("person_id"),
            func.max(invited_at).label("invited"),
            func.max(attended_at).label("attended"),
        )
        .join(Roundtable, Roundtable.id == Invitation.roundtable_id)
        .where(Invitation.person_id.is_not(None))
        .group_by(Invitation.person_id)
        .subquery()
    )
    # "created" is the record's creation, which ``person.created_at`` already says.
    entries = (
        select(AuditEntry.entity_id.label("person_id"), func.max(AuditEntry.at).label("at"))
        .where(
            AuditEntry.entity == "person",
            AuditEntry.entity_id.is_not(None),
            AuditEntry.action != "created",
        )
        .group_by(AuditEntry.entity_id)
        .subquery()
    )
    # The later of the record's last save and the last entry about it, in SQL: each
    # datetime read costs Python time, and the review may read the whole directory.
    changed = case((entries.c.at > Person.updated_at, entries.c.at), else_=Person.updated_at)
    edited = case(
        (or_(Person.updated_at > Person.created_at, entries.c.at.is_not(None)), 1), else_=0
    )
    # A roundtable within the period: held or to be held since ``moment``, or made
    # since then if not dated yet (an invitation to one counts from when it was made).
    current = or_(
        Roundtable.starts_at >= moment,
        and_(Roundtable.starts_at.is_(None), Roundtable.created_at >= moment),
    )
    return (
        select(
            Person.id,
            Person.full_name,
            Person.email,
            changed.label("changed"),
            edited.label("edited"),
            invitations.c.invited,
            invitations.c.attended,
        )
        .outerjoin(invitations, invitations.c.person_id == Person.id)
        .outerjoin(entries, entries.c.person_id == Person.id)
        .where(
            Person.updated_at < moment,  # created_at is never later
            or_(invitations.c.invited.is_(None), invitations.c.invited < moment),
            or_(entries.c.at.is_(None), entries.c.at < moment),
            # Chairing, or a seating rule on, a roundtable within the period (or not yet
            # dated) is activity too, though it is the roundtable's record that changed.
            ~exists().where(Roundtable.chair_id == Person.id, current),
            ~exists()
            .where(or_(SeatingRule.person_a_id == Person.id, SeatingRule.person_b_id == Person.id))
            .where(SeatingRule.roundtable_id.in_(select(Roundtable.id).where(current))),
        )
    )


def _candidate(row: tuple[object, ...]) -> RetentionCandidate:
    pid, name, email, changed, edited, invited, attended = row
    assert isinstance(pid, int) and isinstance(changed, dt.datetime)
    if edited:
        first = (
            "Record last changed" if invited is not None else "Never invited; record last changed"
        )
    else:
        first = "Added" if invited is not None else "Added, never invited"
    # The latest moment wins; on a tie, what says most: attended, invited, changed.
    found = [(changed, 0, first)]
    for at, rank, reason in (
        (invited, 1, "Last invited"),
        (attended, 2, "Last attended a roundtable"),
    ):
        if isinstance(at, dt.datetime):
            found.append((at, rank, reason))
    at, _rank, reason = max(found, key=lambda item: (item[0], item[1]))
    return RetentionCandidate(pid, str(name), str(email or ""), at, reason)


def retention_review(
    session: Session, years: int, today: dt.date | None = None
) -> list[RetentionCandidate]:
    """Who the rule would erase for ``years`` as of ``today`` (UTC), longest inactive first."""
    moment = cutoff(years, today or dt.datetime.now(dt.UTC).date())
    rows = session.execute(_inactive(moment)).all()
    found = [_candidate(tuple(row)) for row in rows]
    found.sort(key=lambda c: (c.last_activity, c.person_id))
    return found


@dataclass(frozen=True, slots=True)
class RetentionResult:
    """What :func:`apply_retention` did."""

    erased: int
    #: Active again meanwhile (a colleague invited or changed them), or gone already.
    skipped: int
    #: Their invitations, kept in the statistics without their names.
    invitations_kept: int
    #: Cancel was pressed: those erased before stay erased (and were cleaned up).
    stopped: bool


def apply_retention(
    db: Database,
    person_ids: Sequence[int],
    years: int,
    today: dt.date | None = None,
    *,
    progress: Progress | None = None,
) -> RetentionResult:
    """Erase each of ``person_ids`` who is still inactive for ``years``, then clean up once.

    Each erasure is its own transaction; Cancel (``progress``) is honoured between
    people. The files are rewritten once at the end, also after a Cancel, when
    anyone was erased (:class:`~roundtable_app.storage.scrub.ScrubError` if the
    database is in use elsewhere: the erasures stand, run ``person scrub`` later).
    """
    progress = progress or Progress()
    moment = cutoff(years, today or dt.datetime.now(dt.UTC).date())
    erased = skipped = kept = 0
    stopped = False
    total = len(person_ids)
    try:
        for done, person_id in enumerate(person_ids):
            progress.update(done, total, f"Erasing {done + 1:,} of {total:,}")
            with db.transaction() as session:
                still = session.execute(_inactive(moment).where(Person.id == person_id)).first()
                if still is None:
                    skipped += 1
                    continue
                kept += erase_person(session, person_id)
                erased += 1
    except Cancelled:
        stopped = True
    if erased:
        with db.transaction() as session:
            audit.record(
                session,
                "person",
                None,
                "retention applied",
                f"{erased} {'person' if erased == 1 else 'people'} erased, {years} years",
            )
        try:
            progress.update(total, total, "Rewriting the database files")
        except Cancelled:  # too late to stop: the erasures are committed
            stopped = True
        clean_up(db)
    return RetentionResult(erased, skipped, kept, stopped)
