"""Calendar invitations (.ics) built with icalendar, exactly as the guide requires.

Pure functions, no database: the caller passes plain records (:class:`EventInfo`,
:class:`Organiser`, :class:`Attendee`) and gets bytes. ``shared/guides/
calendar-invites.md`` is the specification; the rule numbers below refer to its §1.

- One file per invitee with that invitee as the ONLY attendee, so no file ever
  reveals another invitee's address (PRODUCT.md, Privacy). This also holds for a
  whole-roundtable CANCEL, which RFC 5546 would allow to list everyone.
- ``METHOD`` REQUEST or CANCEL (rule 1, 11), our own ``PRODID``, ``VERSION:2.0``,
  the stored ``UID`` and the ``SEQUENCE`` chosen by the caller (rules 3–4), a fresh
  UTC ``DTSTAMP`` (rule 5), ``ORGANIZER`` with a quoted CN (rules 6–7).
- Times with ``TZID`` plus a VTIMEZONE in RRULE form (rules 8–9, see
  :mod:`.timezones`), or UTC when the zone cannot be written that way.
- No ``X-WR-*`` properties (rule 14); the bytes are ``to_ical()`` unchanged and are
  written in binary mode (rule 12).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vCalAddress
from icalendar.parser import Parameters

from roundtable_app import APP_NAME, __version__
from roundtable_app.core.errors import RoundtableError, ValidationError
from roundtable_app.core.model import Format, InviteeRole
from roundtable_app.core.validation import is_valid_email
from roundtable_app.services.files import write_bytes_atomically
from roundtable_app.services.invitations.timezones import vtimezone

PRODID = f"-//Evidence Centre//{APP_NAME} {__version__}//EN"
DEFAULT_REMINDER = dt.timedelta(hours=1)
_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu", "Universal"})


class Method(enum.StrEnum):
    """The iTIP method of a message; the e-mail part's ``method=`` must equal it."""

    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


@dataclass(frozen=True, slots=True)
class Organiser:
    """Who sends the invitations (the settings' name and address; ORGANIZER)."""

    name: str
    email: str

    def __post_init__(self) -> None:
        if not self.email or not is_valid_email(self.email):
            raise ValidationError(
                f"The organiser's e-mail address '{self.email}' is not an address; "
                "set it (name@example.org) in the settings or with --organiser-email.",
                field="organiser_email",
            )


@dataclass(frozen=True, slots=True)
class Attendee:
    """The one invitee a message is for."""

    name: str
    email: str
    role: InviteeRole = InviteeRole.PARTICIPANT


@dataclass(frozen=True, slots=True)
class EventInfo:
    """What an invitation says about the roundtable (a plain copy of the stored row)."""

    uid: str
    title: str
    starts_at: dt.datetime  # aware
    ends_at: dt.datetime  # aware, after starts_at
    time_zone: str  # IANA
    format: Format = Format.IN_PERSON
    purpose: str = ""
    venue: str = ""
    venue_address: str = ""
    online_link: str = ""
    accessibility_contact: str = ""

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(ZoneInfo(self.time_zone))

    @property
    def local_end(self) -> dt.datetime:
        return self.ends_at.astimezone(ZoneInfo(self.time_zone))


class _QuotedParameters(Parameters):
    """icalendar's parameters, but CN is always in double quotes (rule 7).

    icalendar quotes CN only when it holds a space or special character; an
    unquoted non-ASCII CN makes some parsers drop every parameter (twake #789).
    """

    always_quoted = (*Parameters.always_quoted, "CN")  # type: ignore[assignment]


def _address(email: str, **params: str) -> vCalAddress:
    # "mailto:" + the address as written: a URL-encoded "@" broke Outlook 2016.
    address = vCalAddress(f"mailto:{email}")
    address.params = _QuotedParameters(params)
    return address


_ROLE = {
    InviteeRole.CHAIR: "CHAIR",
    InviteeRole.OBSERVER: "OPT-PARTICIPANT",
}


def ical_role(role: InviteeRole) -> str:
    """The RFC 5545 ROLE for an invitee role (observers are optional)."""
    return _ROLE.get(role, "REQ-PARTICIPANT")


def _attendee_address(attendee: Attendee, method: Method) -> vCalAddress:
    return _address(
        attendee.email,
        CN=attendee.name or attendee.email,
        CUTYPE="INDIVIDUAL",
        ROLE=ical_role(attendee.role),
        PARTSTAT="NEEDS-ACTION",
        # A CANCEL expects no answer; an invitation must ask for one (rule 7).
        RSVP="TRUE" if method == Method.REQUEST else "FALSE",
    )


def location_text(event: EventInfo) -> str:
    """One line for LOCATION: the venue and address, or "Online"."""
    place = ", ".join(p for p in (event.venue.strip(), _one_line(event.venue_address)) if p)
    if event.format == Format.ONLINE or not place:
        return "Online" if event.online_link else place
    if event.format == Format.HYBRID and event.online_link:
        return f"{place} (or online)"
    return place


def _one_line(text: str) -> str:
    return ", ".join(part.strip() for part in text.splitlines() if part.strip())


def description_text(event: EventInfo, method: Method = Method.REQUEST) -> str:
    """The human-readable text: purpose, joining details, accessibility contact.

    Used for DESCRIPTION and for the plain-text body of e-mails. It names no
    other invitee.
    """
    lines: list[str] = []
    if method == Method.CANCEL:
        # Neutral on purpose: the same words for a cancelled roundtable and for
        # one invitee withdrawn from it, which may be a sensitive matter.
        lines += ["This invitation has been cancelled; please remove it from your calendar.", ""]
    if event.purpose.strip():
        lines += [event.purpose.strip(), ""]
    start, end = event.local_start, event.local_end
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%A %d %B %Y}, {end:%H:%M}"
    lines.append(f"When: {start:%A %d %B %Y}, {start:%H:%M}–{until} ({event.time_zone})")
    if event.format != Format.ONLINE and (event.venue or event.venue_address):
        lines.append(f"Where: {location_text(event)}")
    if event.format != Format.IN_PERSON and event.online_link:
        lines.append(f"Join online: {event.online_link}")
    if event.accessibility_contact.strip():
        lines += [
            "",
            "Access requirements or questions about taking part: contact "
            f"{event.accessibility_contact.strip()}.",
        ]
    return "\n".join(lines)


def build_calendar(
    event: EventInfo,
    organiser: Organiser,
    attendee: Attendee,
    *,
    method: Method,
    sequence: int,
    stamp: dt.datetime | None = None,
    reminder: dt.timedelta | None = DEFAULT_REMINDER,
) -> Calendar:
    """The VCALENDAR for one invitee: a REQUEST (invite/update) or a CANCEL.

    ``sequence`` is the revision the caller decided on (0 for the first
    invitation; higher for every update and for a cancellation). ``stamp`` is the
    DTSTAMP, "now" by default; it must be new for each message.
    """
    if not attendee.email or not is_valid_email(attendee.email):
        raise ValidationError(
            f"{attendee.name} has no usable e-mail address; add one in the directory.",
            field="email",
        )
    if event.ends_at <= event.starts_at:
        raise ValidationError("The roundtable ends before it starts; fix its times.", "ends_at")
    if sequence < 0:
        raise ValueError("SEQUENCE cannot be negative")
    stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method.value)

    # UTC needs no VTIMEZONE (icalendar writes "Z"; icalendar #1124 is about that one).
    utc = event.time_zone in _UTC_NAMES
    tz_component = None if utc else vtimezone(event.time_zone, event.local_start.year)
    if tz_component is not None:
        zone = ZoneInfo(event.time_zone)
        # Copy: the cached component is shared between messages.
        cal.add_component(tz_component.copy(recursive=True))
        start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    else:
        start, end = event.starts_at.astimezone(dt.UTC), event.ends_at.astimezone(dt.UTC)

    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", sequence)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", event.title)
    location = location_text(event)
    if location:
        vevent.add("location", location)
    if event.online_link:
        vevent.add("url", event.online_link)
    vevent.add("description", description_text(event, method))
    vevent.add("organizer", _address(organiser.email, CN=organiser.name or organiser.email))
    vevent.add("attendee", _attendee_address(attendee, method))
    vevent.add("status", "CONFIRMED" if method == Method.REQUEST else "CANCELLED")
    vevent.add("transp", "OPAQUE")
    if method == Method.REQUEST and reminder is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Reminder: {event.title}")
        alarm.add("trigger", -reminder)
        vevent.add_component(alarm)
    cal.add_component(vevent)
    return cal


def build_ics(
    event: EventInfo,
    organiser: Organiser,
    attendee: Attendee,
    *,
    method: Method,
    sequence: int,
    stamp: dt.datetime | None = None,
    reminder: dt.timedelta | None = DEFAULT_REMINDER,
) -> bytes:
    """:func:`build_calendar` as the bytes icalendar produces (CRLF, folded, UTF-8)."""
    return build_calendar(
        event, organiser, attendee, method=method, sequence=sequence, stamp=stamp, reminder=reminder
    ).to_ical()


class IcsTemplate:
    """Many invitees' files for one message (same event, method and sequence), fast.

    Building and serialising a whole calendar with icalendar takes ~2 ms; 500
    invitees would spend a second on it. Every invitee's file differs only in
    its ATTENDEE and DTSTAMP lines, so this builds the calendar once with
    :func:`build_calendar`, keeps icalendar's folded content lines, and per
    invitee asks icalendar for just those two lines. The bytes are identical to
    ``build_ics(...)`` for the same invitee and stamp (a test checks that), so
    the guide's rules hold exactly as they do for a calendar built in one go.
    """

    def __init__(
        self,
        event: EventInfo,
        organiser: Organiser,
        *,
        method: Method,
        sequence: int,
        reminder: dt.timedelta | None = DEFAULT_REMINDER,
    ) -> None:
        self.event, self.organiser = event, organiser
        self.method, self.sequence, self.reminder = method, sequence, reminder
        # Built once around a stand-in attendee whose line is replaced per invitee.
        stand_in = Attendee("Stand-in", "stand-in@example.invalid")
        cal = build_calendar(
            event, organiser, stand_in, method=method, sequence=sequence, reminder=reminder
        )
        lines = cal.content_lines()
        self._folded = [line.to_ical() if line else b"" for line in lines]
        in_event = [i for i, line in enumerate(lines) if line == "BEGIN:VEVENT"][0]
        self._attendee_at = self._index(lines, "ATTENDEE", in_event)
        self._stamp_at = self._index(lines, "DTSTAMP", in_event)
        self._scratch = cal.walk("VEVENT")[0]

    @staticmethod
    def _index(lines: list[str], name: str, start: int) -> int:
        found = [
            i
            for i, line in enumerate(lines)
            if i > start and (line.startswith(f"{name};") or line.startswith(f"{name}:"))
        ]
        if len(found) != 1:
            raise RuntimeError(f"expected exactly one {name} line in the event")
        return found[0]

    def render(self, attendee: Attendee, stamp: dt.datetime | None = None) -> bytes:
        """The .ics bytes for one invitee, with a fresh DTSTAMP unless ``stamp`` is given."""
        if not attendee.email or not is_valid_email(attendee.email):
            raise ValidationError(
                f"{attendee.name} has no usable e-mail address; add one in the directory.",
                field="email",
            )
        stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
        # The same calls build_calendar makes, on a scratch event, for the two lines.
        scratch = Event()
        scratch.add("dtstamp", stamp)
        scratch.add("attendee", _attendee_address(attendee, self.method))
        folded = list(self._folded)
        folded[self._stamp_at] = scratch.content_line("DTSTAMP", scratch["DTSTAMP"]).to_ical()
        folded[self._attendee_at] = scratch.content_line("ATTENDEE", scratch["ATTENDEE"]).to_ical()
        return b"\r\n".join(line for line in folded if line) + b"\r\n"


# --- files -----------------------------------------------------------------------

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
MAX_NAME = 150  # characters before the extension; folders add more, MAX_PATH is 260


def safe_filename(stem: str, extension: str) -> str:
    """``stem`` made safe as a file name on Windows, macOS and Linux, plus ``extension``."""
    text = unicodedata.normalize("NFC", stem)
    text = _UNSAFE.sub("-", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    text = text[:MAX_NAME].rstrip(" .") or "invitation"
    if _WINDOWS_RESERVED.match(text):
        text = f"_{text}"
    return f"{text}.{extension.lstrip('.')}"


def message_stem(event: EventInfo, attendee: Attendee, method: Method) -> str:
    """ "2026-12-03 Forced labour roundtable - jane.doe@example.org" (before cleaning)."""
    label = " - cancelled" if method == Method.CANCEL else ""
    room = MAX_NAME - len(attendee.email) - len(label) - 14
    title = event.title if len(event.title) <= room else event.title[: max(room, 10)].rstrip()
    return f"{event.local_start:%Y-%m-%d} {title}{label} - {attendee.email}"


def write_bytes(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Write ``data`` exactly as it is: binary mode, so CRLF stays CRLF (guide rule 12).

    Like every other output: owner-only (0600), through a temporary file renamed
    into place, so a reader (a mail program importing the folder) never sees half
    a file. ``sync=False`` leaves waiting for the disk to the caller (a batch at
    once: see ``files.flush_to_disk``). A new folder is owner-only too: the file
    names carry invitees' addresses. Raises :class:`RoundtableError` naming the
    file when it cannot be written.
    """
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise RoundtableError(
            f"The folder {path.parent} could not be created: {exc.strerror or exc}. "
            "Check that you may write there, or choose another folder."
        ) from exc
    write_bytes_atomically(path, data, "invitation", sync=sync)
