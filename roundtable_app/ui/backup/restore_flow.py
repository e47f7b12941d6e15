"""Restoring in the window: choose and check a copy, close the database, restore, reopen.

The window's pages, and the windows opened from them, close first, and with
them every connection to the database; the restore then runs on a worker
thread, and the window opens the restored database as it opens any (an older
copy is upgraded). If the restore fails, the database is as it was, and the
window opens it again and says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtWidgets import QMainWindow, QWidget

from roundtable_app.services import backup
from roundtable_app.ui import messages
from roundtable_app.ui.backup.restore_dialog import RestoreDialog
from roundtable_app.ui.common import EmptyState
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.workers import run_in_background

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import SignalInstance

    from roundtable_app.storage.unit_of_work import Database

TITLE = "Restore from backup"


class RestoringWindow(Protocol):
    """What the restore needs of the main window."""

    ctx: AppContext | None
    opening: EmptyState
    database_attached: SignalInstance

    def detach(self) -> None: ...
    def open_database(self, opener: Callable[[], Database]) -> None: ...


def restore_in_window(window: RestoringWindow) -> None:
    """File > Restore from backup… in ``window`` (a :class:`MainWindow`)."""
    ctx = window.ctx
    assert ctx is not None and isinstance(window, QMainWindow)
    database = backup.database_file(ctx.db)
    if database is None:
        messages.show_info(window, TITLE, backup.restore_instructions(_url(ctx), "BACKUP.dump"))
        return
    dialog = RestoreDialog(ctx, window)
    try:
        dialog.exec()
        chosen = dialog.chosen
    finally:
        dialog.deleteLater()
    if chosen is None:
        return
    if ctx.running_tasks:
        messages.show_error(
            window,
            TITLE,
            "The app is still busy with work in the background (saving a file, say), so "
            "nothing was restored. Try again when it has finished.",
        )
        return
    if not _close_other_windows(window):
        return
    window.detach()
    window.opening.show_message("Restoring the backup…", str(chosen.path), [])
    url = f"sqlite:///{database}"

    def reopen(then: Callable[[], None]) -> None:
        from roundtable_app.storage.unit_of_work import open_database

        def once() -> None:
            window.database_attached.disconnect(once)
            then()

        window.database_attached.connect(once)
        window.open_database(lambda: open_database(url))

    def restored(result: backup.RestoreResult) -> None:
        kept = f"\n\nThe data it replaced is kept in {result.kept}." if result.kept else ""
        reopen(
            lambda: messages.show_info(
                window, TITLE, f"The data was restored from {chosen.path.name}.{kept}"
            )
        )

    def failed(exc: BaseException) -> None:
        reopen(lambda: messages.show_error(window, TITLE, str(exc)))

    def work(progress: Any) -> backup.RestoreResult:
        return backup.restore(database, chosen.path, progress=progress)

    run_in_background(work, parent=window, on_done=restored, on_error=failed)


def _url(ctx: AppContext) -> str:
    return ctx.db.engine.url.render_as_string(hide_password=True)


def _close_other_windows(window: QWidget) -> bool:
    """Close the windows opened from the pages (attendance, discussion); False if one stays."""
    for child in window.findChildren(QWidget):
        if child is not window and child.isWindow() and child.isVisible():
            if not child.close():
                return False
    return True
