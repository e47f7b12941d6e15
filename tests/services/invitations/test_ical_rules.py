"""Checks of the calendar guide's rules on raw .ics bytes, shared by several test modules.

``shared/guides/calendar-invites.md`` §1 is the list; each check names its rule.
"""

from __future__ import annotations

import re

from icalendar import Calendar


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n"), "rule 12: the file ends with CRLF"
    return data[:-2].split(b"\r\n")


def check_bytes(data: bytes) -> None:
    """Rule 12: UTF-8 without BOM, CRLF everywhere, folded at 75 octets on characters."""
    assert not data.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert data.startswith(b"BEGIN:VCALENDAR\r\n"), "nothing before BEGIN:VCALENDAR (Gmail, Apple)"
    assert b"\r\r" not in data, "no CR CR LF"
    for line in physical_lines(data):
        assert b"\n" not in line and b"\r" not in line, f"bare line end in {line!r}"
        assert len(line) <= 75, f"line longer than 75 octets: {line!r}"
        line.decode("utf-8")  # a fold inside a multi-byte character would fail here
    data.decode("utf-8")


def unfolded(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def check_calendar(data: bytes, *, method: str) -> Calendar:
    """Rules 1–9, 11, 14 on one invitee's file; returns the parsed calendar."""
    check_bytes(data)
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0"
    assert "Roundtable" in str(cal["PRODID"]) and "collective" not in str(cal["PRODID"])
    assert str(cal["METHOD"]) == method
    events = cal.walk("VEVENT")
    assert len(events) == 1, "rule 2: one meeting per file"
    event = events[0]
    assert event.get("UID")
    assert "SEQUENCE" in event, "rule 4: SEQUENCE always present"
    stamp_lines = [line for line in unfolded(data) if line.startswith("DTSTAMP")]
    assert len(stamp_lines) == 1, "rule 5: the event has a DTSTAMP"
    assert re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", stamp_lines[0]), "rule 5: in UTC"
    organizer = event["ORGANIZER"]
    assert str(organizer).startswith("mailto:"), "rule 6: ORGANIZER is a mailto: URI"
    assert organizer.params.get("CN")
    attendees = event.get("ATTENDEE")
    assert not isinstance(attendees, list), "exactly one ATTENDEE: the invitee"
    assert str(attendees).startswith("mailto:")
    for line in unfolded(data):
        if line.startswith(("ATTENDEE", "ORGANIZER")):
            assert re.search(r';CN="[^"]*"[;:]', line), f"rule 7: CN quoted in {line}"
    if method == "REQUEST":
        p = attendees.params
        assert p["ROLE"] in ("REQ-PARTICIPANT", "CHAIR", "OPT-PARTICIPANT")
        assert p["PARTSTAT"] == "NEEDS-ACTION"
        assert p["RSVP"] == "TRUE", "rule 7: RSVP=TRUE"
        assert p["CUTYPE"] == "INDIVIDUAL"
        assert p.get("CN")
        assert str(event["STATUS"]) == "CONFIRMED"
        assert event.walk("VALARM"), "a reminder"
    else:
        assert str(event["STATUS"]) == "CANCELLED", "rule 11: two Ls"
        assert not event.walk("VALARM"), "RFC 5546: no VALARM in a CANCEL"
    # Rule 8: every TZID has its VTIMEZONE; no floating times.
    text = "\n".join(unfolded(data))
    used = set(re.findall(r";TZID=([^;:]+)[;:]", text))
    declared = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    assert used <= declared, f"TZIDs without VTIMEZONE: {used - declared}"
    lines = unfolded(data)
    in_event = lines[lines.index("BEGIN:VEVENT") :]
    for name in ("DTSTART", "DTEND"):
        line = next(x for x in in_event if x.startswith(name))
        if ";TZID=" not in line and "VALUE=DATE:" not in line:
            assert line.endswith("Z"), f"rule 8: floating time {line}"
    # Rule 9: the RRULE form, never RDATE lists; STANDARD always there.
    for tz in cal.walk("VTIMEZONE"):
        assert tz.walk("STANDARD"), "Outlook.com wants STANDARD"
        for sub in tz.walk("STANDARD") + tz.walk("DAYLIGHT"):
            assert "RDATE" not in sub
        if tz.walk("DAYLIGHT"):
            for sub in tz.walk("STANDARD") + tz.walk("DAYLIGHT"):
                assert "BYDAY" in sub["RRULE"], "Outlook wants BYDAY"
    assert "X-WR-" not in text, "rule 14"
    return cal
