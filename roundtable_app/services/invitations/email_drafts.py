"""One e-mail per invitee carrying the calendar message (iMIP, RFC 6047), as .eml or for SMTP.

Structure (guide rule 13): ``multipart/alternative`` with text/plain, text/html
and ``text/calendar; method=REQUEST|CANCEL; charset=UTF-8; name="invite.ics"``
whose method equals the METHOD inside; the calendar part is base64 so its CRLFs
survive every relay, and it has no Content-Disposition (Thunderbird stops
detecting the invitation with one). ``To:`` is the one invitee only (Google
processes invitations addressed directly, never through CC; and no other
address is revealed). Drafts carry ``X-Unsent: 1`` so Outlook opens them as a
new message ready to send.
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
from base64 import b64encode
from email import encoders
from email._policybase import Compat32
from email.charset import Charset
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path
from typing import Any

from roundtable_app.services.invitations.ical import (
    Attendee,
    EventInfo,
    Method,
    Organiser,
    description_text,
    write_bytes,
)

# Why the classic ``email.mime`` classes and not ``EmailMessage``: the modern
# header parser and refolder cost ~3.5 ms per message, so 500 drafts alone took
# ~2 s (the whole budget, issue 4 §5); these build the same MIME structure in
# well under 1 ms. Readers see no difference: both are standard MIME.
# Bodies are base64 (7-bit safe through any relay; Python's quoted-printable
# encoder is pure Python and was the next slowest step).
_UTF8 = Charset("utf-8")


class _WirePolicy(Compat32):
    """compat32 with CRLF, and short ASCII headers written without the Header machinery.

    The Header class re-parses every value to fold it; a header that already
    fits on one line needs none of that (this halves the time per message).
    """

    def _fold(self, name: str, value: Any, sanitize: bool) -> str:
        if (
            isinstance(value, str)
            and value.isascii()
            and "\n" not in value
            and "\r" not in value
            and len(name) + 2 + len(value) <= 78
        ):
            return f"{name}: {value}{self.linesep}"
        if isinstance(value, str) and not value.isascii():
            words = (f"=?utf-8?b?{b64encode(w).decode()}?=" for w in _utf8_chunks(value, 40))
            return f"{name}: " + f"{self.linesep} ".join(words) + self.linesep
        return super()._fold(name, value, sanitize)  # type: ignore[misc]


def _utf8_chunks(text: str, size: int) -> list[bytes]:
    """``text`` as UTF-8 pieces of at most ``size`` bytes, never splitting a character.

    Each piece becomes one RFC 2047 encoded word of at most 68 characters, so a
    folded header line stays under 78. (email.header does this too, but in
    quadratic time: it was the slowest step of building a message.)
    """
    chunks: list[bytes] = []
    current = bytearray()
    for char in text:
        encoded = char.encode()
        if len(current) + len(encoded) > size:
            chunks.append(bytes(current))
            current = bytearray()
        current += encoded
    chunks.append(bytes(current))
    return chunks


_WIRE = _WirePolicy(linesep="\r\n", max_line_length=78)


def subject(event: EventInfo, method: Method, is_update: bool) -> str:
    """ "Invitation: <title> — Thu 3 Dec 2026", "Updated: …" or "Cancelled: …"."""
    start = event.local_start
    when = f"{start:%a} {start.day} {start:%b %Y}"
    if method == Method.CANCEL:
        prefix = "Cancelled"
    else:
        prefix = "Updated" if is_update else "Invitation"
    return f"{prefix}: {event.title} — {when}"


def _address(name: str, email: str) -> str:
    return formataddr((name, email), charset="utf-8")


def _html(event: EventInfo, method: Method, text: str) -> str:
    paragraphs = "".join(
        f"<p>{html.escape(block).replace(chr(10), '<br>')}</p>"
        for block in text.split("\n\n")
        if block.strip()
    )
    link = ""
    if method == Method.REQUEST and event.online_link:
        url = html.escape(event.online_link, quote=True)
        link = f'<p><a href="{url}">Join online</a></p>'
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
        f"<h2>{html.escape(event.title)}</h2>{paragraphs}{link}</body></html>"
    )


def build_email(
    event: EventInfo,
    organiser: Organiser,
    attendee: Attendee,
    ics: bytes,
    *,
    method: Method,
    is_update: bool = False,
    draft: bool = False,
    date: dt.datetime | None = None,
) -> Message:
    """The message for one invitee, with ``ics`` (from :mod:`ical`) as its calendar part."""
    # A boundary of our own: base64 lines never start with "--", so it cannot
    # clash, and the generator need not scan the body for a free one.
    msg = MIMEMultipart("alternative", boundary=f"==roundtable-{uuid.uuid4().hex}")
    msg["From"] = _address(organiser.name, organiser.email)
    msg["To"] = _address(attendee.name, attendee.email)
    msg["Subject"] = subject(event, method, is_update)  # encoded by _WirePolicy
    msg["Date"] = format_datetime(date or dt.datetime.now(dt.UTC))
    msg["Message-ID"] = make_msgid(domain=organiser.email.rpartition("@")[2])
    if draft:
        msg["X-Unsent"] = "1"
    text = f"Dear {attendee.name},\n\n{description_text(event, method)}\n"
    if method == Method.REQUEST:
        text += "\nPlease reply with your calendar's Accept or Decline buttons.\n"
    for body, subtype in ((text, "plain"), (_html(event, method, text), "html")):
        # Canonical form before base64: CRLF line breaks in text (RFC 2045 §6.8).
        part = MIMEText(body.replace("\n", "\r\n"), subtype, _UTF8)  # type: ignore[arg-type]
        del part["MIME-Version"]  # belongs on the message only
        msg.attach(part)
    calendar = MIMENonMultipart(
        "text", "calendar", method=method.value, charset="UTF-8", name="invite.ics"
    )
    calendar.set_payload(ics)
    encoders.encode_base64(calendar)  # base64 keeps the CRLFs intact (guide rule 13)
    del calendar["MIME-Version"]
    msg.attach(calendar)
    return msg


def email_bytes(msg: Message) -> bytes:
    """The message as it goes on the wire and into a .eml file (CRLF line ends)."""
    return msg.as_bytes(policy=_WIRE)


def write_eml(path: Path, msg: Message, *, sync: bool = True) -> None:
    """Write a draft .eml that opens in Outlook, Apple Mail and Thunderbird (see write_bytes)."""
    write_bytes(path, email_bytes(msg), sync=sync)
