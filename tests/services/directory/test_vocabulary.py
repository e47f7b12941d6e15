"""Sectors, interests and organisations: counting, renaming, merging and deleting them,
on SQLite and PostgreSQL, each undone exactly."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from roundtable_app.core.errors import ConflictError, NotFoundError, ValidationError
from roundtable_app.core.model import PersonData
from roundtable_app.services import directory, roundtables
from roundtable_app.services.directory import VocabularyEntry, VocabularyKind
from roundtable_app.storage.models import AuditEntry

SECTOR, INTEREST, ORGANISATION = (
    VocabularyKind.SECTOR,
    VocabularyKind.INTEREST,
    VocabularyKind.ORGANISATION,
)


def entries(db, kind) -> dict[str, VocabularyEntry]:  # type: ignore[no-untyped-def]
    with db.reading() as session:
        return {e.name: e for e in directory.list_vocabulary(session, kind)}


def person(db, person_id):  # type: ignore[no-untyped-def]
    with db.reading() as session:
        return directory.get_person(session, person_id)


@pytest.fixture
def typo(db, make_person):  # type: ignore[no-untyped-def]
    """Two people in "Government", one in the typo "GovernmentHome Office"."""
    return {
        "ann": make_person(
            db, sector="Government", organisation="Home Office", interests=("Maritime labour",)
        ),
        "bob": make_person(
            db,
            sector="Government",
            organisation="Home office dept",
            interests=("Forced labour", "Maritime labor"),
        ),
        "cat": make_person(
            db, sector="GovernmentHome Office", interests=("Maritime labor", "Data")
        ),
    }


def test_list_counts_the_people_and_other_uses(db, typo) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        roundtables.create_roundtable(
            session, roundtables.RoundtableData(title="Ports", themes=("Maritime labor",))
        )
    sectors = entries(db, SECTOR)
    assert sectors["Government"].people == 2
    assert sectors["GovernmentHome Office"].people == 1
    assert sectors["Funder"].people == 0 and not sectors["Funder"].used
    themes = entries(db, INTEREST)
    assert themes["Maritime labor"].people == 2
    assert themes["Maritime labor"].uses_text() == "1 roundtable"
    assert themes["Maritime labor"].describe_uses() == "2 people and 1 roundtable"
    assert entries(db, ORGANISATION)["Home Office"].people == 1


def test_closest_names_catch_typos_and_run_together_values() -> None:
    sectors = ["Government", "Civil society", "Business", "Funder"]
    assert directory.closest_names("GovernmentHome Office", sectors)[0] == "Government"
    assert directory.closest_names("Goverment", sectors) == ["Government"]
    assert directory.closest_names("government", sectors) == []  # the same name, not a typo
    assert directory.closest_names("Duplicate in file", sectors) == []
    assert directory.is_new("GovernmentHome Office", sectors)
    assert not directory.is_new(" civil  Society ", sectors)


def test_find_entry_names_close_ones_when_missing(db, typo) -> None:  # type: ignore[no-untyped-def]
    with db.reading() as session:
        assert directory.find_entry(session, SECTOR, "government").name == "Government"
        with pytest.raises(NotFoundError, match="Did you mean 'Government'"):
            directory.find_entry(session, SECTOR, "Govermnent")


def test_merge_moves_everyone_in_one_step_and_undo_restores_exactly(db, typo) -> None:  # type: ignore[no-untyped-def]
    themes = entries(db, INTEREST)
    labor, labour = themes["Maritime labor"], themes["Maritime labour"]
    with db.transaction() as session:
        roundtables.create_roundtable(
            session, roundtables.RoundtableData(title="Ports", themes=("Maritime labor",))
        )
    before = {k: person(db, pid) for k, pid in typo.items()}

    with db.transaction() as session:
        merged = directory.merge_entries(session, [labor], labour)
    assert [m.people for m in merged] == [2]
    after = entries(db, INTEREST)
    assert "Maritime labor" not in after
    assert after["Maritime labour"].people == 3
    assert after["Maritime labour"].uses_text() == "1 roundtable"
    assert person(db, typo["bob"]).data.interests == ("Forced labour", "Maritime labour")
    assert person(db, typo["cat"]).version == before["cat"].version + 1  # open editors go stale

    with db.transaction() as session:
        directory.unmerge_entries(session, merged)
    back = entries(db, INTEREST)
    assert back["Maritime labor"].id == labor.id  # the same entry, same id
    assert (back["Maritime labor"].people, back["Maritime labour"].people) == (2, 1)
    assert back["Maritime labor"].uses_text() == "1 roundtable"
    for key, pid in typo.items():
        assert person(db, pid).data == before[key].data

    with db.transaction() as session:  # redo: the same merge again
        directory.merge_entries(session, [back["Maritime labor"]], back["Maritime labour"])
    assert entries(db, INTEREST)["Maritime labour"].people == 3


def test_merge_a_sector_also_moves_organisations_and_invitation_records(db, typo) -> None:  # type: ignore[no-untyped-def]
    sectors = entries(db, SECTOR)
    typo_sector, government = sectors["GovernmentHome Office"], sectors["Government"]
    with db.transaction() as session:
        directory.create_person(
            session,
            PersonData(full_name="Dee", organisation="Typo Org", sector="GovernmentHome Office"),
        )
        rt = roundtables.create_roundtable(session, roundtables.RoundtableData(title="Ports"))
        roundtables.add_invitees(session, rt.id, [typo["cat"]])
    assert entries(db, SECTOR)["GovernmentHome Office"].uses_text() == (
        "1 invitation record, 1 organisation"
    )
    with db.transaction() as session:
        merged = directory.merge_entries(
            session, [entries(db, SECTOR)[typo_sector.name]], government
        )
    assert entries(db, SECTOR)["Government"].describe_uses() == (
        "4 people, 1 invitation record and 3 organisations"
    )
    with db.transaction() as session:
        directory.unmerge_entries(session, merged)
    assert entries(db, SECTOR)["GovernmentHome Office"].describe_uses() == (
        "2 people, 1 invitation record and 1 organisation"
    )
    assert entries(db, SECTOR)["Government"].people == 2


def test_merge_refuses_an_entry_changed_meanwhile(db, typo) -> None:  # type: ignore[no-untyped-def]
    sectors = entries(db, SECTOR)
    seen = sectors["GovernmentHome Office"]
    with db.transaction() as session:  # a colleague fixes the name first
        directory.rename_entry(session, seen, "Government – Home Office")
    with pytest.raises(ConflictError, match="renamed, merged or deleted by someone else"):
        with db.transaction() as session:
            directory.merge_entries(session, [seen], sectors["Government"])
    assert entries(db, SECTOR)["Government – Home Office"].people == 1  # nothing moved
    with pytest.raises(ValidationError, match="cannot be merged into itself"):
        with db.transaction() as session:
            directory.merge_entries(session, [sectors["Government"]], sectors["Government"])


def test_rename_shows_everywhere_and_undoes(db, typo) -> None:  # type: ignore[no-untyped-def]
    entry = entries(db, ORGANISATION)["Home office dept"]
    with db.transaction() as session:
        renamed = directory.rename_entry(session, entry, "  Home Office   Policy ")
    assert (renamed.new_name, renamed.people) == ("Home Office Policy", 1)
    assert person(db, typo["bob"]).data.organisation == "Home Office Policy"
    with db.transaction() as session:
        directory.undo_rename(session, renamed)
    assert person(db, typo["bob"]).data.organisation == "Home office dept"


def test_rename_to_a_taken_name_says_to_merge(db, typo) -> None:  # type: ignore[no-untyped-def]
    sectors = entries(db, SECTOR)
    with pytest.raises(directory.NameTakenError) as caught:
        with db.transaction() as session:
            directory.rename_entry(session, sectors["GovernmentHome Office"], "government")
    assert caught.value.existing.id == sectors["Government"].id
    assert "merge 'GovernmentHome Office' into 'Government'" in str(caught.value)
    with db.transaction() as session:  # a change of case of its own name is fine
        directory.rename_entry(session, sectors["Government"], "GOVERNMENT")
    assert "GOVERNMENT" in entries(db, SECTOR)
    with pytest.raises(ValidationError, match="needs a name"):
        with db.transaction() as session:
            directory.rename_entry(session, entries(db, SECTOR)["GOVERNMENT"], "  ")


def test_delete_only_unused_entries_and_undo(db, typo) -> None:  # type: ignore[no-untyped-def]
    sectors = entries(db, SECTOR)
    with pytest.raises(ValidationError, match="used by 1 person, so it cannot be deleted"):
        with db.transaction() as session:
            directory.delete_entries(session, [sectors["GovernmentHome Office"]])
    funder = sectors["Funder"]
    with db.transaction() as session:
        deleted = directory.delete_entries(session, [funder])
    assert "Funder" not in entries(db, SECTOR)
    with db.transaction() as session:
        directory.restore_entries(session, deleted)
    assert entries(db, SECTOR)["Funder"].id == funder.id
    with db.reading() as session:  # and keeps its place in pick lists, before the new ones
        order = directory.sector_names(session)
    assert order.index("Funder") < order.index("GovernmentHome Office")


def test_every_edit_is_in_the_audit_trail(db, typo) -> None:  # type: ignore[no-untyped-def]
    sectors = entries(db, SECTOR)
    with db.transaction() as session:
        directory.merge_entries(session, [sectors["GovernmentHome Office"]], sectors["Government"])
        directory.rename_entry(session, sectors["Government"], "Central government")
        directory.delete_entries(session, [sectors["Funder"]])
    with db.reading() as session:
        actions = list(
            session.execute(
                select(AuditEntry.entity, AuditEntry.action, AuditEntry.detail)
                .where(AuditEntry.entity == "sector")
                .order_by(AuditEntry.id)
            )
        )
        assert session.scalar(select(func.count()).select_from(AuditEntry)) > 3
    assert [(e, a) for e, a, _ in actions] == [
        ("sector", "merged"),
        ("sector", "renamed"),
        ("sector", "deleted"),
    ]
    assert actions[0][2] == f"into #{sectors['Government'].id}; 1 person"


def test_names_in_other_scripts_are_saved_and_found_again(db, make_person) -> None:  # type: ignore[no-untyped-def]
    # SQLite's lower() folds only A-Z: "Центр" stayed "Центр" in the query, so a
    # person whose organisation starts with a capital Cyrillic letter could not be saved.
    first = make_person(db, sector="Громада", organisation="Центр підтримки", interests=("Ἀθῆναι",))
    again = make_person(db, sector="Громада", organisation="Центр підтримки")
    saved = person(db, first).data
    assert saved.organisation == person(db, again).data.organisation == "Центр підтримки"
    assert saved.sector == "Громада" and saved.interests == ("Ἀθῆναι",)
    assert [e.people for n, e in entries(db, ORGANISATION).items() if n == "Центр підтримки"] == [2]
