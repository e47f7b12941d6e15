"""The check-in screen's list: the roundtable's people, narrowed to what was typed.

A thin adapter over immutable :class:`~roundtable_app.services.attendance.AttendanceRow`
values: :class:`~roundtable_app.services.attendance.DoorList` does the
narrowing and the order; this model only says what each row shows. A poll
that brings the same people in the same order updates the rows in place (no
reset, so the view neither flickers nor loses its place).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from roundtable_app.core.model import Attendance, InviteeRole, Response
from roundtable_app.services.attendance import Arrivals, AttendanceRow, Door, DoorList

Index = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's :class:`AttendanceRow`."""
ORGANISATION_ROLE = Qt.ItemDataRole.UserRole + 2
TABLE_ROLE = Qt.ItemDataRole.UserRole + 3
""""Table 3", or "" when not seated."""
STATUS_ROLE = Qt.ItemDataRole.UserRole + 4
"""What the right-hand side says: "Arrived 09:52", "Late · 10:17", "Declined"…"""
STATE_ROLE = Qt.ItemDataRole.UserRole + 5
"""A :class:`State`: how the row is drawn."""
NEEDS_ROLE = Qt.ItemDataRole.UserRole + 6
"""True: access or dietary arrangements are noted (staff only; never the details)."""

NEEDS_TOOLTIP = (
    "Access or dietary arrangements are noted for this person.\n"
    "The details are in their record (People page), not on this screen:\n"
    "the room can see it."
)
_WAITING = {
    Response.DECLINED: "Declined",
    Response.NEEDS_ACTION: "No reply",
    Response.TENTATIVE: "Maybe",
    Response.ACCEPTED: "",
}
_ROLES = {InviteeRole.CHAIR: "Chair", InviteeRole.SPEAKER: "Speaker"}


class State(enum.Enum):
    EXPECTED = "expected"  # expected, not here yet
    NOT_EXPECTED = "not_expected"  # declined or did not reply, not here
    ARRIVED = "arrived"
    LATE = "late"  # arrived after the start


def clock(moment: dt.datetime) -> str:
    return f"{moment:%H:%M}"


def duration(minutes: int) -> str:
    """ "17 min", "1 h 05 min"."""
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


class CheckInModel(QAbstractListModel):
    """The rows the search shows, in the order :class:`DoorList` gives."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._door: Door | None = None
        self._list = DoorList(())
        self._query = ""
        self._shown: list[AttendanceRow] = []

    # --- content ---------------------------------------------------------------------

    @property
    def door(self) -> Door | None:
        return self._door

    def all_rows(self) -> tuple[AttendanceRow, ...]:
        return self._list.rows

    def set_door(self, door: Door) -> bool:
        """Show ``door``'s rows under the current search; True if anything shown changed."""
        if self._door is not None and door == self._door:
            return False
        self._door = door
        self._list = DoorList(door.rows, self._list)
        self._show(self._list.search(self._query))
        return True

    def set_query(self, query: str) -> None:
        """Narrow the list to ``query`` (every keystroke)."""
        self._query = query
        self.beginResetModel()
        self._shown = self._list.search(query)
        self.endResetModel()

    def replace_row(self, row: AttendanceRow, arrivals: Arrivals) -> None:
        """Show ``row`` and the count read with it (a check-in here) in place of the old."""
        if self._door is None:
            return
        rows = tuple(row if r.invitation_id == row.invitation_id else r for r in self._door.rows)
        self._door = dataclasses.replace(self._door, rows=rows, arrivals=arrivals)
        self._list = DoorList(rows, self._list)
        for n, shown in enumerate(self._shown):
            if shown.invitation_id == row.invitation_id:
                self._shown[n] = row
                self.dataChanged.emit(self.index(n), self.index(n))

    def _show(self, rows: list[AttendanceRow]) -> None:
        if [r.invitation_id for r in rows] == [r.invitation_id for r in self._shown]:
            changed = [n for n, (a, b) in enumerate(zip(rows, self._shown, strict=True)) if a != b]
            self._shown = rows
            if changed:
                self.dataChanged.emit(self.index(min(changed)), self.index(max(changed)))
            return
        self.beginResetModel()
        self._shown = rows
        self.endResetModel()

    def row_at(self, n: int) -> AttendanceRow | None:
        return self._shown[n] if 0 <= n < len(self._shown) else None

    def position_of(self, invitation_id: int) -> int | None:
        for n, row in enumerate(self._shown):
            if row.invitation_id == invitation_id:
                return n
        return None

    def walk_ins_arrived(self) -> int:
        return sum(r.walk_in and r.arrived for r in self._list.rows)

    # --- what a row shows ------------------------------------------------------------

    def state(self, row: AttendanceRow) -> State:
        if row.arrived:
            late = self._door is not None and self._door.late_by(row) is not None
            return State.LATE if late else State.ARRIVED
        return State.EXPECTED if row.expected else State.NOT_EXPECTED

    def status_text(self, row: AttendanceRow) -> str:
        state = self.state(row)
        if state in (State.ARRIVED, State.LATE) and self._door is not None:
            at = clock(self._door.local(row.checked_in_at)) if row.checked_in_at else ""
            if state == State.LATE:
                late = self._door.late_by(row)
                minutes = int(late.total_seconds() // 60) if late is not None else 0
                return f"Late · {at}" if minutes < 1 else f"Late {duration(minutes)} · {at}"
            return f"Arrived {at}".strip()
        if row.attendance == Attendance.NO_SHOW:
            return "No-show"
        if row.attendance == Attendance.APOLOGIES:
            return "Sent apologies"
        return _WAITING[row.response]

    def detail(self, row: AttendanceRow) -> str:
        """The line beside the name: organisation, and chair, speaker or walk-in."""
        parts = (row.organisation, _ROLES.get(row.role, ""), "Walk-in" if row.walk_in else "")
        return " · ".join(p for p in parts if p)

    def spoken(self, row: AttendanceRow) -> str:
        """The row as a screen reader says it."""
        parts = [row.name, self.detail(row)]
        parts += [f"table {row.table}" if row.table else "", self.status_text(row)]
        if row.has_needs:
            parts.append("arrangements noted")
        return ", ".join(p for p in parts if p)

    # --- Qt --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == ROW_ROLE:
            return row
        if role == ORGANISATION_ROLE:
            return self.detail(row)
        if role == TABLE_ROLE:
            return f"Table {row.table}" if row.table is not None else ""
        if role == STATUS_ROLE:
            return self.status_text(row)
        if role == STATE_ROLE:
            return self.state(row)
        if role == NEEDS_ROLE:
            return row.has_needs
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.spoken(row)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


def visible_rows(model: CheckInModel) -> Sequence[AttendanceRow]:
    """The rows shown, in order (for tests and the benchmark)."""
    return [r for r in (model.row_at(n) for n in range(model.rowCount())) if r is not None]
