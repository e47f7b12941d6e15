"""Opening, creating and upgrading databases: the guarantees users rely on."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from roundtable_app.core.errors import StorageError
from roundtable_app.storage import engine as storage_engine
from roundtable_app.storage.engine import create_db_engine, current_revision, upgrade
from roundtable_app.storage.models import Person, Sector, Theme, person_theme
from roundtable_app.storage.unit_of_work import Database, open_database


def test_first_start_creates_the_schema_with_default_sectors(any_url):
    db = open_database(any_url)
    with db.reading() as session:
        sectors = list(session.scalars(select(Sector.name).order_by(Sector.sort_order)))
    assert sectors[:2] == ["Academic research", "Civil society"]
    assert "Lived experience" in sectors
    assert current_revision(db.engine) == storage_engine.head_revision()
    db.close()


def test_the_known_head_is_alembics_head():
    """Start-up compares against HEAD without Alembic; a new migration must update it."""
    from roundtable_app.storage.migrations import HEAD

    assert HEAD == storage_engine.head_revision()


def test_opening_an_up_to_date_database_needs_no_alembic(sqlite_url):
    """Alembic costs a good part of the start: only creating or upgrading imports it."""
    import subprocess
    import sys

    open_database(sqlite_url).close()  # create it (this imports Alembic here)
    code = (
        "import sys\n"
        "from roundtable_app.storage.unit_of_work import open_database\n"
        f"open_database({sqlite_url!r}).close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_sqlite_has_foreign_keys_wal_and_busy_timeout(sqlite_db):
    with sqlite_db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_sqlite_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "data" / "mine.db"
    db = open_database(f"sqlite:///{path}")
    db.close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_foreign_keys_are_enforced(db):
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.execute(insert(person_theme).values(person_id=999, theme_id=999))


def test_a_database_that_cannot_be_written_says_so_and_keeps_nothing(sqlite_db):
    """A locked, full or read-only database is a message for the user, not a traceback."""
    with pytest.raises(StorageError, match="could not be read or written.*nothing was changed"):
        with sqlite_db.transaction() as session:
            session.execute(insert(Theme).values(name="Kept?"))
            session.execute(text("PRAGMA query_only = ON"))  # as if the disk went read-only
            session.execute(insert(Theme).values(name="Refused"))
    with sqlite_db.engine.connect() as conn:
        conn.execute(text("PRAGMA query_only = OFF"))
        assert conn.execute(select(Theme.name)).scalars().all() == []


def test_upgrade_from_the_first_migration_keeps_every_row(any_url):
    """A database made by an older version is upgraded, backed up, and loses nothing."""
    engine = create_db_engine(any_url)
    upgrade(engine, "0001")
    old = Database(engine)
    with old.transaction() as session:
        session.execute(insert(Theme), [{"name": f"Theme {i}"} for i in range(5)])
        sector_id = session.scalar(select(Sector.id).where(Sector.name == "Government"))
        for i in range(20):
            session.execute(
                text(
                    "INSERT INTO person (full_name, email, email_key, sector_id, lived_experience,"
                    " may_contact, may_be_named, accessibility_needs, dietary_needs, notes,"
                    " created_at, updated_at, version) VALUES (:n, :e, :k, :s, false, true, false,"
                    " '', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
                ),
                {
                    "n": f"Person {i}",
                    "e": f"P{i}@example.org",
                    "k": f"p{i}@example.org",
                    "s": sector_id,
                },
            )
        session.execute(
            text(
                "INSERT INTO person_theme (person_id, theme_id) SELECT p.id, t.id FROM person p, "
                "theme t WHERE t.name = 'Theme 1'"
            )
        )
    engine.dispose()

    db = open_database(any_url)
    assert db.upgrade_result is not None
    assert db.upgrade_result.from_revision == "0001"
    assert db.upgrade_result.to_revision == storage_engine.head_revision()
    if db.dialect == "sqlite":
        backup = db.upgrade_result.backup
        assert backup is not None and backup.exists()
        with sqlite3.connect(backup) as copy:
            assert copy.execute("SELECT count(*) FROM person").fetchone() == (20,)
            assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    with db.reading() as session:
        people = session.execute(
            select(Person.full_name, Person.email_key, Person.version).order_by(Person.id)
        ).all()
        links = session.execute(select(person_theme)).all()
        # the tables the upgrade added are there and usable
        session.execute(text("SELECT count(*) FROM roundtable")).scalar()
    assert [p[0] for p in people] == [f"Person {i}" for i in range(20)]
    assert all(p[2] == 1 for p in people)
    assert len(links) == 20
    db.close()


def test_opening_an_up_to_date_database_makes_no_backup(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    open_database(url).close()
    db = open_database(url)
    assert db.upgrade_result is not None and not db.upgrade_result.changed
    assert db.upgrade_result.backup is None
    db.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".bak") == []


def test_an_unreachable_server_is_a_clear_error():
    from roundtable_app.core.errors import StorageError

    with pytest.raises(StorageError, match="could not be opened"):
        open_database("postgresql://nobody:wrong@127.0.0.1:1/none")
