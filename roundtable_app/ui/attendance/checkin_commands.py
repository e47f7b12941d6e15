"""The check-in screen's undoable steps: a check-in, and a walk-in.

They live on the screen's own undo stack: at the door, Ctrl+Z and the Undo
button take back the last check-in made here, whatever the main window did
meanwhile. The first ``redo`` is a no-op (the screen already did the work).
A step the data no longer allows (someone changed the person at another door
or in the attendance list) is not forced: the screen says why, and the step
leaves the stack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QUndoCommand

from roundtable_app.core.errors import ConflictError, RoundtableError
from roundtable_app.core.model import Changes
from roundtable_app.services import attendance, directory

if TYPE_CHECKING:
    from roundtable_app.storage.unit_of_work import Database


class Screen(Protocol):
    """What a step tells the check-in screen."""

    def step_done(self, message: str, changes: Changes) -> None: ...

    def step_failed(self, title: str, message: str) -> None: ...


class _DoorCommand(QUndoCommand):
    def __init__(self, db: Database, screen: Screen, text: str, roundtable_id: int) -> None:
        super().__init__(text)
        self.db = db
        self.screen = screen
        self.roundtable_id = roundtable_id
        self._first_redo = True

    def changes(self) -> Changes:
        return Changes(roundtables=frozenset({self.roundtable_id}))

    def redo(self) -> None:
        if self._first_redo:
            self._first_redo = False
            return
        self._guarded("redo", self._redo)

    def undo(self) -> None:
        self._guarded("undo", self._undo)

    def _guarded(self, what: str, step: Callable[[], str]) -> None:
        try:
            message = step()
        except RoundtableError as exc:
            self.setObsolete(True)
            self.screen.step_failed(f"Cannot {what} “{self.text()}”", str(exc))
            return
        self.screen.step_done(message, self.changes())

    def _redo(self) -> str:
        raise NotImplementedError

    def _undo(self) -> str:
        raise NotImplementedError


class CheckInCommand(_DoorCommand):
    """Someone on the list checked in; undo puts back what they had before."""

    def __init__(
        self, db: Database, screen: Screen, roundtable_id: int, done: attendance.CheckIn, name: str
    ) -> None:
        super().__init__(db, screen, f"checked in {name}", roundtable_id)
        self.done = done
        self.name = name

    def _undo(self) -> str:
        with self.db.transaction() as session:
            undone = attendance.undo_check_in(session, self.done)
        if not undone:
            raise ConflictError(
                f"{self.name}'s attendance was changed meanwhile (at another door or in the "
                "attendance list), so it is left as it is."
            )
        return f"Undone: {self.name} is no longer checked in"

    def _redo(self) -> str:
        with self.db.transaction() as session:
            self.done = attendance.check_in(
                session, self.done.invitation_id, self.done.checked_in_at
            )
        return f"{self.name} is checked in again"


class WalkInCommand(_DoorCommand):
    """A walk-in checked in; undo takes them off the list (and out of the directory if new)."""

    def __init__(
        self, db: Database, screen: Screen, roundtable_id: int, done: attendance.DoorWalkIn
    ) -> None:
        super().__init__(db, screen, f"checked in {done.walk_in.name}", roundtable_id)
        self.done = done
        self._deleted: list[directory.DeletedPerson] = []

    def changes(self) -> Changes:
        people = frozenset({self.done.walk_in.person_id})
        return Changes(roundtables=frozenset({self.roundtable_id}), people=people)

    def _undo(self) -> str:
        with self.db.transaction() as session:
            self._deleted = attendance.undo_walk_in(session, self.done)
        name = self.done.walk_in.name
        if self.done.created:
            return f"Undone: {name} is off the list and out of the directory again"
        return f"Undone: {name} is off the list again"

    def _redo(self) -> str:
        with self.db.transaction() as session:
            self.done = attendance.redo_walk_in(
                session, self.roundtable_id, self.done, self._deleted
            )
        return f"{self.done.walk_in.name} is checked in again, as a walk-in"
