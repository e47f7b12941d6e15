"""``roundtable-app import`` never drops or garbles data silently: run as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from roundtable_app.services import directory
from roundtable_app.storage.unit_of_work import open_database

MIXED_BYTES = (
    b"Full name,E-mail\n"
    + "René Côté,rene@example.org\n".encode("cp1252")
    + "José Müller,jose@example.org\n".encode()
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "roundtable_app", *args], capture_output=True, text=True
    )


@pytest.fixture
def database(tmp_path: Path) -> str:
    path = tmp_path / "team.db"
    assert run("init", "--database", str(path)).returncode == 0
    return str(path)


def _names(database: str) -> list[str]:
    db = open_database(f"sqlite:///{database}")
    try:
        with db.reading() as session:
            return sorted(r.full_name for r in directory.list_rows(session))
    finally:
        db.close()


def test_a_file_mixing_encodings_is_refused_with_the_line_and_the_option(
    tmp_path: Path, database: str
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(MIXED_BYTES)
    refused = run("import", str(path), "--database", database)
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        "roundtable-app: error: mixed.csv mixes two encodings: line 3 is in UTF-8 "
        "(“José Müller,jose@example.org”), but line 2 is in Windows (cp1252) "
        "(“René Côté,rene@example.org”). Import it again with --encoding mixed (each line in "
        "its own encoding), or --encoding cp1252 or --encoding utf-8 to read every line in one.\n"
    )
    assert _names(database) == []

    done = run("import", str(path), "--encoding", "mixed", "--database", database)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Added 2, merged 0, unchanged 0, skipped 0, rejected 0.")
    assert _names(database) == ["José Müller", "René Côté"]


def test_a_second_email_column_is_refused_naming_both(tmp_path: Path, database: str) -> None:
    path = tmp_path / "two.csv"
    path.write_text("Full name,E-mail,E-mail\nAda,ada@work.org,ada@home.org\n", encoding="utf-8")
    refused = run("import", str(path), "--database", database)
    assert refused.returncode == 1
    assert "two.csv has 2 columns for “E-mail”: column B “E-mail” and column C “E-mail”" in (
        refused.stderr
    )
    assert refused.stderr.count("\n") == 1
    assert _names(database) == []


def test_a_reimport_says_unchanged(tmp_path: Path, database: str) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Full name,E-mail\nAda,ada@x.org\nBob,bob@x.org\n", encoding="utf-8")
    assert run("import", str(path), "--database", database).returncode == 0
    again = run("import", str(path), "--database", database)
    assert again.stdout == "Added 0, merged 0, unchanged 2, skipped 0, rejected 0.\n"


def test_a_nul_byte_and_an_unclosed_quote_are_reported_not_crashed_on(
    tmp_path: Path, database: str
) -> None:
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"Full name,E-mail\nAda,ada@x.org\nBob\x00,bob@x.org\n")
    refused = run("import", str(nul), "--database", database)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "Row 3: the “Full name” cell holds an invisible NUL character" in refused.stderr
    kept = run("import", str(nul), "--skip-bad-rows", "--database", database)
    assert kept.returncode == 0
    assert "  Row 3: the “Full name” cell holds an invisible NUL character" in kept.stdout

    quote = tmp_path / "quote.csv"
    quote.write_text('Full name,E-mail\n"Cy,cy@x.org\nDee,dee@x.org\n', encoding="utf-8")
    refused = run("import", str(quote), "--database", database)
    assert refused.returncode == 1
    assert "quote.csv: unclosed quote starting at row 2; everything after it" in refused.stderr
    assert _names(database) == ["Ada"]


def test_an_unknown_encoding_is_one_line(tmp_path: Path, database: str) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Full name\nAda\n", encoding="utf-8")
    result = run("import", str(path), "--encoding", "klingon", "--database", database)
    assert result.returncode == 1
    assert result.stderr.startswith("roundtable-app: error: 'klingon' is not an encoding")
    assert result.stderr.count("\n") == 1
