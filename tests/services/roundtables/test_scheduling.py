"""Scheduling: clashes, weekends, times abroad, and rescheduling with undo."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from roundtable_app.core.model import Format, Response, RoundtableStatus
from roundtable_app.services import roundtables
from roundtable_app.services.roundtables import InviteeStatus, RoundtableData
from roundtable_app.storage.models import Invitation

START = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)  # a Thursday


def make(s, title, start, hours=2, **more):
    rt = roundtables.create_roundtable(
        s,
        RoundtableData(
            title=title, starts_at=start, ends_at=start + dt.timedelta(hours=hours), **more
        ),
    )
    return rt


def test_clashes_for_invitee_chair_and_venue(db, make_person):
    shared, chair, declined, other = (make_person(db, full_name=n) for n in "ABCD")
    with db.transaction() as s:
        first = make(s, "First", START, venue="Wilberforce Room", chair_id=chair)
        roundtables.add_invitees(s, first.id, [shared, declined])
        s.query(Invitation).filter_by(person_id=declined).update(
            {"response": Response.DECLINED.value}
        )
        touching = make(s, "Touching", START + dt.timedelta(hours=3), venue="Wilberforce Room")
        roundtables.add_invitees(s, touching.id, [shared])
        cancelled = make(s, "Cancelled", START, venue="wilberforce room")
        roundtables.set_status(s, cancelled.id, RoundtableStatus.CANCELLED, cancelled.version)
        online = make(
            s,
            "Online",
            START,
            venue="Wilberforce Room",
            format=Format.ONLINE,
            online_link="https://x.example/1",
        )
        second = make(
            s, "Second", START + dt.timedelta(hours=1), venue="WILBERFORCE ROOM", chair_id=chair
        )
        roundtables.add_invitees(s, second.id, [shared, declined, other])
        found = roundtables.clashes_for(s, second.id)
    kinds = sorted((c.kind, c.name, c.title) for c in found)
    assert kinds == [
        ("chair", "B", "First"),
        ("invitee", "A", "First"),
        ("venue", "Wilberforce Room", "First"),
    ]
    assert all(c.message for c in found)
    assert online.id and touching.id  # no clash: online has no room; touching ends as it starts


def test_clash_check_before_saving(db, make_person):
    person = make_person(db)
    with db.transaction() as s:
        rt = make(s, "Booked", START)
        roundtables.add_invitees(s, rt.id, [person])
        found = roundtables.find_clashes(
            s,
            starts_at=START + dt.timedelta(minutes=30),
            ends_at=START + dt.timedelta(hours=1),
            person_ids=[person],
        )
        assert [c.roundtable_id for c in found] == [rt.id]
        assert (
            roundtables.find_clashes(
                s,
                starts_at=START,
                ends_at=START + dt.timedelta(hours=1),
                person_ids=[person],
                exclude_roundtable=rt.id,
            )
            == []
        )


def test_weekend_in_the_roundtables_own_zone():
    saturday_utc = dt.datetime(2026, 12, 5, 10, tzinfo=dt.UTC)
    assert "Saturday" in roundtables.weekend_warning(saturday_utc, "Europe/London")
    assert roundtables.weekend_warning(START, "Europe/London") is None
    # Friday 23:30 in London is already Saturday in Tokyo.
    friday_late = dt.datetime(2026, 12, 4, 23, 30, tzinfo=dt.UTC)
    assert roundtables.weekend_warning(friday_late, "Europe/London") is None
    assert roundtables.weekend_warning(friday_late, "Asia/Tokyo") is not None


def test_time_as_each_invitee_sees_it(db, make_person):
    ny = make_person(db, full_name="New York", time_zone="America/New_York")
    same = make_person(db, full_name="Londoner", time_zone="Europe/London")
    unknown = make_person(db, full_name="No zone")
    with db.transaction() as s:
        rt = make(s, "Abroad", START, time_zone="Europe/London")
        roundtables.add_invitees(s, rt.id, [ny, same, unknown])
        seen = roundtables.invitee_local_times(s, rt.id)
    assert [(x.name, x.starts_at.hour) for x in seen] == [("New York", 5)]
    assert "05:00–07:00 EST (America/New_York)" in seen[0].text


def test_reschedule_marks_sent_invitations_and_undoes(db, make_person):
    person = make_person(db)
    with db.transaction() as s:
        rt = make(s, "Moving", START)
        roundtables.add_invitees(s, rt.id, [person])
        rt = roundtables.set_status(s, rt.id, RoundtableStatus.SCHEDULED, rt.version).after
        s.query(Invitation).update({"sent_sequence": 0, "sent_method": "request"})
    later = dt.datetime(2026, 12, 10, 14, tzinfo=dt.UTC)
    with db.transaction() as s:
        edit = roundtables.reschedule(s, rt.id, later, rt.version)
        rows = roundtables.invitee_rows(s, rt.id)
    assert edit.after.data.starts_at == later
    assert edit.after.data.ends_at == later + dt.timedelta(hours=2)
    assert edit.sequence_raised and rows[0].status == InviteeStatus.NEEDS_UPDATE
    with db.transaction() as s:
        undo = roundtables.reschedule(s, rt.id, edit.before.data.starts_at, edit.after.version)
    assert undo.after.data.starts_at == START
    # The sequence never goes back: for the invitees the undo is one more change.
    assert undo.after.ical_sequence == 2
    assert replace(undo.after.data) == rt.data
