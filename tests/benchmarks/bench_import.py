"""Benchmark: import a 100,000-row CSV (budget: at most 10 s), and export it.

Run: ``python tests/benchmarks/bench_import.py --rows 100000 [--repeat 3] [--csv FILE]``

A demo database of ``--rows`` people is generated, exported to CSV (timed),
and the CSV is imported into a fresh SQLite file by the app's own path
(:func:`import_table`, inside ``Database.bulk_transaction``, as the window
and the command line do), timed per phase from its progress reports:

- read: reading the file and guessing the mapping;
- look up: waiting for one's turn, the e-mails and names already stored;
- prepare: checking every row;
- write: grouping, vocabulary, inserting and merging (up to "Import finished");
- commit.

With ``ROUNDTABLE_TEST_POSTGRES_URL`` set, the same CSV is also imported into
a fresh schema on that server (whose backend's CPU time is reported too, when
the server runs on this machine). A second import of the same file into the
filled database measures the all-duplicates (merge) case. ``--repeat N``
imports N times into fresh databases and prints the medians; ``--csv`` reuses
a file instead of generating one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import create_engine, make_url, text  # noqa: E402

from roundtable_app.core.progress import Progress  # noqa: E402
from roundtable_app.services import transfer as importing  # noqa: E402
from roundtable_app.services.demo import generate_demo  # noqa: E402
from roundtable_app.services.transfer import export_people_csv  # noqa: E402
from roundtable_app.storage.unit_of_work import Database, open_database  # noqa: E402

BUDGET_S = 10.0
PHASES = ("read", "look up", "prepare", "write", "commit")


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


@dataclass
class Timing:
    """One import: wall seconds per phase, and CPU seconds here and in the server."""

    phases: dict[str, float] = field(default_factory=dict)
    cpu: float = 0.0
    server_cpu: float | None = None
    #: The median of the totals, for a line of medians (not the sum of the phases' medians).
    wall: float | None = None

    @property
    def total(self) -> float:
        return self.wall if self.wall is not None else sum(self.phases.values())


class _Clock(Progress):
    """A progress handle that notes when each of the import's steps first reports."""

    def __init__(self) -> None:
        super().__init__()
        self.first: dict[str, float] = {}

    def update(self, done: int, total: int, message: str = "") -> None:
        self.first.setdefault(message, time.perf_counter())
        super().update(done, total, message)


def _server_cpu(db: Database) -> Callable[[], float] | None:
    """The CPU seconds used so far by the PostgreSQL backend of ``db``'s pool, if readable."""
    if db.dialect != "postgresql":
        return None
    with db.engine.connect() as conn:
        pid = conn.scalar(text("SELECT pg_backend_pid()"))
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return None
    tick = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime + stime

    return read


def timed_import(db: Database, path: Path, label: str) -> Timing:
    server = _server_cpu(db)
    server_before = server() if server else 0.0
    clock = _Clock()
    started = time.perf_counter()
    cpu = time.process_time()
    table = importing.read_table(path)
    mapping = importing.guess_mapping(table.headers)
    t_read = time.perf_counter()
    report = importing.import_table(
        db, table, mapping, on_duplicate="merge", skip_bad_rows=True, progress=clock
    )
    ended = time.perf_counter()
    marks = [
        started,
        t_read,
        clock.first["Checking rows…"],
        clock.first["Checking the directory…"],
        clock.first["Import finished"],
        ended,
    ]
    timing = Timing(
        phases={name: marks[i + 1] - marks[i] for i, name in enumerate(PHASES)},
        cpu=time.process_time() - cpu,
        server_cpu=(server() - server_before) if server else None,
    )
    print(f"{label}: {_line(timing)} -> {report.summary()}")
    return timing


def _line(timing: Timing) -> str:
    verdict = "OK" if timing.total <= BUDGET_S else "OVER BUDGET"
    server = f", {timing.server_cpu:.2f} s in the server" if timing.server_cpu is not None else ""
    phases = ", ".join(f"{name} {timing.phases[name]:.2f}" for name in PHASES)
    return (
        f"{timing.total:.2f} s wall, {timing.cpu:.2f} s CPU here{server}  "
        f"[{verdict}, budget {BUDGET_S:.0f} s]  ({phases})"
    )


def _median(timings: list[Timing]) -> Timing:
    servers = [t.server_cpu for t in timings if t.server_cpu is not None]
    return Timing(
        phases={name: statistics.median(t.phases[name] for t in timings) for name in PHASES},
        cpu=statistics.median(t.cpu for t in timings),
        server_cpu=statistics.median(servers) if servers else None,
        wall=statistics.median(t.total for t in timings),
    )


def machine_load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "unknown"
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def _sqlite_run(folder: Path, path: Path, run: int) -> list[Timing]:
    target = folder / f"target-{run}.db"
    db = open_database(f"sqlite:///{target}")
    try:
        return [
            timed_import(db, path, "SQLite import (new people)"),
            timed_import(db, path, "SQLite re-import (all duplicates, merge)"),
        ]
    finally:
        db.close()
        for item in folder.glob(f"target-{run}.db*"):
            item.unlink()


def _postgres_run(pg: str, path: Path) -> list[Timing]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    base = make_url(pg).set(drivername="postgresql+psycopg")
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    db = open_database(url.render_as_string(hide_password=False))
    try:
        return [
            timed_import(db, path, "PostgreSQL import (new people)"),
            timed_import(db, path, "PostgreSQL re-import (all duplicates, merge)"),
        ]
    finally:
        db.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1, help="imports per case (medians)")
    parser.add_argument("--csv", type=Path, help="import this file instead of a generated one")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    print(f"machine: {machine_load()}")
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    path = args.csv if args.csv else make_csv(args.rows, folder)[0]
    pg = os.environ.get("ROUNDTABLE_TEST_POSTGRES_URL")
    labels = ["SQLite import (new people)", "SQLite re-import (all duplicates, merge)"]
    if pg:
        labels += ["PostgreSQL import (new people)", "PostgreSQL re-import (all duplicates, merge)"]
    runs: list[list[Timing]] = []
    for run in range(args.repeat):
        timings = _sqlite_run(folder, path, run)
        if pg:
            timings += _postgres_run(pg, path)
        runs.append(timings)
    medians = [_median([r[i] for r in runs]) for i in range(len(labels))]
    if args.repeat > 1:
        print(f"medians of {args.repeat} runs; machine now: {machine_load()}")
        for label, timing in zip(labels, medians, strict=True):
            print(f"  {label}: {_line(timing)}")
    if args.keep:
        print(f"files kept in {folder}")
    else:
        for item in folder.iterdir():
            item.unlink()
        folder.rmdir()
    return 0 if all(t.total <= BUDGET_S for t in medians) else 1


if __name__ == "__main__":
    raise SystemExit(main())
