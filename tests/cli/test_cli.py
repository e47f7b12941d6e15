"""The command line, run as a user runs it: a real process, real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from roundtable_app.cli import main
from roundtable_app.services import directory
from roundtable_app.storage.unit_of_work import open_database


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "roundtable_app", *args], capture_output=True, text=True, cwd=cwd
    )


@pytest.mark.parametrize("command", [[], ["init"], ["demo"], ["import"], ["export", "people"]])
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "usage: roundtable-app" in result.stdout


def test_init_creates_then_reports_up_to_date(tmp_path, capsys):
    path = tmp_path / "team.db"
    assert main(["init", "--database", str(path)]) == 0
    assert "Created a new database" in capsys.readouterr().out
    assert main(["--database", str(path), "init"]) == 0
    assert "is up to date" in capsys.readouterr().out


def test_demo_writes_the_people_asked_for(tmp_path):
    out = tmp_path / "demo.db"
    result = run("demo", "--people", "120", "--out", str(out), "--seed", "7")
    assert result.returncode == 0, result.stderr
    assert "Wrote" in result.stdout and "120 people" in result.stdout
    db = open_database(f"sqlite:///{out}")
    with db.reading() as session:
        assert len(directory.list_rows(session)) == 120
    db.close()


def test_demo_refuses_to_overwrite_a_file(tmp_path):
    out = tmp_path / "exists.db"
    out.write_text("precious")
    result = run("demo", "--out", str(out))
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "already exists" in result.stderr
    assert out.read_text() == "precious"


def test_bad_input_is_a_one_line_error(tmp_path):
    result = run("import", str(tmp_path / "missing.csv"), "--database", str(tmp_path / "x.db"))
    assert result.returncode != 0
    assert result.stderr.startswith("roundtable-app: error:")
    assert result.stderr.strip().count("\n") == 0


def test_an_unknown_option_is_refused():
    result = run("demo", "--persons", "3", "--out", "x.db")
    assert result.returncode == 2
    assert "unrecognized arguments" in result.stderr


def test_the_window_start_removes_what_a_crash_left_in_the_temporary_folder(tmp_path, monkeypatch):
    """A crash with the table plan's preview open left a PDF of names; the next start removes it."""
    import tempfile

    import roundtable_app.ui.app as gui

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    crashed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os\n"
            "from roundtable_app.services.temporary import temporary_folder\n"
            "with temporary_folder('table-plan') as folder:\n"
            "    (folder / 'plan.pdf').write_bytes(b'%PDF names')\n"
            "    print(folder, flush=True)\n"
            "    os.kill(os.getpid(), 9)\n",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    left = Path(crashed.stdout.strip())
    assert (left / "plan.pdf").exists()

    opened = []

    def window(opener, **_options):  # the window's start, without a screen
        opened.append(opener())
        return 0

    monkeypatch.setattr(gui, "run_gui", window)
    assert main(["--database", str(tmp_path / "team.db")]) == 0
    assert len(opened) == 1
    assert not left.exists()
    assert [p for p in tmp_path.rglob("*.pdf")] == []
