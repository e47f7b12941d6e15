"""Benchmark typing notes in the Discussion window (not collected by pytest).

Usage::

    python tests/benchmarks/bench_discussion_typing.py [--notes 200] [--keys 400]

A held roundtable with 60 invitees (organisations, sectors) at six tables and
``--notes`` notes spread over its tables and sections is written to a fresh
SQLite file; its Discussion window is opened as a user opens it (offscreen,
1400x900), and a note-taker types sentences (some naming an invitee, so the
guard flags and the highlighter underlines) into the last need of Table 1,
pressing Enter now and then for the next item.

Measured:

- opening: the window built and shown with its first tab (the others are built
  when first shown); then every tab is visited, so all the items exist;
- keystroke: the UI-thread time of one key (a QTest key press, its handling:
  the guard's mentions(), the item's values, the undo step, the save queue
  marked) until posted events are handled; wall and CPU (thread) time;
- guard: mentions() alone on the note's text, per key;
- save: each write as the save queue runs it off the UI thread (its
  transaction), wall and CPU time of the worker thread.

Budget (issue 12): keystroke <= 16 ms median, and no keystroke waits on the
database (saves run on a worker thread). Exits 1 when the median is over.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

KEY_BUDGET_MS = 16.0
SECTORS = ("Government", "Academic research", "Frontline practice", "Business", "Law enforcement")
SENTENCES = (
    "Referral data are not shared between agencies, said {name}",
    "How many workers in supply chains are in forced labour",
    "The {org} evidence review should be circulated",
    "What works to prevent exploitation after support ends",
)


def build(url: str, notes: int) -> tuple[int, list[str], list[str]]:
    from roundtable_app.core.discussion import NoteKind
    from roundtable_app.core.model import Attendance, PersonData
    from roundtable_app.services import directory, discussion, roundtables
    from roundtable_app.services.discussion import NoteFields
    from roundtable_app.storage.models import DiscussionTable, Invitation
    from roundtable_app.storage.unit_of_work import open_database

    db = open_database(url)
    names, orgs = [], []
    people = []
    with db.transaction() as s:
        for i in range(60):
            name, org = f"Amina Person{i:02d}", f"Charity Number {i % 20}"
            names.append(name)
            orgs.append(org)
            people.append(
                directory.create_person(
                    s,
                    PersonData(
                        full_name=name,
                        email=f"p{i}@example.org",
                        organisation=org,
                        sector=SECTORS[i % len(SECTORS)],
                    ),
                ).id
            )
        start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
        rid = roundtables.create_roundtable(
            s,
            roundtables.RoundtableData(
                title="Typing benchmark",
                evidence_questions="1. How many?\n2. What works?",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
            ),
        ).id
        roundtables.add_invitees(s, rid, people)
        tables = []
        for n in range(1, 7):
            table = DiscussionTable(roundtable_id=rid, number=n, name=f"Table {n}")
            s.add(table)
            s.flush()
            tables.append(table.id)
        for k, inv in enumerate(s.query(Invitation).filter_by(roundtable_id=rid)):
            inv.attendance = Attendance.ATTENDED.value
            inv.table_id = tables[k % 6]
        kinds = list(NoteKind)
        for i in range(notes):
            discussion.add_note(
                s,
                rid,
                kinds[i % 4],
                table_id=tables[(i // 4) % 6],
                fields=NoteFields(text=f"Note {i}: referral pathways and data sharing"),
            )
    db.close()
    return rid, names, orgs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=200)
    parser.add_argument("--keys", type=int, default=400)
    args = parser.parse_args()

    from PySide6.QtCore import QCoreApplication, QSettings, Qt, QThreadPool
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from roundtable_app.core.discussion import NoteKind
    from roundtable_app.storage.unit_of_work import open_database
    from roundtable_app.ui.context import AppContext
    from roundtable_app.ui.discussion import DiscussionWindow
    from roundtable_app.ui.settings import Settings

    folder = Path(tempfile.mkdtemp(prefix="discussion-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    rid, names, orgs = build(url, args.notes)
    app = QApplication(sys.argv[:1])
    settings = Settings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
    ctx = AppContext(open_database(url), settings)

    saves: list[tuple[float, float]] = []
    run = ctx.run_in_background

    def timed_run(fn: Any, **kw: Any) -> Any:
        def timed(progress: Any) -> Any:
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return fn(progress)
            finally:
                saves.append(
                    ((time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000)
                )

        return run(timed, **kw)

    ctx.run_in_background = timed_run  # type: ignore[method-assign]
    opened = time.perf_counter()
    window = DiscussionWindow(ctx, rid)
    window.resize(1400, 900)
    window.show()
    QTest.qWaitForWindowActive(window)
    open_ms = (time.perf_counter() - opened) * 1000
    # Every tab visited once, so that all the notes' items exist (the worst case: a
    # table's items are built when its tab is first shown).
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QCoreApplication.processEvents()
    window.tabs.setCurrentIndex(1)
    table_id = window.current_table_id()
    section = window.section(NoteKind.NEED, table_id)
    window.jump_to(NoteKind.NEED)
    QCoreApplication.processEvents()
    print(f"notes built: {len(window.items())}; window opened (first tab) in {open_ms:.0f} ms")

    keys_wall: list[float] = []
    keys_cpu: list[float] = []
    guard_ms: list[float] = []
    text = " ".join(
        s.format(name=names[i % 60], org=orgs[i % 20]) for i, s in enumerate(SENTENCES * 3)
    )
    typed = 0
    while typed < args.keys:
        item = section.items[-1]
        for char in text[: args.keys - typed]:
            wall, cpu = time.perf_counter(), time.thread_time()
            if char == ".":
                QTest.keyClick(item.editor, Qt.Key.Key_Return)
            else:
                QTest.keyClicks(item.editor, char)
            QCoreApplication.processEvents()
            keys_wall.append((time.perf_counter() - wall) * 1000)
            keys_cpu.append((time.thread_time() - cpu) * 1000)
            started = time.perf_counter()
            item.place.guard.mentions(item.values["text"], item.values["acknowledged"])
            guard_ms.append((time.perf_counter() - started) * 1000)
            typed += 1
            QTest.qWait(60)  # a fast typist: about 16 keys a second
        if typed < args.keys:
            QTest.keyClick(item.editor, Qt.Key.Key_Return)
    window.notebook.queue.flush()
    while window.notebook.queue.busy:
        QTest.qWait(20)
    QThreadPool.globalInstance().waitForDone()
    window.close()

    def line(what: str, values: list[float]) -> str:
        values = sorted(values)
        p90 = values[int(len(values) * 0.9)] if values else 0.0
        return (
            f"{what}: median {statistics.median(values):.2f} ms, p90 {p90:.2f} ms, "
            f"max {values[-1]:.2f} ms (n={len(values)})"
        )

    print(line("keystroke, UI thread, wall", keys_wall))
    print(line("keystroke, UI thread, CPU", keys_cpu))
    print(line("guard mentions() per key", guard_ms))
    print(line("save (worker thread), wall", [w for w, _c in saves]))
    print(line("save (worker thread), CPU", [c for _w, c in saves]))
    median = statistics.median(keys_wall)
    ok = median <= KEY_BUDGET_MS
    print(f"budget: keystroke median <= {KEY_BUDGET_MS} ms: {'OK' if ok else 'OVER'}")
    del app
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
