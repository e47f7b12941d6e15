"""``roundtable-app stats``: the headline figures printed, the files written, clear errors."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from roundtable_app.cli import main
from tests.services.statistics.hand_counted import build


@pytest.fixture
def sqlite_history(sqlite_db):  # type: ignore[no-untyped-def]
    """The hand-counted history of tests/services/statistics, in a SQLite file."""
    return build(sqlite_db)


def database(fx) -> str:  # type: ignore[no-untyped-def]
    return fx.db.engine.url.database


def figures_printed(out: str) -> dict[str, str]:
    rows = {}
    for line in out.splitlines():
        label, _, value = line.rstrip().rpartition("  ")
        if label.strip():
            rows[label.strip()] = value.strip()
    return rows


def test_the_headline_figures_of_every_roundtable(sqlite_history, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["stats", "--database", database(sqlite_history)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "All roundtables · all time"
    printed = figures_printed(out)
    assert printed["Roundtables"] == "4"
    assert printed["Invited"] == "17" and printed["Attended (walk-ins included)"] == "9"
    assert printed["Turnout (of those expected)"] == "67%"
    assert printed["New connections"] == "5"
    assert printed["Lived-experience participants"] == "3"
    assert "Academic research" in out and "fewer than 3" in out  # the Lived experience row


def test_a_series_and_a_period(sqlite_history, capsys) -> None:  # type: ignore[no-untyped-def]
    args = ["stats", "--database", database(sqlite_history), "--series", "supply CHAINS"]
    assert main([*args, "--from", "2026-03-01", "--to", "2026-12-31"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Supply chains · 1 Mar 2026 to 31 Dec 2026"
    printed = figures_printed(out)
    assert printed["Roundtables"] == "1" and printed["New connections"] == "3"


def test_one_roundtable_prints_small_groups_as_fewer_than_3(sqlite_history, capsys) -> None:  # type: ignore[no-untyped-def]
    rid = sqlite_history.rts[2]
    assert main(["stats", "--database", database(sqlite_history), "--roundtable", str(rid)]) == 0
    out = capsys.readouterr().out
    assert figures_printed(out)["Lived-experience participants"] == "fewer than 3"
    academic = next(line for line in out.splitlines() if line.startswith("Academic research"))
    assert academic.split()[2:5] == ["fewer", "than", "3"]


def test_the_files_are_written_when_asked(sqlite_history, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    base = ["stats", "--database", database(sqlite_history), "--out"]
    for name in ("s.csv", "s.xlsx", "s.pdf"):
        assert main([*base, str(tmp_path / name)]) == 0
        assert capsys.readouterr().out.rstrip().endswith(f"Wrote {tmp_path / name}.")
    with open(tmp_path / "s.csv", encoding="utf-8-sig", newline="") as handle:
        assert ["Roundtable statistics"] in list(csv.reader(handle))
    assert openpyxl.load_workbook(tmp_path / "s.xlsx").sheetnames[0] == "Summary"
    text = PdfReader(tmp_path / "s.pdf").pages[0].extract_text()
    assert "ATTENDANCE REPORT" in text and "Target share" not in text


def test_mistakes_are_one_line_errors_that_say_what_to_do(sqlite_history, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = database(sqlite_history)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "roundtable_app", "stats", "--database", db, *args],
            capture_output=True,
            text=True,
        )

    for args, expected in (
        (["--series", "Nope"], "There is no series 'Nope'; the series are: Supply chains."),
        (["--from", "2026-06-01", "--to", "2026-01-01"], "--from 2026-06-01 is after --to"),
        (["--from", "1 March"], "'1 March' is not a date; write it as YYYY-MM-DD"),
        (["--roundtable", str(sqlite_history.rts[5])], "has not taken place"),
        (["--roundtable", "2", "--series", "Supply chains"], "leave out --series"),
        (["--out", str(tmp_path / "s.txt")], "write a .csv or .xlsx file"),
    ):
        result = run(*args)
        assert result.returncode != 0, args
        assert expected in result.stderr, (args, result.stderr)
        assert result.stderr.strip().count("\n") <= 3  # usage lines for argparse's own errors
    assert not (tmp_path / "s.txt").exists()


def test_stats_has_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "roundtable_app", "stats", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "fewer than 3" in result.stdout


def test_demo_scales_the_history_for_the_benchmarks(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "history.db"
    args = ["demo", "--people", "300", "--roundtables", "40", "--invitees", "30", "--out", str(out)]
    assert main(args) == 0
    wrote = capsys.readouterr().out
    roundtables = int(wrote.split(" roundtables")[0].rsplit(" ", 1)[1])
    assert 40 + 3 <= roundtables <= 40 + 5  # and the 3 to 5 still to come
    assert main(["stats", "--database", str(out), "--to", "2026-10-31"]) == 0
    assert figures_printed(capsys.readouterr().out)["Roundtables"] == "40"
