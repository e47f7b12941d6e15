"""The e-mail around each invitation (iMIP): structure, headers, subjects, privacy."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import pytest
from test_ical_rules import check_calendar

from roundtable_app.core.model import Format
from roundtable_app.services import invitations
from roundtable_app.services.invitations import Attendee, EventInfo, Method, Organiser

ORG = Organiser("Évents Team, Centre", "events@centre.example")
ZOE = Attendee("Zoë Ünïcødé", "zoe@example.org")
EVENT = EventInfo(
    uid="u-1@roundtable.invalid",
    title="Forced labour: survivors’ voices in supply-chain evidence 😀",
    starts_at=dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC),
    ends_at=dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC),
    time_zone="Europe/London",
    format=Format.ONLINE,
    purpose="Agree <the> evidence & needs.",
    online_link="https://meet.example.org/j/1?a=1&b=2",
    accessibility_contact="access@centre.example",
)


def message(method=Method.REQUEST, *, is_update=False, draft=True):
    ics = invitations.build_ics(EVENT, ORG, ZOE, method=method, sequence=2)
    msg = invitations.build_email(
        EVENT, ORG, ZOE, ics, method=method, is_update=is_update, draft=draft
    )
    return invitations.email_bytes(msg), ics


@pytest.mark.parametrize("method", list(Method))
def test_structure_follows_rfc_6047(method):
    raw, ics = message(method)
    lines = raw.split(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b""), "CRLF only"
    assert max(len(line) for line in lines) <= 78
    raw.decode("ascii")  # 7-bit clean: survives any relay
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html", "text/calendar"]
    calendar = parts[2]
    assert calendar.get_param("method") == method.value  # equals METHOD inside
    assert calendar.get_param("charset") == "UTF-8"
    assert calendar.get_param("name") == "invite.ics"
    assert calendar["Content-Transfer-Encoding"] == "base64"
    assert calendar.get("Content-Disposition") is None  # Thunderbird
    assert calendar.get_payload(decode=True) == ics  # byte for byte, CRLF kept
    check_calendar(calendar.get_payload(decode=True), method=method.value)
    text = parts[0].get_content()
    assert "Dear Zoë Ünïcødé" in text and EVENT.online_link in text
    assert "access@centre.example" in text
    html = parts[1].get_content()
    assert "&lt;the&gt; evidence &amp; needs" in html
    assert 'href="https://meet.example.org/j/1?a=1&amp;b=2"' in html or method == Method.CANCEL


def test_headers_name_only_this_invitee_and_the_organiser():
    raw, _ = message()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert [a.addr_spec for a in msg["To"].addresses] == ["zoe@example.org"]
    assert msg["To"].addresses[0].display_name == "Zoë Ünïcødé"
    assert msg["From"].addresses[0].display_name == "Évents Team, Centre"
    assert msg["From"].addresses[0].addr_spec == "events@centre.example"
    assert "Cc" not in msg and "Bcc" not in msg
    assert msg["X-Unsent"] == "1"
    assert msg["Message-ID"].endswith("@centre.example>")
    sent, _ = message(draft=False)
    assert "X-Unsent" not in email.message_from_bytes(sent, policy=email.policy.default)


@pytest.mark.parametrize(
    ("method", "update", "prefix"),
    [
        (Method.REQUEST, False, "Invitation"),
        (Method.REQUEST, True, "Updated"),
        (Method.CANCEL, True, "Cancelled"),
    ],
)
def test_subjects(method, update, prefix):
    raw, _ = message(method, is_update=update)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Subject"] == f"{prefix}: {EVENT.title} — Thu 3 Dec 2026"


def test_subject_date_is_the_local_date():
    late = EventInfo(
        **{
            **{f: getattr(EVENT, f) for f in EventInfo.__slots__},
            "starts_at": dt.datetime(2026, 12, 3, 23, 30, tzinfo=dt.UTC),
            "ends_at": dt.datetime(2026, 12, 4, 1, tzinfo=dt.UTC),
            "time_zone": "Asia/Tokyo",
        }
    )
    assert invitations.subject(late, Method.REQUEST, False).endswith("Fri 4 Dec 2026")


def test_write_eml(tmp_path):
    ics = invitations.build_ics(EVENT, ORG, ZOE, method=Method.REQUEST, sequence=0)
    msg = invitations.build_email(EVENT, ORG, ZOE, ics, method=Method.REQUEST, draft=True)
    path = tmp_path / "x.eml"
    invitations.write_eml(path, msg)
    assert path.read_bytes() == invitations.email_bytes(msg)
