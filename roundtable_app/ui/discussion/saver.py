"""Saving notes as they are typed, off the UI thread, one write at a time.

A note-taker never presses Save and never waits for the database: each edit
marks its item dirty; shortly after typing pauses (300 ms), and at least every
700 ms while typing goes on, every dirty item is written by a background task.
Writes run one after another in the order they were asked for, and each is
built only when its turn comes, so an item added a moment ago already has the
id and version its next edit needs. A crash or power cut therefore loses at
most the last second of typing.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, QTimer, Signal

from roundtable_app.ui.context import AppContext

DEBOUNCE_MS = 300
MAX_WAIT_S = 0.7

#: A write: built when its turn comes; returns the work to run in the background
#: (or None when there is nothing to do any more) and what to do with its result.
Job = Callable[[], "tuple[Callable[[], Any], Callable[[Any], None]] | None"]


class SaveQueue(QObject):
    """Dirty items written in the background, one write at a time, in order.

    Signals:
        busy_changed(bool): writes are waiting or running (True) or all done (False).
        failed(str): a write failed in a way no item handles (the message to show).
    """

    busy_changed = Signal(bool)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._jobs: deque[Job] = deque()
        self._running = False
        self._idle_callbacks: list[Callable[[], None]] = []
        self._dirty: dict[int, Job] = {}
        self._first_dirty: float | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        self.saves = 0  # writes done (for tests and the benchmark)
        self._sync = False  # draining: the rest is written here and now
        self.last_error = ""  # why the last write failed, until one succeeds

    # --- dirty items ----------------------------------------------------------------

    def mark_dirty(self, key: int, job: Job) -> None:
        """``key`` has unsaved edits, which ``job`` writes when its turn comes."""
        self._dirty[key] = job
        now = time.monotonic()
        if self._first_dirty is None:
            self._first_dirty = now
        # Debounce, but never hold edits back for longer than MAX_WAIT_S while typing.
        if not self._timer.isActive() or now - self._first_dirty < MAX_WAIT_S:
            self._timer.start()
        self._announce()

    def flush(self) -> None:
        """Queue a write for every dirty item now (focus left it, or the window closes)."""
        self._timer.stop()
        self._first_dirty = None
        dirty, self._dirty = self._dirty, {}
        self._jobs.extend(dirty.values())
        self._next()

    def add(self, job: Job) -> None:
        """Queue a write (an item added or removed, an undo step): it runs after those before."""
        self.flush()
        self._jobs.append(job)
        self._next()

    def drain(self) -> None:
        """Write everything now, on this thread (the window is closing)."""
        self._sync = True
        self.flush()
        if self._running:  # wait for the write in flight; its result then runs the rest
            QThreadPool.globalInstance().waitForDone(15_000)
            QCoreApplication.sendPostedEvents()
        self._sync = False

    # --- state ----------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return bool(self._running or self._jobs or self._dirty)

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once everything asked for so far is written."""
        self.flush()
        if self.busy:
            self._idle_callbacks.append(callback)
        else:
            callback()

    def _announce(self) -> None:
        self.busy_changed.emit(self.busy)

    # --- running --------------------------------------------------------------------

    def _next(self) -> None:
        if self._running:
            return
        while self._jobs:
            built = self._jobs.popleft()()
            if built is None:
                continue
            work, on_done = built
            if self._sync:
                try:
                    result = work()
                except Exception as exc:  # reported like a background failure
                    self.failed.emit(str(exc))
                else:
                    self.saves += 1
                    on_done(result)
                continue
            self._running = True
            self._announce()

            def done(result: Any, on_done: Callable[[Any], None] = on_done) -> None:
                self._running = False
                self.saves += 1
                self.last_error = ""
                on_done(result)
                self._next()

            def error(exc: BaseException) -> None:
                self._running = False
                self.last_error = str(exc)
                self.failed.emit(str(exc))
                self._next()

            def run(_progress: object, work: Callable[[], Any] = work) -> Any:
                return work()

            self.ctx.run_in_background(run, parent=self, on_done=done, on_error=error)
            return
        self._announce()
        if not self.busy:
            callbacks, self._idle_callbacks = self._idle_callbacks, []
            for callback in callbacks:
                callback()
