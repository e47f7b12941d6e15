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
    summary = ["summary", "--roundtable", "1", "--out", "x.pdf", "--final", "--database"]
    assert main([*summary, member.render_as_string(hide_password=False)]) == 1
    assert capsys.readouterr().err == (
        "roundtable-app: error: A check-in login cannot print summaries: ask staff, or a "
        "read-only member.\n"
    )


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


@pytest.mark.postgres
def test_a_read_only_member_prints_the_final_summary(  # type: ignore[no-untyped-def]
    postgres_url, role_prefix, make_person, capsys, monkeypatch, tmp_path
) -> None:
    """``summary --final`` as a read-only login: the final revision as staff made it final
    (never the draft), without the participant list; a revision made final before this
    version is kept as printed by ``team setup``."""
    import datetime as dt

    from pypdf import PdfReader

    from roundtable_app.core.discussion import NoteKind
    from roundtable_app.services import discussion, roundtables
    from roundtable_app.storage.models import SummaryRevision
    from roundtable_app.storage.unit_of_work import open_database

    owner = open_database(postgres_url)
    zoe = make_person(owner, full_name="Zoe Abara", may_be_named=True)
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    data = roundtables.RoundtableData(
        title="Supply chains", starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    with owner.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, [zoe])
        discussion.add_lines(s, rid, NoteKind.NEED, "How many are exploited?")
        discussion.finalise(s, rid, 1)
    with owner.transaction() as s:
        discussion.reopen(s, rid, 1)
        discussion.add_lines(s, rid, NoteKind.POINT, "Still a draft")
        s.query(SummaryRevision).update({"printed": None})  # as an older version left it
    owner.close()

    assert main(["team", "setup", "--prefix", role_prefix, "--database", postgres_url]) == 0
    out = capsys.readouterr().out
    assert "1 final summary made before this version kept as printed" in out
    assert "Read-only: statistics and final summaries" in out
    login = f"{role_prefix}_reader"
    monkeypatch.setattr("sys.stdin", io.StringIO("read only\n"))
    args = ["team", "add", login, "--role", "readonly", "--password-stdin"]
    assert main([*args, "--prefix", role_prefix, "--database", postgres_url]) == 0
    capsys.readouterr()
    member = (
        make_url(postgres_url)
        .set(username=login, password="read only")
        .render_as_string(hide_password=False)
    )

    pdf = tmp_path / "summary.pdf"
    command = ["summary", "--roundtable", str(rid), "--final", "--out", str(pdf)]
    assert main([*command, "--database", member]) == 0
    assert capsys.readouterr().out == (
        f"Wrote {pdf}: the final summary (revision 1) of 'Supply chains'.\n"
    )
    printed = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "How many are exploited?" in printed
    assert "Still a draft" not in printed and "Draft" not in printed
    assert "Zoe Abara" not in printed

    assert main([*command, "--with-participants", "--database", member]) == 1
    assert "without the participant list" in capsys.readouterr().err
    missing = ["summary", "--roundtable", "999999", "--out", str(pdf), "--database", member]
    assert main(missing) == 1
    assert capsys.readouterr().err == "roundtable-app: error: There is no roundtable 999999.\n"
