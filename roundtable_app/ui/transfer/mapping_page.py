"""The mapping step of the import: what each column of the file holds.

One line per column of the file: its header, a few example values, and a
drop-down of the directory fields, preset to the guess. A field goes to one
column only: choosing it for a second column frees the first. Columns that
all look like one field (two "E-mail" columns) start as "Don't import" and
are marked: the user chooses which one is imported as the field, since
guessing would leave the other's values out without a word.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from roundtable_app.services.transfer import FIELDS, DuplicateColumns, SourceTable, column_letter

NOT_IMPORTED = "— Don’t import —"
SAMPLES = 3


class MappingTable(QTableWidget):
    """Column header | examples | import as (a combo box per column of the file)."""

    mapping_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels(["Column in your file", "Examples", "Import as"])
        # The spreadsheet's column letters, as messages name them ("column D “E-mail”").
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self._combos: list[QComboBox] = []
        self._updating = False
        self._duplicates: list[DuplicateColumns] = []
        #: Columns whose drop-down the user chose in (even the same entry again).
        self._chosen_by_user: set[int] = set()

    def set_table(
        self,
        table: SourceTable,
        mapping: Sequence[str | None],
        duplicates: Sequence[DuplicateColumns] = (),
    ) -> None:
        """Show ``table``'s columns preset to ``mapping``; ``duplicates`` start unmapped."""
        self._updating = True
        self.setRowCount(len(table.headers))
        self.setVerticalHeaderLabels([column_letter(i) for i in range(len(table.headers))])
        self._combos = []
        self._duplicates = list(duplicates)
        self._chosen_by_user = set()
        mapping = list(mapping)
        clashing: dict[int, DuplicateColumns] = {}
        for clash in self._duplicates:
            for column in clash.columns:
                mapping[column] = None
                clashing[column] = clash
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        samples = list(islice((r for r in table.rows if any(r)), 50))  # not all 100,000
        for column, header in enumerate(table.headers):
            name = QTableWidgetItem(header)
            name.setToolTip(header)
            if column in clashing:
                name.setIcon(warning)
                name.setToolTip(clashing[column].message())
            self.setItem(column, 0, name)
            values = [r[column] for r in samples if r[column]][:SAMPLES]
            example = QTableWidgetItem(" · ".join(v.replace("\n", " ") for v in values))
            example.setToolTip("\n".join(values))
            example.setForeground(self.palette().placeholderText())
            self.setItem(column, 1, example)
            combo = QComboBox()
            combo.setAccessibleName(f"Import column “{header}” as")
            combo.addItem(NOT_IMPORTED, None)
            for field, label in FIELDS:
                combo.addItem(label, field)
            combo.setCurrentIndex(max(0, combo.findData(mapping[column])))
            combo.currentIndexChanged.connect(lambda _i, c=column: self._chosen(c))
            combo.activated.connect(lambda _i, c=column: self._activated(c))
            self.setCellWidget(column, 2, combo)
            self._combos.append(combo)
        self.resizeRowsToContents()
        self._updating = False
        self.mapping_changed.emit()

    def mapping(self) -> list[str | None]:
        return [combo.currentData() for combo in self._combos]

    def unresolved(self) -> list[DuplicateColumns]:
        """Clashing columns the user has not chosen between yet.

        Chosen means: the field is imported from some column, or the user
        picked an entry (even “Don’t import”) for one of the clashing columns.
        """
        mapped = set(self.mapping())
        return [
            clash
            for clash in self._duplicates
            if clash.field not in mapped and not self._chosen_by_user.intersection(clash.columns)
        ]

    def combo(self, column: int) -> QComboBox:
        return self._combos[column]

    def _chosen(self, column: int) -> None:
        if self._updating:
            return
        field = self._combos[column].currentData()
        if field is not None:
            self._updating = True
            for other, combo in enumerate(self._combos):
                if other != column and combo.currentData() == field:
                    combo.setCurrentIndex(0)  # each field comes from one column only
            self._updating = False
        self._mark_clashes()
        self.mapping_changed.emit()

    def _activated(self, column: int) -> None:
        self._chosen_by_user.add(column)
        self._mark_clashes()
        self.mapping_changed.emit()

    def _mark_clashes(self) -> None:
        """A warning icon on the columns the user has still to choose between, only."""
        waiting = {c for clash in self.unresolved() for c in clash.columns}
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for clash in self._duplicates:
            for column in clash.columns:
                item = self.item(column, 0)
                if item is not None:
                    item.setIcon(warning if column in waiting else QIcon())

    def set_field(self, column: int, field: str | None) -> None:
        """Choose ``field`` for ``column`` as the user would (tests, keyboard helpers)."""
        combo = self._combos[column]
        combo.setCurrentIndex(max(0, combo.findData(field)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter on a line opens its drop-down: the mapping works from the keyboard.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self._combos:
            row = max(0, self.currentRow())
            self._combos[row].setFocus()
            self._combos[row].showPopup()
            return
        super().keyPressEvent(event)
