"""The Discussion view's undoable edits: a field changed, items added or removed, a
revision restored.

A command's first ``redo`` does nothing: the view already made the change.
Undo and redo change what is on screen at once and hand the write to the
notebook's save queue, so undoing never waits for the database either.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from roundtable_app.ui.discussion.item import NoteItem

#: The notebook and a section, as commands use them (their module imports this one).
Notebook = Any
Section = Any

#: Typing in one field is undone as one step unless it pauses this long.
MERGE_WINDOW_S = 2.0
FIELD_NAMES = {
    "text": "text",
    "themes": "themes",
    "sectors": "sectors",
    "priority": "priority",
    "evidence_kind": "kind of evidence",
    "question_no": "evidence question",
    "owner": "owner",
    "due_on": "due date",
    "action_status": "status",
    "acknowledged": "acknowledgement",
}


class FieldCommand(QUndoCommand):
    """One field of one item changed from ``old`` to ``new``."""

    def __init__(
        self, notebook: Notebook, item: NoteItem, name: str, old: Any, new: Any, typing: bool
    ) -> None:
        what = "Typing" if typing else f"Change {FIELD_NAMES[name]}"
        super().__init__(what if name != "acknowledged" else "Acknowledge a name")
        self.notebook = notebook
        self.item = item
        self.name = name
        self.old = old
        self.new = new
        self.typing = typing
        self.at = time.monotonic()
        self._first = True

    def id(self) -> int:
        return 1 if self.typing else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if (
            not isinstance(other, FieldCommand)
            or other.item is not self.item
            or other.name != self.name
            or other.at - self.at > MERGE_WINDOW_S
        ):
            return False
        self.new = other.new
        self.at = other.at
        return True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.notebook.apply_value(self.item, self.name, self.new)

    def undo(self) -> None:
        self.notebook.apply_value(self.item, self.name, self.old)


class ItemsCommand(QUndoCommand):
    """Items added (``added=True``) or removed, in one section; undo does the opposite."""

    def __init__(
        self, notebook: Notebook, section: Section, items: list[NoteItem], text: str, added: bool
    ) -> None:
        super().__init__(text)
        self.notebook = notebook
        self.section = section
        self.items = items
        self.added = added
        # Where they go back: after the item before the first, or at its index.
        self.places = [section.place_of(item) for item in items]
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._do(self.added)

    def undo(self) -> None:
        self._do(not self.added)

    def _do(self, add: bool) -> None:
        if add:
            for item, place in zip(self.items, self.places, strict=True):
                self.notebook.insert_again(self.section, item, place)
        else:
            for item in reversed(self.items):
                self.notebook.take_out(self.section, item)


class CallbackCommand(QUndoCommand):
    """A step done by ``redo`` and taken back by ``undo`` (a revision restored, a
    summary made final); the first redo does nothing, as the view already did it."""

    def __init__(self, text: str, redo: Callable[[], None], undo: Callable[[], None]) -> None:
        super().__init__(text)
        self._redo = redo
        self._undo = undo
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._redo()

    def undo(self) -> None:
        self._undo()
