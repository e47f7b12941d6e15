"""The directory service on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import pytest

from roundtable_app.core.errors import ConflictError, DuplicateEmailError, ValidationError
from roundtable_app.core.model import PersonData
from roundtable_app.services import directory


def test_create_then_list_shows_the_person(db, make_person):
    make_person(
        db,
        full_name="Amira Okafor",
        organisation="Safe Harbour Trust",
        sector="Civil society",
        interests=("Survivor support", "Forced labour"),
    )
    with db.reading() as session:
        rows = directory.list_rows(session)
    assert [(r.full_name, r.organisation, r.sector, r.interests) for r in rows] == [
        ("Amira Okafor", "Safe Harbour Trust", "Civil society", "Forced labour; Survivor support")
    ]


def test_duplicate_email_is_refused_case_insensitively(db, make_person):
    first = make_person(db, full_name="Jo Bloggs", email="jo@example.org")
    with pytest.raises(DuplicateEmailError) as caught, db.transaction() as session:
        directory.create_person(session, PersonData("Joanna Bloggs", email="JO@Example.ORG"))
    assert caught.value.existing_id == first
    assert "Jo Bloggs already has the e-mail address" in str(caught.value)


def test_bad_email_names_the_problem(db):
    with pytest.raises(ValidationError, match="'jane@' is not an e-mail address"):
        with db.transaction() as session:
            directory.create_person(session, PersonData("Jane", email="jane@"))


def test_stale_save_is_a_conflict_not_an_overwrite(db, make_person):
    pid = make_person(db, full_name="Sam Lee")
    with db.reading() as session:
        seen_by_a = directory.get_person(session, pid)
        seen_by_b = directory.get_person(session, pid)
    with db.transaction() as session:
        directory.update_person(
            session, pid, PersonData("Sam Lee", notes="A's note"), seen_by_a.version
        )
    with pytest.raises(ConflictError, match="Someone else saved changes to Sam Lee"):
        with db.transaction() as session:
            directory.update_person(session, pid, PersonData("Samuel Lee"), seen_by_b.version)
    with db.reading() as session:
        assert directory.get_person(session, pid).data.notes == "A's note"


def test_delete_and_restore_bring_back_the_same_person(db, make_person):
    pid = make_person(
        db,
        full_name="Priya Shah",
        interests=("Data and prevalence",),
        sector="Academic research",
        organisation="Northbridge University",
    )
    with db.reading() as session:
        before = directory.get_person(session, pid).data
    with db.transaction() as session:
        snapshot = directory.delete_people(session, [pid])
    with db.reading() as session:
        assert directory.list_rows(session) == []
    with db.transaction() as session:
        directory.restore_people(session, snapshot)
    with db.reading() as session:
        assert directory.get_person(session, pid).data == before


def test_bulk_interest_and_sector_changes_can_be_reversed(db, make_person):
    a = make_person(db, interests=("Policing and prosecution",), sector="Government")
    b = make_person(db, sector="Business")
    with db.transaction() as session:
        added = directory.add_interest(session, [a, b], "policing and prosecution")
        previous = directory.set_sector(session, [a, b], "Civil society")
    assert added == [b]
    assert previous == {a: "Government", b: "Business"}
    with db.transaction() as session:
        directory.restore_sectors(session, previous)
        directory.remove_interest(session, added, "Policing and prosecution")
    with db.reading() as session:
        rows = {r.id: (r.sector, r.interests) for r in directory.list_rows(session)}
    assert rows == {a: ("Government", "Policing and prosecution"), b: ("Business", "")}


def test_bulk_change_makes_an_open_editor_stale(db, make_person):
    pid = make_person(db)
    with db.reading() as session:
        opened = directory.get_person(session, pid)
    with db.transaction() as session:
        directory.set_sector(session, [pid], "Funder")
    with pytest.raises(ConflictError), db.transaction() as session:
        directory.update_person(session, pid, opened.data, opened.version)
