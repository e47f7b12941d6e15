"""``roundtable-app audit``: the trail printed or exported, filtered; the staff name from
$ROUNDTABLE_STAFF_NAME; one-line errors."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from roundtable_app.cli import main
from roundtable_app.services import audit, roundtables
from roundtable_app.storage.unit_of_work import open_database


@pytest.fixture(autouse=True)
def login_name_after() -> Iterator[None]:
    yield
    audit.set_staff_name("")


@pytest.fixture
def url(any_url, make_person):  # type: ignore[no-untyped-def]
    db = open_database(any_url)
    audit.set_staff_name("Priya Shah")
    make_person(db, full_name="Amina Yusuf", email="amina@example.org")
    audit.set_staff_name("Tom Reid")
    with db.transaction() as s:
        roundtables.create_roundtable(s, roundtables.RoundtableData(title="Supply chains"))
    audit.set_staff_name("")
    db.close()
    return any_url


def test_prints_newest_first_and_filters(url, capsys):  # type: ignore[no-untyped-def]
    assert main(["audit", "--database", url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert "Tom Reid" in lines[0] and "Roundtable #1" in lines[0] and "Created" in lines[0]
    assert "Priya Shah" in lines[1] and "Person #1" in lines[1]
    assert "Amina" not in "".join(lines)
    assert main(["audit", "--database", url, "--actor", "Priya Shah", "--entity", "person"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1
    assert main(["audit", "--database", url, "--from", "2000-01-01", "--to", "2000-01-02"]) == 0
    assert capsys.readouterr().out == "No audit entries match these filters.\n"


def test_writes_a_csv_file(url, tmp_path: Path, capsys):  # type: ignore[no-untyped-def]
    out = tmp_path / "trail.csv"
    assert main(["audit", "--database", url, "--entity", "Roundtable", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"Wrote {out}: 1 entry.\n"
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [row[1:] for row in rows[1:]] == [["Tom Reid", "Roundtable", "1", "Created", ""]]


def test_bad_options_are_one_line_errors(url, capsys):  # type: ignore[no-untyped-def]
    assert main(["audit", "--database", url, "--out", "trail.txt"]) == 1
    assert capsys.readouterr().err == (
        "roundtable-app: error: --out trail.txt: write a .csv or .xlsx file.\n"
    )
    assert main(["audit", "--database", url, "--from", "2026-03-02", "--to", "2026-03-01"]) == 1
    assert "swap the dates" in capsys.readouterr().err


def test_changes_made_from_the_command_line_name_the_staff_member(
    url, tmp_path: Path, monkeypatch, capsys
):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ROUNDTABLE_STAFF_NAME", "  Sam   Okafor ")
    people = tmp_path / "people.csv"
    people.write_text("Name,Email\nBen Okri,ben@example.org\n", encoding="utf-8")
    assert main(["import", str(people), "--database", url]) == 0
    capsys.readouterr()
    assert main(["audit", "--database", url, "--actor", "Sam Okafor"]) == 0
    assert "Imported" in capsys.readouterr().out
