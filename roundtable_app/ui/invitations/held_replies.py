"""Forwarded replies held in the "Replies imported" window until the user applies them.

An e-mailed reply whose sender is not the invitee (an assistant, a colleague,
or someone pretending) changes nothing by itself: it is listed here with who
forwarded it, and the user applies it ("Apply" on its row, or "Apply selected")
only if they trust the sender. Applying is undoable like the import itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.services.invitations import HeldReply

_ANSWERS = {
    "accepted": "accepts",
    "declined": "declines",
    "tentative": "maybe",
    "needs_action": "no answer",
}
# The Apply buttons come first, so that no column width can push them out of sight.
HEADERS = ["", "Person", "Address", "Answer", "Forwarded by", "Roundtable", "File"]
APPLY_COLUMN = 0


def held_text(count: int) -> str:
    return "1 forwarded reply" if count == 1 else f"{count:,} forwarded replies"


class HeldRepliesPanel(QWidget):
    """The held replies: one row each, with "Apply" per row and for the selection."""

    #: The user chose to apply these held replies.
    apply_requested = Signal(list)

    def __init__(self, held: Sequence[HeldReply], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("heldReplies")
        self.held: list[HeldReply] = list(held)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        note = QLabel(
            "These replies were e-mailed by someone other than the invitee, so they changed "
            "nothing. Apply one only if you trust the person who forwarded it."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.table = table = QTableWidget(0, len(HEADERS))
        table.setObjectName("heldTable")
        table.setHorizontalHeaderLabels(HEADERS)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        table.itemSelectionChanged.connect(self._show_selection)
        layout.addWidget(table)
        row = QHBoxLayout()
        row.addStretch(1)
        self.apply_selected = QPushButton("&Apply selected")
        self.apply_selected.setObjectName("applySelected")
        # Enter closes the window: applying a reply nobody vouched for needs a deliberate click.
        self.apply_selected.setAutoDefault(False)
        self.apply_selected.clicked.connect(self._apply_selection)
        row.addWidget(self.apply_selected)
        layout.addLayout(row)
        self._fill()

    def _fill(self) -> None:
        table = self.table
        table.setRowCount(len(self.held))
        for row, item in enumerate(self.held):
            answer = _ANSWERS.get(item.new.value, item.new.value)
            cells = [
                "",
                item.name,
                item.email,
                answer,
                item.forwarded_by,
                item.roundtable_title,
                item.source,
            ]
            for column, text in enumerate(cells):
                if column == APPLY_COLUMN:
                    continue
                cell = QTableWidgetItem(text)
                cell.setToolTip(item.message)
                table.setItem(row, column, cell)
            button = QPushButton("Apply")
            button.setAutoDefault(False)
            button.setToolTip(f"Apply this reply: {item.message}")
            button.setAccessibleName(f"Apply the reply forwarded by {item.forwarded_by}")
            button.clicked.connect(lambda _checked=False, held=item: self._apply([held]))
            table.setCellWidget(row, APPLY_COLUMN, button)
        table.resizeColumnsToContents()
        for column, cap in enumerate((90, 180, 220, 80, 240, 220)):
            table.setColumnWidth(column, min(table.columnWidth(column) + 12, cap))
        table.resizeRowsToContents()
        # As tall as its rows (up to five), so that the lists around it keep their room.
        shown = range(min(max(len(self.held), 1), 5))
        table.setMaximumHeight(
            table.horizontalHeader().sizeHint().height()
            + sum(table.rowHeight(row) for row in shown)
            + table.horizontalScrollBar().sizeHint().height()
            + 2 * table.frameWidth()
        )
        self.heading.setText(f"Held: {held_text(len(self.held))}, not applied")
        self.setVisible(bool(self.held))
        self._show_selection()

    def _show_selection(self) -> None:
        rows = self.selected_rows()
        self.apply_selected.setEnabled(bool(rows))
        self.apply_selected.setText(
            f"&Apply selected ({len(rows)})" if len(rows) > 1 else "&Apply selected"
        )

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectionModel().selectedRows()})

    def _apply_selection(self) -> None:
        rows = self.selected_rows()
        if rows:
            self._apply([self.held[row] for row in rows])

    def _apply(self, held: list[HeldReply]) -> None:
        self.apply_requested.emit(held)

    def remove(self, done: Sequence[HeldReply]) -> None:
        """Take rows off the list once they have been applied (or found no longer valid)."""
        gone = {id(item) for item in done}
        self.held = [item for item in self.held if id(item) not in gone]
        self.table.clearSelection()
        self._fill()
        if self.held:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
