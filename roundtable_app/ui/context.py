"""What every page and dialog of one window shares: the database, undo stack and settings.

It also owns what lasts for the session: the background tasks still running,
and which once-per-session jobs were started.

Mutations never refresh views themselves: a command calls :meth:`AppContext.publish`
with the :class:`~roundtable_app.core.model.Changes` it made, and each page that
shows affected data refreshes in its slot for ``changes_published``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from roundtable_app.ui import workers
from roundtable_app.ui.settings import STAFF_NAME, Settings

if TYPE_CHECKING:
    from roundtable_app.core.model import Changes
    from roundtable_app.core.progress import Progress
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
        #: Lived experience and access needs shown on the People page and in the person
        #: form: chosen by staff for this session only (never remembered), and audited.
        self.sensitive_shown = False
        self._running: set[workers.Task] = set()
        self._started: set[str] = set()
        self._name_staff(self.settings.get(STAFF_NAME))

    @staticmethod
    def _name_staff(name: str) -> None:
        from roundtable_app.services import audit  # SQLAlchemy: loaded with the database

        audit.set_staff_name(name)

    def set_staff_name(self, name: str) -> None:
        """Name the staff member in the audit trail from now on ("": the login name)."""
        name = " ".join(name.split())
        self.settings.set(STAFF_NAME, name)
        self._name_staff(name)

    @property
    def staff_name(self) -> str:
        """The name the audit trail records for this member of staff."""
        from roundtable_app.services import audit

        return audit.current_actor()

    def publish(self, changes: Changes) -> None:
        """Tell every view what changed."""
        self.changes_published.emit(changes)

    def report_error(self, title: str, message: str) -> None:
        """Show ``message`` to the user (through the window that owns this context)."""
        self.error_reported.emit(title, message)

    def run_in_background(
        self,
        fn: Callable[[Progress], Any],
        *,
        parent: QObject,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> workers.Task:
        """Start ``fn(progress)`` (see :func:`~roundtable_app.ui.workers.run_in_background`).

        The task is kept until it ends, even when ``parent`` (a dialog closed
        meanwhile) goes first; its callbacks then no longer run.
        """
        task = workers.run_in_background(
            fn,
            parent=parent,
            on_done=on_done,
            on_error=on_error,
            on_progress=on_progress,
            on_cancelled=on_cancelled,
        )
        self._running.add(task)
        task.ended.connect(lambda: self._running.discard(task))
        return task

    @property
    def running_tasks(self) -> int:
        """How many background tasks started here have not ended."""
        return len(self._running)

    def first_time(self, job: str) -> bool:
        """True the first time ``job`` is asked about in this session, then False."""
        if job in self._started:
            return False
        self._started.add(job)
        return True
