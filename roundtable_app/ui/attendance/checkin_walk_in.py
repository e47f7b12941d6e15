"""Checking in someone who is not on the list: found in the directory, or someone new.

Keyboard first, like the screen behind it: the name typed at the door is
already in the search, Up/Down choose, Enter checks the chosen person in. The
last line of the matches is always "Someone new", which opens a short form
(name, organisation, e-mail: only the name is needed). The directory is read
once on a worker thread when the dialog opens, then searched in memory.
Nothing here shows lived experience or e-mail addresses: the room can see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.model import PersonData
from roundtable_app.services import attendance
from roundtable_app.ui.common import filter_box
from roundtable_app.ui.context import AppContext

PERSON_ROLE = Qt.ItemDataRole.UserRole + 1
NEW = -1  # the "Someone new" line's person id
MATCHES = 30
TEXT_POINTS = 14.0
STYLE = """
QLabel, QPushButton, QComboBox, QLineEdit { font-size: 14pt; }
QLineEdit { padding: 6px 8px; }
QLineEdit#walkInSearch { font-size: 18pt; padding: 8px 10px; }
QListWidget#walkInMatches { font-size: 15pt; }
QListWidget#walkInMatches::item { padding: 8px 6px; }
QListWidget#walkInMatches::item:selected { background: #d6e7f7; color: #111111; }
QLabel#walkInNote { color: #5f6b76; font-size: 12pt; }
QLabel#walkInError { color: #b3261e; }
QPushButton { padding: 6px 16px; }
"""


@dataclass(frozen=True, slots=True)
class WalkInChoice:
    """Who to check in: someone in the directory (``person_id``), or someone new (``data``)."""

    person_id: int | None
    data: PersonData | None
    table: int | None


#: Checks the chosen person in; returns None when done, else the message to show.
Perform = Callable[[WalkInChoice], str | None]


class _Arrows(QObject):
    """Up/Down/PageUp/PageDown in the search move through the matches."""

    def __init__(self, matches: QListWidget) -> None:
        super().__init__(matches)
        self.matches = matches

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        keys = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in keys
        ):
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -5}.get(
                Qt.Key(event.key()), 5
            )
            count = self.matches.count()
            if count:
                row = min(max(self.matches.currentRow() + step, 0), count - 1)
                self.matches.setCurrentRow(row)
            return True
        return False


class WalkInDialog(QDialog):
    """Find a walk-in in the directory, or add them as someone new, and check them in."""

    def __init__(
        self,
        ctx: AppContext,
        door: attendance.Door,
        typed: str,
        perform: Perform,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.door = door
        self.perform = perform
        self.candidates: list[attendance.DoorCandidate] | None = None
        self.setObjectName("walkInDialog")
        self.setWindowTitle(f"Add a walk-in — {door.title}")
        font = self.font()
        font.setPointSizeF(TEXT_POINTS)  # large, like the screen behind it
        self.setFont(font)
        # The font set above does not reach the labels and buttons once the app's own
        # style sheet is in force; these rules do.
        self.setStyleSheet(STYLE)
        self._build(typed)
        self.resize(820, 640)
        self._load()

    # --- building --------------------------------------------------------------------

    def _build(self, typed: str) -> None:
        self.stack = QStackedWidget()
        self.stack.addWidget(self._search_page(typed))
        self.stack.addWidget(self._new_page())
        self.table_combo = QComboBox()
        self.table_combo.addItem("No table yet", None)
        for number in self.door.tables:
            self.table_combo.addItem(f"Table {number}", number)
        self.table_row = QWidget()
        table_layout = QHBoxLayout(self.table_row)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(QLabel("Seat at:"))
        table_layout.addWidget(self.table_combo)
        table_layout.addStretch(1)
        self.table_row.setVisible(bool(self.door.tables))
        self.error = QLabel()
        self.error.setObjectName("walkInError")
        self.error.setWordWrap(True)
        self.error.hide()

        self.cancel_button = QPushButton("Cancel")
        self.back_button = QPushButton("Back to the search")
        self.check_in_button = QPushButton("Check in")
        # Enter in any field presses it (a QDialog's default button): never connect
        # returnPressed as well, or one Enter would check someone in twice.
        self.check_in_button.setDefault(True)
        for button in (self.cancel_button, self.back_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.check_in_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 18)
        layout.setSpacing(12)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.table_row)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        self.cancel_button.clicked.connect(self.reject)
        self.back_button.clicked.connect(self.show_search)
        self.check_in_button.clicked.connect(self.check_in)
        self.search.textChanged.connect(lambda _t: self._refresh())
        self.matches.itemDoubleClicked.connect(lambda _i: self.check_in())
        self.matches.currentRowChanged.connect(lambda _r: self._update_state())
        self._update_state()

    def _search_page(self, typed: str) -> QWidget:
        page = QWidget()
        intro = QLabel(
            "Someone who is not on the list: find them in the directory, "
            "or add them as someone new."
        )
        intro.setWordWrap(True)
        self.search = QLineEdit(typed)
        self.search.setObjectName("walkInSearch")
        self.search.setPlaceholderText("Name, organisation or e-mail")
        self.search.setClearButtonEnabled(True)
        filter_box(self.search)
        self.matches = QListWidget()
        self.matches.setObjectName("walkInMatches")
        self.matches.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.search.installEventFilter(_Arrows(self.matches))
        self.note = QLabel()
        self.note.setObjectName("walkInNote")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.search)
        layout.addWidget(self.matches, 1)
        layout.addWidget(self.note)
        return page

    def _new_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(
            "Someone new: they are added to the directory and checked in. "
            "Only the name is needed; the rest can be completed later on the People page."
        )
        intro.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.organisation_edit = QLineEdit()
        self.email_edit = QLineEdit()
        self.email_edit.setPlaceholderText("optional")
        self.organisation_edit.setPlaceholderText("optional")
        form = QFormLayout()
        form.setSpacing(10)
        form.addRow("Name:", self.name_edit)
        form.addRow("Organisation:", self.organisation_edit)
        form.addRow("E-mail:", self.email_edit)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    # --- the directory ---------------------------------------------------------------

    def _load(self) -> None:
        db, roundtable_id = self.ctx.db, self.door.roundtable_id

        def read(_progress: object) -> list[attendance.DoorCandidate]:
            with db.reading() as session:
                return attendance.door_candidates(session, roundtable_id)

        self.loading = self.ctx.run_in_background(
            read, parent=self, on_done=self._loaded, on_error=self._load_failed
        )
        self._refresh()

    def _loaded(self, candidates: list[attendance.DoorCandidate]) -> None:
        self.candidates = candidates
        self._refresh()

    def _load_failed(self, exc: BaseException) -> None:
        self.candidates = []
        self._refresh()
        self._show_error(f"The directory could not be read ({exc}). You can still add someone new.")

    def _refresh(self) -> None:
        text = self.search.text().strip()
        self.matches.clear()
        found = attendance.find_candidates(self.candidates or [], text, MATCHES)
        for candidate in found:
            label = candidate.name
            if candidate.organisation:
                label += f"  ·  {candidate.organisation}"
            item = QListWidgetItem(label)
            item.setData(PERSON_ROLE, candidate.person_id)
            self.matches.addItem(item)
        if text:
            new = QListWidgetItem(f"＋  Someone new: “{text}”…")
            new.setData(PERSON_ROLE, NEW)
            self.matches.addItem(new)
        self.matches.setCurrentRow(0 if self.matches.count() else -1)
        if self.candidates is None:
            self.note.setText("Reading the directory…")
        elif not text:
            self.note.setText("Type a few letters of their name, organisation or e-mail.")
        elif not found:
            self.note.setText(f"No one in the directory matches “{text}”: add them as someone new.")
        elif len(found) == MATCHES:
            self.note.setText(f"The first {len(found)} matches; type more to narrow them.")
        else:
            self.note.setText("")
        self._update_state()

    # --- state and actions -----------------------------------------------------------

    def _current(self) -> int | None:
        item = self.matches.currentItem()
        return item.data(PERSON_ROLE) if item is not None else None

    def _update_state(self) -> None:
        on_new = self.stack.currentIndex() == 1
        self.back_button.setVisible(on_new)
        current = self._current()
        self.check_in_button.setText(
            "Add and check in" if on_new else "Next…" if current == NEW else "Check in"
        )
        self.check_in_button.setEnabled(on_new or current is not None)

    def show_search(self) -> None:
        self.stack.setCurrentIndex(0)
        self.error.hide()
        self.search.setFocus()
        self._update_state()

    def show_new(self) -> None:
        """The short form for someone new, their name already in it."""
        self.stack.setCurrentIndex(1)
        if not self.name_edit.text():
            self.name_edit.setText(self.search.text().strip())
        self.name_edit.setFocus()
        self.error.hide()
        self._update_state()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def check_in(self) -> None:
        """Enter or the button: check in the chosen person, or go on to the form."""
        table = self.table_combo.currentData()
        if self.stack.currentIndex() == 1:
            data = PersonData(
                full_name=self.name_edit.text(),
                organisation=self.organisation_edit.text() or None,
                email=self.email_edit.text() or None,
            )
            choice = WalkInChoice(None, data, table)
        else:
            current = self._current()
            if current is None:
                return
            if current == NEW:
                self.show_new()
                return
            choice = WalkInChoice(current, None, table)
        problem = self.perform(choice)
        if problem is None:
            self.accept()
        else:
            self._show_error(problem)
