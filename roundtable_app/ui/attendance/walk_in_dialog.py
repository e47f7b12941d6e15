"""Add a walk-in: someone who came without an invitation, found in the directory or new.

Keyboard first. Type two or three letters of a name, e-mail or organisation:
the matches show at once, Down moves into them, Enter adds the one chosen.
Nobody matches? "New person" (Alt+N) takes the typed name to a short form
(name, optional e-mail and organisation), and Enter adds them. The dialog
only asks; the attendance window adds the walk-in as an undoable command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import DuplicateEmailError, RoundtableError
from roundtable_app.core.model import PersonData
from roundtable_app.services import attendance, directory
from roundtable_app.ui.common import (
    asks_before_discarding,
    editable_combo,
    error_label,
    filter_box,
)
from roundtable_app.ui.context import AppContext

SEARCH_DELAY_MS = 150
MATCHES = 50
PERSON_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class WalkInChoice:
    """Who the user picked: someone in the directory (``person_id``) or a new person."""

    person_id: int | None
    name: str
    on_list: bool = False
    new_person: PersonData | None = None
    table: int | None = None


class _DownMovesIntoMatches(QObject):
    """Down in the search box moves to the matches; Enter there picks the first one."""

    def __init__(self, dialog: WalkInDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            matches = self.dialog.matches
            if event.key() == Qt.Key.Key_Down and matches.topLevelItemCount():
                matches.setFocus(Qt.FocusReason.OtherFocusReason)
                first = matches.topLevelItem(0)
                if matches.currentItem() is None and first is not None:
                    matches.setCurrentItem(first)
                return True
        return False


def _new_person_state(dialog: WalkInDialog) -> tuple[str, ...]:
    """What Escape would lose: the new person's details, once the form is in view."""
    if not dialog.creating:
        return ("", "", "")
    return (
        dialog.name_edit.text().strip(),
        dialog.email_edit.text().strip(),
        dialog.organisation_combo.currentText().strip(),
    )


@asks_before_discarding(state=_new_person_state)
class WalkInDialog(QDialog):
    """Find the walk-in in the directory, or add them as a new person.

    ``add(choice)`` does the adding when the user presses Enter or the button;
    when it raises (an address someone else has, say), the dialog says why and
    stays open so that the user can put it right.
    """

    def __init__(
        self,
        ctx: AppContext,
        roundtable_id: int,
        title: str,
        tables: list[int],
        add: Callable[[WalkInChoice], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.roundtable_id = roundtable_id
        self._add = add
        self.setWindowTitle(f"Add a walk-in to {title}")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search)
        self._build(tables)
        self.resize(640, 460)
        self._update_state()

    # --- building --------------------------------------------------------------------

    def _build(self, tables: list[int]) -> None:
        self.stack = QStackedWidget()
        self.stack.addWidget(self._find_page())
        self.stack.addWidget(self._new_page())

        self.table_combo = QComboBox()
        self.table_combo.addItem("No table", None)
        for number in tables:
            self.table_combo.addItem(f"Table {number}", number)
        self.table_label = QLabel("Seat at &table:")
        self.table_label.setBuddy(self.table_combo)
        for widget in (self.table_combo, self.table_label):
            widget.setVisible(bool(tables))

        self.box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Add walk-in")
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(self.table_label)
        footer.addWidget(self.table_combo)
        footer.addStretch(1)
        footer.addWidget(self.box)

        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(footer)

    def _find_page(self) -> QWidget:
        self.search_edit = QLineEdit(placeholderText="Type a name, e-mail or organisation")
        self.search_edit.setClearButtonEnabled(True)
        filter_box(self.search_edit)  # Escape clears the search first
        self.search_edit.textChanged.connect(lambda _t: self._timer.start())
        self.search_edit.installEventFilter(_DownMovesIntoMatches(self))
        self.matches = QTreeWidget()
        self.matches.setHeaderLabels(["Name", "Organisation", "E-mail"])
        self.matches.setRootIsDecorated(False)
        self.matches.setUniformRowHeights(True)
        self.matches.setAlternatingRowColors(True)
        self.matches.setStyleSheet("QTreeWidget::item { padding: 3px 0; }")  # as Add people
        self.matches.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for column, width in enumerate((200, 200)):
            self.matches.setColumnWidth(column, width)
        self.matches.currentItemChanged.connect(lambda *_a: self._update_state())
        self.matches.itemDoubleClicked.connect(lambda *_a: self.accept())
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.new_button = QPushButton("&New person…")
        self.new_button.setAutoDefault(False)
        self.new_button.clicked.connect(self.show_new_person)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.new_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Find the person who came in the directory:"))
        layout.addWidget(self.search_edit)
        layout.addWidget(self.matches, 1)
        layout.addLayout(bottom)
        return page

    def _new_page(self) -> QWidget:
        self.name_edit = QLineEdit(placeholderText="First name and surname")
        self.email_edit = QLineEdit(placeholderText="Optional")
        with self.ctx.db.reading() as session:
            organisations = directory.organisation_names(session)
        self.organisation_combo = editable_combo(organisations, "Optional")
        self.form_error = error_label()
        for edit in (self.name_edit, self.email_edit):
            edit.textChanged.connect(lambda _t: self._update_state())
        self.back_button = QPushButton("&Back to the search")
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.show_search)
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&E-mail:", self.email_edit)
        form.addRow("&Organisation:", self.organisation_combo)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("A new person in the directory, added as a walk-in who attended:")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addStretch(1)
        back = QHBoxLayout()
        back.addWidget(self.back_button)
        back.addStretch(1)
        layout.addLayout(back)
        return page

    # --- state -----------------------------------------------------------------------

    @property
    def creating(self) -> bool:
        return self.stack.currentIndex() == 1

    def show_new_person(self) -> None:
        """The short form for someone not in the directory, with the typed name."""
        typed = " ".join(self.search_edit.text().split())
        if typed and "@" in typed and not self.email_edit.text():
            self.email_edit.setText(typed)
        elif typed and not self.name_edit.text():
            self.name_edit.setText(typed)
        self.stack.setCurrentIndex(1)
        target = self.email_edit if self.name_edit.text() else self.name_edit
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_state()

    def show_search(self) -> None:
        self.stack.setCurrentIndex(0)
        self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_state()

    def search(self) -> None:
        """Show who matches the search text (at most :data:`MATCHES`)."""
        self._timer.stop()
        text = self.search_edit.text()
        try:
            with self.ctx.db.reading() as session:
                found = attendance.walk_in_candidates(
                    session, self.roundtable_id, text, limit=MATCHES + 1
                )
        except RoundtableError as exc:
            self.hint.setText(str(exc))
            return
        self.matches.clear()
        for candidate in found[:MATCHES]:
            name = candidate.name + ("  (on the list)" if candidate.on_list else "")
            item = QTreeWidgetItem([name, candidate.organisation, candidate.email])
            item.setData(0, PERSON_ROLE, candidate)
            if candidate.on_list:
                item.setToolTip(0, "Already on the list: adding them marks them attended.")
            self.matches.addTopLevelItem(item)
        first = self.matches.topLevelItem(0)
        if first is not None:
            self.matches.setCurrentItem(first)
        if not text.strip():
            self.hint.setText("Type two or three letters; Down moves to the matches.")
        elif not found:
            self.hint.setText(
                f"Nobody in the directory matches '{text.strip()}'. "
                "Add them as a new person (Alt+N)."
            )
        elif len(found) > MATCHES:
            self.hint.setText(f"The first {MATCHES} matches; type more to narrow them.")
        else:
            self.hint.setText("Enter adds the highlighted person.")
        self._update_state()

    def _candidate(self) -> attendance.Candidate | None:
        item = self.matches.currentItem()
        value = item.data(0, PERSON_ROLE) if item is not None else None
        return value if isinstance(value, attendance.Candidate) else None

    def _update_state(self) -> None:
        if self.creating:
            self.ok_button.setEnabled(bool(self.name_edit.text().strip()))
            self.ok_button.setText("Add new walk-in")
        else:
            candidate = self._candidate()
            self.ok_button.setEnabled(candidate is not None)
            on_list = candidate is not None and candidate.on_list
            self.ok_button.setText("Mark attended" if on_list else "Add walk-in")
            if not self.search_edit.text().strip():
                self.hint.setText("Type two or three letters; Down moves to the matches.")

    # --- the result ------------------------------------------------------------------

    def choice(self) -> WalkInChoice | None:
        """Who to add, and at which table (None: nobody chosen)."""
        table = self.table_combo.currentData()
        if self.creating:
            name = " ".join(self.name_edit.text().split())
            if not name:
                return None
            return WalkInChoice(
                None,
                name,
                new_person=PersonData(
                    full_name=name,
                    email=self.email_edit.text().strip() or None,
                    organisation=self.organisation_combo.currentText().strip() or None,
                ),
                table=table,
            )
        candidate = self._candidate()
        if candidate is None:
            return None
        return WalkInChoice(candidate.person_id, candidate.name, candidate.on_list, table=table)

    def show_error(self, message: str) -> None:
        """Say what stops the walk-in from being added; the dialog stays open."""
        label = self.form_error if self.creating else self.hint
        label.setText(message)
        label.show()

    def accept(self) -> None:
        choice = self.choice()
        if choice is None:
            return
        try:
            if choice.new_person is not None:
                directory.validate(choice.new_person)
            self._add(choice)
        except DuplicateEmailError as exc:
            self.show_error(
                f"{exc.existing_name} already has the address {exc.email}: they are in the "
                "directory. Back to the search (Alt+B) finds them."
            )
            self.search_edit.setText(exc.email)
            return
        except RoundtableError as exc:
            self.show_error(str(exc))
            return
        super().accept()
