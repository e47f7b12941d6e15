"""Walk-ins found in the directory or new to it, seats checked against a colleague's move,
and the addresses the command line names: on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable_app.core.errors import (
    ConflictError,
    DuplicateEmailError,
    NotFoundError,
    ValidationError,
)
from roundtable_app.core.model import Attendance, PersonData
from roundtable_app.services import attendance, directory, grouping, roundtables
from roundtable_app.storage.unit_of_work import Database

PAST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _roundtable(db: Database, people: list[int]) -> int:
    data = roundtables.RoundtableData(
        title="Survivor support", starts_at=PAST, ends_at=PAST + dt.timedelta(hours=2)
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, people)
    return rid


def _rows(db: Database, rid: int) -> dict[str, attendance.AttendanceRow]:
    with db.reading() as s:
        return {row.name: row for row in attendance.attendance_rows(s, rid)}


@pytest.fixture
def held(db, make_person):  # type: ignore[no-untyped-def]
    """A past roundtable with Zoe and Adam on the list; others only in the directory."""
    zoe = make_person(db, full_name="Zoe Abara", email="zoe@example.org", organisation="Unseen")
    adam = make_person(db, full_name="Adam Zielinski", email="adam@example.org")
    others = {
        "yusuf": make_person(db, full_name="Amina Yusuf", email="amina@hope.example"),
        "olena": make_person(db, full_name="Olena Коваленко", organisation="Yusuf & Co"),
        "percent": make_person(db, full_name="Per Cent", email="100%@example.org"),
    }
    rid = _roundtable(db, [zoe, adam])
    return db, rid, {"zoe": zoe, "adam": adam, **others}


def test_candidates_match_name_email_or_organisation_best_first(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, people = held
    with db.reading() as s:
        found = attendance.walk_in_candidates(s, rid, "  YUS ")
        assert [c.name for c in found] == ["Amina Yusuf", "Olena Коваленко"]  # a word starts
        assert attendance.walk_in_candidates(s, rid, "hope.example")[0].person_id == people["yusuf"]
        assert attendance.walk_in_candidates(s, rid, "") == []
        # What the user typed is taken literally: % is no wildcard.
        assert [c.name for c in attendance.walk_in_candidates(s, rid, "100%")] == ["Per Cent"]
        [zoe] = attendance.walk_in_candidates(s, rid, "abara")
    assert zoe.on_list and zoe.organisation == "Unseen" and zoe.email == "zoe@example.org"


def test_a_new_walk_in_is_created_and_undo_takes_them_out_of_the_directory(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = held
    with db.transaction() as s:
        added = attendance.add_new_walk_in(
            s,
            rid,
            PersonData(full_name="Grace Mensah", email="grace@example.org", organisation="Hope"),
        )
    row = _rows(db, rid)["Grace Mensah"]
    assert row.walk_in and row.attendance == Attendance.ATTENDED
    assert row.organisation == "Hope" and row.email == "grace@example.org"
    with db.transaction() as s:
        removed = attendance.remove_new_walk_in(s, added)
    assert "Grace Mensah" not in _rows(db, rid)
    with db.reading() as s:
        assert directory.find_by_email(s, "grace@example.org") is None
    with db.transaction() as s:  # redo: the same person again
        again = attendance.redo_new_walk_in(s, rid, removed)
    assert again.walk_in.person_id == added.walk_in.person_id
    assert _rows(db, rid)["Grace Mensah"].attendance == Attendance.ATTENDED


def test_undoing_a_new_walk_in_keeps_a_person_invited_elsewhere_since(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = held
    with db.transaction() as s:
        added = attendance.add_new_walk_in(s, rid, PersonData(full_name="Grace Mensah"))
        later = roundtables.create_roundtable(s, roundtables.RoundtableData(title="Next")).id
        roundtables.add_invitees(s, later, [added.walk_in.person_id])
    with db.transaction() as s:
        attendance.remove_new_walk_in(s, added)
    assert "Grace Mensah" not in _rows(db, rid)
    with db.reading() as s:
        assert roundtables.invited_person_ids(s, later) == {added.walk_in.person_id}


def test_a_new_walk_in_with_a_known_address_is_refused_and_nothing_is_added(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = held
    with pytest.raises(DuplicateEmailError, match="Amina Yusuf already has"):
        with db.transaction() as s:
            attendance.add_new_walk_in(
                s, rid, PersonData(full_name="A. Yusuf", email="AMINA@hope.example")
            )
    assert "A. Yusuf" not in _rows(db, rid)


def test_a_walk_in_by_address_finds_or_creates_the_person(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = held
    with db.transaction() as s:
        known = attendance.add_walk_in_by_email(s, rid, "Amina@Hope.example")
        new = attendance.add_walk_in_by_email(s, rid, "kofi@example.org", "Kofi Boateng")
        listed = attendance.add_walk_in_by_email(s, rid, "adam@example.org")
    assert isinstance(known, attendance.WalkIn)
    assert isinstance(new, attendance.NewWalkIn)
    assert isinstance(listed, attendance.AttendanceChange)  # on the list: just attended
    rows = _rows(db, rid)
    assert rows["Amina Yusuf"].walk_in and rows["Kofi Boateng"].walk_in
    assert not rows["Adam Zielinski"].walk_in
    assert rows["Adam Zielinski"].attendance == Attendance.ATTENDED
    with pytest.raises(ValidationError) as raised:
        with db.transaction() as s:
            attendance.add_walk_in_by_email(s, rid, "nobody@example.org")
    assert raised.value.for_cli == (
        "nobody in the directory has the address nobody@example.org; "
        "add --name NAME to add them as a new person"
    )


def test_addresses_on_the_list_or_every_one_that_is_not(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = held
    rows = _rows(db, rid)
    with db.reading() as s:
        found = attendance.listed_by_email(s, rid, ["ZOE@example.org", "adam@example.org"])
        assert found == {
            "ZOE@example.org": rows["Zoe Abara"].invitation_id,
            "adam@example.org": rows["Adam Zielinski"].invitation_id,
        }
        with pytest.raises(NotFoundError) as raised:
            attendance.listed_by_email(s, rid, ["zoe@example.org", "amina@hope.example", "x@y.z"])
    assert str(raised.value).startswith(
        "amina@hope.example, x@y.z are not on the list of roundtable"
    )


def test_a_seat_moved_by_a_colleague_is_not_overwritten(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, people = held
    with db.transaction() as s:
        pool = grouping.pool_from_people(s, [people["zoe"], people["adam"]])
        plan = grouping.plan_from_tables(pool, [[people["zoe"]], [people["adam"]]])
        grouping.save_plan(s, rid, plan)
    with db.reading() as s:
        assert attendance.table_numbers(s, rid) == [1, 2]
    zoe = _rows(db, rid)["Zoe Abara"]
    assert zoe.table == 1
    with db.transaction() as s:
        assert attendance.move_seat(s, zoe.invitation_id, 1, 2) == 1
    with pytest.raises(ConflictError, match="Zoe Abara was moved by someone else"):
        with db.transaction() as s:
            attendance.move_seat(s, zoe.invitation_id, 1, None)
    assert _rows(db, rid)["Zoe Abara"].table == 2
