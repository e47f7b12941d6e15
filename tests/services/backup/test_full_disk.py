"""A full disk: a backup or an ordinary save that cannot be written leaves the data intact.

Each case runs in a subprocess whose files may not grow past a limit
(``RLIMIT_FSIZE``, with ``SIGXFSZ`` ignored so that the write fails with
"File too large" instead of killing the process), as a full disk would.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from roundtable_app.core.model import PersonData
from roundtable_app.services import directory
from roundtable_app.storage.unit_of_work import open_database

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "darwin", reason="RLIMIT_FSIZE as on Linux"
)

ROOT = Path(__file__).resolve().parents[3]

PRELUDE = """
import resource, signal, sys
from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import PersonData
from roundtable_app.services import directory
from roundtable_app.storage.unit_of_work import open_database
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
db = open_database(sys.argv[1], migrate=False)
"""


def run_limited(
    script: str, url: str, limit: int, extra: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    code = PRELUDE + textwrap.dedent(script).replace("MAX_BYTES", str(limit))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code, url, *(extra or [])],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def people(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return [row[0] for row in conn.execute("SELECT full_name FROM person ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "team.db"
    db = open_database(f"sqlite:///{path}")
    with db.transaction() as session:
        for n in range(300):
            data = PersonData(full_name=f"Kept {n}", email=f"k{n}@example.org", notes="x" * 500)
            directory.create_person(session, data)
    db.close()  # checkpoints: the data is in the database file itself
    return path


def test_a_backup_on_a_full_disk_says_so_and_leaves_nothing_behind(database) -> None:  # type: ignore[no-untyped-def]
    before = people(database)
    size = database.stat().st_size
    assert size > 200_000
    done = run_limited(
        """
        from roundtable_app.services import backup
        resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_BYTES, MAX_BYTES))
        try:
            backup.back_up(db)
        except RoundtableError as exc:
            print(exc)
            sys.exit(3)
        """,
        f"sqlite:///{database}",
        limit=size // 3,
    )
    assert done.returncode == 3, done.stderr
    message = done.stdout.strip()
    assert message.startswith(f"The backup could not be written to {database.parent}/backups/")
    assert "the disk is full or refused the write" in message
    assert "The database itself is unchanged" in message and "disk has space" in message
    # No half-written copy, no temporary file, and the database as it was.
    assert list((database.parent / "backups").iterdir()) == []
    assert people(database) == before


def test_a_save_on_a_full_disk_says_so_and_loses_no_committed_data(database) -> None:  # type: ignore[no-untyped-def]
    before = people(database)
    done = run_limited(
        """
        from roundtable_app.core.model import PersonData
        from roundtable_app.services import directory
        resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_BYTES, MAX_BYTES))
        with db.transaction() as session:  # small: fits
            data = PersonData(full_name="Committed", email="c@example.org")
            directory.create_person(session, data)
        try:
            with db.transaction() as session:  # large: the disk fills part-way
                for n in range(3000):
                    data = PersonData(full_name=f"Lost {n}", email=f"l{n}@x.org", notes="y" * 900)
                    directory.create_person(session, data)
        except RoundtableError as exc:
            print(exc)
            sys.exit(3)
        """,
        f"sqlite:///{database}",
        limit=database.stat().st_size + 400_000,
    )
    assert done.returncode == 3, done.stderr
    message = done.stdout.strip()
    assert message.startswith("The database could not be read or written (")
    assert "nothing was changed" in message and "has space" in message
    after = people(database)
    assert after == [*before, "Committed"]


def test_a_restore_on_a_full_disk_leaves_the_database_as_it_was(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # A small database, and a larger backup: the current data fits in its before-restore
    # copy, and the disk fills while the backup is being written into the database.
    database = tmp_path / "large.db"
    db = open_database(f"sqlite:///{database}")
    with db.transaction() as session:
        for n in range(300):
            data = PersonData(full_name=f"Big {n}", email=f"b{n}@example.org", notes="z" * 3000)
            directory.create_person(session, data)
    db.close()
    small = tmp_path / "small" / "team.db"
    db = open_database(f"sqlite:///{small}")
    with db.transaction() as session:
        directory.create_person(session, PersonData(full_name="Only", email="o@example.org"))
    db.close()
    assert small.stat().st_size * 2 < database.stat().st_size
    done = run_limited(
        """
        from roundtable_app.services import backup
        db.close()
        resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_BYTES, MAX_BYTES))
        try:
            backup.restore(sys.argv[1].removeprefix("sqlite:///"), sys.argv[2])
        except RoundtableError as exc:
            print(exc)
            sys.exit(3)
        """,
        f"sqlite:///{small}",
        limit=small.stat().st_size + 20_000,
        extra=[str(database)],
    )
    assert done.returncode == 3, done.stderr
    message = done.stdout.strip()
    assert message.startswith(f"{small} could not be restored from {database}: the disk is full")
    assert "The database is unchanged" in message
    assert people(small) == ["Only"]
