"""Applying invitees' replies (METHOD:REPLY) to their responses.

Matching follows the guide (§3.1): the UID finds the roundtable, the ATTENDEE
address (case-insensitive, ``MAILTO:`` in any case) finds the invitation.
Reading the file and the rules every reply must keep are in
:mod:`~roundtable_app.services.invitations.reply_files`.

A reply counts only when it answers what the invitee was really sent:

- an invitation that was sent (not a draft), to a roundtable that is not
  cancelled, or that was cancelled after the reply was written;
- a SEQUENCE no higher than the one sent, and a DTSTAMP no more than a day in
  the future. A forged "version 8" or "written in 2099" would otherwise be
  applied and then make every later, genuine answer look older, for good.

A reply is stale and ignored when its SEQUENCE is lower than the one already
applied, or equal with a DTSTAMP no newer, or when it answers an older version
than the invitee was last sent (their answer to the latest version is awaited).
The same reply given twice is "already applied". An e-mail forwarded by someone
other than the invitee is held until a person (or ``--accept-forwarded``)
accepts it. Every file gets a clear outcome; a bad file never stops the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from roundtable_app.core.model import Response, ResponseChannel, RoundtableStatus
from roundtable_app.core.privacy import output_name
from roundtable_app.services.invitations.reply_files import (
    MAX_FILE_BYTES,
    ParsedReply,
    Problem,
    ReplyFileError,
    parse_reply,
)
from roundtable_app.storage.models import AuditEntry, Invitation, Person, Roundtable

#: How far ahead of this computer's clock a reply may be dated (clocks are wrong, a bit).
FUTURE_SLACK = dt.timedelta(days=1)

_PARTSTAT = {
    "ACCEPTED": Response.ACCEPTED,
    "DECLINED": Response.DECLINED,
    "TENTATIVE": Response.TENTATIVE,
    "NEEDS-ACTION": Response.NEEDS_ACTION,
}
_SAID = {
    Response.ACCEPTED: "accepted",
    Response.DECLINED: "declined",
    Response.TENTATIVE: "answered maybe",
    Response.NEEDS_ACTION: "answered 'needs action'",
}


@dataclass(frozen=True, slots=True)
class ReplyChange:
    """A response that changed (the UI lists these and can undo with ``old``)."""

    source: str
    invitation_id: int
    roundtable_id: int
    roundtable_title: str
    person_id: int | None
    name: str
    email: str
    old: Response
    new: Response
    #: What undo puts back besides the response.
    old_sequence: int | None = None
    old_stamp: dt.datetime | None = None
    #: Who forwarded the reply, when the user chose to apply it anyway ("" if the invitee).
    forwarded_by: str = ""
    #: How the answer before this one had come (see Invitation.response_channel).
    old_channel: str | None = None


@dataclass(frozen=True, slots=True)
class ReplyIssue:
    """A file, or one reply in it, that changed nothing, and why."""

    source: str
    kind: Problem | None  # None: applied but the response was already that
    message: str


@dataclass(frozen=True, slots=True)
class HeldReply:
    """A reply e-mailed by someone other than the invitee: applied only if a person says so."""

    source: str
    reply: ParsedReply
    invitation_id: int
    roundtable_title: str
    name: str
    email: str
    new: Response
    forwarded_by: str
    message: str


#: Outcomes that leave a file counted as applied.
APPLIED_KINDS = frozenset({None, Problem.ALREADY_APPLIED})


@dataclass(frozen=True, slots=True)
class ReplyReport:
    changes: tuple[ReplyChange, ...]
    issues: tuple[ReplyIssue, ...]
    #: Forwarded replies waiting for a person's decision.
    held: tuple[HeldReply, ...] = ()

    @property
    def all_applied(self) -> bool:
        """True when every file was applied or had already been applied (nothing held)."""
        return not self.held and all(issue.kind in APPLIED_KINDS for issue in self.issues)


def _when(moment: dt.datetime) -> str:
    moment = moment.astimezone(dt.UTC)
    return f"{moment.day} {moment:%b %Y %H:%M} UTC"


def _cancelled_at(session: Session, rt: Roundtable) -> dt.datetime:
    """When ``rt`` was (last) cancelled: the audit trail says, else its last change."""
    marker = f"→ {RoundtableStatus.CANCELLED.value}"
    at = session.scalar(
        select(AuditEntry.at)
        .where(
            AuditEntry.entity == "roundtable",
            AuditEntry.entity_id == rt.id,
            AuditEntry.action == "status",
            AuditEntry.detail.endswith(marker),
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(1)
    )
    return at if at is not None else rt.updated_at


def _believable(inv: Invitation, now: dt.datetime) -> bool:
    """False when the reply applied before broke today's rules (a forged reply applied by an
    older version of the app): it must not make the invitee's genuine answer look older."""
    sent = inv.sent_sequence if inv.sent_sequence is not None else -1
    stamp = inv.reply_stamp
    return (inv.reply_sequence or 0) <= sent and (stamp is None or stamp <= now + FUTURE_SLACK)


Outcome = ReplyChange | ReplyIssue | HeldReply


def _apply_one(
    session: Session,
    source: str,
    reply: ParsedReply,
    *,
    accept_forwarded: bool,
    now: dt.datetime,
) -> Outcome:
    rt = session.scalar(select(Roundtable).where(Roundtable.ical_uid == reply.uid))
    if rt is None:
        return ReplyIssue(
            source,
            Problem.UNKNOWN_EVENT,
            f"a reply to an event this database does not know ({reply.uid})",
        )
    # Someone contacted through a support worker answers from the worker's address,
    # the one their invitation went to (``invitation_address``).
    found = session.execute(
        select(Invitation, Person)
        .join(Person, Person.id == Invitation.person_id)
        .where(
            Invitation.roundtable_id == rt.id,
            # Their own address too: an invitation sent before a worker was added.
            or_(
                Person.email_key == reply.attendee,
                func.lower(Person.contact_via_email) == reply.attendee,
            ),
        )
        .limit(2)
    ).all()
    if len(found) > 1:
        return ReplyIssue(
            source,
            Problem.REFUSED,
            f"{reply.attendee} is the support contact of more than one invitee of "
            f"'{rt.title}', so this reply cannot say whose answer it is; nothing changed "
            "(record their answers by hand on the Roundtables page)",
        )
    if not found:
        return ReplyIssue(
            source,
            Problem.NOT_INVITED,
            f"{reply.attendee} replied to '{rt.title}' but was not invited; nothing changed",
        )
    inv, person = found[0]
    who = f"{output_name(person.full_name, person.display_name)} <{reply.attendee}>"
    if inv.withdrawn_at is not None:
        return ReplyIssue(source, Problem.WITHDRAWN, f"{who} was withdrawn from '{rt.title}'")
    if inv.sent_sequence is None:
        return ReplyIssue(
            source,
            Problem.NOT_SENT,
            f"{who}'s invitation to '{rt.title}' has not been sent yet, so this cannot be "
            "their answer to it; nothing changed",
        )
    if reply.stamp > now + FUTURE_SLACK:
        return ReplyIssue(
            source,
            Problem.REFUSED,
            f"the reply from {who} is dated {_when(reply.stamp)}, more than a day in the "
            "future; no calendar program writes that, so nothing changed (if their clock is "
            "wrong, ask them to answer again)",
        )
    if reply.sequence > inv.sent_sequence:
        return ReplyIssue(
            source,
            Problem.REFUSED,
            f"{who} answered version {reply.sequence + 1} of '{rt.title}', but only version "
            f"{inv.sent_sequence + 1} was ever sent to them; a reply cannot be newer than the "
            "invitation, so nothing changed",
        )
    cancelled = rt.status == RoundtableStatus.CANCELLED.value
    if cancelled and reply.stamp >= (when := _cancelled_at(session, rt)):
        return ReplyIssue(
            source,
            Problem.CANCELLED,
            f"'{rt.title}' was cancelled on {_when(when)}, before {who} wrote this reply "
            f"({_when(reply.stamp)}); nothing changed",
        )
    new = _PARTSTAT.get(reply.partstat)
    if new is None:
        return ReplyIssue(
            source,
            Problem.UNSUPPORTED,
            f"{who} answered {reply.partstat}, which the app does not use",
        )
    if (
        inv.reply_sequence == reply.sequence
        and inv.reply_stamp == reply.stamp
        and inv.response == new.value
    ):
        return ReplyIssue(
            source,
            Problem.ALREADY_APPLIED,
            f"this reply from {who} ({_SAID[new]}, written {_when(reply.stamp)}) was already "
            f"applied to '{rt.title}'; nothing changed",
        )
    # The last thing a cancelled roundtable's invitee was sent is the CANCEL: no answer
    # to it is awaited, and their answer written before it still counts.
    answered_cancel = cancelled and inv.sent_method == "cancel"
    if reply.sequence < inv.sent_sequence and not answered_cancel:
        return ReplyIssue(
            source,
            Problem.STALE,
            f"{who} answered version {reply.sequence + 1} of '{rt.title}' but has since been "
            f"sent version {inv.sent_sequence + 1}; waiting for their answer to that",
        )
    if inv.reply_sequence is not None and _believable(inv, now):
        older = reply.sequence < inv.reply_sequence
        same = reply.sequence == inv.reply_sequence
        not_newer = inv.reply_stamp is not None and reply.stamp <= inv.reply_stamp
        if older or (same and not_newer):
            return ReplyIssue(
                source, Problem.STALE, f"an older reply from {who} than the one already applied"
            )
    if reply.forwarded_by and not accept_forwarded:
        return HeldReply(
            source,
            reply,
            inv.id,
            rt.title,
            person.full_name,
            person.email or "",
            new,
            reply.forwarded_by,
            f"forwarded by {reply.forwarded_by}, not sent by {who}: it says they "
            f"{_SAID[new]} '{rt.title}'; apply it only if you trust the sender",
        )
    old = Response(inv.response)
    old_sequence, old_stamp, old_channel = inv.reply_sequence, inv.reply_stamp, inv.response_channel
    inv.response = new.value
    inv.response_channel = ResponseChannel.REPLY.value
    inv.reply_sequence = reply.sequence
    inv.reply_stamp = reply.stamp
    session.flush()
    if old == new:
        return ReplyIssue(source, None, f"{who} is already {new.value} for '{rt.title}'")
    return ReplyChange(
        source,
        inv.id,
        rt.id,
        rt.title,
        person.id,
        person.full_name,
        person.email or "",
        old,
        new,
        old_sequence,
        old_stamp,
        reply.forwarded_by,
        old_channel,
    )


class _Collector:
    """Outcomes gathered into a :class:`ReplyReport`."""

    def __init__(self) -> None:
        self.changes: list[ReplyChange] = []
        self.issues: list[ReplyIssue] = []
        self.held: list[HeldReply] = []

    def add(self, outcome: Outcome) -> None:
        if isinstance(outcome, ReplyChange):
            self.changes.append(outcome)
        elif isinstance(outcome, HeldReply):
            self.held.append(outcome)
        else:
            self.issues.append(outcome)

    def extend(self, report: ReplyReport) -> None:
        self.changes.extend(report.changes)
        self.issues.extend(report.issues)
        self.held.extend(report.held)

    def report(self) -> ReplyReport:
        return ReplyReport(tuple(self.changes), tuple(self.issues), tuple(self.held))


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else dt.datetime.now(dt.UTC)


def apply_reply_bytes(
    session: Session,
    source: str,
    data: bytes,
    *,
    accept_forwarded: bool = False,
    now: dt.datetime | None = None,
) -> ReplyReport:
    """Apply the replies in one file's content; ``source`` names it in the messages.

    A forwarded e-mail is held (see :class:`HeldReply`) unless ``accept_forwarded``.
    """
    try:
        replies = parse_reply(data)
    except ReplyFileError as exc:
        return ReplyReport((), (ReplyIssue(source, exc.kind, str(exc)),))
    except Exception as exc:  # a broken MIME structure or encoding: still a per-file message
        return ReplyReport((), (ReplyIssue(source, Problem.MALFORMED, f"unreadable ({exc})"),))
    found = _Collector()
    for reply in replies:
        found.add(
            _apply_one(session, source, reply, accept_forwarded=accept_forwarded, now=_now(now))
        )
    return found.report()


def apply_reply_files(
    session: Session,
    paths: Iterable[Path],
    *,
    accept_forwarded: bool = False,
    now: dt.datetime | None = None,
) -> ReplyReport:
    """Apply replies from files (File > Import replies, dropped on the window, the CLI).

    Never commits; the caller's transaction holds all the changes. To undo them,
    import through :func:`~roundtable_app.services.invitations.reply_import.import_replies`.
    """
    found = _Collector()
    for path in paths:
        source = path.name
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                found.add(ReplyIssue(source, Problem.MALFORMED, "too large to be a reply"))
                continue
            data = path.read_bytes()
        except OSError as exc:
            found.add(ReplyIssue(source, Problem.MALFORMED, f"cannot be read ({exc.strerror})"))
            continue
        found.extend(
            apply_reply_bytes(session, source, data, accept_forwarded=accept_forwarded, now=now)
        )
    return found.report()


def apply_held_replies(
    session: Session, held: Iterable[HeldReply], *, now: dt.datetime | None = None
) -> ReplyReport:
    """Apply forwarded replies a person chose to trust, checked again against today's data."""
    found = _Collector()
    for item in held:
        found.add(
            _apply_one(session, item.source, item.reply, accept_forwarded=True, now=_now(now))
        )
    return found.report()
