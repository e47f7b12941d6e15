"""Replies are applied only when the invitee really sent them, to what they were really sent.

Each test builds the reply file a user would drop on the window (or give to
``roundtable-app replies``): an .ics or an .eml, and checks the response the
staff then see. Forged or broken replies change nothing, are reported with the
reason, and never block the invitee's genuine answer that comes after them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_replies import (
    ORG,
    crlf,
    google_reply,
    outlook_reply,
    responses,
    thunderbird_reply,
    write,
)
from test_sending import scheduled

from roundtable_app.core.model import Response, RoundtableStatus
from roundtable_app.services import invitations, roundtables
from roundtable_app.services.invitations import Method, Mode, Problem


@pytest.fixture
def invited(db, make_person, tmp_path):
    """A scheduled roundtable whose three invitees were sent their invitation (SEQUENCE 0)."""
    rt_id, emails = scheduled(db, make_person, n=3)
    invitations.deliver(db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path / "sent")
    with db.reading() as s:
        uid = roundtables.get_roundtable(s, rt_id).ical_uid
    return rt_id, uid, emails


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def reply_ics(uid: str, attendees: list[str], *, extra: str = "", seq: str = "0") -> bytes:
    """A reply with the ATTENDEE lines given as they are (``attendees``)."""
    lines = "\n".join(attendees)
    return crlf(f"""
BEGIN:VCALENDAR
PRODID:-//Test//Forged//EN
VERSION:2.0
METHOD:REPLY
BEGIN:VEVENT
UID:{uid}
{lines}
SEQUENCE:{seq}
{extra or "DTSTAMP:20261130T130000Z"}
END:VEVENT
END:VCALENDAR
""")


def apply(db, *files, **options):
    with db.transaction() as s:
        return invitations.apply_reply_files(s, list(files), **options)


def only_issue(report):
    assert not report.changes, report.changes
    assert len(report.issues) == 1, report.issues
    return report.issues[0]


# --- what the reply answers --------------------------------------------------------------


def test_a_reply_to_a_cancelled_roundtable_changes_nothing(db, invited, tmp_path):
    rt_id, uid, emails = invited
    with db.transaction() as s:
        info = roundtables.get_roundtable(s, rt_id)
        roundtables.set_status(s, rt_id, RoundtableStatus.CANCELLED, info.version)
    after = write(
        tmp_path,
        "after.ics",
        thunderbird_reply(uid, emails[0], "ACCEPTED", stamp=stamp(now() + dt.timedelta(minutes=5))),
    )
    issue = only_issue(apply(db, after))
    assert issue.kind == Problem.CANCELLED
    assert "cancelled" in issue.message and "Forced labour in supply chains" in issue.message
    assert responses(db, rt_id)[emails[0]] == Response.NEEDS_ACTION
    # Written before the roundtable was cancelled: it still counts (who had declined).
    before = write(
        tmp_path,
        "before.ics",
        thunderbird_reply(uid, emails[1], "DECLINED", stamp=stamp(now() - dt.timedelta(hours=1))),
    )
    report = apply(db, before)
    assert [c.new for c in report.changes] == [Response.DECLINED]
    assert responses(db, rt_id)[emails[1]] == Response.DECLINED


def test_a_reply_written_before_the_cancellation_counts_once_the_cancel_went_out(
    db, invited, tmp_path
):
    rt_id, uid, emails = invited
    with db.transaction() as s:
        info = roundtables.get_roundtable(s, rt_id)
        roundtables.set_status(s, rt_id, RoundtableStatus.CANCELLED, info.version)
    invitations.deliver(
        db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path / "cancel", method=Method.CANCEL
    )
    declined = write(
        tmp_path,
        "declined.ics",
        thunderbird_reply(uid, emails[2], "DECLINED", stamp=stamp(now() - dt.timedelta(days=2))),
    )
    report = apply(db, declined)
    assert [c.new for c in report.changes] == [Response.DECLINED], report.issues
    late = write(
        tmp_path,
        "late.ics",
        thunderbird_reply(uid, emails[0], "ACCEPTED", stamp=stamp(now() + dt.timedelta(hours=1))),
    )
    assert only_issue(apply(db, late)).kind == Problem.CANCELLED
    assert responses(db, rt_id)[emails[0]] == Response.NEEDS_ACTION


def test_a_reply_to_an_invitation_never_sent_changes_nothing(db, make_person, tmp_path):
    rt_id, emails = scheduled(db, make_person, n=2)  # invitees added, nothing sent
    with db.reading() as s:
        uid = roundtables.get_roundtable(s, rt_id).ical_uid
    reply = write(tmp_path, "draft.ics", thunderbird_reply(uid, emails[0], "ACCEPTED"))
    issue = only_issue(apply(db, reply))
    assert issue.kind == Problem.NOT_SENT
    assert "has not been sent" in issue.message and emails[0] in issue.message
    assert responses(db, rt_id)[emails[0]] == Response.NEEDS_ACTION


# --- who answers ---------------------------------------------------------------------------


def test_one_file_answering_for_three_people_changes_nobody(db, invited, tmp_path):
    rt_id, uid, emails = invited
    forged = write(
        tmp_path,
        "three.ics",
        reply_ics(uid, [f"ATTENDEE;PARTSTAT=DECLINED:mailto:{e}" for e in emails]),
    )
    issue = only_issue(apply(db, forged))
    assert issue.kind == Problem.REFUSED
    assert "3 attendees" in issue.message and "exactly one" in issue.message
    assert set(responses(db, rt_id).values()) == {Response.NEEDS_ACTION}


def test_three_events_answering_for_three_people_change_nobody(db, invited, tmp_path):
    rt_id, uid, emails = invited
    events = "".join(
        f"BEGIN:VEVENT\nUID:{uid}\nATTENDEE;PARTSTAT=DECLINED:mailto:{e}\n"
        "SEQUENCE:0\nDTSTAMP:20261130T130000Z\nEND:VEVENT\n"
        for e in emails
    )
    forged = write(
        tmp_path,
        "events.ics",
        crlf(f"BEGIN:VCALENDAR\nVERSION:2.0\nMETHOD:REPLY\n{events}END:VCALENDAR"),
    )
    issue = only_issue(apply(db, forged))
    assert issue.kind == Problem.REFUSED and "exactly one" in issue.message
    assert set(responses(db, rt_id).values()) == {Response.NEEDS_ACTION}


def test_an_attendee_without_an_address_says_so(db, invited, tmp_path):
    rt_id, uid, _emails = invited
    blank = write(tmp_path, "blank.ics", reply_ics(uid, ["ATTENDEE;PARTSTAT=ACCEPTED:mailto:"]))
    issue = only_issue(apply(db, blank))
    assert issue.kind == Problem.REFUSED
    assert "ATTENDEE has no e-mail address" in issue.message
    assert set(responses(db, rt_id).values()) == {Response.NEEDS_ACTION}


def test_a_reply_without_partstat_keeps_the_answer(db, invited, tmp_path):
    rt_id, uid, emails = invited
    accepted = write(tmp_path, "yes.ics", thunderbird_reply(uid, emails[0], "ACCEPTED"))
    assert apply(db, accepted).changes
    later = "DTSTAMP:20261201T090000Z"
    bare = write(
        tmp_path, "bare.ics", reply_ics(uid, [f"ATTENDEE:mailto:{emails[0]}"], extra=later)
    )
    issue = only_issue(apply(db, bare))
    assert issue.kind == Problem.REFUSED and "PARTSTAT" in issue.message
    assert emails[0] in issue.message
    assert responses(db, rt_id)[emails[0]] == Response.ACCEPTED


def test_an_email_from_a_stranger_is_held_as_forwarded(db, invited, tmp_path):
    rt_id, uid, emails = invited
    message = outlook_reply(uid, emails[0], "DECLINED").replace(
        f"From: Invitee <{emails[0]}>".encode(), b"From: Mallory <attacker@evil.example>"
    )
    forwarded = write(tmp_path, "forwarded.eml", message)
    report = apply(db, forwarded)
    assert not report.changes and not report.issues
    [held] = report.held
    assert held.source == "forwarded.eml" and held.email == emails[0]
    assert held.new == Response.DECLINED
    assert "forwarded by Mallory <attacker@evil.example>" in held.message
    assert not report.all_applied
    assert responses(db, rt_id)[emails[0]] == Response.NEEDS_ACTION
    # The user (or --accept-forwarded) decides to apply it after all.
    with db.transaction() as s:
        applied = invitations.apply_held_replies(s, report.held)
    [change] = applied.changes
    assert (
        change.new == Response.DECLINED and change.forwarded_by == "Mallory <attacker@evil.example>"
    )
    assert responses(db, rt_id)[emails[0]] == Response.DECLINED
    # From the command line: only when asked.
    other = write(
        tmp_path,
        "other.eml",
        google_reply(uid, emails[1], "ACCEPTED").replace(
            f"From: Invitee <{emails[1]}>".encode(), b"From: assistant@centre.example"
        ),
    )
    assert apply(db, other, accept_forwarded=True).changes[0].new == Response.ACCEPTED
    assert responses(db, rt_id)[emails[1]] == Response.ACCEPTED


def test_an_email_from_the_invitee_in_other_case_is_not_forwarded(db, invited, tmp_path):
    rt_id, uid, emails = invited
    message = outlook_reply(uid, emails[0], "ACCEPTED").replace(
        f"From: Invitee <{emails[0]}>".encode(), f"From: INVITEE <{emails[0].upper()}>".encode()
    )
    report = apply(db, write(tmp_path, "own.eml", message))
    assert [c.new for c in report.changes] == [Response.ACCEPTED] and not report.held
    assert report.all_applied


# --- SEQUENCE and DTSTAMP ------------------------------------------------------------------


def test_a_sequence_above_the_one_sent_is_refused_and_blocks_nothing(db, invited, tmp_path):
    rt_id, uid, emails = invited
    forged = write(
        tmp_path,
        "seq7.ics",
        thunderbird_reply(uid, emails[0], "DECLINED", seq=7, stamp="20261201T090000Z"),
    )
    issue = only_issue(apply(db, forged))
    assert issue.kind == Problem.REFUSED
    assert "version 8" in issue.message and "only version 1" in issue.message
    genuine = write(
        tmp_path,
        "genuine.ics",
        thunderbird_reply(uid, emails[0], "ACCEPTED", stamp="20261130T090000Z"),
    )
    assert [c.new for c in apply(db, genuine).changes] == [Response.ACCEPTED]
    assert responses(db, rt_id)[emails[0]] == Response.ACCEPTED


def test_a_forged_reply_applied_before_this_fix_no_longer_blocks_the_real_one(
    db, invited, tmp_path
):
    """Databases where an older version applied a forged "version 8, written in 2099"."""
    rt_id, uid, emails = invited
    with db.transaction() as s:
        from roundtable_app.storage.models import Invitation, Person

        for person_email, sequence, written in [
            (emails[0], 7, dt.datetime(2026, 11, 30, tzinfo=dt.UTC)),
            (emails[1], 0, dt.datetime(2099, 1, 1, tzinfo=dt.UTC)),
        ]:
            inv = (
                s.query(Invitation)
                .join(Person, Person.id == Invitation.person_id)
                .filter(Invitation.roundtable_id == rt_id, Person.email == person_email)
                .one()
            )
            inv.response, inv.reply_sequence, inv.reply_stamp = "declined", sequence, written
    genuine = [
        write(tmp_path, f"genuine{i}.ics", thunderbird_reply(uid, emails[i], "ACCEPTED"))
        for i in (0, 1)
    ]
    report = apply(db, *genuine)
    assert [c.new for c in report.changes] == [Response.ACCEPTED, Response.ACCEPTED]
    assert responses(db, rt_id)[emails[0]] == Response.ACCEPTED
    assert responses(db, rt_id)[emails[1]] == Response.ACCEPTED


def test_a_negative_sequence_is_refused(db, invited, tmp_path):
    rt_id, uid, emails = invited
    forged = write(tmp_path, "neg.ics", thunderbird_reply(uid, emails[0], "DECLINED", seq=-1))
    issue = only_issue(apply(db, forged))
    assert issue.kind == Problem.REFUSED and "negative SEQUENCE" in issue.message
    assert responses(db, rt_id)[emails[0]] == Response.NEEDS_ACTION


def test_a_stamp_in_the_future_is_refused_and_blocks_nothing(db, invited, tmp_path):
    rt_id, uid, emails = invited
    forged = write(
        tmp_path,
        "2099.ics",
        thunderbird_reply(uid, emails[0], "DECLINED", stamp="20990101T000000Z"),
    )
    issue = only_issue(apply(db, forged))
    assert issue.kind == Problem.REFUSED
    assert "1 Jan 2099" in issue.message and "future" in issue.message
    genuine = write(tmp_path, "genuine.ics", thunderbird_reply(uid, emails[0], "ACCEPTED"))
    assert [c.new for c in apply(db, genuine).changes] == [Response.ACCEPTED]
    # A clock a few hours fast is still believed.
    soon = write(
        tmp_path,
        "soon.ics",
        thunderbird_reply(uid, emails[1], "TENTATIVE", stamp=stamp(now() + dt.timedelta(hours=20))),
    )
    assert [c.new for c in apply(db, soon).changes] == [Response.TENTATIVE]
    assert responses(db, rt_id)[emails[0]] == Response.ACCEPTED


def test_an_unreadable_stamp_is_refused_not_called_older(db, invited, tmp_path):
    rt_id, uid, emails = invited
    accepted = write(tmp_path, "yes.ics", thunderbird_reply(uid, emails[0], "ACCEPTED"))
    assert apply(db, accepted).changes
    for name, bad in [("garbage.ics", "garbage"), ("month13.ics", "20261301T000000Z")]:
        broken = write(tmp_path, name, thunderbird_reply(uid, emails[0], "DECLINED", stamp=bad))
        issue = only_issue(apply(db, broken))
        assert issue.kind == Problem.REFUSED, issue
        assert "DTSTAMP" in issue.message and "cannot be read" in issue.message
        assert "older" not in issue.message
    assert responses(db, rt_id)[emails[0]] == Response.ACCEPTED


# --- the same file twice -------------------------------------------------------------------


def test_the_same_file_twice_is_already_applied(db, invited, tmp_path):
    rt_id, uid, emails = invited
    reply = write(tmp_path, "reply.eml", google_reply(uid, emails[0], "ACCEPTED"))
    copy = write(tmp_path, "copy.eml", reply.read_bytes())
    report = apply(db, reply, copy)
    assert [c.source for c in report.changes] == ["reply.eml"]
    issue = only_issue(type(report)((), report.issues))
    assert issue.source == "copy.eml" and issue.kind == Problem.ALREADY_APPLIED
    assert "already applied" in issue.message
    assert report.all_applied
    again = apply(db, reply)
    assert only_issue(again).kind == Problem.ALREADY_APPLIED and again.all_applied
    assert responses(db, rt_id)[emails[0]] == Response.ACCEPTED
