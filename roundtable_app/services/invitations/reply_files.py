"""Reading a reply file: the calendar reply in it, who sent it, and whether it may count.

Accepts .ics files and .eml messages that carry a calendar part (Outlook's
text/calendar inside multipart/alternative, Google's extra ``invite.ics``
attachment as application/ics, Thunderbird's part). Exchange writes Windows
zone names as TZIDs and may leave out ORGANIZER: neither is needed here.

What a file must say before it can change anyone's response (RFC 5546 §3.2.3,
the guide's §2.2): exactly one ATTENDEE, with an address, who says what they
answer (PARTSTAT), a SEQUENCE that is not negative and a DTSTAMP that can be
read. A file that breaks one of these is refused whole, with the reason. An
e-mail whose sender (From:) is not the attendee is read as forwarded by that
sender, so that a person decides whether to trust it (RFC 6047 §2.2.1: only
the attendee may report their own status).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import enum
from dataclasses import dataclass
from email.message import EmailMessage

from icalendar import Calendar

from roundtable_app.core.validation import email_key, normalise_email

MAX_FILE_BYTES = 20 * 1024 * 1024  # a reply is a few KB; refuse to parse huge files
_SHOWN = 80  # characters of a bad value quoted back in a message


class Problem(enum.StrEnum):
    """Why a reply changed nothing (the result window groups them by this)."""

    MALFORMED = "malformed"
    NOT_A_REPLY = "not_a_reply"
    #: Breaks a rule every genuine reply keeps (several attendees, no PARTSTAT,
    #: a SEQUENCE above the one sent, a DTSTAMP far in the future or unreadable...).
    REFUSED = "refused"
    UNKNOWN_EVENT = "unknown_event"
    NOT_INVITED = "not_invited"
    NOT_SENT = "not_sent"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"
    STALE = "stale"
    UNSUPPORTED = "unsupported"
    ALREADY_APPLIED = "already_applied"


class ReplyFileError(ValueError):
    """A file that cannot count as a reply; the message is for the user."""

    def __init__(self, kind: Problem, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class ParsedReply:
    """One invitee's answer to one roundtable, as the file states it."""

    uid: str
    attendee: str  # the address as compared (lower case, without mailto:)
    partstat: str
    sequence: int
    stamp: dt.datetime  # UTC
    #: Who sent the e-mail when that is not the attendee ("Name <address>"), else "".
    forwarded_by: str = ""


def _quoted(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _is_calendar(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].upper().startswith(b"BEGIN:VCALENDAR")


def _message(data: bytes) -> EmailMessage:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    if not msg.keys():
        raise ReplyFileError(Problem.MALFORMED, "neither a calendar file nor an e-mail")
    assert isinstance(msg, EmailMessage)  # the default policy's message class
    return msg


def _calendar_parts(msg: EmailMessage) -> list[bytes]:
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


@dataclass(frozen=True, slots=True)
class _Sender:
    """Who an e-mail says it is from: the addresses (as compared) and how to show them."""

    keys: frozenset[str]
    shown: str


def _sender(msg: EmailMessage) -> _Sender:
    header = msg.get("From")
    addresses = getattr(header, "addresses", ()) if header is not None else ()
    readable = [a for a in addresses if a.addr_spec and "@" in a.addr_spec]
    if not readable:
        shown = _quoted(header) if header is not None and str(header).strip() else ""
        return _Sender(frozenset(), shown or "an unknown sender (the e-mail has no From: line)")
    shown = ", ".join(
        f"{a.display_name} <{a.addr_spec}>" if a.display_name else a.addr_spec for a in readable
    )
    return _Sender(frozenset(email_key(a.addr_spec) for a in readable), shown)


def _address(value: object) -> str:
    text = normalise_email(str(value)) or ""  # strips "mailto:" in any case
    return email_key(text)


def _stamp(vevent: object) -> dt.datetime:
    raw = vevent.get("DTSTAMP")  # type: ignore[attr-defined]
    if raw is None:
        raise ReplyFileError(
            Problem.REFUSED,
            "the reply has no DTSTAMP (when it was written), which every calendar program "
            "adds, so it cannot be put in order with other replies; nothing was applied",
        )
    try:
        value = raw.dt  # icalendar keeps an unreadable value as a "broken" property
    except Exception:
        value = None
    if not isinstance(value, dt.datetime):  # unreadable (icalendar keeps it raw) or a date
        shown = _quoted(
            raw.to_ical().decode("utf-8", "replace") if hasattr(raw, "to_ical") else raw
        )
        raise ReplyFileError(
            Problem.REFUSED,
            f"its DTSTAMP ('{shown}') cannot be read as a date and time, so it cannot be put "
            "in order with other replies; nothing was applied",
        )
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _sequence(vevent: object) -> int:
    raw = vevent.get("SEQUENCE", 0)  # type: ignore[attr-defined]
    try:
        sequence = int(str(raw))
    except ValueError:
        raise ReplyFileError(
            Problem.MALFORMED, f"a SEQUENCE that is not a number ('{_quoted(raw)}')"
        ) from None
    if sequence < 0:
        raise ReplyFileError(
            Problem.REFUSED,
            f"the reply has a negative SEQUENCE ({sequence}), which no calendar program "
            "writes; nothing was applied",
        )
    return sequence


def _one_attendee(vevent: object) -> tuple[str, str]:
    """The replying attendee's address and PARTSTAT; refuses anything but exactly one."""
    attendees = vevent.get("ATTENDEE")  # type: ignore[attr-defined]
    if attendees is None:
        raise ReplyFileError(
            Problem.REFUSED,
            "the reply names no ATTENDEE, so it does not say who is answering; nothing was applied",
        )
    if not isinstance(attendees, list):
        attendees = [attendees]
    if len(attendees) != 1:
        _several({_address(a) or "(no address)" for a in attendees}, len(attendees))
    attendee = attendees[0]
    address = _address(attendee)
    if not address:
        raise ReplyFileError(
            Problem.REFUSED,
            "its ATTENDEE has no e-mail address, so the reply does not say who is answering; "
            "nothing was applied",
        )
    if "@" not in address:
        raise ReplyFileError(
            Problem.REFUSED,
            f"its ATTENDEE ('{_quoted(attendee)}') is not an e-mail address, so the reply does "
            "not say who is answering; nothing was applied",
        )
    partstat = getattr(attendee, "params", {}).get("PARTSTAT")
    if partstat is None or not str(partstat).strip():
        raise ReplyFileError(
            Problem.REFUSED,
            f"the reply does not say what {address} answered (it has no PARTSTAT); "
            "nothing was applied",
        )
    return address, str(partstat).strip().upper()


def _several(addresses: set[str], count: int) -> None:
    named = sorted(addresses)
    raise ReplyFileError(
        Problem.REFUSED,
        f"the file answers for {count} attendees ({', '.join(named)}); a reply answers for "
        "exactly one person, so nothing was applied",
    )


def _replies_in(raw: bytes) -> list[ParsedReply]:
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
    replies = []
    for vevent in cal.walk("VEVENT"):
        uid = str(vevent.get("UID", "")).strip()
        if not uid:
            raise ReplyFileError(
                Problem.MALFORMED, "a reply without UID (which roundtable it answers)"
            )
        attendee, partstat = _one_attendee(vevent)
        replies.append(ParsedReply(uid, attendee, partstat, _sequence(vevent), _stamp(vevent), ""))
    return replies


def parse_reply(data: bytes) -> list[ParsedReply]:
    """The replies in one file's bytes; raises :class:`ReplyFileError` with the reason.

    Every reply in a file is from the same attendee (Google repeats the calendar
    as an attachment: repeats count once); an e-mail's replies carry who
    forwarded them when the sender is not that attendee.
    """
    sender = None
    if _is_calendar(data):
        parts = [data.lstrip(b"\xef\xbb\xbf \t\r\n")]
    else:
        msg = _message(data)
        parts = _calendar_parts(msg)
        sender = _sender(msg)
    replies: list[ParsedReply] = []
    for raw in parts:
        for reply in _replies_in(raw):
            if reply not in replies:
                replies.append(reply)
    if not replies:
        raise ReplyFileError(Problem.MALFORMED, "a reply without any event in it")
    attendees = {reply.attendee for reply in replies}
    if len(attendees) > 1:
        _several(attendees, len(attendees))
    answers = {reply.uid for reply in replies}
    if len(answers) < len(replies):
        raise ReplyFileError(
            Problem.REFUSED,
            "the file holds different answers to the same roundtable, so it does not say "
            "which one counts; nothing was applied",
        )
    if sender is not None and sender.keys != attendees:
        forwarded_by = sender.shown
        replies = [
            ParsedReply(r.uid, r.attendee, r.partstat, r.sequence, r.stamp, forwarded_by)
            for r in replies
        ]
    return replies
