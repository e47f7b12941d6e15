"""A table's notes in four sections, and the notebook that saves and undoes every edit.

The notebook is the view's controller: an item says what the user changed, and
the notebook puts an undo step on the window's stack and hands the write to
the save queue (:mod:`~roundtable_app.ui.discussion.saver`). Writes are
version-checked: when a colleague changed the note meanwhile, the item shows
their text and keeps the user's in a box to copy or use instead.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from roundtable_app.core.discussion import NoteKind
from roundtable_app.core.errors import ConflictError, RoundtableError
from roundtable_app.services import discussion
from roundtable_app.services.discussion import Note, NoteFields
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.discussion.commands import FieldCommand, ItemsCommand
from roundtable_app.ui.discussion.item import NoteItem, Place, blank_values
from roundtable_app.ui.discussion.saver import SaveQueue

SHORTCUTS = {
    NoteKind.CHALLENGE: "Ctrl+1",
    NoteKind.NEED: "Ctrl+2",
    NoteKind.ACTION: "Ctrl+3",
    NoteKind.POINT: "Ctrl+4",
}
_ITEM_WORDS = {
    NoteKind.CHALLENGE: ("shared challenge", "shared challenges"),
    NoteKind.NEED: ("evidence need", "evidence needs"),
    NoteKind.ACTION: ("action", "actions"),
    NoteKind.POINT: ("key point", "key points"),
}


def note_fields(values: dict[str, Any]) -> NoteFields:
    """The fields of an edit from an item's values (``None`` dates and questions cleared)."""
    clear = frozenset(n for n in ("due_on", "question_no") if n in values and values[n] is None)
    return NoteFields(**values, clear=clear)


class Section(QWidget):
    """One section of a table's notes: a heading with its shortcut, the items, an Add button."""

    def __init__(self, kind: NoteKind, place: Place, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.place = place
        self.items: list[NoteItem] = []
        title = QLabel(kind.label)
        title.setObjectName("sectionTitle")
        key = QLabel(SHORTCUTS[kind])
        key.setObjectName("shortcutHint")
        key.setToolTip(f"Press {SHORTCUTS[kind]} to jump to {kind.label.lower()}")
        self.add_button = QPushButton(f"Add {_ITEM_WORDS[kind][0]}")
        self.add_button.setObjectName("addButton")
        self.add_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addWidget(key)
        heading.addStretch(1)
        heading.addWidget(self.add_button)
        self.empty = QLabel()
        self.empty.setObjectName("emptyHint")
        self.empty.setWordWrap(True)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.addLayout(heading)
        layout.addWidget(self.empty)
        layout.addLayout(self.body)
        self.set_locked(False)

    def set_locked(self, locked: bool) -> None:
        """A final summary's section: no Add button, and an empty state that says so."""
        self.add_button.setEnabled(not locked)
        single, plural = _ITEM_WORDS[self.kind]
        self.empty.setText(
            f"No {plural} in this revision."
            if locked
            else f"No {plural} yet. Click “Add {single}” or press {SHORTCUTS[self.kind]} and "
            "start typing; Enter adds the next one, Tab moves through its fields."
        )

    def insert(self, item: NoteItem, index: int) -> None:
        self.items.insert(index, item)
        self.body.insertWidget(index, item)
        item.show()
        self.empty.setVisible(not self.items)

    def take(self, item: NoteItem) -> int:
        index = self.items.index(item)
        self.items.pop(index)
        self.body.removeWidget(item)
        # Hidden but still the section's child (undo may put it back): a parentless
        # widget would be left to Python's collector at exit, after QApplication,
        # where Qt aborted ("shared QObject was deleted directly", then a crash).
        item.hide()
        self.empty.setVisible(not self.items)
        return index

    def place_of(self, item: NoteItem) -> tuple[NoteItem | None, int]:
        index = self.items.index(item)
        return (self.items[index - 1] if index else None), index

    def saved_before(self, item: NoteItem) -> int | None:
        """The id of the nearest saved note above ``item`` (a new note goes after it)."""
        index = self.items.index(item) if item in self.items else len(self.items)
        for earlier in reversed(self.items[:index]):
            if earlier.note is not None:
                return earlier.note.id
        return None


class Notebook(QObject):
    """Saves, undoes and checks the notes of one roundtable's Discussion window.

    Signals:
        structure_changed(object): items were added to or removed from a section.
        lock_needed(): a write was refused because the summary is now final.
    """

    structure_changed = Signal(object)
    lock_needed = Signal()

    def __init__(self, ctx: AppContext, roundtable_id: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.roundtable_id = roundtable_id
        self.queue = SaveQueue(ctx, self)
        self.undo_stack = QUndoStack(self)
        self.locked = False
        self.live: set[int] = set()  # uids of the items on screen

    # --- building -------------------------------------------------------------------

    def make_item(
        self, section: Section, note: Note | None = None, values: dict[str, Any] | None = None
    ) -> NoteItem:
        """An item for ``note`` (or a new, unsaved one) wired to this notebook."""
        item = NoteItem(
            section.kind,
            section.place,
            values=values if values is not None else (_values(note) if note else None),
            note=note,
        )
        item.section = section  # type: ignore[attr-defined]
        item.edited.connect(self._on_edited)
        item.editor.next_requested.connect(lambda: self.add_after(item))
        item.editor.remove_requested.connect(lambda: self.remove(item, backspace=True))
        item.editor.lines_pasted.connect(lambda lines: self.paste_lines(item, lines))
        item.editor.left.connect(self.queue.flush)
        item.remove_button.clicked.connect(lambda: self.remove(item))
        item.set_locked(self.locked)
        self.live.add(item.uid)
        return item

    # --- edits ----------------------------------------------------------------------

    def _on_edited(self, item: NoteItem, name: str, old: Any, new: Any, typing: bool) -> None:
        self.undo_stack.push(FieldCommand(self, item, name, old, new, typing))
        item.pending.add(name)
        self.queue.mark_dirty(item.uid, self._save_job(item))

    def apply_value(self, item: NoteItem, name: str, value: Any) -> None:
        """An undo or redo step: show ``value`` and save it."""
        item.set_value(name, value)
        item.pending.add(name)
        self.queue.mark_dirty(item.uid, self._save_job(item))
        if item.isVisible():
            item.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_after(self, item: NoteItem | None, section: Section | None = None) -> NoteItem:
        """Enter (or Add): a new item after ``item`` (at the end), with the cursor in it."""
        section = section or item.section  # type: ignore[union-attr]
        assert section is not None
        index = (
            section.items.index(item) + 1
            if item is not None and item in section.items
            else len(section.items)
        )
        new = self.make_item(section)
        section.insert(new, index)
        self.undo_stack.push(
            ItemsCommand(self, section, [new], f"Add {section.kind.label.lower()}", True)
        )
        self.structure_changed.emit(section)
        new.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return new

    def paste_lines(self, item: NoteItem, lines: list[str]) -> None:
        """A pasted list: one item per line (the first fills the current item if empty)."""
        if self.locked:
            return
        section: Section = item.section  # type: ignore[attr-defined]
        self.undo_stack.beginMacro(f"Paste {len(lines)} items")
        rest = lines
        if not item.values["text"].strip():
            item.editor.set_text(lines[0])
            item._user_set("text", lines[0])
            rest = lines[1:]
        index = section.items.index(item) + 1
        added = []
        for offset, line in enumerate(rest):
            new = self.make_item(section)
            new.values["text"] = line
            new.show_values()
            section.insert(new, index + offset)
            new.pending.add("text")
            self.queue.mark_dirty(new.uid, self._save_job(new))
            added.append(new)
        if added:
            self.undo_stack.push(ItemsCommand(self, section, added, "Paste items", True))
        self.undo_stack.endMacro()
        self.structure_changed.emit(section)
        (added[-1] if added else item).editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove(self, item: NoteItem, *, backspace: bool = False) -> None:
        """Remove an item (undoable); Backspace puts the cursor at the end of the one above."""
        if self.locked:
            return
        section: Section = item.section  # type: ignore[attr-defined]
        above, index = section.place_of(item)
        command = ItemsCommand(self, section, [item], f"Remove {_ITEM_WORDS[item.kind][0]}", False)
        self.take_out(section, item)
        self.undo_stack.push(command)
        target = above or (section.items[0] if section.items else None)
        if target is not None:
            target.editor.setFocus(Qt.FocusReason.OtherFocusReason)
            if backspace:
                target.editor.moveCursor(target.editor.textCursor().MoveOperation.End)

    def take_out(self, section: Section, item: NoteItem) -> None:
        section.take(item)
        self.live.discard(item.uid)
        self.queue.add(self._remove_job(item))
        self.structure_changed.emit(section)

    def insert_again(
        self, section: Section, item: NoteItem, place: tuple[NoteItem | None, int]
    ) -> None:
        above, index = place
        if above is not None and above in section.items:
            index = section.items.index(above) + 1
        section.insert(item, min(index, len(section.items)))
        self.live.add(item.uid)
        item.note = None  # saved again as a new note, where it stood
        item.pending = set(item.values)
        self.queue.add(self._save_job(item))
        self.structure_changed.emit(section)
        item.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- writes ---------------------------------------------------------------------

    def _save_job(self, item: NoteItem) -> Any:
        db, rid = self.ctx.db, self.roundtable_id

        def build() -> Any:
            if item.uid not in self.live or not item.pending:
                return None
            note = item.note
            names = set(item.values) if note is None else item.pending
            values = {name: item.values[name] for name in names}
            item.pending = set()
            fields = note_fields(values)
            if note is None:
                section: Section = item.section  # type: ignore[attr-defined]
                after = section.saved_before(item)

                def add() -> Any:
                    try:
                        with db.transaction() as session:
                            return "ok", discussion.add_note(
                                session,
                                rid,
                                item.kind,
                                table_id=section.place.table_id,
                                after=after,
                                fields=fields,
                            )
                    except RoundtableError as exc:
                        return "error", str(exc)

                return add, lambda result: self._saved(item, result, values)

            def update() -> Any:
                try:
                    with db.transaction() as session:
                        return "ok", discussion.update_note(session, note.id, note.version, fields)
                except ConflictError as exc:
                    with db.reading() as session:
                        now = [n for n in discussion.list_notes(session, rid) if n.id == note.id]
                    return "conflict", str(exc), (now[0] if now else None)
                except RoundtableError as exc:
                    return "error", str(exc)

            return update, lambda result: self._saved(item, result, values)

        return build

    def _saved(self, item: NoteItem, result: tuple[Any, ...], values: dict[str, Any]) -> None:
        if result[0] == "ok":
            item.note = result[1]
            if item.problem.text().startswith("Not saved"):
                item.show_problem("")
            return
        if result[0] == "conflict":
            self._conflict(item, result[1], result[2], values)
            return
        # Refused (the summary was made final meanwhile, a theme was deleted…):
        # what the user typed stays on screen, and the item says why it is not saved.
        item.pending |= set(values)
        item.show_problem(f"Not saved: {result[1]}")
        if "final" in result[1]:
            self.lock_needed.emit()

    def _conflict(
        self, item: NoteItem, message: str, theirs: Note | None, saved: dict[str, Any]
    ) -> None:
        # What the user has now, typed since the write included: none of it is lost.
        mine = {name: item.values[name] for name in set(saved) | item.pending}
        item.pending = set()
        item.note = theirs
        text = item.values["text"]
        if theirs is not None:
            item.values = _values(theirs)
            item.show_values()
        else:
            message = "Someone else removed this note meanwhile."

        def use_mine() -> None:
            for name, value in mine.items():
                old = item.values[name]
                item.values[name] = value
                self.undo_stack.push(FieldCommand(self, item, name, old, value, False))
            item.show_values()
            item.pending |= set(mine) if theirs is not None else set(item.values)
            self.queue.add(self._save_job(item))

        item.show_conflict(message, text, use_mine)

    def _remove_job(self, item: NoteItem) -> Any:
        db = self.ctx.db

        def build() -> Any:
            note = item.note
            if note is None:
                return None

            def work() -> Any:
                try:
                    with db.transaction() as session:
                        discussion.remove_note(session, note.id, note.version)
                    return "ok", None
                except RoundtableError as exc:
                    return "error", str(exc)

            def done(result: tuple[Any, ...]) -> None:
                if result[0] == "ok":
                    item.note = None
                else:
                    self.queue.failed.emit(f"A removed note was not removed: {result[1]}")

            return work, done

        return build

    # --- locking --------------------------------------------------------------------

    def set_locked(self, locked: bool, items: list[NoteItem]) -> None:
        self.locked = locked
        for item in items:
            item.set_locked(locked)


def _values(note: Note) -> dict[str, Any]:
    from roundtable_app.ui.discussion.item import values_of

    return values_of(note)


__all__ = ["Notebook", "Section", "blank_values"]
