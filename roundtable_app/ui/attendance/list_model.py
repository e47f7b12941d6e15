"""The attendance list: a Qt model over ``AttendanceRow``s, in the sign-in sheet's order.

Rows are replaced in place when the same people come back in the same order
(an attendance or answer changed), so that the view keeps its current row and
selection while staff enter attendance row by row; a list that gained or lost
someone is reset.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from roundtable_app.core.model import Attendance, Response, ResponseChannel
from roundtable_app.services.attendance import AttendanceRow
from roundtable_app.ui.common import LEFT, Index, ReadOnlyTableModel

NAME, ORGANISATION, TABLE, ANSWER, ATTENDANCE = range(5)
HEADERS = ("Name", "Organisation", "Table", "Answer", "Attendance")
INVITATION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role returning the invitation id of a row."""

ATTENDANCE_LABELS = {
    a: a.label
    for a in (Attendance.ATTENDED, Attendance.NO_SHOW, Attendance.APOLOGIES, Attendance.UNKNOWN)
}
RESPONSE_LABELS = {
    Response.NEEDS_ACTION: "No answer yet",
    Response.ACCEPTED: "Accepted",
    Response.DECLINED: "Declined",
    Response.TENTATIVE: "Tentative",
}
_ATTENDANCE_COLOURS = {
    Attendance.ATTENDED: QColor("#1d6b3a"),
    Attendance.NO_SHOW: QColor("#9b2c22"),
    Attendance.APOLOGIES: QColor("#7a5c00"),
    Attendance.UNKNOWN: QColor("#8a949c"),
}
_RESPONSE_COLOURS = {
    Response.ACCEPTED: QColor("#1d6b3a"),
    Response.DECLINED: QColor("#9b2c22"),
    Response.TENTATIVE: QColor("#7a5c00"),
    Response.NEEDS_ACTION: QColor("#5f6b76"),
}
_MUTED = QColor("#8a949c")
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def answer_text(row: AttendanceRow) -> str:
    """ "Accepted", "Accepted · by phone", "Walk-in"."""
    if row.walk_in:
        return "Walk-in"
    text = RESPONSE_LABELS[row.response]
    channel = row.response_channel
    if channel is not None and channel != ResponseChannel.REPLY:
        text += f" · {channel.label.lower()}"
    return text


class AttendanceModel(ReadOnlyTableModel):
    """One roundtable's list; ``started`` False shows attendance as not yet due."""

    HEADERS = HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AttendanceRow] = []
        self.started = True
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[AttendanceRow], *, started: bool = True) -> bool:
        """Show ``rows``; True if they were replaced in place (the same people, same order)."""
        rows = list(rows)
        same = [r.invitation_id for r in rows] == [r.invitation_id for r in self._rows]
        self.started = started
        if same and rows:
            self._rows = rows
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(HEADERS) - 1))
            return True
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()
        return False

    def rows(self) -> list[AttendanceRow]:
        return list(self._rows)

    def row_at(self, row: int) -> AttendanceRow:
        return self._rows[row]

    def row_of(self, invitation_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.invitation_id == invitation_id:
                return number
        return None

    def shown_rows(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        row, column = self._rows[cell[0]], cell[1]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == ATTENDANCE:
                return _ATTENDANCE_COLOURS[row.attendance] if self.started else _MUTED
            if column == ANSWER:
                return _RESPONSE_COLOURS[row.response] if not row.walk_in else None
            if column == TABLE and row.table is None:
                return _MUTED
            return None
        if role == Qt.ItemDataRole.FontRole:
            if column == ATTENDANCE and self.started and row.attendance != Attendance.UNKNOWN:
                return self._bold
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTRE if column == TABLE else LEFT
        if role == INVITATION_ID_ROLE:
            return row.invitation_id
        return None

    def _display(self, row: AttendanceRow, column: int) -> str:
        if column == NAME:
            return row.name
        if column == ORGANISATION:
            return row.organisation
        if column == TABLE:
            return str(row.table) if row.table is not None else "—"
        if column == ANSWER:
            return answer_text(row)
        return ATTENDANCE_LABELS[row.attendance] if self.started else "—"

    def _tooltip(self, row: AttendanceRow, column: int) -> str | None:
        if column == NAME:
            return f"{row.name} <{row.email}>" if row.email else row.name
        if column == TABLE:
            return f"Table {row.table}" if row.table is not None else "Not seated at a table"
        if column == ANSWER:
            if row.walk_in:
                return "Came without an invitation (a walk-in)"
            channel = row.response_channel
            how = f" ({channel.label.lower()})" if channel is not None else ""
            return f"{RESPONSE_LABELS[row.response]}{how}"
        if column == ATTENDANCE and not self.started:
            return "Attendance is recorded once the roundtable has begun."
        return self._display(row, column) or None
