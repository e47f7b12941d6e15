"""The Vocabulary dialog's table: one sector, interest or organisation per row.

A thin model over immutable :class:`VocabularyEntry` rows: name, how many
people have it, what else uses it. The name is edited in place (F2 or a
double-click); the model does not rename anything itself, it emits
``rename_requested`` and the dialog runs the undoable rename.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor

from roundtable_app.services.directory import VocabularyEntry
from roundtable_app.ui.common import Index, ReadOnlyTableModel

NAME, PEOPLE, OTHER_USES = range(3)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_MUTED = QColor("#8a949c")


class VocabularyModel(ReadOnlyTableModel):
    """Entries of one kind, in the order given; the name column is editable.

    Signals:
        rename_requested(VocabularyEntry, str): the user typed a new name in place.
    """

    rename_requested = Signal(object, str)

    HEADERS = ("Name", "People", "Also used by")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[VocabularyEntry] = []

    def set_entries(self, entries: Sequence[VocabularyEntry]) -> None:
        self.beginResetModel()
        self._rows = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> VocabularyEntry:
        return self._rows[row]

    def entries(self) -> list[VocabularyEntry]:
        return list(self._rows)

    def row_of(self, entry_id: int) -> int | None:
        for number, entry in enumerate(self._rows):
            if entry.id == entry_id:
                return number
        return None

    # --- Qt model interface -------------------------------------------------------------

    def shown_rows(self) -> int:
        return len(self._rows)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and orientation == Qt.Orientation.Horizontal
            and section == PEOPLE
        ):
            return _RIGHT
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.cell(index) is not None and index.column() == NAME:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        entry = self._rows[cell[0]]
        column = cell[1]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == NAME:
                return entry.name
            if column == PEOPLE:
                return f"{entry.people:,}"
            return entry.uses_text() or ("unused" if not entry.used else "")
        if role == SORT_ROLE:
            if column == PEOPLE:
                return entry.people
            return entry.name.lower() if column == NAME else entry.uses_text()
        if role == Qt.ItemDataRole.TextAlignmentRole and column == PEOPLE:
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and not entry.used and column != NAME:
            return _MUTED
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{entry.name}: used by {entry.describe_uses()}"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        cell = self.cell(index)
        if cell is None or cell[1] != NAME or role != Qt.ItemDataRole.EditRole:
            return False
        entry = self._rows[cell[0]]
        text = " ".join(str(value).split())
        if text and text != entry.name:
            self.rename_requested.emit(entry, text)
        return True  # the dialog reloads the rows with what was stored


class VocabularyProxy(QSortFilterProxyModel):
    """Sorts on :data:`SORT_ROLE` and filters on the name, any case."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterKeyColumn(NAME)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
