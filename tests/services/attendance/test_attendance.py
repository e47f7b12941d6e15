"""Recording answers and attendance: the status rules, undo, conflicts, walk-ins, check-in."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable_app.core.errors import ConflictError, ValidationError
from roundtable_app.core.model import Attendance, Response, ResponseChannel, RoundtableStatus
from roundtable_app.services import attendance, grouping, roundtables
from roundtable_app.storage.models import Invitation
from roundtable_app.storage.unit_of_work import Database

PAST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _roundtable(db: Database, people: list[int], *, start: dt.datetime = PAST) -> int:
    data = roundtables.RoundtableData(
        title="Survivor support", starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, people)
    return rid


def _answer(db: Database, rid: int, person: int, response: Response) -> None:
    with db.transaction() as s:
        inv = s.query(Invitation).filter_by(roundtable_id=rid, person_id=person).one()
        inv.response = response.value


def _rows(db: Database, rid: int) -> dict[str, attendance.AttendanceRow]:
    with db.reading() as s:
        return {row.name: row for row in attendance.attendance_rows(s, rid)}


@pytest.fixture
def held(db, make_person):  # type: ignore[no-untyped-def]
    """A roundtable two months ago: Zoe accepted, Adam declined, Mei has not answered."""
    zoe = make_person(db, full_name="Zoe Abara", accessibility_needs="step-free access")
    adam = make_person(db, full_name="Adam Zielinski")
    mei = make_person(db, full_name="Mei Lin")
    rid = _roundtable(db, [zoe, adam, mei])
    _answer(db, rid, zoe, Response.ACCEPTED)
    _answer(db, rid, adam, Response.DECLINED)
    return db, rid, {"zoe": zoe, "adam": adam, "mei": mei}


def test_the_list_is_sorted_by_surname_with_what_staff_need(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = held
    with db.reading() as s:
        rows = attendance.attendance_rows(s, rid)
    assert [r.name for r in rows] == ["Zoe Abara", "Mei Lin", "Adam Zielinski"]
    assert [r.expected for r in rows] == [True, False, False]
    assert rows[0].has_needs and not rows[1].has_needs
    assert {r.attendance for r in rows} == {Attendance.UNKNOWN}


def test_everyone_who_accepted_attended_and_undo(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = held
    with db.transaction() as s:
        done = attendance.accepted_attended(s, rid)
    rows = _rows(db, rid)
    assert rows["Zoe Abara"].attendance == Attendance.ATTENDED
    assert rows["Adam Zielinski"].attendance == Attendance.UNKNOWN
    assert len(done) == 1
    with db.transaction() as s:
        attendance.set_attendance(s, [c.reversed() for c in done])
    assert _rows(db, rid)["Zoe Abara"].attendance == Attendance.UNKNOWN


def test_a_colleagues_change_is_never_overwritten(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = held
    zoe = _rows(db, rid)["Zoe Abara"].invitation_id
    mei = _rows(db, rid)["Mei Lin"].invitation_id
    with db.transaction() as s:  # a colleague at another desk
        attendance.set_attendance(
            s, [attendance.AttendanceChange(zoe, Attendance.UNKNOWN, Attendance.NO_SHOW)]
        )
    stale = [
        attendance.AttendanceChange(mei, Attendance.UNKNOWN, Attendance.APOLOGIES),
        attendance.AttendanceChange(zoe, Attendance.UNKNOWN, Attendance.ATTENDED),
    ]
    with pytest.raises(ConflictError, match="Zoe Abara's attendance was changed"):
        with db.transaction() as s:
            attendance.set_attendance(s, stale)
    rows = _rows(db, rid)
    assert rows["Zoe Abara"].attendance == Attendance.NO_SHOW
    assert rows["Mei Lin"].attendance == Attendance.UNKNOWN  # nothing half-done


def test_an_answer_by_phone_is_recorded_with_how_it_came(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = held
    mei = _rows(db, rid)["Mei Lin"].invitation_id
    with db.transaction() as s:
        change = attendance.record_response(
            s, mei, (Response.NEEDS_ACTION, None), Response.ACCEPTED, ResponseChannel.PHONE
        )
    row = _rows(db, rid)["Mei Lin"]
    assert (row.response, row.response_channel) == (Response.ACCEPTED, ResponseChannel.PHONE)
    assert change is not None
    with db.transaction() as s:
        attendance.apply_response(s, change.reversed())
    row = _rows(db, rid)["Mei Lin"]
    assert (row.response, row.response_channel) == (Response.NEEDS_ACTION, None)


def test_a_walk_in_is_added_attended_and_can_be_taken_off(held, make_person) -> None:  # type: ignore[no-untyped-def]
    db, rid, people = held
    newcomer = make_person(db, full_name="Olena Коваленко")
    with db.transaction() as s:
        walk_in = attendance.add_walk_in(s, rid, newcomer)
    assert isinstance(walk_in, attendance.WalkIn)
    row = _rows(db, rid)["Olena Коваленко"]
    assert row.walk_in and row.attendance == Attendance.ATTENDED and row.expected
    with db.reading() as s:
        assert attendance.arrival_counts(s, rid) == attendance.Arrivals(1, 0, 1)
    with db.transaction() as s:
        attendance.remove_walk_in(s, walk_in.invitation_id)
    assert "Olena Коваленко" not in _rows(db, rid)
    with db.transaction() as s:  # someone on the list who turns up is just marked attended
        change = attendance.add_walk_in(s, rid, people["mei"])
    assert isinstance(change, attendance.AttendanceChange)
    assert _rows(db, rid)["Mei Lin"].attendance == Attendance.ATTENDED


def test_check_in_twice_is_one_check_in(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = held
    zoe = _rows(db, rid)["Zoe Abara"].invitation_id
    first_at = PAST + dt.timedelta(minutes=5)
    with db.transaction() as s:
        first = attendance.check_in(s, zoe, first_at)
    with db.transaction() as s:  # the other door
        second = attendance.check_in(s, zoe, first_at + dt.timedelta(minutes=1))
    assert first.changed and not second.changed
    assert second.checked_in_at == first_at
    assert _rows(db, rid)["Zoe Abara"].checked_in_at == first_at
    with db.reading() as s:
        assert str(attendance.arrival_counts(s, rid)) == "1 of 1 expected have arrived"
    with db.transaction() as s:
        assert attendance.undo_check_in(s, first)
    row = _rows(db, rid)["Zoe Abara"]
    assert row.attendance == Attendance.UNKNOWN and row.checked_in_at is None


def test_attendance_waits_for_the_roundtable_to_begin(db, make_person) -> None:  # type: ignore[no-untyped-def]
    person = make_person(db)
    rid = _roundtable(db, [person], start=dt.datetime.now(dt.UTC) + dt.timedelta(days=30))
    inv = next(iter(_rows(db, rid).values())).invitation_id
    with pytest.raises(ValidationError, match="has not started yet"):
        with db.transaction() as s:
            attendance.check_in(s, inv)


def test_held_roundtables_without_attendance_are_found(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = held
    with db.transaction() as s:
        info = roundtables.get_roundtable(s, rid)
        roundtables.set_status(s, rid, RoundtableStatus.SCHEDULED, info.version)
        info = roundtables.get_roundtable(s, rid)
        roundtables.set_status(s, rid, RoundtableStatus.HELD, info.version)
    with db.reading() as s:
        assert rid in attendance.held_without_attendance(s)
    with db.transaction() as s:
        attendance.accepted_attended(s, rid)
    with db.reading() as s:
        assert rid not in attendance.held_without_attendance(s)


def test_only_people_who_came_have_sat_together(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, people = held
    with db.transaction() as s:
        pool = grouping.pool_from_people(s, people.values())
        plan = grouping.plan_from_tables(pool, [[people["zoe"], people["mei"]], [people["adam"]]])
        grouping.save_plan(s, rid, plan)
        later = roundtables.create_roundtable(s, roundtables.RoundtableData(title="Next")).id
        roundtables.add_invitees(s, later, [people["zoe"], people["mei"]])

    def met() -> int:
        with db.reading() as s:
            return len(grouping.load_pool(s, later).past_pairs)

    assert met() == 0  # attendance not recorded: nobody is known to have sat there
    rows = _rows(db, rid)
    with db.transaction() as s:
        attendance.mark(s, [rows["Zoe Abara"].invitation_id], Attendance.ATTENDED)
        attendance.mark(s, [rows["Mei Lin"].invitation_id], Attendance.NO_SHOW)
    assert met() == 0  # Mei did not come
    with db.transaction() as s:
        attendance.mark(s, [rows["Mei Lin"].invitation_id], Attendance.ATTENDED)
    assert met() == 1
