"""PostgreSQL: a backup is a pg_dump custom-format file; without pg_dump, the command to run."""

from __future__ import annotations

import shutil
import stat
import subprocess

import pytest

from roundtable_app.core.errors import RoundtableError
from roundtable_app.services import backup
from roundtable_app.storage.unit_of_work import open_database

pytestmark = pytest.mark.postgres


def test_pg_dump_writes_a_custom_format_dump(postgres_url, tmp_path, make_person) -> None:  # type: ignore[no-untyped-def]
    db = open_database(postgres_url)
    try:
        make_person(db, full_name="Dumped Person", email="dumped@example.org")
        result = backup.back_up(db, tmp_path / "team.dump")
    finally:
        db.close()
    assert result.path == tmp_path / "team.dump"
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert result.path.read_bytes()[:5] == b"PGDMP"  # the custom format's signature
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team.dump"]  # no temporary left
    # The dump holds the person: pg_restore turns it back into SQL.
    sql = subprocess.run(
        ["pg_restore", "--data-only", "-f", "-", str(result.path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "dumped@example.org" in sql and "Dumped Person" in sql


def test_without_pg_dump_the_message_gives_the_command(postgres_url, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = open_database(postgres_url)
    monkeypatch.setenv("PATH", "")
    assert shutil.which("pg_dump") is None
    try:
        with pytest.raises(RoundtableError) as caught:
            backup.back_up(db, tmp_path / "team.dump")
    finally:
        db.close()
    message = str(caught.value)
    assert message.startswith("pg_dump is not installed here, so this PostgreSQL database was not")
    assert "postgresql-client" in message
    assert "pg_dump -Fc -h localhost" in message and f"-f {tmp_path / 'team.dump'}" in message
    assert "roundtable_ci:" not in message and "PGPASSWORD" not in message  # no password
    assert list(tmp_path.iterdir()) == []


def test_a_failing_pg_dump_is_a_clear_message(postgres_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = open_database(postgres_url)
    db.engine.url = db.engine.url.set(password="wrong")  # as if the password changed since
    try:
        with pytest.raises(RoundtableError, match="pg_dump could not back up the database: "):
            backup.back_up(db, tmp_path / "team.dump")
    finally:
        db.close()
    assert list(tmp_path.iterdir()) == []


def test_restore_on_postgresql_says_what_to_run(postgres_url) -> None:  # type: ignore[no-untyped-def]
    text = backup.restore_instructions(postgres_url, "/backups/team.dump")
    assert "pg_restore --clean --if-exists --no-owner -h localhost" in text
    assert text.endswith("/backups/team.dump")
    assert "roundtable_ci:roundtable_ci" not in text
