"""An import says which sectors, interests and organisations it creates, and for how many
people, before (the preview) and after (the report) — issue 9, defect 6."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from roundtable_app.services.directory import VocabularyKind
from roundtable_app.services.transfer import (
    ImportPlan,
    apply_import,
    find_existing_emails,
    find_known_names,
    guess_mapping,
    import_file,
    prepare,
    read_table,
    summary_of_new,
)
from roundtable_app.storage.unit_of_work import Database

SECTOR, INTEREST, ORGANISATION = (
    VocabularyKind.SECTOR,
    VocabularyKind.INTEREST,
    VocabularyKind.ORGANISATION,
)

CSV = (
    "Name,Email,Organisation,Sector,Interests\n"
    "Ann,ann@example.org,Home Office,GovernmentHome Office,Maritime labor; Policing\n"
    "Bob,bob@example.org,Hope Trust,government,maritime labor\n"
    "Bob again,BOB@example.org,Hope Trust,,Duplicate in file\n"
    "Cat,cat@,Nowhere,Nonsense sector,Never imported\n"
    "Dee,,Freedom Fund,Civil society,Maritime labour\n"
)


def plan_for(db: Database, tmp_path: Path, text: str = CSV) -> ImportPlan:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    table = read_table(path)
    with db.reading() as session:
        return prepare(
            table,
            guess_mapping(table.headers),
            existing_emails=find_existing_emails(session, []),
            known=find_known_names(session),
        )


def test_the_plan_lists_new_names_with_people_and_close_ones(
    db: Database, tmp_path: Path, make_person: Callable[..., int]
) -> None:
    make_person(db, organisation="Home Office", interests=("Maritime labour", "Policing"))
    plan = plan_for(db, tmp_path)
    found = {(n.kind, n.name): (n.people(), n.closest[:1]) for n in plan.new_names}
    assert found == {
        (SECTOR, "GovernmentHome Office"): (1, ("Government",)),
        (INTEREST, "Maritime labor"): (2, ("Maritime labour",)),  # Ann and Bob
        (INTEREST, "Duplicate in file"): (1, ()),  # Bob's second row: still one person
        (ORGANISATION, "Hope Trust"): (1, ()),
        (ORGANISATION, "Freedom Fund"): (1, ()),
    }  # "government" and "Civil society" exist; Cat's row has a problem and is not imported
    assert [n.name for n in plan.new_names][:3] == [
        "GovernmentHome Office",
        "Duplicate in file",
        "Maritime labor",
    ]
    assert summary_of_new(plan.new_names) == (
        "1 new sector, 2 new interests and 2 new organisations"
    )
    # Unticking Ann's row: her sector is no longer created, Maritime labor has one person left.
    assert summary_of_new(plan.new_names, excluded={2}) == (
        "2 new interests and 2 new organisations"
    )
    labor = next(n for n in plan.new_names if n.name == "Maritime labor")
    assert labor.people(excluded={2}) == 1


def test_the_report_lists_what_was_created_and_how_to_fix_a_typo(
    db: Database, tmp_path: Path, make_person: Callable[..., int]
) -> None:
    make_person(db, organisation="Home Office", interests=("Maritime labour", "Policing"))
    plan = plan_for(db, tmp_path)
    with db.transaction() as session:
        report = apply_import(session, plan, on_duplicate="merge", skip_bad_rows=True)
    created = {(c.kind, c.name): c.people for c in report.created}
    assert created == {
        (SECTOR, "GovernmentHome Office"): 1,
        (INTEREST, "Duplicate in file"): 1,
        (INTEREST, "Maritime labor"): 2,
        (ORGANISATION, "Freedom Fund"): 1,
        (ORGANISATION, "Hope Trust"): 1,
    }
    text = report.text().splitlines()
    assert "New sectors created: GovernmentHome Office (1 person)" in text
    assert "New interests created: Duplicate in file (1 person), Maritime labor (2 people)" in text
    assert "New organisations created: Freedom Fund (1 person), Hope Trust (1 person)" in text
    assert (
        "If one of them is a typo, merge it into the right one: Edit > Vocabulary in the app, "
        "or roundtable-app vocabulary merge."
    ) in text
    assert "Rows not imported (fix them in your file, then import those rows again):" in text
    assert "  Row 5: 'cat@' is not an e-mail address" in text
    assert not any("untick" in line for line in text)  # nothing left to untick afterwards


def test_nothing_new_says_nothing(db: Database, tmp_path: Path) -> None:
    text = "Name,Email,Sector\nAnn,ann@example.org,Government\n"
    plan = plan_for(db, tmp_path, text)
    assert plan.new_names == ()
    assert summary_of_new(plan.new_names) == ""
    path = tmp_path / "again.csv"
    path.write_text(text.replace("ann@", "ann2@"), encoding="utf-8")
    report = import_file(db, path)
    assert report.created == () and report.new_names_lines() == []
