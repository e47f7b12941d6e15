"""The Roundtables page's table: a Qt model over ``RoundtableRow``s of one view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon

from roundtable_app.core.model import RoundtableStatus
from roundtable_app.services.roundtables import RoundtableRow
from roundtable_app.ui.common import LEFT as _LEFT
from roundtable_app.ui.common import Index, ReadOnlyTableModel
from roundtable_app.ui.roundtables.attendance_flag import FLAG_TOOLTIP, flag_icon

DATE, TITLE, STATUS, FORMAT, VENUE, INVITEES, SERIES = range(7)
HEADERS = ("Date", "Title", "Status", "Format", "Venue", "Invited / accepted", "Series")
ROUNDTABLE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role returning the roundtable id of a row (the same for every column)."""

STATUS_LABELS = {
    RoundtableStatus.DRAFT: "Draft",
    RoundtableStatus.SCHEDULED: "Scheduled",
    RoundtableStatus.HELD: "Held",
    RoundtableStatus.CANCELLED: "Cancelled",
}
_STATUS_COLOURS = {
    RoundtableStatus.DRAFT: QColor("#6b5a1e"),
    RoundtableStatus.SCHEDULED: QColor("#1d5c3a"),
    RoundtableStatus.HELD: QColor("#46525c"),
    RoundtableStatus.CANCELLED: QColor("#8a2c24"),
}
_MUTED = QColor("#8a949c")


def when_text(local_start: dt.datetime | None) -> str:
    """ "Thu 3 Dec 2026, 10:00 GMT", or "Date not set"."""
    if local_start is None:
        return "Date not set"
    return f"{local_start:%a} {local_start.day} {local_start:%b %Y, %H:%M} {local_start.tzname()}"


class RoundtablesModel(ReadOnlyTableModel):
    """Rows of :func:`~roundtable_app.services.roundtables.lists.list_roundtables`, as given."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RoundtableRow] = []
        self._unrecorded: frozenset[int] = frozenset()

    def set_rows(self, rows: Sequence[RoundtableRow], unrecorded: Collection[int] = ()) -> None:
        """Show ``rows`` (in their order); ``unrecorded``: held ones with no attendance yet."""
        self.beginResetModel()
        self._rows = list(rows)
        self._unrecorded = frozenset(unrecorded)
        self.endResetModel()

    def needs_attendance(self, roundtable_id: int) -> bool:
        """Held, with nobody's attendance recorded yet (flagged in the Status column)."""
        return roundtable_id in self._unrecorded

    def row_at(self, row: int) -> RoundtableRow:
        return self._rows[row]

    def row_of(self, roundtable_id: int) -> int | None:
        """The view row showing ``roundtable_id``, if shown."""
        for number, row in enumerate(self._rows):
            if row.id == roundtable_id:
                return number
        return None

    # --- Qt model interface -------------------------------------------------------------

    HEADERS = HEADERS

    def shown_rows(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        number, column = index.row(), index.column()
        if not (0 <= number < len(self._rows)) or not (0 <= column < len(HEADERS)):
            return None
        row = self._rows[number]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        flagged = column == STATUS and row.id in self._unrecorded
        if role == Qt.ItemDataRole.DecorationRole and flagged:
            return self._flag_icon()
        if role == Qt.ItemDataRole.ToolTipRole:
            if flagged:
                return FLAG_TOOLTIP
            if column == INVITEES:
                return f"{row.invitees} invited, {row.accepted} accepted, {row.declined} declined"
            if column == DATE and row.starts_at is not None:
                return f"{when_text(row.local_start)} ({row.time_zone})"
            return self._display(row, column) or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == STATUS:
                return _STATUS_COLOURS.get(row.status)
            if column == DATE and row.starts_at is None:
                return _MUTED
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT
        if role == ROUNDTABLE_ID_ROLE:
            return row.id
        return None

    def _flag_icon(self) -> QIcon:
        if self._icon is None:
            self._icon = flag_icon()
        return self._icon

    _icon: QIcon | None = None

    def _display(self, row: RoundtableRow, column: int) -> str:
        if column == DATE:
            return when_text(row.local_start)
        if column == TITLE:
            return row.title
        if column == STATUS:
            return STATUS_LABELS[row.status]
        if column == FORMAT:
            return row.format.label
        if column == VENUE:
            return row.venue
        if column == INVITEES:
            return f"{row.invitees} / {row.accepted}" if row.invitees else "—"
        return row.series
