"""Backups of a SQLite file: the round trip, refused backups, retention, modes, the daily copy."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from roundtable_app.core.errors import RoundtableError
from roundtable_app.services import backup
from roundtable_app.services.demo import generate_demo
from roundtable_app.storage.engine import upgrade
from roundtable_app.storage.migrations import HEAD
from roundtable_app.storage.unit_of_work import Database, open_database

DAY = dt.datetime(2026, 12, 7, 9, 30)


def contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of a SQLite file, sorted: equal means the same data."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }
    finally:
        conn.close()


@pytest.fixture
def demo(tmp_path: Path) -> Database:
    db = open_database(f"sqlite:///{tmp_path / 'team.db'}")
    generate_demo(db, people=40)
    yield db
    db.close()


def db_path(db: Database) -> Path:
    path = backup.database_file(db)
    assert path is not None
    return path


def test_round_trip_gives_back_exactly_the_data_backed_up(demo, make_person) -> None:  # type: ignore[no-untyped-def]
    path = db_path(demo)
    result = backup.back_up(demo, now=DAY)
    assert result.path == path.parent / "backups" / "team-2026-12-07-093000-manual.db"
    assert result.size == result.path.stat().st_size > 0
    saved = contents(path)
    assert saved["person"] and saved == contents(result.path)

    make_person(demo, full_name="Added After The Backup")
    with demo.transaction() as session:
        from sqlalchemy import text

        session.execute(text("DELETE FROM seating_rule"))
        session.execute(text("UPDATE person SET notes = 'changed'"))
    assert contents(path) != saved
    demo.close()

    done = backup.restore(path, result.path, now=DAY + dt.timedelta(hours=1))
    assert contents(path) == saved
    assert done.restored.revision == HEAD and not done.restored.older
    # What the restore replaced is kept, and holds the change made after the backup.
    assert done.kept is not None and done.kept.name == "team-2026-12-07-103000-before-restore.db"
    kept = contents(done.kept)
    assert any(row[1] == "Added After The Backup" for row in kept["person"])
    # The restored database opens and is usable.
    reopened = open_database(f"sqlite:///{path}")
    with reopened.reading() as session:
        from sqlalchemy import text

        names = session.execute(text("SELECT full_name FROM person")).scalars().all()
    assert "Added After The Backup" not in names and len(names) == len(saved["person"])
    reopened.close()


def test_a_backup_is_a_single_checked_file_readable_by_its_owner_only(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    old = os.umask(0)  # a careless umask must not make the copy world-readable
    try:
        result = backup.back_up(demo, tmp_path / "out" / "copy.db")
        daily = backup.daily_backup(demo, now=DAY)
    finally:
        os.umask(old)
    assert daily is not None
    for path in (result.path, daily.path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert not Path(f"{path}-wal").exists()  # one self-contained file
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert stat.S_IMODE(daily.path.parent.stat().st_mode) == 0o700
    # A backups folder made by hand (or by an earlier version) is made private too.
    os.chmod(daily.path.parent, 0o755)
    backup.back_up(demo)
    assert stat.S_IMODE(daily.path.parent.stat().st_mode) == 0o700
    # Nothing half-written was left beside them.
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["copy.db"]


def test_a_backup_never_overwrites_the_database_itself(demo) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RoundtableError, match="is the database itself"):
        backup.back_up(demo, db_path(demo))


def _refused(db: Database, bad: Path, message: str) -> None:
    path = db_path(db)
    before = contents(path)
    db.close()
    with pytest.raises(RoundtableError, match=message) as caught:
        backup.restore(path, bad)
    assert "Nothing was changed" in str(caught.value)
    assert contents(path) == before
    assert not (path.parent / "backups").exists()  # not even a before-restore copy


def test_a_truncated_backup_is_refused(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = backup.back_up(demo, tmp_path / "good.db").path
    bad = tmp_path / "truncated.db"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _refused(demo, bad, "truncated.db cannot be restored: it is damaged")


def test_a_backup_with_a_damaged_page_is_refused(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = backup.back_up(demo, tmp_path / "good.db").path
    data = bytearray(good.read_bytes())
    page = 4096
    data[3 * page + 8 : 3 * page + 200] = os.urandom(192)  # a table page's cells
    bad = tmp_path / "damaged.db"
    bad.write_bytes(bytes(data))
    _refused(demo, bad, "damaged.db cannot be restored: it is damaged")


def test_random_bytes_are_refused(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "random.db"
    bad.write_bytes(os.urandom(50_000))
    _refused(demo, bad, "random.db cannot be restored: it is not a SQLite database file")


def test_another_sqlite_database_is_refused(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    conn.close()
    _refused(demo, other, "other.db cannot be restored: it is not a Roundtable database")


def test_a_backup_from_a_newer_version_is_refused(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    newer = backup.back_up(demo, tmp_path / "newer.db").path
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0042'")
    conn.close()
    _refused(demo, newer, r"made by a newer version of Roundtable \(schema 0042; this version")


def test_an_older_backup_is_restored_and_upgraded_when_opened(tmp_path) -> None:  # type: ignore[no-untyped-def]
    old = open_database(f"sqlite:///{tmp_path / 'old.db'}", migrate=False)
    upgrade(old.engine, "0007")
    old.close()
    current = tmp_path / "team.db"
    open_database(f"sqlite:///{current}").close()

    done = backup.restore(current, tmp_path / "old.db")
    assert done.restored.revision == "0007" and done.restored.older
    db = open_database(f"sqlite:///{current}")
    assert db.upgrade_result is not None
    assert (db.upgrade_result.from_revision, db.upgrade_result.to_revision) == ("0007", HEAD)
    # The upgrade kept its own copy, in the same folder and with the same naming.
    assert db.upgrade_result.backup is not None
    assert db.upgrade_result.backup.parent == tmp_path / "backups"
    assert "-before-upgrade-0007.db" in db.upgrade_result.backup.name
    db.close()


def test_restoring_into_a_database_that_does_not_exist_yet(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    copy = backup.back_up(demo, tmp_path / "copy.db").path
    target = tmp_path / "new" / "fresh.db"
    done = backup.restore(target, copy)
    assert done.kept is None
    assert contents(target) == contents(copy)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def _touch_copy(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"copy")
    return path


def test_retention_keeps_the_newest_and_expires_old_before_upgrade_copies(tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = tmp_path / "team.db"
    database.write_bytes(b"")
    folder = tmp_path / "backups"
    days = [DAY - dt.timedelta(days=n) for n in range(20)]
    dailies = [_touch_copy(folder, f"team-{d:%Y-%m-%d-%H%M%S}-daily.db") for d in days]
    old_upgrade = _touch_copy(folder, "team-2026-10-01-120000-before-upgrade-0008.db")
    new_upgrade = _touch_copy(folder, f"team-{DAY:%Y-%m-%d}-093100-before-upgrade-0008.db")
    # Written beside the database by earlier versions of the app:
    legacy = _touch_copy(tmp_path, "team.before-upgrade-0007-20261001-105013.db.bak")
    # Not copies of this database, or not the app's: never touched.
    others = [
        _touch_copy(folder, "other-2026-01-01-000000-daily.db"),
        _touch_copy(folder, "team-notes.txt"),
        _touch_copy(tmp_path, "other.before-upgrade-0007-20200101-000000.db.bak"),
    ]

    # Half-written copies left by a crash: a day old goes, a fresh one may still be written.
    stale = _touch_copy(folder, ".team-2026-11-01-090000-daily.db.x1y2.tmp")
    os.utime(stale, (0, 0))
    fresh = _touch_copy(folder, ".team-2026-12-07-093000-daily.db.a1b2.tmp")

    removed = backup.prune(database, keep=14)
    assert not stale.exists() and fresh.exists()
    fresh.unlink()

    kept = sorted(p.name for p in folder.iterdir() if p.name.startswith("team-2026"))
    expected = sorted([new_upgrade.name] + [p.name for p in dailies[:13]])
    assert kept == expected
    assert old_upgrade in removed and legacy in removed and not legacy.exists()
    assert set(removed) == {old_upgrade, legacy, *dailies[13:]}
    assert all(p.exists() for p in others)


def test_retention_follows_the_setting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = tmp_path / "team.db"
    folder = tmp_path / "backups"
    copies = [
        _touch_copy(folder, f"team-{DAY - dt.timedelta(days=n):%Y-%m-%d-%H%M%S}-daily.db")
        for n in range(5)
    ]
    backup.prune(database, keep=3)
    assert [p.exists() for p in copies] == [True, True, True, False, False]
    backup.prune(database, keep=0)  # at least one copy is always kept
    assert [p.exists() for p in copies] == [True, False, False, False, False]


def test_the_daily_backup_happens_once_a_day(demo) -> None:  # type: ignore[no-untyped-def]
    path = db_path(demo)
    first = backup.daily_backup(demo, keep=14, now=DAY)
    assert first is not None and first.path.name == "team-2026-12-07-093000-daily.db"
    # The second start of the day makes none.
    assert backup.daily_backup(demo, keep=14, now=DAY.replace(hour=17)) is None
    assert backup.has_daily_copy(path, DAY.date())
    # A copy made by hand does not count as the day's daily copy.
    backup.back_up(demo, now=DAY + dt.timedelta(days=1, hours=-1))
    assert not backup.has_daily_copy(path, (DAY + dt.timedelta(days=1)).date())
    later = [backup.daily_backup(demo, keep=2, now=DAY + dt.timedelta(days=n)) for n in (1, 2)]
    assert all(result is not None for result in later)
    names = [c.path.name for c in backup.list_copies(demo)]
    assert names == ["team-2026-12-09-093000-daily.db", "team-2026-12-08-093000-daily.db"]


def test_no_daily_backup_of_a_postgresql_database(postgres_url) -> None:  # type: ignore[no-untyped-def]
    db = open_database(postgres_url)
    try:
        assert backup.daily_backup(db) is None
        assert backup.list_copies(db) == []
    finally:
        db.close()


def test_restore_while_another_connection_has_the_database_open(
    demo, tmp_path, make_person
) -> None:  # type: ignore[no-untyped-def]
    """The restore goes through SQLite's locks: a connection left open sees the restored data."""
    from sqlalchemy import text

    path = db_path(demo)
    copy = backup.back_up(demo, tmp_path / "copy.db").path
    make_person(demo, full_name="Added After The Backup")
    with demo.reading() as session:  # a pooled connection stays open meanwhile
        before = session.execute(text("SELECT count(*) FROM person")).scalar_one()
    backup.restore(path, copy)
    with demo.reading() as session:
        after = session.execute(text("SELECT count(*) FROM person")).scalar_one()
        assert session.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    assert after == before - 1
    assert contents(path) == contents(copy)


def test_restoring_a_backup_older_than_an_erasure_warns_that_the_person_comes_back(  # type: ignore[no-untyped-def]
    demo, tmp_path, make_person
) -> None:
    from roundtable_app.services import privacy

    path = db_path(demo)
    ada = make_person(demo, full_name="Ada Lovelace", email="ada@example.org")
    copy = backup.back_up(demo, tmp_path / "before-erasure.db").path
    assert backup.check_backup(copy, database=path).erased == 0
    with demo.transaction() as session:
        privacy.erase_person(session, ada)
    checked = backup.check_backup(copy, database=path)
    assert checked.erased == 1
    assert checked.erased_warning == (
        "The backup holds 1 person erased since it was made: restoring brings them back, so "
        "erase them again afterwards."
    )
    later = backup.back_up(demo, tmp_path / "after-erasure.db").path
    assert backup.check_backup(later, database=path).erased == 0
