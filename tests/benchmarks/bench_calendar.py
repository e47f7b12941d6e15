"""Benchmark: the calendar view with 2,000 roundtables over five years (issue 4 §5).

Budget: the page opens and pages from month to month in at most 100 ms per page.
Not run by pytest. Run: ``python tests/benchmarks/bench_calendar.py [--keep DB]``.

Each page step is what a user's PgDn costs: set the period (one indexed query for
the visible range, chip layout), let Qt process the events, and repaint.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROUNDTABLES = 2_000
YEARS = 5
PAGES = 60
BUDGET_MS = 100.0


def build_database(url: str) -> None:
    """2,000 roundtables on weekdays over five years, at realistic times and statuses."""
    from sqlalchemy import update

    from roundtable_app.core.model import Format, RoundtableStatus
    from roundtable_app.services import roundtables
    from roundtable_app.services.roundtables import RoundtableData
    from roundtable_app.storage.models import Roundtable
    from roundtable_app.storage.unit_of_work import open_database

    rng = random.Random(4)
    db = open_database(url)
    first = dt.date(2024, 1, 1)
    days = YEARS * 365
    statuses: dict[str, list[int]] = {s.value: [] for s in RoundtableStatus}
    with db.transaction() as session:
        for n in range(ROUNDTABLES):
            day = first + dt.timedelta(days=rng.randrange(days))
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            start_time = dt.time(rng.choice((9, 10, 11, 13, 14, 15)), rng.choice((0, 0, 30)))
            duration = dt.timedelta(minutes=rng.choice((90, 120, 150, 180)))
            starts, ends = roundtables.local_times(day, start_time, duration, "Europe/London")
            info = roundtables.create_roundtable(
                session,
                RoundtableData(
                    title=f"Roundtable {n + 1}: evidence on forced labour",
                    format=rng.choice(list(Format)),
                    venue=rng.choice(("Wilberforce Room", "The Meeting House")),
                    online_link="https://meet.example.org/j/42",
                    starts_at=starts,
                    ends_at=ends,
                ),
            )
            status = rng.choices(["draft", "scheduled", "held", "cancelled"], [1, 5, 6, 1])[0]
            statuses[status].append(info.id)
        for status, ids in statuses.items():
            if ids:
                session.execute(
                    update(Roundtable).where(Roundtable.id.in_(ids)).values(status=status)
                )
    db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", help="write the database here and keep it")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-calendar-"))
    path = Path(args.keep) if args.keep else folder / "calendar.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        t0 = time.perf_counter()
        build_database(url)
        print(f"built {ROUNDTABLES:,} roundtables in {time.perf_counter() - t0:.1f} s")

    from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings
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

    t0 = time.perf_counter()
    from roundtable_app.ui.calendar.page import CalendarPage

    imported = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    page = CalendarPage(ctx)
    page.resize(1130, 740)
    page.set_view("month")
    page.set_period(dt.date(2024, 1, 1))
    page.show()
    loop.processEvents()
    page.repaint()
    opened = (time.perf_counter() - t0) * 1000

    def pages(view: str, steps: int) -> list[float]:
        page.set_view(view)
        page.set_period(dt.date(2024, 1, 1))
        times, shown = [], 0
        for _ in range(steps):
            start = time.perf_counter()
            page.page(1)
            loop.processEvents()
            page.repaint()
            times.append((time.perf_counter() - start) * 1000)
            shown += page.count
        print(
            f"{view:5} × {steps}: median {statistics.median(times):5.1f} ms, "
            f"worst {max(times):5.1f} ms  ({shown / steps:.0f} roundtables per page on average)"
        )
        return times

    print(f"import of the page's modules: {imported:.1f} ms")
    print(f"opened (build, first month shown and painted): {opened:.1f} ms")
    months = pages("month", PAGES)
    weeks = pages("week", PAGES)
    worst = max(max(months), max(weeks))
    verdict = "within" if worst <= BUDGET_MS else "OVER"
    print(f"budget {BUDGET_MS:.0f} ms per page: {verdict} (worst {worst:.1f} ms)")
    page.close()
    db.close()
    return 0 if worst <= BUDGET_MS else 1


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # Skip interpreter teardown: PySide6 6.12 can crash while collecting Qt
    # wrappers at exit, which would hide the figures' exit status.
    os._exit(code)
