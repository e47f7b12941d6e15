"""Benchmark: import a 100,000-row CSV (budget: at most 10 s), and export it.

Run: ``python tests/benchmarks/bench_import.py --rows 100000``

A demo database of ``--rows`` people is generated, exported to CSV (timed),
and the CSV is imported into a fresh SQLite file (timed: reading, checking and
writing, commit included). With ``ROUNDTABLE_TEST_POSTGRES_URL`` set, the same
CSV is also imported into a fresh schema on that server. A second import of
the same file into the filled database measures the all-duplicates (merge) case.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import create_engine, make_url, text  # noqa: E402

from roundtable_app.services import transfer as importing  # noqa: E402
from roundtable_app.services.demo import generate_demo  # noqa: E402
from roundtable_app.services.transfer import export_people_csv  # noqa: E402
from roundtable_app.storage.unit_of_work import Database, open_database  # noqa: E402

BUDGET_S = 10.0


def make_csv(rows: int, folder: Path) -> tuple[Path, float]:
    source = open_database(f"sqlite:///{folder / 'source.db'}")
    try:
        started = time.perf_counter()
        generate_demo(source, people=rows, seed=7)
        seconds = time.perf_counter() - started
        print(f"demo database of {rows:,} people generated in {seconds:.1f} s")
        path = folder / "people.csv"
        started = time.perf_counter()
        with source.reading() as session:
            count = export_people_csv(session, path)
        seconds = time.perf_counter() - started
        size = path.stat().st_size / 1e6
        print(f"export: {count:,} people, {size:.1f} MB in {seconds:.2f} s")
        return path, seconds
    finally:
        source.close()


def timed_import(db: Database, path: Path, label: str) -> float:
    started = time.perf_counter()
    cpu = time.process_time()
    table = importing.read_table(path)
    t_read = time.perf_counter()
    mapping = importing.guess_mapping(table.headers)
    with db.transaction() as session:
        existing = importing.find_existing_emails(
            session, importing.candidate_email_keys(table, mapping)
        )
        plan = importing.prepare(table, mapping, existing_emails=existing)
        t_prep = time.perf_counter()
        report = importing.apply_import(session, plan, on_duplicate="merge", skip_bad_rows=True)
        t_apply = time.perf_counter()
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu
    verdict = "OK" if total <= BUDGET_S else "OVER BUDGET"
    print(
        f"{label}: {total:.2f} s wall, {cpu:.2f} s CPU in this process  "
        f"[{verdict}, budget {BUDGET_S:.0f} s]  "
        f"(read {t_read - started:.2f}, prepare {t_prep - t_read:.2f}, "
        f"write {t_apply - t_prep:.2f}, commit {total - (t_apply - started):.2f}) "
        f"-> {report.summary()}"
    )
    return total


def machine_load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "unknown"
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    print(f"machine: {machine_load()}")
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    path, _export = make_csv(args.rows, folder)

    results = []
    sqlite_db = open_database(f"sqlite:///{folder / 'target.db'}")
    try:
        results.append(timed_import(sqlite_db, path, "SQLite import (new people)"))
        timed_import(sqlite_db, path, "SQLite re-import (all duplicates, merge)")
    finally:
        sqlite_db.close()

    pg = os.environ.get("ROUNDTABLE_TEST_POSTGRES_URL")
    if pg:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        base = make_url(pg).set(drivername="postgresql+psycopg")
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        pg_db = open_database(url.render_as_string(hide_password=False))
        try:
            results.append(timed_import(pg_db, path, "PostgreSQL import (new people)"))
            timed_import(pg_db, path, "PostgreSQL re-import (all duplicates, merge)")
        finally:
            pg_db.close()
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    if args.keep:
        print(f"files kept in {folder}")
    else:
        for item in folder.iterdir():
            item.unlink()
        folder.rmdir()
    return 0 if all(r <= BUDGET_S for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
