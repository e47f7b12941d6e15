"""`roundtable-app replies`: the exit status says whether every reply was applied.

Run in-process on both backends with real reply files: 0 only when every file
was applied or had already been, 1 when any was unreadable, refused or not
applied (a forwarded reply without ``--accept-forwarded``), the reason for each
file printed either way.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from roundtable_app.cli import main
from roundtable_app.core.model import Response, RoundtableStatus
from roundtable_app.services import invitations, roundtables
from roundtable_app.services.invitations import Mode, Organiser
from roundtable_app.services.roundtables import RoundtableData

START = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)


@pytest.fixture
def sent(db, make_person, tmp_path):
    """A scheduled roundtable whose three invitees were sent their invitation."""
    emails = [f"invitee{i}@example.org" for i in range(3)]
    people = [make_person(db, full_name=f"Invitee {i}", email=e) for i, e in enumerate(emails)]
    data = RoundtableData(
        title="Forced labour", starts_at=START, ends_at=START + dt.timedelta(hours=2)
    )
    with db.transaction() as s:
        rt = roundtables.create_roundtable(s, data)
        roundtables.add_invitees(s, rt.id, people)
        roundtables.set_status(s, rt.id, RoundtableStatus.SCHEDULED, rt.version)
    organiser = Organiser("Events Team", "events@centre.example")
    invitations.deliver(db, rt.id, organiser, mode=Mode.ICS_FILES, folder=tmp_path / "sent")
    with db.reading() as s:
        uid = roundtables.get_roundtable(s, rt.id).ical_uid
    return rt.id, uid, emails


def responses(db, rt_id):
    with db.reading() as s:
        return {r.email: r.response for r in roundtables.invitee_rows(s, rt_id)}


def reply_ics(uid: str, address: str, partstat: str, seq: int = 0) -> bytes:
    """A Thunderbird-shaped reply."""
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
        "VERSION:2.0",
        "METHOD:REPLY",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261201T090000Z",
        f"SEQUENCE:{seq}",
        f'ATTENDEE;PARTSTAT={partstat};CN="Invitee":mailto:{address}',
        'ORGANIZER;CN="Events Team":mailto:events@centre.example',
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def reply_eml(sender: str, ics: bytes) -> bytes:
    """The reply e-mailed by ``sender``, the calendar in a text/calendar part."""
    head = (
        f"From: {sender}\r\nTo: events@centre.example\r\nSubject: Reply\r\n"
        'MIME-Version: 1.0\r\nContent-Type: text/calendar; charset="utf-8"; method=REPLY\r\n'
        "\r\n"
    )
    return head.encode() + ics


def replies(url: str, *files: Path, forwarded: bool = False) -> int:
    extra = ["--accept-forwarded"] if forwarded else []
    return main(["replies", *map(str, files), *extra, "--database", url])


def file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_exit_0_when_every_file_is_applied_or_already_was(db, any_url, sent, tmp_path, capsys):
    rt_id, uid, emails = sent
    yes = file(tmp_path, "yes.ics", reply_ics(uid, emails[0], "ACCEPTED"))
    assert replies(any_url, yes) == 0
    assert replies(any_url, yes) == 0
    out = capsys.readouterr().out
    assert "yes.ics: Invitee 0" in out and "→ accepted" in out
    assert "yes.ics: this reply from Invitee 0" in out and "already applied" in out
    assert responses(db, rt_id)[emails[0]] == Response.ACCEPTED


def test_exit_1_when_a_file_is_refused_unreadable_or_not_invited(
    db, any_url, sent, tmp_path, capsys
):
    rt_id, uid, emails = sent
    good = file(tmp_path, "good.ics", reply_ics(uid, emails[1], "DECLINED"))
    forged = file(tmp_path, "seq7.ics", reply_ics(uid, emails[0], "DECLINED", seq=7))
    assert replies(any_url, good, forged) == 1
    out = capsys.readouterr().out
    assert "good.ics: Invitee 1" in out and "→ declined" in out
    assert "seq7.ics: Invitee 0" in out and "only version 1 was ever sent" in out
    assert "1 not applied." in out
    for name, data in [
        ("bad.ics", b"not a calendar at all"),
        ("stranger.ics", reply_ics(uid, "stranger@example.net", "ACCEPTED")),
    ]:
        assert replies(any_url, file(tmp_path, name, data)) == 1
        assert f"{name}: " in capsys.readouterr().out
    assert responses(db, rt_id) == {
        emails[0]: Response.NEEDS_ACTION,
        emails[1]: Response.DECLINED,
        emails[2]: Response.NEEDS_ACTION,
    }


def test_a_forwarded_reply_needs_accept_forwarded(db, any_url, sent, tmp_path, capsys):
    rt_id, uid, emails = sent
    message = reply_eml("PA <pa@centre.example>", reply_ics(uid, emails[2], "TENTATIVE"))
    forwarded = file(tmp_path, "fwd.eml", message)
    assert replies(any_url, forwarded) == 1
    out = capsys.readouterr().out
    assert "fwd.eml: not applied: forwarded by PA <pa@centre.example>" in out
    assert "--accept-forwarded" in out
    assert responses(db, rt_id)[emails[2]] == Response.NEEDS_ACTION
    assert replies(any_url, forwarded, forwarded=True) == 0
    assert "→ tentative (forwarded by PA <pa@centre.example>)" in capsys.readouterr().out
    assert responses(db, rt_id)[emails[2]] == Response.TENTATIVE
    # The invitee's own e-mail needs no flag.
    own = file(
        tmp_path,
        "own.eml",
        reply_eml(f"Invitee <{emails[0]}>", reply_ics(uid, emails[0], "ACCEPTED")),
    )
    assert replies(any_url, own) == 0
    assert responses(db, rt_id)[emails[0]] == Response.ACCEPTED
