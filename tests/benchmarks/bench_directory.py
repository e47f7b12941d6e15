"""Benchmark the people directory at 100,000 people (not collected by pytest).

Usage::

    python tests/benchmarks/bench_directory.py [--database sqlite:////tmp/demo-100000.db]

Prints the time from building the main window to the rows shown (page open),
the time for each keystroke of "forced lab" typed into the filter (the filter,
the event processing and a repaint of the table), and the process's resident
memory. Budgets (issue 2, section 6): page open ≤ 1 s, each keystroke ≤ 100 ms,
RSS < 500 MB. A missing database is generated with the demo generator first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

DEFAULT_URL = "sqlite:////tmp/demo-100000.db"
TYPED = "forced lab"


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory in MB, from /proc (Linux)."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, amount, _unit = line.split()
            values[key] = int(amount) / 1024
    return values.get("VmRSS:", 0.0), values.get("VmHWM:", 0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_URL)
    parser.add_argument("--people", type=int, default=100_000, help="when generating")
    parser.add_argument(
        "--edits", action="store_true", help="also time an edit and its undo (on a copy)"
    )
    args = parser.parse_args()

    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from roundtable_app.services import directory
    from roundtable_app.storage.engine import sqlite_path
    from roundtable_app.storage.unit_of_work import open_database

    path = sqlite_path(args.database)
    if path is not None and not path.exists():
        from roundtable_app.services.demo import generate_demo

        print(f"generating {args.people:,} people into {path} …", flush=True)
        generate_demo(open_database(args.database), people=args.people)
    if args.edits and path is not None:  # never change the shared demo file itself
        import shutil

        copy = Path(tempfile.mkdtemp()) / path.name
        shutil.copy(path, copy)
        args.database = f"sqlite:///{copy}"
    db = open_database(args.database)

    folder = tempfile.mkdtemp()  # leave the user's own settings alone
    for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(form, QSettings.Scope.UserScope, folder)
    app = QApplication.instance() or QApplication([])
    from roundtable_app.ui.main_window import MainWindow

    # Warm the database file into the OS cache, as a second start would find it.
    with db.reading() as session:
        people = len(directory.list_rows(session))
    service_times = []
    for _ in range(3):
        t0 = time.perf_counter()
        with db.reading() as session:
            directory.list_rows(session)
        service_times.append(time.perf_counter() - t0)

    def wait_for(signal: object) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)  # type: ignore[attr-defined]
        loop.exec()

    events = QEventLoop()  # never QApplication.processEvents: it leaks a None ref (6.12)
    start = time.perf_counter()
    window = MainWindow(db)
    window.resize(1280, 800)
    window.show()
    loaded: list[bool] = []
    window.directory.rows_loaded.connect(lambda: loaded.append(True))
    window.load()
    events.processEvents()
    window.repaint()
    shown = time.perf_counter()
    while window.directory.model.rowCount() == 0 and not loaded:  # the first screen of names
        loop = QEventLoop()
        QTimer.singleShot(2, loop.quit)
        loop.exec()
    window.directory.table.viewport().repaint()
    first_screen = time.perf_counter()
    if not loaded:
        wait_for(window.directory.rows_loaded)
    events.processEvents()
    window.directory.table.viewport().repaint()
    opened = time.perf_counter()
    page = window.directory
    assert page.model.total_count == people
    while not page.model.has_search_keys:  # built on a worker right after the rows show
        loop = QEventLoop()
        QTimer.singleShot(5, loop.quit)
        loop.exec()
    keys_ready = time.perf_counter()

    timings = []
    for end in range(1, len(TYPED) + 1):
        t0 = time.perf_counter()
        page.filter_edit.setText(TYPED[:end])
        events.processEvents()
        page.table.viewport().repaint()
        timings.append((TYPED[:end], (time.perf_counter() - t0) * 1000, page.model.shown_count))
    erase = []
    for end in range(len(TYPED) - 1, -1, -1):  # backspacing widens the match again
        t0 = time.perf_counter()
        page.filter_edit.setText(TYPED[:end])
        events.processEvents()
        page.table.viewport().repaint()
        erase.append((time.perf_counter() - t0) * 1000)
    sort_times = []
    for column in range(page.model.columnCount()):
        t0 = time.perf_counter()
        page.table.sortByColumn(column, page.model.sort_order)
        events.processEvents()
        page.table.viewport().repaint()
        sort_times.append((time.perf_counter() - t0) * 1000)
    # An edit and its undo, each refreshing the table (on a copy of the database).
    page.filter_edit.clear()
    edit_times = []
    if args.edits:
        from roundtable_app.core.model import PersonData
        from roundtable_app.ui.directory import commands

        person_id = page.model.person_id(0)
        with db.reading() as session:
            person = directory.get_person(session, person_id)
        fields = {f: getattr(person.data, f) for f in PersonData.__slots__}
        data = PersonData(**{**fields, "role": "Benchmark role"})
        t0 = time.perf_counter()
        window.ctx.undo_stack.push(commands.EditPersonCommand.execute(window.ctx, person, data))
        events.processEvents()
        page.table.viewport().repaint()
        edit_times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        window.ctx.undo_stack.undo()
        events.processEvents()
        page.table.viewport().repaint()
        edit_times.append((time.perf_counter() - t0) * 1000)
    current, peak = rss_mb()

    print(f"people: {people:,} ({args.database})")
    print(f"window shown:            {shown - start:6.3f} s")
    print(f"page open (first screen):{first_screen - start:6.3f} s   budget ≤ 1 s")
    print(f"every row loaded:        {opened - start:6.3f} s")
    print(f"filter keys ready:       {keys_ready - start:6.3f} s")
    print(
        f"of which directory.list_rows alone (service): median "
        f"{statistics.median(service_times):.3f} s of {[round(t, 3) for t in service_times]}"
    )
    for text, ms, count in timings:
        print(f"  keystroke {text!r:14} {ms:6.1f} ms  ({count:,} shown)")
    worst = max(ms for _, ms, _ in timings)
    print(
        f"keystroke: median {statistics.median(ms for _, ms, _ in timings):.1f} ms, "
        f"worst {worst:.1f} ms   budget ≤ 100 ms"
    )
    print(f"backspace: median {statistics.median(erase):.1f} ms, worst {max(erase):.1f} ms")
    print(
        f"sort on a column: median {statistics.median(sort_times):.0f} ms, "
        f"worst {max(sort_times):.0f} ms"
    )
    if edit_times:
        print(
            f"edit one person + refresh: {edit_times[0]:.0f} ms; undo + refresh: "
            f"{edit_times[1]:.0f} ms"
        )
    print(f"RSS: {current:.0f} MB now, {peak:.0f} MB peak   budget < 500 MB")
    window.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
