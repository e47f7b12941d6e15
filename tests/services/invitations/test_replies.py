"""Importing replies shaped like Outlook's, Google Calendar's and Thunderbird's.

The fixtures are hand-written after the guide's descriptions (§3.1–3.4):
Outlook/Exchange writes ``MAILTO:`` in capitals, Windows zone names as TZIDs,
may leave out ORGANIZER, and sends text/calendar in multipart/alternative;
Google sends multipart/mixed with the reply inline AND as an invite.ics
attachment (application/ics); Thunderbird sends a text/calendar part with
``method=REPLY`` and lower-case ``mailto:``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_sending import scheduled

from roundtable_app.core.model import Response
from roundtable_app.services import invitations, roundtables
from roundtable_app.services.invitations import Mode, Organiser, Problem

ORG = Organiser("Events Team", "events@centre.example")


def crlf(text: str) -> bytes:
    return text.strip("\n").replace("\n", "\r\n").encode() + b"\r\n"


def outlook_reply(uid: str, address: str, partstat: str, seq: int = 0, stamp="20261130T101500Z"):
    # Exchange: capital MAILTO, Windows TZID with its own VTIMEZONE, no ORGANIZER.
    ics = crlf(f"""
BEGIN:VCALENDAR
METHOD:REPLY
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VTIMEZONE
TZID:GMT Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T010000
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
ATTENDEE;PARTSTAT={partstat};CN=Invitee:MAILTO:{address.upper()}
COMMENT;LANGUAGE=en-GB:\\n
SUMMARY;LANGUAGE=en-GB:Accepted: Forced labour in supply chains
DTSTART;TZID=GMT Standard Time:20261203T100000
DTEND;TZID=GMT Standard Time:20261203T120000
UID:{uid}
CLASS:PUBLIC
PRIORITY:5
DTSTAMP:{stamp}
TRANSP:OPAQUE
STATUS:CONFIRMED
SEQUENCE:{seq}
LOCATION;LANGUAGE=en-GB:Wilberforce Room
X-MICROSOFT-CDO-APPT-SEQUENCE:{seq}
X-MICROSOFT-CDO-OWNERAPPTID:-1
END:VEVENT
END:VCALENDAR
""")
    import base64

    body = base64.encodebytes(ics).decode()
    return crlf(f"""
From: Invitee <{address}>
To: Events Team <events@centre.example>
Subject: Accepted: Forced labour in supply chains
Date: Mon, 30 Nov 2026 10:15:00 +0000
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="_000_outlook_"

--_000_outlook_
Content-Type: text/plain; charset="us-ascii"

Accepted.

--_000_outlook_
Content-Type: text/calendar; charset="utf-8"; method=REPLY
Content-Transfer-Encoding: base64

{body}
--_000_outlook_--
""")


def google_reply(uid: str, address: str, partstat: str, seq: int = 0, stamp="20261130T120000Z"):
    ics = crlf(f"""
BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:REPLY
BEGIN:VEVENT
DTSTART:20261203T100000Z
DTEND:20261203T120000Z
DTSTAMP:{stamp}
ORGANIZER;CN=Events Team:mailto:events@centre.example
UID:{uid}
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={partstat};CN=Invi
 tee;X-NUM-GUESTS=0:mailto:{address}
CREATED:20261128T090000Z
LAST-MODIFIED:20261130T120000Z
LOCATION:Wilberforce Room
SEQUENCE:{seq}
STATUS:CONFIRMED
SUMMARY:Forced labour in supply chains
TRANSP:OPAQUE
END:VEVENT
END:VCALENDAR
""")
    import base64

    body = base64.encodebytes(ics).decode()
    return crlf(f"""
MIME-Version: 1.0
From: Invitee <{address}>
Date: Mon, 30 Nov 2026 12:00:00 +0000
Subject: Invitation: Forced labour in supply chains @ Thu 3 Dec 2026 10am - 12pm (GMT)
To: events@centre.example
Content-Type: multipart/mixed; boundary="000000000000mixed"

--000000000000mixed
Content-Type: multipart/alternative; boundary="000000000000alt"

--000000000000alt
Content-Type: text/plain; charset="UTF-8"

Invitee has accepted this invitation.

--000000000000alt
Content-Type: text/calendar; charset="UTF-8"; method=REPLY
Content-Transfer-Encoding: 7bit

{ics.decode().replace(chr(13), "")}
--000000000000alt--

--000000000000mixed
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"
Content-Transfer-Encoding: base64

{body}
--000000000000mixed--
""")


def thunderbird_reply(
    uid: str, address: str, partstat: str, seq: int = 0, stamp="20261130T130000Z"
):
    ics = crlf(f"""
BEGIN:VCALENDAR
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
VERSION:2.0
METHOD:REPLY
BEGIN:VEVENT
CREATED:20261130T130000Z
LAST-MODIFIED:20261130T130000Z
DTSTAMP:{stamp}
UID:{uid}
SUMMARY:Forced labour in supply chains
ORGANIZER;CN="Events Team":mailto:events@centre.example
ATTENDEE;RSVP=TRUE;CN="Invitee";PARTSTAT={partstat};ROLE=REQ-PARTICIPANT:mailto:{address}
DTSTART;TZID=Europe/London:20261203T100000
DTEND;TZID=Europe/London:20261203T120000
SEQUENCE:{seq}
END:VEVENT
END:VCALENDAR
""")
    return ics


@pytest.fixture
def invited(db, make_person, tmp_path):
    rt_id, emails = scheduled(db, make_person, n=3)
    invitations.deliver(db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path / "sent")
    with db.reading() as s:
        from roundtable_app.services import roundtables

        uid = roundtables.get_roundtable(s, rt_id).ical_uid
    return rt_id, uid, emails


def responses(db, rt_id):
    with db.reading() as s:
        return {r.email: r.response for r in roundtables.invitee_rows(s, rt_id)}


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_outlook_google_and_thunderbird_replies_are_applied(db, invited, tmp_path):
    rt_id, uid, emails = invited
    files = [
        write(tmp_path, "outlook.eml", outlook_reply(uid, emails[0], "ACCEPTED")),
        write(tmp_path, "google.eml", google_reply(uid, emails[1], "DECLINED")),
        write(tmp_path, "thunderbird.ics", thunderbird_reply(uid, emails[2], "TENTATIVE")),
    ]
    with db.transaction() as s:
        report = invitations.apply_reply_files(s, files)
    assert not report.issues
    changed = {(c.source, c.email, c.old, c.new) for c in report.changes}
    assert changed == {
        ("outlook.eml", emails[0], Response.NEEDS_ACTION, Response.ACCEPTED),
        ("google.eml", emails[1], Response.NEEDS_ACTION, Response.DECLINED),
        ("thunderbird.ics", emails[2], Response.NEEDS_ACTION, Response.TENTATIVE),
    }
    assert responses(db, rt_id) == {
        emails[0]: Response.ACCEPTED,
        emails[1]: Response.DECLINED,
        emails[2]: Response.TENTATIVE,
    }
    with db.transaction() as s:
        invitations.restore_responses(s, report.changes)
    assert set(responses(db, rt_id).values()) == {Response.NEEDS_ACTION}


def test_stale_replies_are_ignored(db, invited, tmp_path):
    rt_id, uid, emails = invited
    newer = write(
        tmp_path, "new.ics", thunderbird_reply(uid, emails[0], "DECLINED", stamp="20261201T090000Z")
    )
    older = write(
        tmp_path, "old.ics", thunderbird_reply(uid, emails[0], "ACCEPTED", stamp="20261130T090000Z")
    )
    with db.transaction() as s:
        report = invitations.apply_reply_files(s, [newer, older])
    assert [c.new for c in report.changes] == [Response.DECLINED]
    assert [i.kind for i in report.issues] == [Problem.STALE]
    assert responses(db, rt_id)[emails[0]] == Response.DECLINED
    # A reply to an older version than the one the invitee was last sent is stale too.
    with db.transaction() as s:
        from roundtable_app.storage.models import Invitation

        for inv in s.query(Invitation).filter_by(roundtable_id=rt_id):
            inv.sent_sequence = 2
    low = write(tmp_path, "low.eml", google_reply(uid, emails[1], "ACCEPTED", seq=1))
    with db.transaction() as s:
        report = invitations.apply_reply_files(s, [low])
    assert not report.changes and report.issues[0].kind == Problem.STALE
    assert "version 2" in report.issues[0].message


def test_foreign_unknown_and_bad_files_are_reported(db, invited, tmp_path):
    rt_id, uid, emails = invited
    request = invitations.deliver  # noqa: F841 (keeps the import used in this module's story)
    files = [
        write(tmp_path, "stranger.eml", outlook_reply(uid, "stranger@example.net", "ACCEPTED")),
        write(
            tmp_path, "other-event.ics", thunderbird_reply("nope@elsewhere", emails[0], "ACCEPTED")
        ),
        write(tmp_path, "invite.ics", next((tmp_path / "sent").glob("*.ics")).read_bytes()),
        write(tmp_path, "garbage.ics", b"BEGIN:VCALENDAR\r\nthis is not\r\n"),
        write(tmp_path, "notes.txt", b"\x00\x01\x02 binary"),
        write(tmp_path, "plain.eml", crlf("From: a@b.example\nSubject: hi\n\nJust text.")),
        tmp_path / "missing.ics",
    ]
    with db.transaction() as s:
        report = invitations.apply_reply_files(s, files)
    assert not report.changes
    kinds = {i.source: i.kind for i in report.issues}
    assert kinds == {
        "stranger.eml": Problem.NOT_INVITED,
        "other-event.ics": Problem.UNKNOWN_EVENT,
        "invite.ics": Problem.NOT_A_REPLY,
        "garbage.ics": Problem.MALFORMED,
        "notes.txt": Problem.MALFORMED,
        "plain.eml": Problem.NOT_A_REPLY,
        "missing.ics": Problem.MALFORMED,
    }
    assert all(i.message for i in report.issues)
    assert set(responses(db, rt_id).values()) == {Response.NEEDS_ACTION}


def test_reply_at_the_same_version_with_newer_stamp_wins(db, invited, tmp_path):
    rt_id, uid, emails = invited
    first = write(
        tmp_path, "a.ics", thunderbird_reply(uid, emails[0], "ACCEPTED", stamp="20261130T090000Z")
    )
    second = write(
        tmp_path, "b.ics", thunderbird_reply(uid, emails[0], "DECLINED", stamp="20261130T100000Z")
    )
    with db.transaction() as s:
        report = invitations.apply_reply_files(s, [first, second])
    assert [(c.old, c.new) for c in report.changes] == [
        (Response.NEEDS_ACTION, Response.ACCEPTED),
        (Response.ACCEPTED, Response.DECLINED),
    ]
    with db.transaction() as s:
        again = invitations.apply_reply_files(s, [second, first])
    # The same file again is already applied; the earlier answer is older.
    assert not again.changes
    assert [i.kind for i in again.issues] == [Problem.ALREADY_APPLIED, Problem.STALE]
    assert dt.datetime  # keeps the import for type hints above


def test_a_reply_is_recorded_as_come_by_calendar_reply(db, invited, tmp_path):
    """The attendance list says how each answer arrived; undo puts the old way back."""
    from roundtable_app.core.model import ResponseChannel
    from roundtable_app.services import attendance

    rt_id, uid, emails = invited
    reply = write(tmp_path, "outlook.eml", outlook_reply(uid, emails[0], "ACCEPTED"))
    with db.transaction() as s:
        imported = invitations.import_replies(s, [reply])

    def channel() -> ResponseChannel | None:
        with db.reading() as s:
            rows = {r.email: r for r in attendance.attendance_rows(s, rt_id)}
        return rows[emails[0]].response_channel

    assert channel() == ResponseChannel.REPLY
    with db.transaction() as s:
        invitations.restore_responses(s, imported.undo)
    assert channel() is None
    with db.transaction() as s:
        invitations.restore_responses(s, imported.redo)
    assert channel() == ResponseChannel.REPLY
