"""The .ics builder against every rule of the calendar guide, parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from test_ical_rules import check_bytes, check_calendar, unfolded

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.model import Format, InviteeRole
from roundtable_app.services import invitations
from roundtable_app.services.invitations import Attendee, EventInfo, Method, Organiser, vtimezone

ORG = Organiser("Events Team, Evidence Centre", "events@centre.example")
JANE = Attendee("Jane Doe", "jane.doe@example.org")


def event(**changes: object) -> EventInfo:
    values: dict[str, object] = dict(
        uid="0f1e2d3c-aaaa-4bbb-8ccc-123456789abc@roundtable.invalid",
        title="Forced labour: budget, Q3; review",
        starts_at=dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 12, 3, 12, 30, tzinfo=dt.UTC),
        time_zone="Europe/London",
        format=Format.HYBRID,
        purpose="Agree the evidence most needed on forced labour — in supply chains, près d'ici.",
        venue="Wilberforce Room",
        venue_address="1 Example Street\nLondon EC1A 1AA",
        online_link="https://meet.example.org/j/1234567890?pwd=" + "x" * 60,
        accessibility_contact="access@centre.example",
    )
    values.update(changes)
    return EventInfo(**values)  # type: ignore[arg-type]


def test_request_follows_every_rule():
    data = invitations.build_ics(event(), ORG, JANE, method=Method.REQUEST, sequence=0)
    cal = check_calendar(data, method="REQUEST")
    vevent = cal.walk("VEVENT")[0]
    assert str(vevent["UID"]) == event().uid
    assert vevent["SEQUENCE"] == 0
    assert str(vevent["ORGANIZER"]) == "mailto:events@centre.example"
    assert vevent["ORGANIZER"].params["CN"] == "Events Team, Evidence Centre"
    assert str(vevent["ATTENDEE"]) == "mailto:jane.doe@example.org"
    assert vevent["ATTENDEE"].params["ROLE"] == "REQ-PARTICIPANT"
    # TEXT is escaped and comes back intact (vobject truncated unescaped ",;").
    assert str(vevent["SUMMARY"]) == "Forced labour: budget, Q3; review"
    assert str(vevent["URL"]) == event().online_link
    description = str(vevent["DESCRIPTION"])
    assert "Agree the evidence" in description
    assert event().online_link in description
    assert "access@centre.example" in description
    assert "Wilberforce Room" in str(vevent["LOCATION"])
    # 10:00 UTC in December is 10:00 in London, written with TZID.
    assert "DTSTART;TZID=Europe/London:20261203T100000" in unfolded(data)
    assert vevent.decoded("DTSTART").astimezone(dt.UTC) == event().starts_at
    assert vevent.decoded("DTEND").astimezone(dt.UTC) == event().ends_at
    alarm = vevent.walk("VALARM")[0]
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -dt.timedelta(hours=1)


def test_every_cn_is_quoted_even_a_plain_one():
    data = invitations.build_ics(
        event(),
        Organiser("Events", "e@centre.example"),
        Attendee("Zoë", "zoe@example.org"),
        method=Method.REQUEST,
        sequence=0,
    )
    lines = unfolded(data)
    assert any(line.startswith('ORGANIZER;CN="Events":mailto:') for line in lines)
    assert any(line.startswith('ATTENDEE;CN="Zoë";') for line in lines)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (InviteeRole.PARTICIPANT, "REQ-PARTICIPANT"),
        (InviteeRole.SPEAKER, "REQ-PARTICIPANT"),
        (InviteeRole.NOTE_TAKER, "REQ-PARTICIPANT"),
        (InviteeRole.CHAIR, "CHAIR"),
        (InviteeRole.OBSERVER, "OPT-PARTICIPANT"),
    ],
)
def test_attendee_role(role, expected):
    data = invitations.build_ics(
        event(), ORG, Attendee("A B", "a@example.org", role), method=Method.REQUEST, sequence=0
    )
    cal = check_calendar(data, method="REQUEST")
    assert cal.walk("VEVENT")[0]["ATTENDEE"].params["ROLE"] == expected


def test_cancel_has_method_status_same_uid_and_no_alarm():
    data = invitations.build_ics(event(), ORG, JANE, method=Method.CANCEL, sequence=3)
    cal = check_calendar(data, method="CANCEL")
    vevent = cal.walk("VEVENT")[0]
    assert str(vevent["UID"]) == event().uid
    assert vevent["SEQUENCE"] == 3
    assert "STATUS:CANCELLED" in unfolded(data)
    assert vevent["ATTENDEE"].params["RSVP"] == "FALSE"


def test_dtstamp_is_fresh_utc_for_each_message():
    stamp = dt.datetime(2026, 11, 28, 9, 30, 15, 999, tzinfo=ZoneInfo("Europe/Paris"))
    data = invitations.build_ics(event(), ORG, JANE, method=Method.REQUEST, sequence=0, stamp=stamp)
    assert "DTSTAMP:20261128T083015Z" in unfolded(data)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    data = invitations.build_ics(event(), ORG, JANE, method=Method.REQUEST, sequence=0)
    got = Calendar.from_ical(data).walk("VEVENT")[0].decoded("DTSTAMP")
    assert before <= got <= dt.datetime.now(dt.UTC)


def test_folding_never_splits_a_multibyte_character():
    long = event(purpose="é€😀" * 200, title="Ünïcödé " * 20)
    data = invitations.build_ics(
        long, ORG, Attendee("Ŵéïrd Ñámé " * 5, "w@example.org"), method=Method.REQUEST, sequence=1
    )
    check_bytes(data)
    vevent = Calendar.from_ical(data).walk("VEVENT")[0]
    assert "é€😀" * 200 in str(vevent["DESCRIPTION"])


ZONES = [
    "Europe/London",
    "Europe/Dublin",  # "negative DST" in zoneinfo
    "America/New_York",
    "America/Santiago",
    "Australia/Sydney",
    "Australia/Lord_Howe",  # 30-minute DST
    "Pacific/Auckland",
    "Asia/Kolkata",  # no DST
    "Asia/Tokyo",
    "America/Sao_Paulo",  # abolished DST in 2019
    "Asia/Jerusalem",  # "Friday before the last Sunday"
    "UTC",
]


@pytest.mark.parametrize("zone", ZONES)
def test_vtimezone_is_rrule_form_and_agrees_with_the_iana_database(zone):
    tz = vtimezone(zone, 2026)
    assert tz is not None
    text = tz.to_ical().decode()
    assert "RDATE" not in text
    assert text.count("BEGIN:STANDARD") == 1 and text.count("BEGIN:DAYLIGHT") <= 1
    # Read the VTIMEZONE back as a tzinfo (as a client would) and compare offsets
    # four times a day over the years around the event.
    as_read = Calendar.from_ical(tz.to_ical()).to_tz()
    iana = ZoneInfo(zone)
    start = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    for hours in range(0, 2 * 366 * 24, 6):
        at = start + dt.timedelta(hours=hours)
        assert at.astimezone(as_read).utcoffset() == at.astimezone(iana).utcoffset(), at


@pytest.mark.parametrize("zone", ZONES)
def test_event_in_each_zone_round_trips_to_the_same_instant(zone):
    for month in (1, 4, 7, 10):
        e = event(
            time_zone=zone,
            starts_at=dt.datetime(2026, month, 15, 13, tzinfo=dt.UTC),
            ends_at=dt.datetime(2026, month, 15, 15, tzinfo=dt.UTC),
        )
        data = invitations.build_ics(e, ORG, JANE, method=Method.REQUEST, sequence=0)
        cal = check_calendar(data, method="REQUEST")
        lines = unfolded(data)
        line = next(x for x in lines[lines.index("BEGIN:VEVENT") :] if x.startswith("DTSTART"))
        if zone == "UTC":
            assert not cal.walk("VTIMEZONE") and line.endswith("Z")
            continue
        # Resolve the local time with the file's own VTIMEZONE, not the parser's database.
        tzinfo = cal.walk("VTIMEZONE")[0].to_tz()
        local = dt.datetime.strptime(line.rsplit(":", 1)[1], "%Y%m%dT%H%M%S")
        assert local.replace(tzinfo=tzinfo).astimezone(dt.UTC) == e.starts_at


def test_zone_without_an_rrule_form_is_written_in_utc():
    # Morocco suspends its offset every Ramadan: no yearly rule describes it.
    e = event(time_zone="Africa/Casablanca")
    data = invitations.build_ics(e, ORG, JANE, method=Method.REQUEST, sequence=0)
    cal = check_calendar(data, method="REQUEST")
    assert not cal.walk("VTIMEZONE")
    assert "DTSTART:20261203T100000Z" in unfolded(data)


def test_invitee_without_an_address_is_refused():
    with pytest.raises(ValidationError):
        invitations.build_ics(
            event(), ORG, Attendee("No Mail", ""), method=Method.REQUEST, sequence=0
        )


def test_organiser_address_is_checked():
    with pytest.raises(ValidationError, match="organiser"):
        Organiser("Events", "not-an-address")


def test_safe_filename_on_windows():
    stem = invitations.message_stem(event(title='CON: a/b\\c*d?"e"<f>|g.'), JANE, Method.REQUEST)
    name = invitations.safe_filename(stem, "ics")
    assert name == "2026-12-03 CON- a-b-c-d-e-f-g. - jane.doe@example.org.ics"
    assert not set('<>:"/\\|?*') & set(name)
    assert invitations.safe_filename("con", "ics") == "_con.ics"
    assert invitations.safe_filename("  ..  ", "eml") == "invitation.eml"
    long = invitations.safe_filename(
        invitations.message_stem(event(title="x" * 400), JANE, Method.CANCEL), "ics"
    )
    assert len(long) <= invitations.MAX_NAME + 4 and long.endswith("jane.doe@example.org.ics")


def test_write_bytes_keeps_crlf(tmp_path):
    data = invitations.build_ics(event(), ORG, JANE, method=Method.REQUEST, sequence=0)
    path = tmp_path / "sub" / "a.ics"
    invitations.write_bytes(path, data)
    assert path.read_bytes() == data
    assert [p.name for p in path.parent.iterdir()] == ["a.ics"]


@pytest.mark.parametrize("method", list(Method))
def test_template_gives_the_same_bytes_as_building_each_file(method):
    stamp = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
    template = invitations.IcsTemplate(event(), ORG, method=method, sequence=4)
    people = [
        Attendee("Zoë Ünïcødé " * 6, "zoe@example.org", InviteeRole.CHAIR),
        Attendee("A", "a@b.co", InviteeRole.OBSERVER),
        Attendee("Smith, John; Jr.", "john.smith@example.org"),
    ]
    for person in people:
        expected = invitations.build_ics(
            event(), ORG, person, method=method, sequence=4, stamp=stamp
        )
        assert template.render(person, stamp) == expected
        check_calendar(template.render(person), method=method.value)
