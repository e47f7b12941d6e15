"""The daily backup: on the first start of each day, a copy made on a worker thread.

Started once the database is open and the window shows it; it never holds up
the window (the copy of a 100,000-person database takes about a second). A
failure is reported in the status bar, not in a box over the user's work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from roundtable_app.services import backup
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.settings import BACKUP_KEEP
from roundtable_app.ui.workers import Task


def start_daily_backup(
    ctx: AppContext, parent: QObject, report: Callable[[str], None] | None = None
) -> Task | None:
    """Make today's copy in the background if there is none yet; keep the newest copies.

    ``report`` receives a line for the status bar when a copy was made or failed.
    Nothing happens for demo data, nor for a PostgreSQL database (whose backups
    are its administrator's).
    """
    if ctx.demo or backup.database_file(ctx.db) is None:
        return None
    keep = ctx.settings.get(BACKUP_KEEP)
    db = ctx.db

    def work(_progress: Any) -> backup.BackupResult | None:
        return backup.daily_backup(db, keep)

    def done(result: backup.BackupResult | None) -> None:
        if result is not None and report is not None:
            report(f"Today's backup was made: {result.path}")

    def failed(exc: BaseException) -> None:
        if report is not None:
            report(f"Today's backup could not be made: {exc}")

    return ctx.run_in_background(work, parent=parent, on_done=done, on_error=failed)
