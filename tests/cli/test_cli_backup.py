"""``roundtable-app backup`` and ``restore`` on both backends, and their one-line errors."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from roundtable_app.cli import main
from roundtable_app.storage.unit_of_work import open_database


def names(path) -> list[str]:  # type: ignore[no-untyped-def]
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT full_name FROM person ORDER BY full_name").fetchall()
    conn.close()
    return [row[0] for row in rows]


@pytest.fixture
def team(tmp_path, make_person):  # type: ignore[no-untyped-def]
    path = tmp_path / "team.db"
    db = open_database(f"sqlite:///{path}")
    make_person(db, full_name="Ada Lovelace")
    db.close()
    return path


def test_backup_and_restore_round_trip(team, tmp_path, make_person, capsys) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "copy.db"
    assert main(["backup", "--out", str(copy), "--database", str(team)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Backed up {team} to {copy} (") and out.endswith(" kB).\n")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600

    db = open_database(f"sqlite:///{team}")
    make_person(db, full_name="Grace Hopper")
    db.close()
    assert names(team) == ["Ada Lovelace", "Grace Hopper"]

    assert main(["restore", str(copy), "--yes", "--database", str(team)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"Restored {team} from {copy}; the data it replaced is kept in ")
    assert names(team) == ["Ada Lovelace"]
    kept = printed.rsplit(" kept in ", 1)[1].strip().rstrip(".")
    assert names(kept) == ["Ada Lovelace", "Grace Hopper"]


def test_backup_without_out_goes_to_the_backups_folder(team, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["backup", "--database", str(team)]) == 0
    copies = list((team.parent / "backups").iterdir())
    assert len(copies) == 1 and copies[0].name.endswith("-manual.db")
    assert f" to {copies[0]} (" in capsys.readouterr().out


def test_restore_without_yes_says_what_it_would_replace(team, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "copy.db"
    main(["backup", "--out", str(copy), "--database", str(team)])
    capsys.readouterr()
    assert main(["restore", str(copy), "--database", str(team)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"roundtable-app: error: restore would replace the database {team} with {copy} (the "
        "current one is kept as a backup first); add --yes to do it.\n"
    )
    assert not (team.parent / "backups").exists()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"SQLite format 3\x00" + b"\x00" * 100, "it is damaged or not a database"),
        (b"not a database at all", "it is not a SQLite database file"),
    ],
)
def test_a_corrupt_backup_is_refused_in_one_line(team, tmp_path, capsys, content, problem) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    assert main(["restore", str(bad), "--yes", "--database", str(team)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"roundtable-app: error: bad.db cannot be restored: {problem}")
    assert err.count("\n") == 1
    assert names(team) == ["Ada Lovelace"]


def test_backup_of_a_missing_database_is_an_error(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["backup", "--database", str(tmp_path / "nothing.db")]) == 1
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "nothing.db").exists()


@pytest.mark.postgres
def test_postgresql_backup_and_restore_instructions(postgres_url, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    open_database(postgres_url).close()
    out = tmp_path / "team.dump"
    assert main(["backup", "--out", str(out), "--database", postgres_url]) == 0
    assert f" to {out} (" in capsys.readouterr().out
    assert out.read_bytes()[:5] == b"PGDMP"
    assert main(["restore", str(out), "--yes", "--database", postgres_url]) == 1
    err = capsys.readouterr().err
    assert "so the app does not do it" in err and "pg_restore --clean" in err
    assert err.rstrip().endswith(str(out)) and err.count("\n") == 1


@pytest.mark.postgres
def test_postgresql_backup_without_pg_dump(postgres_url, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    open_database(postgres_url).close()
    monkeypatch.setenv("PATH", "")
    assert main(["backup", "--out", str(tmp_path / "x.dump"), "--database", postgres_url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("roundtable-app: error: pg_dump is not installed here")
    assert "pg_dump -Fc " in err and err.count("\n") == 1


def test_restore_says_when_the_backup_brings_back_an_erased_person(team, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "copy.db"
    assert main(["backup", "--out", str(copy), "--database", str(team)]) == 0
    assert main(["person", "erase", "person1@example.org", "--yes", "--database", str(team)]) == 0
    assert names(team) == []
    capsys.readouterr()
    assert main(["restore", str(copy), "--yes", "--database", str(team)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"Restored {team} from {copy}")
    assert lines[1] == (
        "The backup holds 1 person erased since it was made: restoring brings them back, so "
        "erase them again afterwards."
    )
    assert names(team) == ["Ada Lovelace"]
