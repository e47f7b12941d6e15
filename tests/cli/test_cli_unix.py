"""The command line behaves like a Unix tool: one-line errors, no database made by a
command that reads, a closed pipe ends quietly, and words that make sense in a terminal."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, inspect

from roundtable_app.cli import main
from roundtable_app.config import ENV_DATABASE_URL
from roundtable_app.core.model import Format, RoundtableStatus
from roundtable_app.services import roundtables
from roundtable_app.services.roundtables import RoundtableData
from roundtable_app.storage.models import Roundtable
from roundtable_app.storage.unit_of_work import open_database

ROOT = Path(__file__).resolve().parents[2]
FORMS = ("team.db", "sqlite:///path/to/team.db", "postgresql://user:password@host/database")
START = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)
#: Words that only make sense in the window.
WINDOW_WORDS = ("F5", "untick", "window", "click", "Refresh the list", "mapping step")


def one_line_error(err: str) -> str:
    assert err.startswith("roundtable-app: error: "), err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


def many_roundtables(path: Path, count: int) -> None:
    db = open_database(f"sqlite:///{path}")
    with db.transaction() as s:
        s.execute(
            insert(Roundtable),
            [
                {
                    "title": f"Roundtable number {i}",
                    "ical_uid": f"{uuid.uuid4()}@test",
                    "status": "scheduled",
                    "starts_at": START + dt.timedelta(days=i),
                    "ends_at": START + dt.timedelta(days=i, hours=2),
                }
                for i in range(count)
            ],
        )
    db.close()


# --- addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "notaurl://x",
        "mysql://events:s3cret@db.example/roundtable",
        "sqlite://",
        "sqlite:///:memory:",
        "postgresql://events:s3cret@db.example:port/roundtable",
    ],
)
@pytest.mark.parametrize("command", [["roundtables"], ["init"], ["export", "people", "x.csv"]])
def test_an_address_the_app_cannot_open_is_one_line_naming_the_forms(
    capsys, tmp_path, monkeypatch, address, command
):
    monkeypatch.chdir(tmp_path)
    assert main(["--database", address, *command]) == 1
    captured = capsys.readouterr()
    message = one_line_error(captured.err)
    assert all(form in message for form in FORMS), message
    assert "s3cret" not in message  # a password is never printed
    assert captured.out == ""
    assert list(tmp_path.iterdir()) == []


def test_the_environment_variable_is_named_when_it_holds_the_bad_address(capsys, monkeypatch):
    monkeypatch.setenv(ENV_DATABASE_URL, "notaurl://x")
    assert main(["roundtables"]) == 1
    message = one_line_error(capsys.readouterr().err)
    assert f"${ENV_DATABASE_URL} (notaurl://x)" in message


def test_the_window_is_not_opened_on_an_address_it_cannot_open(capsys, monkeypatch):
    import roundtable_app.ui.app as gui

    def never(*_args, **_kwargs):
        raise AssertionError("the window opened")

    monkeypatch.setattr(gui, "run_gui", never)
    assert main(["--database", "notaurl://x"]) == 1
    one_line_error(capsys.readouterr().err)


# --- reading never creates --------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["roundtables"],
        ["export", "people", "{tmp}/people.csv"],
        ["group", "--roundtable", "1", "--tables", "2"],
        ["invites", "--roundtable", "1", "--out", "{tmp}/out", "--organiser-email", "a@b.org"],
        ["replies", "{tmp}/reply.ics"],
        ["import", "{tmp}/people.csv"],
    ],
)
def test_a_command_never_creates_a_database(capsys, tmp_path, command):
    (tmp_path / "people.csv").write_text("Full name,E-mail\nJane Doe,jane@example.org\n")
    (tmp_path / "reply.ics").write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n")
    missing = tmp_path / "nonexistent" / "dir" / "x.db"
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert main(["--database", f"sqlite:///{missing}", *args]) == 1
    message = one_line_error(capsys.readouterr().err)
    assert message.endswith(f"no database at {missing}; create it with roundtable-app init")
    assert not (tmp_path / "nonexistent").exists()
    assert not (tmp_path / "out").exists()


def test_init_creates_it_and_then_the_commands_read_it(capsys, tmp_path):
    path = tmp_path / "new" / "team.db"
    assert main(["roundtables", "--database", str(path)]) == 1
    assert not path.exists()
    assert main(["init", "--database", str(path)]) == 0
    assert path.exists()
    capsys.readouterr()
    assert main(["roundtables", "--database", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "No roundtables yet.\n"


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_empty_database_is_not_filled_by_a_command_that_reads(
    request, capsys, tmp_path, backend
):
    """An empty SQLite file, or an empty database on the server: no tables appear."""
    if backend == "sqlite":
        path = tmp_path / "empty.db"
        path.touch()
        url, where = f"sqlite:///{path}", str(path)
    else:
        url = request.getfixturevalue("postgres_url")
        where = "postgresql+psycopg://"
    assert main(["roundtables", "--database", url]) == 1
    message = one_line_error(capsys.readouterr().err)
    assert f"no database at {where}" in message and "roundtable-app init" in message
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []
    engine.dispose()
    assert main(["init", "--database", url]) == 0
    assert main(["roundtables", "--database", url]) == 0


# --- pipes -----------------------------------------------------------------------------


def test_a_closed_pipe_ends_quietly_like_other_unix_tools(tmp_path):
    """``roundtable-app roundtables | head -3`` on a large database."""
    path = tmp_path / "large.db"
    many_roundtables(path, 1003)
    shell = (
        f"set -o pipefail; {sys.executable} -m roundtable_app roundtables "
        f"--database '{path}' | head -3"
    )
    result = subprocess.run(
        ["bash", "-c", shell], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 3
    assert result.returncode == 141  # as for any program whose reader went away


@pytest.mark.parametrize("command", [["roundtables"], ["--help"], ["roundtables", "--help"]])
def test_output_for_a_reader_already_gone_ends_quietly(tmp_path, command):
    """A short output, all of it still buffered when the reader is found gone."""
    path = tmp_path / "small.db"
    many_roundtables(path, 3)
    read, write = os.pipe()
    os.close(read)  # nobody will ever read it
    try:
        result = subprocess.run(
            [sys.executable, "-m", "roundtable_app", *command, "--database", str(path)],
            cwd=ROOT,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write)
    assert result.stderr == ""
    assert result.returncode == (0 if "--help" in command else 141)


# --- the roundtables listing ------------------------------------------------------------


@pytest.fixture
def listing(tmp_path: Path) -> Path:
    """Past, upcoming and draft roundtables, two of them with % and _ in the title."""
    path = tmp_path / "list.db"
    db = open_database(f"sqlite:///{path}")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    specs = [
        ("Held last year", -400, RoundtableStatus.SCHEDULED),
        ("100% attendance review", -30, RoundtableStatus.SCHEDULED),
        ("Next week's table", 7, RoundtableStatus.SCHEDULED),
        ("Data_sharing", 14, RoundtableStatus.SCHEDULED),
        ("Far future", 300, RoundtableStatus.DRAFT),
    ]
    with db.transaction() as s:
        for title, days, status in specs:
            start = now + dt.timedelta(days=days)
            data = RoundtableData(
                title=title,
                format=Format.IN_PERSON,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
            )
            rt = roundtables.create_roundtable(s, data)
            if status != RoundtableStatus.DRAFT:
                roundtables.set_status(s, rt.id, status, rt.version)
    db.close()
    return path


def titles(capsys, *args: str) -> list[str]:
    code = main(["roundtables", *args])
    out = capsys.readouterr().out
    assert code == 0
    return [line.split(" invitees  ", 1)[1] for line in out.splitlines()]


def test_roundtables_upcoming_past_search_and_limit(capsys, listing):
    db = ["--database", str(listing)]
    assert titles(capsys, *db) == [
        "Held last year",
        "100% attendance review",
        "Next week's table",
        "Data_sharing",
        "Far future",
    ]
    assert titles(capsys, *db, "--upcoming") == ["Next week's table", "Data_sharing", "Far future"]
    assert titles(capsys, *db, "--past") == ["100% attendance review", "Held last year"]
    assert titles(capsys, *db, "--search", "%") == ["100% attendance review"]
    assert titles(capsys, *db, "--search", "_") == ["Data_sharing"]
    assert titles(capsys, *db, "--search", "TABLE", "--upcoming") == ["Next week's table"]
    first_two = titles(capsys, *db, "--upcoming", "--limit", "2")
    assert first_two == ["Next week's table", "Data_sharing"]


def test_a_limit_says_that_more_were_left_out(capsys, listing):
    assert main(["roundtables", "--database", str(listing), "--limit", "2"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 2
    assert captured.err == "(Only the first 2 shown; raise --limit to see more.)\n"
    assert main(["roundtables", "--database", str(listing), "--limit", "5"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--limit", "0"], "--limit must be at least 1, not 0."),
        (["--search", "nothing like it"], "No roundtables match 'nothing like it'."),
        (["--past", "--search", "future"], "No past roundtables match 'future'."),
    ],
)
def test_roundtables_says_what_it_did_not_find(capsys, listing, args, said):
    code = main(["roundtables", "--database", str(listing), *args])
    captured = capsys.readouterr()
    assert captured.out == ""
    assert said in captured.err
    assert code == (1 if "--limit" in args else 0)


def test_upcoming_and_past_together_are_refused(capsys, listing):
    with pytest.raises(SystemExit) as stopped:
        main(["roundtables", "--database", str(listing), "--upcoming", "--past"])
    assert stopped.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


# --- command-line words ----------------------------------------------------------------


def test_messages_use_command_line_words(capsys, listing, tmp_path):
    db = ["--database", str(listing)]
    org = ["--organiser-email", "events@centre.example", "--out", str(tmp_path / "out")]

    def said(*args: str) -> str:
        main([*args, *db])
        captured = capsys.readouterr()
        text = captured.out + captured.err
        assert not [w for w in WINDOW_WORDS if w.lower() in text.lower()], text
        return text

    assert "There is no roundtable 9999; list the roundtables and their ids with " in said(
        "invites", "--roundtable", "9999", *org
    )
    draft = said("roundtables", "--search", "Far future").split()[0]
    assert "mark it scheduled in the app" in said("invites", "--roundtable", draft, *org)

    bad = tmp_path / "bad.csv"
    bad.write_text("Full name,E-mail\nJane Doe,jane@\nAmir Khan,amir@example.org\n")
    refused = said("import", str(bad))
    assert "Row 2: 'jane@' is not an e-mail address" in refused
    assert "add --skip-bad-rows to import the other rows" in refused
    skipped = said("import", str(bad), "--skip-bad-rows")
    assert "  Row 2: 'jane@' is not an e-mail address\n" in skipped
    assert "does not exist; it may have been moved or renamed. Check its name and folder." in said(
        "import", str(tmp_path / "gone.csv")
    )
    nameless = tmp_path / "nameless.csv"
    nameless.write_text("E-mail\njane@example.org\n")
    assert "No column is used for the name: name the header" in said("import", str(nameless))


def test_the_window_keeps_its_own_words(sqlite_db):
    from roundtable_app.core.errors import NotFoundError

    with sqlite_db.reading() as s, pytest.raises(NotFoundError) as raised:
        roundtables.get_roundtable(s, 9999)
    assert "Refresh the list (F5)" in str(raised.value)
    assert "roundtable-app roundtables" in raised.value.for_cli
