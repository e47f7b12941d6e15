"""Bulk attendance over a long list: one read for everyone, not one per person."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from roundtable_app.core.errors import ConflictError
from roundtable_app.core.model import Attendance
from roundtable_app.services import attendance, roundtables

PAST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def forty(db, make_person):  # type: ignore[no-untyped-def]
    people = [make_person(db, full_name=f"Person {n:02} Surname{n:02}") for n in range(40)]
    data = roundtables.RoundtableData(
        title="Long list", starts_at=PAST, ends_at=PAST + dt.timedelta(hours=2)
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, people)
    with db.reading() as s:
        rows = attendance.attendance_rows(s, rid)
    return db, rid, rows


def _statements(db):  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def count(conn, cursor, statement, *_a) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    return seen, lambda: event.remove(db.engine, "before_cursor_execute", count)


def test_marking_forty_people_reads_them_at_once(forty) -> None:  # type: ignore[no-untyped-def]
    """350 people marked attended took seconds: each was read (and the one before it
    flushed) on its own, and the roundtable read again for each."""
    db, rid, rows = forty
    changes = [
        attendance.AttendanceChange(r.invitation_id, Attendance.UNKNOWN, Attendance.ATTENDED)
        for r in rows
    ]
    seen, stop = _statements(db)
    try:
        with db.transaction() as s:
            done = attendance.set_attendance(s, changes)
    finally:
        stop()
    assert len(done) == 40
    reads = [sql for sql in seen if sql.lstrip().upper().startswith("SELECT")]
    assert len(reads) <= 4, reads  # not one per person
    with db.reading() as s:
        assert {r.attendance for r in attendance.attendance_rows(s, rid)} == {Attendance.ATTENDED}


def test_one_conflict_in_a_bulk_change_changes_nobody(forty) -> None:  # type: ignore[no-untyped-def]
    db, rid, rows = forty
    with db.transaction() as s:  # a colleague marks the last person meanwhile
        attendance.set_attendance(
            s,
            [
                attendance.AttendanceChange(
                    rows[-1].invitation_id, Attendance.UNKNOWN, Attendance.NO_SHOW
                )
            ],
        )
    changes = [
        attendance.AttendanceChange(r.invitation_id, Attendance.UNKNOWN, Attendance.ATTENDED)
        for r in rows
    ]
    with pytest.raises(ConflictError, match="Person 39 Surname39's attendance was changed"):
        with db.transaction() as s:
            attendance.set_attendance(s, changes)
    with db.reading() as s:
        stored = [r.attendance for r in attendance.attendance_rows(s, rid)]
    assert stored == [Attendance.UNKNOWN] * 39 + [Attendance.NO_SHOW]
