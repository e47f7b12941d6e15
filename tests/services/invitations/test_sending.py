"""Delivering invitations: files, .eml drafts and a real SMTP server on localhost.

Every file the app writes is checked against the guide's rules and for other
invitees' addresses (PRODUCT.md, Privacy). The SMTP server is aiosmtpd, started
by the test; what arrived is parsed back.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope
from icalendar import Calendar
from sqlalchemy import select
from test_ical_rules import check_calendar

from roundtable_app.core.model import Format, RoundtableStatus
from roundtable_app.core.progress import Progress
from roundtable_app.services import invitations, roundtables
from roundtable_app.services.invitations import Method, Mode, Organiser, Security, SmtpSettings
from roundtable_app.services.roundtables import InviteeStatus, RoundtableData
from roundtable_app.storage.models import Invitation

ORG = Organiser("Events Team", "events@centre.example")
START = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)


def scheduled(db, make_person, n: int = 4, **data: object):
    """A scheduled roundtable with ``n`` invitees; returns (roundtable id, emails)."""
    emails = [f"invitee{i}.{id(db) % 1000}@example.org" for i in range(n)]
    people = [
        make_person(db, full_name=f"Invitee {i}", email=e, lived_experience=i == 0)
        for i, e in enumerate(emails)
    ]
    values: dict[str, object] = dict(
        title="Forced labour in supply chains",
        purpose="Agree the evidence needs.",
        format=Format.HYBRID,
        venue="Wilberforce Room",
        venue_address="1 Example Street, London",
        online_link="https://meet.example.org/j/42",
        accessibility_contact="access@centre.example",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=2),
        time_zone="Europe/London",
    )
    values.update(data)
    with db.transaction() as s:
        rt = roundtables.create_roundtable(s, RoundtableData(**values))  # type: ignore[arg-type]
        roundtables.add_invitees(s, rt.id, people)
        roundtables.set_status(s, rt.id, RoundtableStatus.SCHEDULED, rt.version)
    return rt.id, emails


def statuses(db, rt_id):
    with db.reading() as s:
        return {r.email: r.status for r in roundtables.invitee_rows(s, rt_id)}


def assert_private(data: bytes, own: str, emails: list[str]) -> None:
    assert own.encode() in data
    for other in emails:
        if other != own:
            assert other.encode() not in data, f"{other} leaked into {own}'s file"


def test_ics_files_follow_the_guide_and_reveal_no_one_else(db, make_person, tmp_path):
    rt_id, emails = scheduled(db, make_person)
    report = invitations.deliver(db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path)
    assert report.sent == 4 and not report.failed
    files = sorted(tmp_path.glob("*.ics"))
    assert len(files) == 4
    uids = set()
    for path in files:
        assert path.name.startswith("2026-12-03 Forced labour in supply chains - invitee")
        data = path.read_bytes()
        cal = check_calendar(data, method="REQUEST")
        vevent = cal.walk("VEVENT")[0]
        assert vevent["SEQUENCE"] == 0
        uids.add(str(vevent["UID"]))
        own = str(vevent["ATTENDEE"]).removeprefix("mailto:")
        assert_private(data, own, emails)
    assert len(uids) == 1
    with db.reading() as s:
        stored = roundtables.get_roundtable(s, rt_id).ical_uid
    assert uids == {stored}
    assert set(statuses(db, rt_id).values()) == {InviteeStatus.SENT}
    # Nothing pending any more: a second run writes nothing.
    again = invitations.deliver(db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path / "again")
    assert again.results == ()


def test_update_raises_sequence_and_cancel_raises_it_again(db, make_person, tmp_path):
    rt_id, emails = scheduled(db, make_person, n=2)
    invitations.deliver(db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path / "v1")
    with db.transaction() as s:
        info = roundtables.get_roundtable(s, rt_id)
        data = info.data
        moved = RoundtableData(
            **{
                **{f: getattr(data, f) for f in RoundtableData.__slots__},
                "starts_at": START + dt.timedelta(days=1),
                "ends_at": START + dt.timedelta(days=1, hours=2),
            }
        )
        edit = roundtables.update_roundtable(s, rt_id, moved, info.version)
    assert edit.sequence_raised and edit.after.ical_sequence == 1
    assert set(statuses(db, rt_id).values()) == {InviteeStatus.NEEDS_UPDATE}
    report = invitations.deliver(db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path / "v2")
    assert report.sent == 2
    for path in (tmp_path / "v2").iterdir():
        cal = check_calendar(path.read_bytes(), method="REQUEST")
        assert cal.walk("VEVENT")[0]["SEQUENCE"] == 1
    with db.transaction() as s:
        version = roundtables.get_roundtable(s, rt_id).version
        cancel = roundtables.set_status(s, rt_id, RoundtableStatus.CANCELLED, version)
    assert cancel.after.ical_sequence == 2
    assert set(statuses(db, rt_id).values()) == {InviteeStatus.CANCEL_NOT_SENT}
    with pytest.raises(Exception, match="cancelled"):
        invitations.deliver(
            db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path, method=Method.REQUEST
        )
    report = invitations.deliver(db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path / "cancel")
    assert report.sent == 2
    for path in (tmp_path / "cancel").iterdir():
        assert "cancelled" in path.name
        data = path.read_bytes()
        cal = check_calendar(data, method="CANCEL")
        vevent = cal.walk("VEVENT")[0]
        assert vevent["SEQUENCE"] == 2
        assert str(vevent["UID"]) == cancel.after.ical_uid
        assert_private(data, str(vevent["ATTENDEE"]).removeprefix("mailto:"), emails)
    assert set(statuses(db, rt_id).values()) == {InviteeStatus.CANCELLED}


def test_withdrawn_invitee_gets_a_cancel_and_others_are_unaffected(db, make_person, tmp_path):
    rt_id, emails = scheduled(db, make_person, n=3)
    invitations.deliver(db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path / "v1")
    with db.transaction() as s:
        rows = roundtables.invitee_rows(s, rt_id)
        gone = next(r for r in rows if r.email == emails[1])
        removed = roundtables.withdraw_invitees(s, [gone.invitation_id])
    assert not removed[0].deleted
    state = statuses(db, rt_id)
    assert state[emails[1]] == InviteeStatus.CANCEL_NOT_SENT
    assert state[emails[0]] == state[emails[2]] == InviteeStatus.SENT
    report = invitations.deliver(db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path / "c")
    assert [r.email for r in report.results] == [emails[1]]
    (path,) = (tmp_path / "c").iterdir()
    cal = check_calendar(path.read_bytes(), method="CANCEL")
    assert cal.walk("VEVENT")[0]["SEQUENCE"] == 1
    assert statuses(db, rt_id)[emails[1]] == InviteeStatus.CANCELLED
    # Invited again: a REQUEST above the CANCEL, or calendars would ignore it.
    with db.transaction() as s:
        person = s.scalar(select(Invitation.person_id).where(Invitation.id == gone.invitation_id))
        added = roundtables.add_invitees(s, rt_id, [person])
    assert added.reinstated == (gone.invitation_id,)
    report = invitations.deliver(db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path / "back")
    assert [(r.email, r.method, r.sequence) for r in report.results] == [
        (emails[1], Method.REQUEST, 2)
    ]
    # A later change of time must reach everyone, including the re-invited person.
    with db.transaction() as s:
        info = roundtables.get_roundtable(s, rt_id)
        roundtables.update_roundtable(
            s, rt_id, _with(info.data, venue="Another room"), info.version
        )
    assert set(statuses(db, rt_id).values()) == {InviteeStatus.NEEDS_UPDATE}


def _with(data: RoundtableData, **changes: object) -> RoundtableData:
    values = {f: getattr(data, f) for f in RoundtableData.__slots__}
    values.update(changes)
    return RoundtableData(**values)  # type: ignore[arg-type]


def test_draft_cannot_be_sent(db, make_person, tmp_path):
    person = make_person(db)
    with db.transaction() as s:
        rt = roundtables.create_roundtable(
            s, RoundtableData("Draft", starts_at=START, ends_at=START + dt.timedelta(hours=1))
        )
        roundtables.add_invitees(s, rt.id, [person])
    with pytest.raises(Exception, match="draft"):
        invitations.deliver(db, rt.id, ORG, mode=Mode.ICS_FILES, folder=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_invitee_without_address_is_skipped_and_not_marked(db, make_person, tmp_path):
    rt_id, emails = scheduled(db, make_person, n=1)
    nomail = make_person(db, full_name="Phone Only", email=None)
    with db.transaction() as s:
        roundtables.add_invitees(s, rt_id, [nomail])
    report = invitations.deliver(db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path)
    assert report.sent == 1
    assert [k.name for k in report.skipped] == ["Phone Only"]
    with db.reading() as s:
        rows = {r.name: r for r in roundtables.invitee_rows(s, rt_id)}
    assert rows["Phone Only"].status == InviteeStatus.NOT_SENT


def test_eml_drafts(db, make_person, tmp_path):
    rt_id, emails = scheduled(db, make_person, n=3)
    report = invitations.deliver(db, rt_id, ORG, mode=Mode.EML_DRAFTS, folder=tmp_path)
    assert report.sent == 3
    for path in tmp_path.glob("*.eml"):
        raw = path.read_bytes()
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert msg["X-Unsent"] == "1"
        assert msg["Subject"] == "Invitation: Forced labour in supply chains — Thu 3 Dec 2026"
        own = msg["To"].addresses[0].addr_spec
        assert msg["From"].addresses[0].addr_spec == ORG.email
        assert msg.get_content_type() == "multipart/alternative"
        kinds = [p.get_content_type() for p in msg.iter_parts()]
        assert kinds == ["text/plain", "text/html", "text/calendar"]
        part = list(msg.iter_parts())[2]
        assert part.get_param("method") == "REQUEST"
        assert part.get_param("charset") == "UTF-8"
        assert part["Content-Transfer-Encoding"] == "base64"
        assert part.get("Content-Disposition") is None
        ics = part.get_payload(decode=True)
        check_calendar(ics, method="REQUEST")
        assert_private(raw + ics, own, emails)


class Recorder:
    """An aiosmtpd handler that keeps what arrived and refuses chosen recipients."""

    def __init__(self, refuse: set[str] | None = None) -> None:
        self.refuse = refuse or set()
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope: Envelope, address: str, options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope: Envelope):  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content or b""))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    def start(refuse: set[str] | None = None, password: str | None = None):
        handler = Recorder(refuse)
        with socket.socket() as probe:  # a free port on this machine
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        auth = {}
        if password is not None:

            def check(server, session, envelope, mechanism, auth_data):
                ok = auth_data.login == b"events" and auth_data.password == password.encode()
                return AuthResult(success=ok, handled=False)

            # PLAIN only: after a failed PLAIN, smtplib would try LOGIN, which this
            # test server leaves hanging until the timeout.
            auth = {
                "authenticator": check,
                "auth_required": True,
                "auth_require_tls": False,
                "auth_exclude_mechanism": ["LOGIN"],
            }
        controller = Controller(handler, hostname="127.0.0.1", port=port, **auth)
        controller.start()
        started.append(controller)
        return handler, SmtpSettings(host="127.0.0.1", port=port, security=Security.NONE)

    started: list[Controller] = []
    yield start
    for controller in started:
        controller.stop()


def test_smtp_sends_one_message_per_invitee(db, make_person, smtp_server):
    rt_id, emails = scheduled(db, make_person, n=3)
    handler, settings = smtp_server()
    seen: list[tuple[int, int]] = []
    report = invitations.deliver(
        db,
        rt_id,
        ORG,
        mode=Mode.SMTP,
        smtp=settings,
        progress=Progress(lambda done, total, _m: seen.append((done, total))),
    )
    assert report.sent == 3 and seen[-1] == (3, 3)
    assert sorted(r for rcpts, _ in handler.messages for r in rcpts) == sorted(emails)
    for rcpts, raw in handler.messages:
        assert len(rcpts) == 1
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert "X-Unsent" not in msg
        assert [a.addr_spec for a in msg["To"].addresses] == rcpts
        cal_part = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
        assert cal_part.get_param("method") == "REQUEST"
        ics = cal_part.get_payload(decode=True)
        cal = check_calendar(ics, method="REQUEST")
        assert str(cal.walk("VEVENT")[0]["ATTENDEE"]) == f"mailto:{rcpts[0]}"
        assert_private(raw + ics, rcpts[0], emails)
    assert set(statuses(db, rt_id).values()) == {InviteeStatus.SENT}


def test_refused_recipient_is_reported_not_marked_and_retried(db, make_person, smtp_server):
    rt_id, emails = scheduled(db, make_person, n=3)
    handler, settings = smtp_server(refuse={emails[1]})
    report = invitations.deliver(db, rt_id, ORG, mode=Mode.SMTP, smtp=settings)
    assert report.sent == 2
    (failed,) = report.failed
    assert failed.email == emails[1] and failed.retryable
    assert "550" in failed.detail
    state = statuses(db, rt_id)
    assert state[emails[1]] == InviteeStatus.NOT_SENT
    assert state[emails[0]] == state[emails[2]] == InviteeStatus.SENT
    # Retry after the cause is fixed: only the failure goes out.
    handler.refuse.clear()
    retry = invitations.deliver(db, rt_id, ORG, mode=Mode.SMTP, smtp=settings)
    assert [r.email for r in retry.results] == [emails[1]] and retry.sent == 1
    assert statuses(db, rt_id)[emails[1]] == InviteeStatus.SENT


def test_unreachable_server_sends_and_marks_nothing(db, make_person):
    rt_id, _ = scheduled(db, make_person, n=2)
    dead = SmtpSettings(host="127.0.0.1", port=1, security=Security.NONE, timeout=2)
    with pytest.raises(Exception, match="Nothing was sent"):
        invitations.deliver(db, rt_id, ORG, mode=Mode.SMTP, smtp=dead)
    assert set(statuses(db, rt_id).values()) == {InviteeStatus.NOT_SENT}


def test_cancel_midway_keeps_what_was_sent(db, make_person, tmp_path):
    rt_id, emails = scheduled(db, make_person, n=4)
    progress = Progress(lambda done, total, _m: progress.cancel() if done == 2 else None)
    report = invitations.deliver(
        db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path, progress=progress
    )
    assert report.stopped and report.sent == 2 and len(report.failed) == 2
    assert len(list(tmp_path.glob("*.ics"))) == 2
    values = list(statuses(db, rt_id).values())
    assert values.count(InviteeStatus.SENT) == 2 and values.count(InviteeStatus.NOT_SENT) == 2


def test_zone_abroad_round_trips(db, make_person, tmp_path):
    rt_id, _ = scheduled(db, make_person, n=1, time_zone="America/New_York")
    invitations.deliver(db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path / "out")
    (path,) = (tmp_path / "out").iterdir()
    cal = Calendar.from_ical(path.read_bytes())
    assert cal.walk("VEVENT")[0].decoded("DTSTART").astimezone(dt.UTC) == START
    assert b"DTSTART;TZID=America/New_York:20261203T050000" in path.read_bytes()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_login_with_the_password_given_when_there_is_no_keyring(
    db, make_person, smtp_server, monkeypatch
):
    import keyring
    from keyring.backends.fail import Keyring as NoKeyring

    monkeypatch.setattr(keyring, "get_keyring", lambda: NoKeyring())
    rt_id, emails = scheduled(db, make_person, n=1)
    handler, settings = smtp_server(password="s3cret")
    settings = SmtpSettings(settings.host, settings.port, Security.NONE, user="events")
    assert invitations.keyring_password(settings) is None
    with pytest.raises(Exception, match="password"):
        invitations.deliver(db, rt_id, ORG, mode=Mode.SMTP, smtp=settings)
    with pytest.raises(Exception, match="user name or password"):
        invitations.deliver(db, rt_id, ORG, mode=Mode.SMTP, smtp=settings, password="wrong")
    assert statuses(db, rt_id)[emails[0]] == InviteeStatus.NOT_SENT
    report = invitations.deliver(db, rt_id, ORG, mode=Mode.SMTP, smtp=settings, password="s3cret")
    assert report.sent == 1 and len(handler.messages) == 1


def test_password_comes_from_the_keyring_when_there_is_one(monkeypatch):
    import keyring

    calls = []

    def fake_get(service, user):
        calls.append((service, user))
        return "from-keyring"

    monkeypatch.setattr(keyring, "get_password", fake_get)
    settings = SmtpSettings("smtp.example.org", user="events")
    assert invitations.keyring_password(settings) == "from-keyring"
    assert calls == [("roundtable_app", "events@smtp.example.org")]
