"""The attendance window of one roundtable: who answered how, and who came.

The list follows the sign-in sheet's order (by surname), so that attendance is
entered from the signed sheet row by row: Space marks the row (or the rows
selected) attended, N no-show, A sent apologies, Delete or Backspace clears
it, and each moves on to the next row. Answers given by phone or e-mail,
walk-ins and seats are a key away too. Every change is an undoable command on
the window's undo stack (``ctx.undo_stack``: Ctrl+Z here or in the main
window), checked against what the user saw: a colleague's change is never
overwritten, it is shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Attendance, Changes, Response
from roundtable_app.services import attendance, roundtables
from roundtable_app.ui import messages
from roundtable_app.ui.attendance import list_model as lm
from roundtable_app.ui.attendance.commands import (
    AttendanceCommand,
)
from roundtable_app.ui.attendance.edits import ListEdits
from roundtable_app.ui.attendance.heading import Heading, counts_text, find_row
from roundtable_app.ui.common import ElidedLabel, EmptyState, style_list_table
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.settings import ATTENDANCE_WINDOW_GEOMETRY, restore_geometry

COLUMN_WIDTHS = {lm.NAME: 220, lm.ORGANISATION: 250, lm.TABLE: 60, lm.ANSWER: 190}
STYLE = """
QTableView#attendanceTable { border: 1px solid #d4d8dd; border-radius: 4px;
    alternate-background-color: #f6f8fa; selection-background-color: #cfe2f3;
    selection-color: #111111; }
QTableView#attendanceTable QHeaderView::section { background: #f0f2f4; border: none;
    border-bottom: 1px solid #d4d8dd; border-right: 1px solid #e2e5e8; padding: 5px 8px;
    font-weight: 600; }
QLabel#attendanceCounts { color: #2b3a46; }
"""
ACCEPTED_ATTENDED = "Everyone who accepted attended"
KEYS_HINT = (
    "Space: attended · N: no-show · A: sent apologies · Delete: not recorded — "
    "each moves to the next row. Ctrl+Z undoes."
)


class AttendanceWindow(ListEdits, QMainWindow):
    """The answers and attendance of one roundtable (:func:`open_attendance` opens it)."""

    def __init__(self, ctx: AppContext, roundtable_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.roundtable_id = roundtable_id
        self.info: roundtables.RoundtableInfo | None = None
        self.started = False
        self.tables: list[int] = []
        self.model = lm.AttendanceModel(self)
        self._undo_index = ctx.undo_stack.index()
        self.table = QTableView()
        self._build_actions()
        self._build()
        self.ctx.changes_published.connect(self.apply_changes)
        self.ctx.undo_stack.indexChanged.connect(self._undo_moved)
        restore_geometry(self, ctx.settings, ATTENDANCE_WINDOW_GEOMETRY, (1000, 680))
        self.reload()
        if self.model.rowCount():
            self._go_to(0)
        self.table.setFocus()  # the keys go to the list from the start, not the find box

    # --- building --------------------------------------------------------------------

    def _build(self) -> None:
        self.setStyleSheet(STYLE)
        self.heading = Heading()
        self.find_edit = self.heading.find_edit
        self.not_started = self.heading.not_started
        self.find_edit.textChanged.connect(self.find_name)
        self.find_edit.returnPressed.connect(self._focus_list)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("attendanceCounts")

        self.attended_button = _button(self.attended_action)
        self.no_show_button = _button(self.no_show_action)
        self.apologies_button = _button(self.apologies_action)
        self.clear_button = _button(self.clear_action)
        self.accepted_button = _button(self.accepted_action)
        self.answer_button = _button(self.answer_action)
        self.walk_in_button = _button(self.walk_in_action)
        self.seat_button = _button(self.seat_action)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for button in (
            self.attended_button,
            self.no_show_button,
            self.apologies_button,
            self.clear_button,
        ):
            buttons.addWidget(button)
        buttons.addSpacing(12)
        buttons.addWidget(self.accepted_button)
        buttons.addStretch(1)
        for button in (self.answer_button, self.walk_in_button, self.seat_button):
            buttons.addWidget(button)

        self.table.setObjectName("attendanceTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        style_list_table(self.table, COLUMN_WIDTHS)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_state())

        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        # Elided: the counts beside it grow as attendance is entered, the window must not.
        self.keys_label = ElidedLabel(KEYS_HINT)
        self.keys_label.setObjectName("hint")
        bottom = QHBoxLayout()
        bottom.addWidget(self.keys_label, 1)
        bottom.addWidget(self.counts_label)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(14, 12, 14, 10)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addLayout(buttons)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)
        self.setCentralWidget(central)

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcuts: tuple[str, ...] = (),
        *,
        on_list: bool = False,
    ) -> QAction:
        """An action of this window; ``on_list``: its keys work in the list only."""
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(slot)
        if on_list:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(action)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        return action

    def _build_actions(self) -> None:
        def marking(value: Attendance) -> Callable[[], None]:
            return lambda: self.mark(value)

        self.attended_action = self._action(
            "Attended", marking(Attendance.ATTENDED), ("Space",), on_list=True
        )
        self.no_show_action = self._action(
            "No-show", marking(Attendance.NO_SHOW), ("N",), on_list=True
        )
        self.apologies_action = self._action(
            "Sent apologies", marking(Attendance.APOLOGIES), ("A",), on_list=True
        )
        self.clear_action = self._action(
            "Not recorded", marking(Attendance.UNKNOWN), ("Delete", "Backspace"), on_list=True
        )
        self.accepted_action = self._action(
            ACCEPTED_ATTENDED, self.accepted_attended, ("Ctrl+Shift+A",)
        )
        self.answer_action = self._action("Record answer…", self.record_answer, ("Ctrl+R",))
        self.walk_in_action = self._action("Add walk-in…", self.add_walk_in, ("Ctrl+N",))
        self.seat_action = self._action("Seat at table…", self.seat_selected, ("Ctrl+T",))
        self.remove_walk_in_action = self._action("Remove walk-in", self.remove_walk_in)
        self.find_action = self._action("Find a name", self.focus_find, ("Ctrl+F",))
        self.refresh_action = self._action("Refresh", self.reload, ("F5",))
        self.close_action = self._action("Close", self.close, ("Ctrl+W", "Escape"))
        stack = self.ctx.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([self.undo_action, self.redo_action])

    # --- loading ---------------------------------------------------------------------

    def reload(self) -> None:
        """Read the list again, keeping the current row and the selection."""
        current, selected = self._remember()
        try:
            with self.ctx.db.reading() as session:
                self.info = roundtables.get_roundtable(session, self.roundtable_id)
                rows = attendance.attendance_rows(session, self.roundtable_id)
                self.tables = attendance.table_numbers(session, self.roundtable_id)
                self.started = attendance.roundtable_started(session, self.roundtable_id)
        except RoundtableError as exc:
            self.info = None
            self.model.set_rows([])
            self.empty.show_message("This roundtable is no longer there", str(exc), [])
            self.stack.setCurrentWidget(self.empty)
            self._update_state()
            return
        if not self.model.set_rows(rows, started=self.started):
            self._restore(current, selected)
        self._show_heading()
        self._update_state()

    def _remember(self) -> tuple[int | None, list[int]]:
        index = self.table.currentIndex()
        current = self.model.row_at(index.row()).invitation_id if index.isValid() else None
        return current, [self.model.row_at(row).invitation_id for row in self._selected()]

    def _restore(self, current: int | None, selected: list[int]) -> None:
        """Select these people again, in one step: selecting 350 rows one by one took a
        minute (each step re-read the whole selection to update the buttons)."""
        flags = QItemSelectionModel.SelectionFlag
        found = (self.model.row_of(invitation_id) for invitation_id in selected)
        rows = sorted(row for row in found if row is not None)
        ranges = QItemSelection()
        last = self.model.columnCount() - 1
        start = previous = None
        for row in [*rows, None]:  # consecutive rows make one range
            if row is not None and previous is not None and row == previous + 1:
                previous = row
                continue
            if start is not None and previous is not None:
                ranges.select(self.model.index(start, 0), self.model.index(previous, last))
            start = previous = row
        if rows:
            self.table.selectionModel().select(ranges, flags.ClearAndSelect)
        row = self.model.row_of(current) if current is not None else None
        if row is not None:
            self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags.NoUpdate)

    def _show_heading(self) -> None:
        info = self.info
        if info is None:
            return
        self.setWindowTitle(f"Attendance — {info.data.title}")
        self.heading.show_roundtable(info, self.started)
        rows = self.model.rows()
        if rows:
            self.stack.setCurrentWidget(self.table)
        else:
            self.empty.show_message(
                "Nobody is on the list yet",
                "Invite people on the Roundtables page; someone who came without an "
                "invitation is added with Add walk-in… (Ctrl+N).",
                [("Add walk-in…", self.add_walk_in)] if self.started else [],
            )
            self.stack.setCurrentWidget(self.empty)
        self.counts_label.setText(counts_text(rows, self.started))

    def apply_changes(self, changes: Changes) -> None:
        """Read the list again when this roundtable (or people on it) changed."""
        if (
            changes.all_roundtables
            or self.roundtable_id in changes.roundtables
            or changes.people
            or changes.all_people
        ):
            self.reload()

    # --- state -----------------------------------------------------------------------

    def _selected(self) -> list[int]:
        """The rows selected, read from the selection's ranges (whole rows here):
        ``selectedRows()`` asks the model about every cell, which for a long list and
        a large selection took tens of milliseconds each time."""
        rows: set[int] = set()
        selection = self.table.selectionModel().selection()
        for number in range(selection.count()):
            span = selection.at(number)
            rows.update(range(span.top(), span.bottom() + 1))
        return sorted(row for row in rows if row < self.model.rowCount())

    def targets(self, selected: list[int] | None = None) -> list[attendance.AttendanceRow]:
        """The rows an action applies to: the selection, or else the current row."""
        chosen = self._selected() if selected is None else selected
        rows = [self.model.row_at(row) for row in chosen]
        if rows:
            return rows
        index = self.table.currentIndex()
        return [self.model.row_at(index.row())] if index.isValid() else []

    def _update_state(self) -> None:
        selected = self._selected()
        rows = self.targets(selected) if self.model.rowCount() else []
        listed = self.info is not None
        for action in (
            self.attended_action,
            self.no_show_action,
            self.apologies_action,
            self.clear_action,
        ):
            action.setEnabled(listed and self.started and bool(rows))
        accepted = self._accepted_unrecorded(selected)
        self.accepted_action.setEnabled(listed and self.started and bool(accepted))
        self.answer_action.setEnabled(len(rows) == 1 and not rows[0].walk_in)
        self.walk_in_action.setEnabled(listed and self.started)
        self.seat_action.setEnabled(bool(rows) and bool(self.tables))
        self.remove_walk_in_action.setEnabled(len(rows) == 1 and rows[0].walk_in)
        selection = len(selected) > 1
        self.accepted_action.setText(
            "Those selected who accepted attended" if selection else ACCEPTED_ATTENDED
        )
        self.seat_action.setToolTip(
            "Seat at table… (Ctrl+T)"
            if self.tables
            else "This roundtable has no table plan yet: seat people on the Grouping page."
        )

    def _accepted_unrecorded(
        self, selected: list[int] | None = None
    ) -> list[attendance.AttendanceRow]:
        """Who "everyone who accepted attended" marks: of the selection, if several rows."""
        chosen = self._selected() if selected is None else selected
        pool = self.targets(chosen) if len(chosen) > 1 else self.model.rows()
        return [
            r
            for r in pool
            if r.response == Response.ACCEPTED
            and r.attendance == Attendance.UNKNOWN
            and not r.walk_in
        ]

    def _go_to(self, row: int) -> None:
        row = max(0, min(row, self.model.rowCount() - 1))
        flags = QItemSelectionModel.SelectionFlag
        index = self.model.index(row, lm.NAME)
        self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.table.scrollTo(index)

    def _focus_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _names(self) -> dict[int, str]:
        return {r.invitation_id: r.name for r in self.model.rows()}

    # --- edits (most are ListEdits') ---------------------------------------------------

    def _say(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def _refused(self, title: str, exc: RoundtableError) -> None:
        """Say why an edit was refused, and show the list as it is now."""
        messages.show_error(self, title, str(exc))
        self.reload()

    def _undo_moved(self, index: int) -> None:
        """After an undo or redo of an edit here, show the people it touched."""
        self.statusBar().clearMessage()  # "Marked 4 people…" no longer describes the last step
        stack = self.ctx.undo_stack
        command: QUndoCommand | None = stack.command(
            index if index < self._undo_index else index - 1
        )
        self._undo_index = index
        if not isinstance(command, AttendanceCommand) or self.model.rowCount() == 0:
            return
        if command.roundtable_id != self.roundtable_id or not self.isActiveWindow():
            return
        self._show_rows(command.invitation_ids)  # the step has refreshed the list

    def _show_rows(self, invitation_ids: tuple[int, ...]) -> None:
        rows = [r for r in map(self.model.row_of, invitation_ids) if r is not None]
        if rows:
            self._restore(self.model.row_at(rows[0]).invitation_id, list(invitation_ids))
            self.table.scrollTo(self.model.index(rows[0], 0))

    # --- find --------------------------------------------------------------------------

    def focus_find(self) -> None:
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()

    def find_name(self, text: str) -> None:
        """Go to the first person whose name (a word of it first) or organisation has ``text``."""
        if not text.strip():
            return
        found = find_row(self.model.rows(), text)
        if found is not None:
            self._go_to(found)
        self.statusBar().showMessage(
            "" if found is not None else f"Nobody on the list matches '{text.strip()}'."
        )

    # --- the other edits (see ListEdits) ----------------------------------------------

    def _title(self) -> str:
        return self.info.data.title if self.info is not None else ""

    def _double_clicked(self, index: object) -> None:
        column = getattr(index, "column", lambda: -1)()
        if column == lm.ANSWER and self.answer_action.isEnabled():
            self.record_answer()
        elif column == lm.TABLE and self.seat_action.isEnabled():
            self.seat_selected()

    def context_menu(self) -> QMenu:
        """The list's menu: attendance, answer, seat, walk-ins, undo."""
        menu = QMenu(self)
        for action in (
            self.attended_action,
            self.no_show_action,
            self.apologies_action,
            self.clear_action,
            None,
            self.accepted_action,
            None,
            self.answer_action,
            self.seat_action,
            self.walk_in_action,
            self.remove_walk_in_action,
            None,
            self.undo_action,
            self.redo_action,
        ):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        return menu

    def _context_menu(self, position: QPoint) -> None:
        menu = self.context_menu()
        menu.exec(self.table.viewport().mapToGlobal(position))
        menu.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.settings.set(ATTENDANCE_WINDOW_GEOMETRY, self.saveGeometry())
        self.ctx.changes_published.disconnect(self.apply_changes)
        self.ctx.undo_stack.indexChanged.disconnect(self._undo_moved)
        super().closeEvent(event)


def _button(action: QAction) -> QPushButton:
    """A button for ``action``: its text, its state, its keys in the tooltip."""
    button = QPushButton(action.text())
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # the list keeps the keys
    button.clicked.connect(action.trigger)
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{action.text()} ({keys})" if keys else action.text())

    def follow() -> None:
        button.setText(action.text())
        button.setEnabled(action.isEnabled())
        button.setToolTip(action.toolTip())

    action.changed.connect(follow)
    follow()
    return button


def open_attendance(
    ctx: AppContext, roundtable_id: int, parent: QWidget | None
) -> AttendanceWindow:
    """Show the attendance window of ``roundtable_id`` (the one already open, if any)."""
    if parent is not None:
        for window in parent.window().findChildren(AttendanceWindow):
            if window.roundtable_id == roundtable_id and window.ctx is ctx:
                window.showNormal()
                window.raise_()
                window.activateWindow()
                return window
    window = AttendanceWindow(ctx, roundtable_id, parent.window() if parent else None)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
