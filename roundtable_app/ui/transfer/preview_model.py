"""The import preview: one line per row of the file, with a tick box to leave it out.

A plain table model over an :class:`ImportPlan`, cheap at 100,000 rows: it
holds the plan's rows as they are and a set of the row numbers the user
unticked. Rows with a problem cannot be ticked; they are reported, not imported.
A sector, organisation or interest the import would create is shown in amber
with a tooltip that says so.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from roundtable_app.services.directory import VocabularyKind
from roundtable_app.services.transfer import ImportPlan, PlannedRow, RowStatus

Index = QModelIndex | QPersistentModelIndex

# The reason sits next to the e-mail so that it is visible without scrolling sideways.
COLUMNS = ("Row", "Status", "Name", "E-mail", "Details", "Organisation", "Sector", "Interests")
ROW, STATUS, NAME, EMAIL, DETAILS, ORGANISATION, SECTOR, INTERESTS = range(len(COLUMNS))
_KIND_OF = {
    SECTOR: VocabularyKind.SECTOR,
    ORGANISATION: VocabularyKind.ORGANISATION,
    INTERESTS: VocabularyKind.INTEREST,
}
#: Amber, as the person form marks a new value: allowed, but worth a second look.
NEW_VALUE_COLOUR = QColor(138, 90, 0)

# Readable on a light and a dark palette alike: mid-tone, not pure red or blue.
_STATUS_COLOURS = {
    RowStatus.PROBLEM: QColor(190, 40, 40),
    RowStatus.DUPLICATE_IN_FILE: QColor(170, 110, 0),
    RowStatus.EXISTS: QColor(30, 100, 180),
}


class ImportPreviewModel(QAbstractTableModel):
    """Rows of an import plan; column 0 carries the "import this row" tick box."""

    #: Emitted when the user ticks or unticks rows (the dialog updates its counts).
    selection_changed = Signal()

    def __init__(self, plan: ImportPlan | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PlannedRow] = []
        self._excluded: set[int] = set()
        self._new: dict[VocabularyKind, set[str]] = {kind: set() for kind in VocabularyKind}
        if plan is not None:
            self.set_plan(plan)

    def set_plan(self, plan: ImportPlan) -> None:
        self.beginResetModel()
        self._rows = list(plan.rows)
        self._excluded = set()
        self._new = {kind: set() for kind in VocabularyKind}
        for new in plan.new_names:
            self._new[new.kind].add(new.name.lower())
        self.endResetModel()

    @property
    def excluded_rows(self) -> frozenset[int]:
        """Row numbers (as in the file) that the user unticked."""
        return frozenset(self._excluded)

    def included_count(self) -> int:
        return sum(
            1
            for r in self._rows
            if r.status is not RowStatus.PROBLEM and r.row_number not in self._excluded
        )

    def set_all_included(self, included: bool) -> None:
        if included:
            self._excluded.clear()
        else:
            self._excluded = {r.row_number for r in self._rows if r.status is not RowStatus.PROBLEM}
        if self._rows:
            self.dataChanged.emit(
                self.index(0, ROW),
                self.index(len(self._rows) - 1, ROW),
                [Qt.ItemDataRole.CheckStateRole],
            )
        self.selection_changed.emit()

    def planned_row(self, row: int) -> PlannedRow:
        return self._rows[row]

    # -- Qt model interface ----------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == ROW:
                return "The row number in your spreadsheet; untick a row to leave it out."
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == ROW and self._rows[index.row()].status is not RowStatus.PROBLEM:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == ROW:
            if row.status is RowStatus.PROBLEM or row.row_number in self._excluded:
                return Qt.CheckState.Unchecked
            return Qt.CheckState.Checked
        if role == Qt.ItemDataRole.ForegroundRole and column in (STATUS, DETAILS):
            colour = _STATUS_COLOURS.get(row.status)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and column in _KIND_OF:
            return QBrush(NEW_VALUE_COLOUR) if self._new_in(row, column) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in _KIND_OF and (new := self._new_in(row, column)):
                kind = _KIND_OF[column]
                noun = kind.value if len(new) == 1 else kind.plural
                return f"New {noun} — will be created: {'; '.join(new)}"
            if row.reason:
                return f"Row {row.row_number}: {row.reason}"
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ROW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _new_in(self, row: PlannedRow, column: int) -> list[str]:
        """The values of this cell that the import would create."""
        data = row.data
        if data is None:
            return []
        kind = _KIND_OF[column]
        if column == INTERESTS:
            values: tuple[str | None, ...] = data.interests
        else:
            values = (data.sector if column == SECTOR else data.organisation,)
        new = self._new[kind]
        return [v for v in values if v and v.lower() in new]

    @staticmethod
    def _text(row: PlannedRow, column: int) -> str:
        if column == ROW:
            return str(row.row_number)
        if column == STATUS:
            return row.status.label
        if column == NAME:
            return row.name
        if column == EMAIL:
            return row.email
        if column == ORGANISATION:
            return row.organisation
        if column == SECTOR:
            return row.sector
        if column == INTERESTS:
            return row.interests
        if column == DETAILS:
            return row.reason
        return ""

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != ROW or role != Qt.ItemDataRole.CheckStateRole:
            return False
        row = self._rows[index.row()]
        if row.status is RowStatus.PROBLEM:
            return False
        checked = (
            Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        )
        if checked:
            self._excluded.discard(row.row_number)
        else:
            self._excluded.add(row.row_number)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.selection_changed.emit()
        return True
