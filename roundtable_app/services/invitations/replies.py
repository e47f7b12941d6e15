"""Reading invitees' replies (METHOD:REPLY) back into their responses.

Accepts .ics files and .eml messages that carry a calendar part (Outlook's
text/calendar inside multipart/alternative, Google's extra ``invite.ics``
attachment as application/ics, Thunderbird's part). Matching follows the
guide (§3.1): the UID finds the roundtable, the ATTENDEE address (case-insensitive,
``MAILTO:`` in any case) finds the invitation; ORGANIZER is not required and
TZIDs (Exchange writes Windows zone names) are never interpreted.

A reply is stale and ignored when its SEQUENCE is lower than the one already
applied, or equal with a DTSTAMP no newer, or when it answers an older version
than the invitee was last sent (their answer to the latest version is awaited).
Every file gets a clear outcome; a bad file never stops the others.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from roundtable_app.core.model import Response
from roundtable_app.core.validation import email_key, normalise_email
from roundtable_app.storage.models import Invitation, Person, Roundtable

MAX_FILE_BYTES = 20 * 1024 * 1024  # a reply is a few KB; refuse to parse huge files

_PARTSTAT = {
    "ACCEPTED": Response.ACCEPTED,
    "DECLINED": Response.DECLINED,
    "TENTATIVE": Response.TENTATIVE,
    "NEEDS-ACTION": Response.NEEDS_ACTION,
}


class Problem(enum.StrEnum):
    MALFORMED = "malformed"
    NOT_A_REPLY = "not_a_reply"
    UNKNOWN_EVENT = "unknown_event"
    NOT_INVITED = "not_invited"
    WITHDRAWN = "withdrawn"
    STALE = "stale"
    UNSUPPORTED = "unsupported"


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


@dataclass(frozen=True, slots=True)
class ReplyIssue:
    """A file, or one reply in it, that changed nothing, and why."""

    source: str
    kind: Problem | None  # None: applied but the response was already that
    message: str


@dataclass(frozen=True, slots=True)
class ReplyReport:
    changes: tuple[ReplyChange, ...]
    issues: tuple[ReplyIssue, ...]


@dataclass(frozen=True, slots=True)
class ParsedReply:
    uid: str
    attendee: str  # the address, without mailto:
    partstat: str
    sequence: int
    stamp: dt.datetime | None


class ReplyFileError(ValueError):
    """A file that cannot be read as a reply; the message is for the user."""

    def __init__(self, kind: Problem, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _calendar_parts(data: bytes) -> list[bytes]:
    """The calendar objects in a file: itself if .ics, its calendar parts if e-mail."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].upper()
    if head.startswith(b"BEGIN:VCALENDAR"):
        return [data.lstrip(b"\xef\xbb\xbf \t\r\n")]
    msg = email.message_from_bytes(data, policy=email.policy.default)
    if not msg.keys():
        raise ReplyFileError(Problem.MALFORMED, "neither a calendar file nor an e-mail")
    parts = []
    for part in msg.walk():
        kind = part.get_content_type()
        filename = (part.get_filename() or "").lower()
        if kind in ("text/calendar", "application/ics") or filename.endswith(".ics"):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                parts.append(payload)
    if not parts:
        raise ReplyFileError(Problem.NOT_A_REPLY, "an e-mail without a calendar reply in it")
    return parts


def _address(value: object) -> str:
    text = normalise_email(str(value)) or ""  # strips "mailto:" in any case
    return email_key(text)


def parse_reply(data: bytes) -> list[ParsedReply]:
    """The replies in one file's bytes; raises :class:`ReplyFileError` with the reason."""
    replies: list[ParsedReply] = []
    seen: set[ParsedReply] = set()
    for raw in _calendar_parts(data):
        # Be lenient in what we read: files saved in text mode on Windows have CR CR LF.
        raw = raw.replace(b"\r\r\n", b"\r\n")
        try:
            cal = Calendar.from_ical(raw)
        except Exception as exc:  # icalendar raises ValueError and others on bad input
            raise ReplyFileError(Problem.MALFORMED, f"not a readable calendar ({exc})") from None
        method = str(cal.get("METHOD", "")).strip().upper()
        if method != "REPLY":
            raise ReplyFileError(
                Problem.NOT_A_REPLY,
                f"a calendar {method or 'file without METHOD'}, not a reply (METHOD:REPLY)",
            )
        for vevent in cal.walk("VEVENT"):
            uid = str(vevent.get("UID", "")).strip()
            attendees = vevent.get("ATTENDEE")
            if not uid or attendees is None:
                raise ReplyFileError(Problem.MALFORMED, "a reply without UID or ATTENDEE")
            if not isinstance(attendees, list):
                attendees = [attendees]
            try:
                sequence = int(str(vevent.get("SEQUENCE", 0)))
            except ValueError:
                raise ReplyFileError(Problem.MALFORMED, "a SEQUENCE that is not a number") from None
            stamp = _stamp(vevent)
            for attendee in attendees:
                params = getattr(attendee, "params", {})
                reply = ParsedReply(
                    uid=uid,
                    attendee=_address(attendee),
                    partstat=str(params.get("PARTSTAT", "NEEDS-ACTION")).upper(),
                    sequence=sequence,
                    stamp=stamp,
                )
                if reply not in seen:  # Google repeats the calendar as an attachment
                    seen.add(reply)
                    replies.append(reply)
    if not replies:
        raise ReplyFileError(Problem.MALFORMED, "a reply without any event in it")
    return replies


def _stamp(vevent: object) -> dt.datetime | None:
    try:
        value = vevent.decoded("DTSTAMP")  # type: ignore[attr-defined]
    except Exception:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return None


def _apply_one(session: Session, source: str, reply: ParsedReply) -> ReplyChange | ReplyIssue:
    rt = session.scalar(select(Roundtable).where(Roundtable.ical_uid == reply.uid))
    if rt is None:
        return ReplyIssue(
            source,
            Problem.UNKNOWN_EVENT,
            f"a reply to an event this database does not know ({reply.uid})",
        )
    found = session.execute(
        select(Invitation, Person)
        .join(Person, Person.id == Invitation.person_id)
        .where(Invitation.roundtable_id == rt.id, Person.email_key == reply.attendee)
    ).first()
    if found is None:
        return ReplyIssue(
            source,
            Problem.NOT_INVITED,
            f"{reply.attendee} replied to '{rt.title}' but was not invited; nothing changed",
        )
    inv, person = found
    who = f"{person.full_name} <{person.email}>"
    if inv.withdrawn_at is not None:
        return ReplyIssue(source, Problem.WITHDRAWN, f"{who} was withdrawn from '{rt.title}'")
    new = _PARTSTAT.get(reply.partstat)
    if new is None:
        return ReplyIssue(
            source,
            Problem.UNSUPPORTED,
            f"{who} answered {reply.partstat}, which the app does not use",
        )
    if inv.sent_sequence is not None and reply.sequence < inv.sent_sequence:
        return ReplyIssue(
            source,
            Problem.STALE,
            f"{who} answered version {reply.sequence + 1} of '{rt.title}' but has since been "
            f"sent version {inv.sent_sequence + 1}; waiting for their answer to that",
        )
    if inv.reply_sequence is not None:
        older = reply.sequence < inv.reply_sequence
        same = reply.sequence == inv.reply_sequence
        not_newer = reply.stamp is None or inv.reply_stamp is None or reply.stamp <= inv.reply_stamp
        if older or (same and not_newer):
            return ReplyIssue(
                source, Problem.STALE, f"an older reply from {who} than the one already applied"
            )
    old = Response(inv.response)
    old_sequence, old_stamp = inv.reply_sequence, inv.reply_stamp
    inv.response = new.value
    inv.reply_sequence = reply.sequence
    inv.reply_stamp = reply.stamp or dt.datetime.now(dt.UTC)
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
    )


def apply_reply_bytes(session: Session, source: str, data: bytes) -> ReplyReport:
    """Apply the replies in one file's content; ``source`` names it in the messages."""
    try:
        replies = parse_reply(data)
    except ReplyFileError as exc:
        return ReplyReport((), (ReplyIssue(source, exc.kind, str(exc)),))
    except Exception as exc:  # a broken MIME structure or encoding: still a per-file message
        return ReplyReport((), (ReplyIssue(source, Problem.MALFORMED, f"unreadable ({exc})"),))
    changes: list[ReplyChange] = []
    issues: list[ReplyIssue] = []
    for reply in replies:
        outcome = _apply_one(session, source, reply)
        (changes if isinstance(outcome, ReplyChange) else issues).append(outcome)  # type: ignore[arg-type]
    return ReplyReport(tuple(changes), tuple(issues))


def apply_reply_files(session: Session, paths: Iterable[Path]) -> ReplyReport:
    """Apply replies from files (File > Import replies, or dropped on the window).

    Never commits; the caller's transaction holds all the changes. To undo them,
    import through :func:`~roundtable_app.services.invitations.reply_import.import_replies`.
    """
    changes: list[ReplyChange] = []
    issues: list[ReplyIssue] = []
    for path in paths:
        source = path.name
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                issues.append(ReplyIssue(source, Problem.MALFORMED, "too large to be a reply"))
                continue
            data = path.read_bytes()
        except OSError as exc:
            issues.append(ReplyIssue(source, Problem.MALFORMED, f"cannot be read ({exc.strerror})"))
            continue
        report = apply_reply_bytes(session, source, data)
        changes.extend(report.changes)
        issues.extend(report.issues)
    return ReplyReport(tuple(changes), tuple(issues))
