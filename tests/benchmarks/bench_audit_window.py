"""Benchmark: the audit trail window's first paint on 100,000 audit entries (issue 13).

Makes a SQLite database with ``--entries`` audit entries (several staff, kinds
and actions over three years; nothing else is needed), then opens the window
``--runs`` times (offscreen) and times its construction, first page read and
count, until the table is painted; also a staff filter and a text search until
painted. Figures are medians.

Not run by pytest. Run (offscreen): ``python tests/benchmarks/bench_audit_window.py``
(``--keep FILE.db`` keeps the database it makes).
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
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's package

STAFF = ("Priya Shah", "Tom Reid", "Sam Okafor", "Ana Lopez", "Jo Byrne")
ACTIONS = (
    ("person", "updated", "email, notes"),
    ("person", "created", ""),
    ("roundtable", "updated", "venue, starts_at"),
    ("roundtable", "check-in", "1 person"),
    ("invitation", "response", "accepted"),
    ("discussion_note", "changed", ""),
)


def make_trail(path: Path, count: int) -> None:
    from sqlalchemy import insert

    from roundtable_app.storage.models import AuditEntry
    from roundtable_app.storage.unit_of_work import open_database

    db = open_database(f"sqlite:///{path}")
    rng = random.Random(13)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=3 * 365)
    step = dt.timedelta(days=3 * 365) / count
    rows = []
    for n in range(count):
        entity, action, detail = rng.choice(ACTIONS)
        rows.append(
            {
                "at": start + step * n,
                "actor": rng.choice(STAFF),
                "entity": entity,
                "entity_id": rng.randrange(1, 100_000),
                "action": action,
                "detail": detail,
            }
        )
    with db.transaction() as session:
        session.execute(insert(AuditEntry), rows)
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", help="make the database in this file and keep it")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-audit-"))
    path = Path(args.keep) if args.keep else folder / "audit.db"
    if not path.exists():
        t0 = time.perf_counter()
        make_trail(path, args.entries)
        print(f"made {args.entries:,} audit entries in {time.perf_counter() - t0:.1f} s")

    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 - kept alive
    QCoreApplication.setOrganizationName("RoundtableBench")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))

    from roundtable_app.storage.unit_of_work import open_database
    from roundtable_app.ui.context import AppContext
    from roundtable_app.ui.privacy import AuditWindow
    from roundtable_app.ui.settings import Settings

    db = open_database(f"sqlite:///{path}", create=False)
    ctx = AppContext(db, Settings(QSettings(str(folder / "b.ini"), QSettings.Format.IniFormat)))
    opened, filtered, searched = [], [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        window = AuditWindow(ctx)
        window.show()
        window.table.viewport().repaint()
        opened.append((time.perf_counter() - t0) * 1000)
        assert window.model.rowCount() > 0

        t0 = time.perf_counter()
        window.actor_combo.setCurrentIndex(window.actor_combo.findText("Tom Reid"))
        window.table.viewport().repaint()
        filtered.append((time.perf_counter() - t0) * 1000)

        t0 = time.perf_counter()
        window.text_edit.setText("venue")
        window.reload()  # what the 250 ms pause after typing then does
        window.table.viewport().repaint()
        searched.append((time.perf_counter() - t0) * 1000)
        count = window.count_label.text()
        window.close()
        window.deleteLater()
        QCoreApplication.processEvents()
    print(
        f"window opened and painted: median {statistics.median(opened):.0f} ms "
        f"(runs: {', '.join(f'{t:.0f}' for t in opened)} ms)"
    )
    print(f"staff filter until painted: median {statistics.median(filtered):.0f} ms")
    print(
        f"staff + text search until painted: median {statistics.median(searched):.0f} ms ({count})"
    )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    db.close()


if __name__ == "__main__":
    main()
