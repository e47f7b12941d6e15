"""What every page and dialog of one window shares: the database, undo stack and settings.

Mutations never refresh views themselves: a command calls :meth:`AppContext.publish`
with the :class:`~roundtable_app.core.model.Changes` it made, and each page that
shows affected data refreshes in its slot for ``changes_published``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from roundtable_app.ui.settings import Settings

if TYPE_CHECKING:
    from roundtable_app.core.model import Changes
    from roundtable_app.storage.unit_of_work import Database


class AppContext(QObject):
    """The database, undo stack and settings of one main window.

    Signals:
        changes_published(Changes): data changed; views showing it should refresh.
        error_reported(title, message): something failed that the user must read
            (the window shows it in a message box).
    """

    changes_published = Signal(object)
    error_reported = Signal(str, str)

    def __init__(
        self,
        db: Database,
        settings: Settings | None = None,
        *,
        demo: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings or Settings()
        self.demo = demo
        self.undo_stack = QUndoStack(self)

    def publish(self, changes: Changes) -> None:
        """Tell every view what changed."""
        self.changes_published.emit(changes)

    def report_error(self, title: str, message: str) -> None:
        """Show ``message`` to the user (through the window that owns this context)."""
        self.error_reported.emit(title, message)
