"""Two real processes importing into one database at once, and an import behind another.

Each import is a real ``roundtable-app import`` process. The two racers read
and check their files, then wait at a shared start line (a file appearing)
so that their writes overlap. The files share no e-mail address but name the
same organisations, sectors and interests in different orders: both imports
must succeed and every row must be there.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

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
