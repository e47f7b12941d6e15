"""Two real processes importing into one database at once, and an import behind another.

Each import is a real ``roundtable-app import`` process. The two racers read
and check their files, then wait at a shared start line (a file appearing)
so that their writes overlap. The files share no e-mail address but name the
same organisations, sectors and interests in different orders: both imports
must succeed and every row must be there.
"""

from __future__ import annotations

import os
import pty
import random
import select as io_select
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from roundtable_app.storage.models import Organisation, Sector, Theme, person_theme
from roundtable_app.storage.models import Person as PersonModel
from roundtable_app.storage.unit_of_work import open_database

ROOT = Path(__file__).resolve().parents[2]
ROWS = 3000
ORGANISATIONS = 400
THEMES = 40

#: A racer: imports the app, then runs the command line once the start file exists.
RACER = """
import sys, time
from pathlib import Path
from roundtable_app.cli import main
from roundtable_app.services import transfer  # imported before the start, like the reading
start = Path(sys.argv[1])
while not start.exists():
    time.sleep(0.005)
sys.exit(main(sys.argv[2:]))
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _people_csv(path: Path, prefix: str, seed: int, rows: int = ROWS) -> Path:
    rng = random.Random(seed)
    organisations = [f"Organisation {i:03d}" for i in range(ORGANISATIONS)]
    themes = [f"Theme {i:02d}" for i in range(THEMES)]
    sectors = [f"Sector {i}" for i in range(8)]
    for names in (organisations, themes, sectors):
        rng.shuffle(names)
    lines = ["Full name,E-mail,Organisation,Sector,Interests"]
    for i in range(rows):
        interests = f"{themes[i % THEMES]}; {themes[(i + 1) % THEMES]}"
        lines.append(
            f"{prefix} Person {i},{prefix.lower()}{i}@example.org,"
            f"{organisations[i % ORGANISATIONS]},{sectors[i % 8]},{interests}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _racers(url: str, files: list[Path], start: Path) -> list[subprocess.Popen[str]]:
    return [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(start), "import", str(f), "--database", url],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]


def test_two_processes_importing_at_once_both_succeed_with_every_row(
    any_url: str, tmp_path: Path
) -> None:
    open_database(any_url).close()  # created (and migrated) before the race
    files = [
        _people_csv(tmp_path / "alpha.csv", "Alpha", 1),
        _people_csv(tmp_path / "beta.csv", "Beta", 2),
    ]
    start = tmp_path / "start"
    racers = _racers(any_url, files, start)
    start.touch()
    results = [(p.wait(timeout=300), *p.communicate()) for p in racers]
    for code, out, err in results:
        assert (code, err) == (0, ""), out
        assert out.startswith(f"Added {ROWS}, merged 0, skipped 0, rejected 0.")

    db = open_database(any_url)
    try:
        with db.reading() as session:
            emails = set(session.scalars(select(PersonModel.email_key)))
            count = session.scalar(select(func.count()).select_from(PersonModel))
            links = session.scalar(select(func.count()).select_from(person_theme))
            organisations = session.scalar(select(func.count()).select_from(Organisation))
            themes = session.scalar(select(func.count()).select_from(Theme))
            sectors = set(session.scalars(select(Sector.name).where(Sector.name.like("Sector %"))))
    finally:
        db.close()
    expected = {f"{p}{i}@example.org" for p in ("alpha", "beta") for i in range(ROWS)}
    assert (count, emails) == (2 * ROWS, expected)  # nobody lost, nobody doubled
    assert links == 2 * 2 * ROWS
    assert (organisations, themes, len(sectors)) == (ORGANISATIONS, THEMES, 8)


# --- an import behind another one ------------------------------------------------------------


class WriteLockHolder:
    """Another process holding the SQLite file's write lock, as a long import does."""

    HOLD = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO theme (name) VALUES ('From the long import')")
print("holding", flush=True)
sys.stdin.read()
conn.execute("COMMIT")
"""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", self.HOLD, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline() == "holding\n"

    def finish(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=30)


def _first_line(terminal: int) -> str:
    """What the process wrote to its terminal, up to the first line's end (or its exit)."""
    data = b""
    while b"\n" not in data:
        ready, _, _ = io_select.select([terminal], [], [], 120)
        try:
            chunk = os.read(terminal, 1024) if ready else b""
        except OSError:  # the process exited and closed its end
            chunk = b""
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace")


@pytest.fixture
def small_import(tmp_path: Path) -> tuple[str, Path, Path]:
    path = tmp_path / "team.db"
    open_database(f"sqlite:///{path}").close()
    return f"sqlite:///{path}", path, _people_csv(tmp_path / "small.csv", "Small", 3, rows=2)


def test_an_import_behind_a_long_one_waits_a_bounded_time_then_says_so_in_one_line(
    small_import: tuple[str, Path, Path],
) -> None:
    url, path, csv = small_import
    holder = WriteLockHolder(path)
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "roundtable_app",
                "import",
                str(csv),
                "--database",
                url,
                "--wait",
                "1",
            ],
            cwd=ROOT,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        holder.finish()
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "roundtable-app: error: another import is writing to this database; waited 1 s and "
        "imported nothing. Run the import again when it has finished, or wait longer with "
        "--wait SECONDS.\n"
    )
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM person").fetchone() == (0,)
    finally:
        conn.close()


def test_an_import_behind_a_long_one_tells_the_terminal_and_imports_once_it_ends(
    small_import: tuple[str, Path, Path],
) -> None:
    url, path, csv = small_import
    holder = WriteLockHolder(path)
    terminal, child_end = pty.openpty()  # stderr is a terminal: the wait is announced there
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "roundtable_app", "import", str(csv), "--database", url],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=child_end,
            text=True,
        )
        os.close(child_end)
        told = _first_line(terminal)
        holder.finish()  # the long import ends while the small one waits
        out, _ = process.communicate(timeout=120)
    finally:
        holder.finish()
        os.close(terminal)
    assert told.strip() == (
        "roundtable-app: another import is writing to this database; waiting up to 120 s "
        "for it to finish (Ctrl+C stops)…"
    )
    assert process.returncode == 0
    assert out.startswith("Added 2, merged 0, skipped 0, rejected 0.")
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM person").fetchone() == (2,)
        assert conn.execute(
            "SELECT count(*) FROM theme WHERE name = 'From the long import'"
        ).fetchone() == (1,)
    finally:
        conn.close()
