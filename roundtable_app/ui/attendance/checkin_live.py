"""Keeping the check-in screen up to date with the other doors, in the background.

Every couple of seconds the roundtable's list is read on a worker thread
(:meth:`AppContext.run_in_background`), one read at a time. A read that
started before a change made on this screen is stale (it would show the
person just checked in as not arrived for a moment): it is dropped and read
again. Changes made here reach the main window's pages once the door is
quiet, not on every check-in, so a busy door never waits for them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from roundtable_app.core.model import Changes
from roundtable_app.services import attendance
from roundtable_app.ui.context import AppContext

POLL_MS = 2000
"""How often the list is read again (other doors' check-ins)."""
PUBLISH_DELAY_MS = 1000
"""The main window's pages refresh once the door has been quiet this long."""


class DoorWatch(QObject):
    """Reads the door again and again; tells the main window what changed here.

    Signals:
        door_read(Door): a fresh read, newer than every change made here.
        read_failed(Exception): the read failed (the database is out of reach?).
    """

    door_read = Signal(object)
    read_failed = Signal(object)

    def __init__(self, ctx: AppContext, roundtable_id: int, poll_ms: int, parent: QObject) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.roundtable_id = roundtable_id
        self._generation = 0
        self._reading = False
        self._again = False
        self._pending = Changes()
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.read_now)
        if poll_ms > 0:
            self.timer.start()
        self._publish_timer = QTimer(self)
        self._publish_timer.setSingleShot(True)
        self._publish_timer.setInterval(PUBLISH_DELAY_MS)
        self._publish_timer.timeout.connect(self.publish_now)
        ctx.changes_published.connect(self._on_published)

    @property
    def reading(self) -> bool:
        """True while a read runs on a worker thread."""
        return self._reading

    def changing(self) -> None:
        """Call before a change made here: reads already started are now stale."""
        self._generation += 1

    def read_now(self) -> None:
        """Read the list on a worker thread (now, or as soon as the current read ends)."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        generation = self._generation
        db, roundtable_id = self.ctx.db, self.roundtable_id

        def read(_progress: object) -> attendance.Door:
            with db.reading() as session:
                return attendance.door(session, roundtable_id)

        task = self.ctx.run_in_background(
            read,
            parent=self,
            on_done=lambda door: self._read(door, generation),
            on_error=self.read_failed.emit,
        )
        task.ended.connect(self._ended)

    def _read(self, door: attendance.Door, generation: int) -> None:
        if generation != self._generation:
            self._again = True  # read before a change made here
            return
        self.door_read.emit(door)

    def _ended(self) -> None:
        self._reading = False
        if self._again:
            self._again = False
            self.read_now()

    def _on_published(self, changes: Changes) -> None:
        """Another window changed this roundtable (the attendance list, say): read now."""
        if (
            changes.all_roundtables
            or self.roundtable_id in changes.roundtables
            or changes.all_people
            or changes.people
        ):
            self.read_now()

    def changed(self, changes: Changes) -> None:
        """Something changed here: the main window hears of it once the door is quiet."""
        self._pending = Changes(
            people=self._pending.people | changes.people,
            roundtables=self._pending.roundtables | changes.roundtables,
        )
        self._publish_timer.start()

    def publish_now(self) -> None:
        self._publish_timer.stop()
        pending, self._pending = self._pending, Changes()
        if pending.people or pending.roundtables:
            self.ctx.publish(pending)

    def stop(self) -> None:
        """The screen closes: no more reads; what changed here is published now."""
        self.timer.stop()
        self.publish_now()
        self.ctx.changes_published.disconnect(self._on_published)
