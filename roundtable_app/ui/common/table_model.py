"""What the app's read-only table models share: headers, counts, flags, bounds.

A subclass sets :attr:`HEADERS`, implements :meth:`shown_rows` (how many rows
the view sees) and its own ``data``; :meth:`cell` turns an index into a valid
``(row, column)`` pair or ``None``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class ReadOnlyTableModel(QAbstractTableModel):
    """A flat table whose cells are shown and selected, never edited by default."""

    HEADERS: tuple[str, ...] = ()

    def shown_rows(self) -> int:
        """How many rows the view shows (after any filter)."""
        return 0

    def cell(self, index: Index) -> tuple[int, int] | None:
        """``(row, column)`` of a valid index inside the table, else ``None``."""
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if 0 <= row < self.shown_rows() and 0 <= column < len(self.HEADERS):
            return row, column
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.shown_rows()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.HEADERS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return LEFT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
