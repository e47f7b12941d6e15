"""``roundtable-app team setup`` and ``team add`` on the real server, and their one-line errors."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import ProgrammingError

from roundtable_app.cli import main


@pytest.mark.postgres
def test_setup_twice_then_a_check_in_member(  # type: ignore[no-untyped-def]
    postgres_url, role_prefix, capsys, monkeypatch
) -> None:
    assert main(["team", "setup", "--prefix", role_prefix, "--database", postgres_url]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Team roles ready (new: {role_prefix}_staff, ")
    assert f"  {role_prefix}_checkin" in out and "Check-in: check people in" in out

    assert main(["team", "setup", "--prefix", role_prefix, "--database", postgres_url]) == 0
    assert capsys.readouterr().out.startswith("Team roles ready (already there):")

    login = f"{role_prefix}_door1"
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret door\n"))
    args = ["team", "add", login, "--role", "checkin", "--password-stdin"]
    assert main([*args, "--prefix", role_prefix, "--database", postgres_url]) == 0
    assert capsys.readouterr().out == (
        f"Added {login}: Check-in (check people in at today's roundtables).\n"
    )
    member = make_url(postgres_url).set(username=login, password="s3cret door")
    engine = create_engine(member)
    with engine.connect() as conn, pytest.raises(ProgrammingError, match="permission denied"):
        conn.execute(text("SELECT lived_experience FROM person"))
    engine.dispose()


def test_setup_on_sqlite_is_a_one_line_error(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "team.db"
    assert main(["team", "setup", "--database", str(path)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"roundtable-app: error: Team roles need PostgreSQL: {path} is a SQLite file, which "
        "has no logins or roles. Give a postgresql://… address (--database).\n"
    )
    assert not path.exists()


def test_add_without_a_terminal_asks_for_password_stdin(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    url = "postgresql://someone@localhost/roundtable"
    assert main(["team", "add", "door", "--role", "checkin", "--database", url]) == 1
    assert "give it with --password-stdin" in capsys.readouterr().err
