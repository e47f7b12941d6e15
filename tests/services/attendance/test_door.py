"""The check-in screen's services: when the door opens, finding people as one types,
the count, late arrivals, and walk-ins with their undo."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.model import Attendance, PersonData, Response, RoundtableStatus
from roundtable_app.services import attendance, directory, roundtables
from roundtable_app.storage.models import Invitation
from roundtable_app.storage.unit_of_work import Database

#: 10:00 in London (GMT in March), on a day far from any test run's clock.
START = dt.datetime(2030, 3, 5, 10, 0, tzinfo=dt.UTC)


def _roundtable(db: Database, people: list[int], *, start: dt.datetime = START) -> int:
    data = roundtables.RoundtableData(
        title="Survivor support", starts_at=start, ends_at=start + dt.timedelta(hours=3)
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, people)
    return rid


def _accept(db: Database, rid: int, *people: int) -> None:
    with db.transaction() as s:
        for inv in s.query(Invitation).filter(
            Invitation.roundtable_id == rid, Invitation.person_id.in_(people)
        ):
            inv.response = Response.ACCEPTED.value


def _door(db: Database, rid: int) -> attendance.Door:
    with db.reading() as s:
        return attendance.door(s, rid)


def _row(door: attendance.Door, name: str) -> attendance.AttendanceRow:
    return next(r for r in door.rows if r.name == name)


@pytest.fixture
def day(db, make_person):  # type: ignore[no-untyped-def]
    """A roundtable on START's day: Amina and Zoë accepted, Ben declined."""
    amina = make_person(db, full_name="Amina Yusuf", organisation="Hope for Justice")
    zoe = make_person(db, full_name="Zoë Abara", dietary_needs="halal")
    ben = make_person(db, full_name="Ben Yusufzai", organisation="Home Office")
    rid = _roundtable(db, [amina, zoe, ben])
    _accept(db, rid, amina, zoe)
    with db.transaction() as s:
        inv = s.query(Invitation).filter_by(roundtable_id=rid, person_id=ben).one()
        inv.response = Response.DECLINED.value
    return db, rid, {"amina": amina, "zoe": zoe, "ben": ben}


def test_people_arriving_before_the_start_are_checked_in(day) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = day
    amina = _row(_door(db, rid), "Amina Yusuf").invitation_id
    early = START - dt.timedelta(minutes=40)  # the same day, before the start
    with db.transaction() as s:
        done = attendance.check_in(s, amina, early)
    assert done.changed
    door = _door(db, rid)
    assert _row(door, "Amina Yusuf").checked_in_at == early
    assert door.late_by(_row(door, "Amina Yusuf")) is None
    with pytest.raises(ValidationError, match="has not started yet: it is on Tue 5 Mar 2030"):
        with db.transaction() as s:  # the day before: not yet
            attendance.check_in(s, amina, START - dt.timedelta(days=1, hours=-1))


def test_a_check_in_after_the_start_is_late(day) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = day
    zoe = _row(_door(db, rid), "Zoë Abara").invitation_id
    with db.transaction() as s:
        attendance.check_in(s, zoe, START + dt.timedelta(minutes=17))
    door = _door(db, rid)
    assert door.late_by(_row(door, "Zoë Abara")) == dt.timedelta(minutes=17)
    assert door.late_by(_row(door, "Amina Yusuf")) is None  # not arrived: not late
    assert door.local(START).strftime("%H:%M %Z") == "10:00 GMT"


def test_the_door_reads_the_count_and_the_tables(day) -> None:  # type: ignore[no-untyped-def]
    db, rid, people = day
    door = _door(db, rid)
    assert (door.title, door.status) == ("Survivor support", RoundtableStatus.DRAFT)
    assert door.tables == ()
    assert attendance.counts_text(door.arrivals, 0) == ("0 of 2 expected have arrived", "")
    with db.transaction() as s:
        attendance.check_in(s, _row(door, "Ben Yusufzai").invitation_id, START)
    door = _door(db, rid)
    assert attendance.counts_text(door.arrivals, 0) == (
        "0 of 2 expected have arrived",
        "plus 1 who had not said they would come",
    )
    assert attendance.counts_text(attendance.Arrivals(31, 23, 3), 2) == (
        "23 of 31 expected have arrived",
        "plus 2 walk-ins and 1 who had not said they would come",
    )
    assert attendance.counts_text(attendance.Arrivals(31, 23, 1), 1)[1] == "plus 1 walk-in"


def test_the_door_opens_on_the_day_and_until_it_ends() -> None:
    def closed(now: dt.datetime, status: RoundtableStatus = RoundtableStatus.SCHEDULED) -> str:
        end = START + dt.timedelta(hours=3)
        return attendance.door_closed("Forum", status, START, end, "Europe/London", now) or ""

    assert closed(START.replace(hour=0, minute=5)) == ""  # early that morning
    assert closed(START.replace(hour=23, minute=55)) == ""  # late that evening
    assert closed(START - dt.timedelta(days=1)) == (
        "“Forum” is on Tue 5 Mar 2030: the check-in opens on the day."
    )
    assert "took place on Tue 5 Mar 2030" in closed(START + dt.timedelta(days=1))
    assert "is cancelled" in closed(START, RoundtableStatus.CANCELLED)
    assert "no date yet" in (
        attendance.door_closed("Forum", RoundtableStatus.DRAFT, None, None, "Europe/London") or ""
    )
    # "Today" is the roundtable's own: 23:30 in London on the 4th is already the 5th in Tokyo.
    tokyo = dt.datetime(2030, 3, 5, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert (
        attendance.door_closed(
            "Tokyo",
            RoundtableStatus.SCHEDULED,
            tokyo,
            None,
            "Asia/Tokyo",
            dt.datetime(2030, 3, 4, 23, 30, tzinfo=dt.UTC),
        )
        is None
    )


def test_the_list_narrows_as_one_types_expected_people_first(day) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = day
    listed = attendance.DoorList(_door(db, rid).rows)

    def names(query: str) -> list[str]:
        return [r.name for r in listed.search(query)]

    assert names("") == ["Zoë Abara", "Amina Yusuf", "Ben Yusufzai"]  # expected, by surname
    assert names("yu") == ["Amina Yusuf", "Ben Yusufzai"]  # Ben declined: after
    assert names("am yu") == ["Amina Yusuf"]
    assert names("zoe") == ["Zoë Abara"]  # accents do not matter
    assert names("HOME") == ["Ben Yusufzai"]  # nor case; the organisation counts
    assert names("usuf") == ["Amina Yusuf", "Ben Yusufzai"]  # inside a word, too
    assert names("xq") == []
    # Once Amina has arrived she goes below the people still expected.
    arrived = [r if r.name != "Amina Yusuf" else _arrived(r) for r in _door(db, rid).rows]
    assert [r.name for r in attendance.DoorList(arrived).search("")] == [
        "Zoë Abara",
        "Ben Yusufzai",
        "Amina Yusuf",
    ]
    # Built from the list it replaces (kept folded texts), it finds the same, and
    # a person whose organisation changed meanwhile by the new one only.
    import dataclasses

    moved = [
        r if r.name != "Ben Yusufzai" else dataclasses.replace(r, organisation="Unseen UK")
        for r in arrived
    ]
    again = attendance.DoorList(moved, reuse=listed)
    assert [r.name for r in again.search("")] == ["Zoë Abara", "Ben Yusufzai", "Amina Yusuf"]
    assert [r.name for r in again.search("unseen")] == ["Ben Yusufzai"]
    assert again.search("home") == []
    assert [r.name for r in again.search("am yu")] == ["Amina Yusuf"]


def _arrived(row: attendance.AttendanceRow) -> attendance.AttendanceRow:
    import dataclasses

    return dataclasses.replace(row, attendance=Attendance.ATTENDED, checked_in_at=START)


def test_a_walk_in_from_the_directory_and_its_undo(day, make_person) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = day
    olena = make_person(db, full_name="Olena Коваленко", organisation="Unseen")
    make_person(db, full_name="王芳", email="wang@example.org")
    with db.reading() as s:
        candidates = attendance.door_candidates(s, rid)
    # Nobody on the list is offered; non-Latin names are found by any part.
    assert {c.name for c in candidates} == {"Olena Коваленко", "王芳"}
    assert [c.name for c in attendance.find_candidates(candidates, "кова")] == ["Olena Коваленко"]
    assert [c.name for c in attendance.find_candidates(candidates, "芳")] == ["王芳"]
    assert [c.name for c in attendance.find_candidates(candidates, "wang@")] == ["王芳"]
    assert attendance.find_candidates(candidates, "  ") == []
    late = START + dt.timedelta(minutes=5)
    with db.transaction() as s:
        done = attendance.check_in_walk_in(s, rid, olena, at=late)
    assert isinstance(done, attendance.DoorWalkIn) and not done.created
    door = _door(db, rid)
    row = _row(door, "Olena Коваленко")
    assert row.walk_in and row.arrived and row.checked_in_at == late
    assert attendance.counts_text(door.arrivals, 1) == (
        "0 of 2 expected have arrived",
        "plus 1 walk-in",
    )
    with db.transaction() as s:
        assert attendance.undo_walk_in(s, done) == []
    assert "Olena Коваленко" not in {r.name for r in _door(db, rid).rows}
    with db.transaction() as s:
        again = attendance.redo_walk_in(s, rid, done, [])
    assert _row(_door(db, rid), "Olena Коваленко").checked_in_at == late  # the time is kept
    assert again.walk_in.person_id == olena


def test_someone_on_the_list_picked_as_a_walk_in_is_just_checked_in(day) -> None:  # type: ignore[no-untyped-def]
    db, rid, people = day
    with db.transaction() as s:
        done = attendance.check_in_walk_in(s, rid, people["ben"], at=START)
    assert isinstance(done, attendance.CheckIn) and done.changed
    row = _row(_door(db, rid), "Ben Yusufzai")
    assert row.arrived and not row.walk_in


def test_a_new_person_at_the_door_and_the_undo_that_takes_them_out_again(day) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = day
    data = PersonData(full_name="  Priya   Natarajan ", organisation="Anti-Slavery Partnership")
    with db.transaction() as s:
        done = attendance.check_in_new_person(s, rid, data, at=START)
    assert done.created and done.walk_in.name == "Priya Natarajan"
    assert _row(_door(db, rid), "Priya Natarajan").organisation == "Anti-Slavery Partnership"
    with db.transaction() as s:
        deleted = attendance.undo_walk_in(s, done)
    with db.reading() as s:
        assert "Priya Natarajan" not in {r.full_name for r in directory.list_rows(s)}
    with db.transaction() as s:
        attendance.redo_walk_in(s, rid, done, deleted)
    with db.reading() as s:
        assert "Priya Natarajan" in {r.full_name for r in directory.list_rows(s)}
    assert _row(_door(db, rid), "Priya Natarajan").walk_in
    with pytest.raises(ValidationError, match="needs a name"):
        with db.transaction() as s:
            attendance.check_in_new_person(s, rid, PersonData(full_name=" "), at=START)


def test_undoing_a_new_walk_in_keeps_the_person_once_someone_has_edited_them(day) -> None:  # type: ignore[no-untyped-def]
    """The same rule as the attendance window's: a colleague's edit is never thrown away."""
    db, rid, _ = day
    with db.transaction() as s:
        done = attendance.check_in_new_person(s, rid, PersonData(full_name="Ama Owusu"), at=START)
    with db.transaction() as s:
        person = directory.get_person(s, done.walk_in.person_id)
        edited = PersonData(full_name="Ama Owusu", organisation="Hope at Work")
        directory.update_person(s, person.id, edited, person.version)
    with db.transaction() as s:
        assert attendance.undo_walk_in(s, done) == []
    with db.reading() as s:
        assert directory.get_person(s, done.walk_in.person_id).data.organisation == "Hope at Work"
    assert all(r.name != "Ama Owusu" for r in _door(db, rid).rows)
