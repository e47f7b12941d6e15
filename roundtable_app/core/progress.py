"""A progress and cancel handle for long work, independent of any UI.

Long functions (import, grouping, PDF, bulk invites) take a ``Progress`` and
call ``update`` now and then; ``update`` raises :class:`Cancelled` once the
user asked to stop. The GUI passes a handle that forwards to a progress bar;
the CLI and the tests pass a plain ``Progress()`` or a recording handle.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from roundtable_app.core.errors import Cancelled


class Progress:
    """Reports done/total and carries a cancel flag that any thread may set."""

    def __init__(self, callback: Callable[[int, int, str], None] | None = None) -> None:
        self._callback = callback
        self._cancel = threading.Event()
        self._stop_early = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop and undo what it did."""
        self._cancel.set()

    def stop_early(self) -> None:
        """Ask the work to stop and keep the best result found so far."""
        self._stop_early.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def stopping_early(self) -> bool:
        return self._stop_early.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user pressed Cancel."""
        if self._cancel.is_set():
            raise Cancelled()

    def update(self, done: int, total: int, message: str = "") -> None:
        """Report progress, then raise :class:`Cancelled` if cancelled."""
        if self._callback is not None:
            self._callback(done, total, message)
        self.check()
