"""Running long work off the GUI thread, with progress and Cancel.

Long work is a plain function ``fn(progress) -> result`` that takes a
:class:`~roundtable_app.core.progress.Progress`. :func:`run_in_background`
runs it on the global ``QThreadPool`` and delivers progress, the result or the
error to callbacks on the main thread, so callbacks may touch widgets.

A task is a child of the ``parent`` it is given, which keeps it alive. Pages
and dialogs start work through :meth:`AppContext.run_in_background
<roundtable_app.ui.context.AppContext.run_in_background>`, which also keeps
it until it ends when the parent goes first (a dialog closed mid-export).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from roundtable_app.core.errors import Cancelled
from roundtable_app.core.progress import Progress


class _Signals(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class _Runnable(QRunnable):
    def __init__(
        self, fn: Callable[[Progress], Any], signals: _Signals, progress: Progress
    ) -> None:
        super().__init__()
        self._fn = fn
        self._signals = signals
        self._progress = progress

    def run(self) -> None:
        try:
            result = self._fn(self._progress)
        except Cancelled:
            self._signals.cancelled.emit()
        except Exception as exc:  # delivered to the GUI, which shows a message
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._signals.failed.emit(exc)
        else:
            self._signals.finished.emit(result)


class Task(QObject):
    """A running background job: connect to its signals, call :meth:`cancel`.

    Signals (all delivered on the main thread):
        progressed(done, total, message): the work reported progress.
        finished(result): the work returned ``result``.
        failed(exception): the work raised.
        cancelled(): the work stopped because :meth:`cancel` was called.
        ended(): after any of the three above.
    """

    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    ended = Signal()

    def __init__(self, fn: Callable[[Progress], Any], parent: QObject) -> None:
        super().__init__(parent)
        self._signals = _Signals()
        self.progress = Progress(self._signals.progressed.emit)
        self._signals.progressed.connect(self.progressed)
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)
        self._signals.cancelled.connect(self._on_cancelled)
        self._runnable = _Runnable(fn, self._signals, self.progress)
        self._runnable.setAutoDelete(False)
        self.running = False

    def start(self) -> Task:
        self.running = True
        QThreadPool.globalInstance().start(self._runnable)
        return self

    def cancel(self) -> None:
        """Ask the work to stop and undo what it did; ``cancelled`` follows."""
        self.progress.cancel()

    def stop_early(self) -> None:
        """Ask the work to stop and keep what it has (where the work supports it)."""
        self.progress.stop_early()

    def _end(self) -> None:
        self.running = False

    def _on_finished(self, result: object) -> None:
        self._end()
        self.finished.emit(result)
        self.ended.emit()

    def _on_failed(self, exc: object) -> None:
        self._end()
        self.failed.emit(exc)
        self.ended.emit()

    def _on_cancelled(self) -> None:
        self._end()
        self.cancelled.emit()
        self.ended.emit()


def run_in_background(
    fn: Callable[[Progress], Any],
    *,
    parent: QObject,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
) -> Task:
    """Start ``fn(progress)`` on the thread pool; callbacks run on the main thread."""
    task = Task(fn, parent)
    if on_done:
        task.finished.connect(on_done)
    if on_error:
        task.failed.connect(on_error)
    if on_progress:
        task.progressed.connect(on_progress)
    if on_cancelled:
        task.cancelled.connect(on_cancelled)
    return task.start()
