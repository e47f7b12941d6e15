"""Stress: two staff, two processes, at once (issue 10's figures).

Run: ``python tests/benchmarks/stress_concurrency.py [--races 100] [--imports 6]``
(with ``ROUNDTABLE_TEST_POSTGRES_URL`` set, PostgreSQL too).

1. The same new e-mail address saved by two processes at the same moment,
   ``--races`` times: every loser must get the duplicate-address message
   (DuplicateEmailError), never a raw IntegrityError, and exactly one person
   must exist afterwards.
2. Two ``roundtable-app import`` processes of 2,000 rows each, sharing no
   address but naming the same organisations, ``--imports`` times: both must
   succeed and every row must be there.

Prints the cases tried, crashes (tracebacks), clear errors and rows lost.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, make_url, select, text  # noqa: E402

from roundtable_app.storage.models import Person  # noqa: E402
from roundtable_app.storage.unit_of_work import open_database  # noqa: E402

SAVER = """
import sys, time
from pathlib import Path
from roundtable_app.core.errors import DuplicateEmailError
from roundtable_app.core.model import PersonData
from roundtable_app.services import directory
from roundtable_app.storage.unit_of_work import open_database
url, email, start = sys.argv[1], sys.argv[2], Path(sys.argv[3])
db = open_database(url)
while not start.exists():
    time.sleep(0.001)
try:
    with db.transaction() as session:
        directory.create_person(session, PersonData(full_name="Racer", email=email))
    print("saved")
except DuplicateEmailError:
    print("duplicate")
"""

IMPORTER = """
import sys, time
from pathlib import Path
from roundtable_app.cli import main
start = Path(sys.argv[1])
while not start.exists():
    time.sleep(0.002)
sys.exit(main(sys.argv[2:]))
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _pair(script: str, args: list[list[str]], start: Path) -> list[tuple[int, str, str]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, *a],
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for a in args
    ]
    time.sleep(0.8)  # both have opened the database and wait at the start line
    start.touch()
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=600)
        out.append((p.returncode, stdout, stderr))
    start.unlink()
    return out


def _count(url: str, where: str | None = None) -> int:
    db = open_database(url)
    try:
        with db.reading() as s:
            query = select(func.count()).select_from(Person)
            if where:
                query = query.where(Person.email_key.like(where))
            return int(s.scalar(query) or 0)
    finally:
        db.close()


def races(url: str, n: int, folder: Path) -> None:
    open_database(url).close()
    start = folder / "go"
    crashes = clear = lost = 0
    for i in range(n):
        email = f"race{i}-{uuid.uuid4().hex[:6]}@example.org"
        results = _pair(SAVER, [[url, email, str(start)], [url, email, str(start)]], start)
        outcomes = sorted(r[1].strip() for r in results)
        crashes += sum(1 for r in results if "Traceback" in r[2])
        clear += outcomes.count("duplicate")
        if outcomes != ["duplicate", "saved"] or _count(url, email) != 1:
            lost += 1
    print(
        f"  same new address saved twice at once: {n} races, {crashes} crashes, "
        f"{clear} clear duplicate-address messages, {lost} races not ending with one person"
    )


def imports(url: str, n: int, folder: Path, rows: int = 2000) -> None:
    start = folder / "go"
    crashes = failures = lost = 0
    for t in range(n):
        files = []
        for side in ("a", "b"):
            path = folder / f"{side}{t}.csv"
            lines = ["Full name,E-mail,Organisation,Sector,Interests"]
            for i in range(rows):
                org = f"Org {(i * (7 if side == 'a' else 13)) % 300:03d}"
                lines.append(
                    f"{side.upper()} Person {i},{side}{t}x{i}@example.org,{org},"
                    f"Sector {i % 6},Theme {i % 25}; Theme {(i + 3) % 25}"
                )
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            files.append(path)
        before = _count(url)
        results = _pair(
            IMPORTER,
            [[str(start), "import", str(f), "--database", url] for f in files],
            start,
        )
        crashes += sum(1 for r in results if "Traceback" in r[2])
        failures += sum(1 for r in results if r[0] != 0)
        lost += before + 2 * rows - _count(url)
    print(
        f"  two {rows:,}-row imports at once, no shared address: {n} trials, "
        f"{crashes} crashes, {failures} failed imports, {lost} rows lost"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--races", type=int, default=100)
    parser.add_argument("--imports", type=int, default=6)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="stress-"))
    targets = [("SQLite", f"sqlite:///{folder / 'stress.db'}")]
    pg = os.environ.get("ROUNDTABLE_TEST_POSTGRES_URL")
    admin = schema = None
    if pg:
        schema = f"stress_{uuid.uuid4().hex[:8]}"
        base = make_url(pg).set(drivername="postgresql+psycopg")
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        targets.append(("PostgreSQL", url.render_as_string(hide_password=False)))
    try:
        for name, url in targets:
            print(name)
            races(url, args.races, folder)
            imports(url, args.imports, folder)
    finally:
        if admin is not None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
