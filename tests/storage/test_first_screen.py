"""The first screen of names read straight from a SQLite file, before the database layer."""

from __future__ import annotations

import subprocess
import sys

from roundtable_app.services import directory
from roundtable_app.services.demo import generate_demo
from roundtable_app.storage.engine import create_db_engine, upgrade
from roundtable_app.storage.first_screen import first_rows, sqlite_file
from roundtable_app.storage.unit_of_work import Database


def test_it_is_the_same_first_screen_the_directory_loads(sqlite_db: Database) -> None:
    generate_demo(sqlite_db, people=150)
    with sqlite_db.reading() as session:
        expected = directory.list_rows(session, first=40)
    url = sqlite_db.engine.url.render_as_string()
    rows = first_rows(url, 40)
    assert rows == expected
    assert any(row.interests for row in rows) and any(row.last_attended for row in rows)


def test_anything_unusual_means_wait_for_the_real_load(tmp_path, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    assert first_rows("postgresql://staff:secret@db.example/roundtable", 40) is None
    assert first_rows(f"sqlite:///{tmp_path / 'not-there.db'}", 40) is None
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    assert first_rows(f"sqlite:///{garbage}", 40) is None
    older = tmp_path / "older.db"
    upgrade(create_db_engine(f"sqlite:///{older}"), "0005")  # made by an older version
    assert first_rows(f"sqlite:///{older}", 40) is None
    assert first_rows(sqlite_db.engine.url.render_as_string(), 40) == []  # empty: no names


def test_urls_name_their_file() -> None:
    assert str(sqlite_file("sqlite:////home/staff/roundtable.db")) == "/home/staff/roundtable.db"
    assert str(sqlite_file("sqlite:///relative/roundtable.db")) == "relative/roundtable.db"
    assert str(sqlite_file("sqlite:////tmp/with%20space.db")) == "/tmp/with space.db"
    assert sqlite_file("sqlite:///:memory:") is None
    assert sqlite_file("postgresql://localhost/roundtable") is None


def test_reading_it_needs_no_sqlalchemy(sqlite_db: Database) -> None:
    url = sqlite_db.engine.url.render_as_string()
    code = (
        "import sys\n"
        "from roundtable_app.storage.first_screen import first_rows\n"
        f"first_rows({url!r}, 40)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
