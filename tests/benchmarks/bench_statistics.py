"""Benchmark: statistics over 2,000 roundtables and 100,000 invitations (issue 11, budgets).

Budgets: the Statistics page opens (history read, figures counted and painted) in at
most 1 s; changing the period or the series shows the new figures in at most 200 ms,
counted off the GUI thread; counting new connections over the whole history takes at
most 1 s.

Not run by pytest. Run: ``python tests/benchmarks/bench_statistics.py [--keep DB]
[--database URL]``. The history is the demo's (``roundtable-app demo --people 100000
--roundtables 2000 --invitees 50``), made once and kept with ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import statistics as stats
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's package

PEOPLE = 100_000
ROUNDTABLES = 2_000
INVITEES = 50
OPEN_BUDGET_MS = 1000.0
CHANGE_BUDGET_MS = 200.0
CONNECTIONS_BUDGET_MS = 1000.0


def build(url: str) -> None:
    from roundtable_app.services.demo import generate_demo
    from roundtable_app.storage.unit_of_work import open_database

    db = open_database(url)
    t0 = time.perf_counter()
    summary = generate_demo(db, people=PEOPLE, roundtables=ROUNDTABLES, invitees=INVITEES)
    print(
        f"built {summary.people:,} people, {summary.roundtables:,} roundtables, "
        f"{summary.invitations:,} invitations in {time.perf_counter() - t0:.0f} s"
    )
    db.close()


def services(url: str) -> float:
    """The service calls alone: read the history (new connections included), count scopes."""
    from roundtable_app.services import statistics
    from roundtable_app.storage.unit_of_work import open_database

    db = open_database(url)
    loads, cpu = [], []
    for _ in range(5):
        with db.reading() as session:
            t0, c0 = time.perf_counter(), time.process_time()
            history = statistics.load_history(session)
            loads.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    print(
        f"history: {history.size:,} roundtables, {len(history.roundtable):,} invitations, "
        f"{int(history.table_pairs.sum()):,} pairs at tables, "
        f"{int(history.new_connections.sum()):,} new connections"
    )
    print(
        f"new connections over the whole history (read + count): median "
        f"{stats.median(loads):.0f} ms, worst {max(loads):.0f} ms (CPU time: median "
        f"{stats.median(cpu):.0f} ms; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores)"
    )
    counts = []
    for scope in (
        statistics.Scope(),
        statistics.Scope(series_id=next(iter(history.series_names))),
        statistics.Scope(roundtable_id=int(history.roundtable_ids[-1])),
    ):
        t0 = time.perf_counter()
        statistics.compute(history, scope)
        counts.append((time.perf_counter() - t0) * 1000)
    print("count a scope (numpy): " + ", ".join(f"{c:.1f} ms" for c in counts))
    with db.reading() as session:
        t0 = time.perf_counter()
        drifted = statistics.drifted(session)
        print(
            f"not invited for 12 months: {len(drifted):,} people in "
            f"{(time.perf_counter() - t0) * 1000:.0f} ms"
        )
    db.close()
    return max(loads)


def page(url: str, folder: Path) -> tuple[float, list[float]]:
    """The page as a user meets it: open it, then change the period and the series."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 - kept alive
    QCoreApplication.setOrganizationName("RoundtableBench")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))

    from roundtable_app.storage.unit_of_work import open_database
    from roundtable_app.ui.context import AppContext
    from roundtable_app.ui.settings import Settings

    db = open_database(url)
    settings = Settings(QSettings(str(folder / "bench.ini"), QSettings.Format.IniFormat))
    ctx = AppContext(db, settings)
    loop = QEventLoop()
    shown: list[object] = []

    def wait_for_figures(before: int, limit: float = 30.0) -> None:
        # Block in an event loop, as the app does, until the figures are shown. (Polling
        # processEvents(..., 5) never waits: it spun the GUI thread, which took the GIL
        # from the worker reading the history and added about 400 ms to the opening.)
        if len(shown) == before:
            QTimer.singleShot(int(limit * 1000), loop.quit)
            loop.exec()

    from roundtable_app.ui.statistics import StatisticsPage

    t0 = time.perf_counter()
    view = StatisticsPage(ctx)
    view.figures_shown.connect(shown.append)
    view.figures_shown.connect(loop.quit)
    view.resize(1130, 760)
    view.show()
    wait_for_figures(0)
    view.repaint()
    opened = (time.perf_counter() - t0) * 1000
    print(f"page opened (history read, all time counted, painted): {opened:.0f} ms")

    bar = view.scope_bar
    changes: list[float] = []
    busy: list[float] = []
    steps = []
    for period in range(1, 4):
        steps.append((bar.period_combo, period))
        for series in range(1, min(bar.series_combo.count(), 5)):
            steps.append((bar.series_combo, series))
        steps.append((bar.series_combo, 0))
    steps.append((bar.period_combo, 0))
    for combo, index in steps:
        before = len(shown)
        start = time.perf_counter()
        combo.setCurrentIndex(index)  # what a click in the list does
        busy.append((time.perf_counter() - start) * 1000)
        wait_for_figures(before)
        view.repaint()
        changes.append((time.perf_counter() - start) * 1000)
    print(
        f"change of period or series × {len(changes)}: median {stats.median(changes):.0f} ms, "
        f"worst {max(changes):.0f} ms (GUI thread busy: median {stats.median(busy):.0f} ms, "
        f"worst {max(busy):.0f} ms)"
    )
    view.close()
    db.close()
    return opened, changes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", help="write the SQLite database here and keep it")
    parser.add_argument("--database", help="an existing database URL (e.g. PostgreSQL)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-statistics-"))
    if args.database:
        url = args.database
    else:
        path = Path(args.keep) if args.keep else folder / "statistics.db"
        url = f"sqlite:///{path}"
        if not path.exists():
            build(url)
    connections = services(url)
    opened, changes = page(url, folder)
    ok = (
        opened <= OPEN_BUDGET_MS
        and max(changes) <= CHANGE_BUDGET_MS
        and connections <= CONNECTIONS_BUDGET_MS
    )
    print(
        f"budgets: open {OPEN_BUDGET_MS:.0f} ms, change {CHANGE_BUDGET_MS:.0f} ms, "
        f"new connections {CONNECTIONS_BUDGET_MS:.0f} ms: {'within' if ok else 'OVER'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # Skip interpreter teardown: PySide6 can crash while collecting Qt wrappers at exit.
    os._exit(code)
