"""A roundtable's invitee list: a Qt model over ``InviteeRow``s, with an editable role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from roundtable_app.core.model import InviteeRole, Response
from roundtable_app.services.roundtables import InviteeRow, InviteeStatus, LocalTime
from roundtable_app.ui.common import LEFT as _LEFT
from roundtable_app.ui.common import Index, ReadOnlyTableModel

NAME, ORGANISATION, SECTOR, LIVED, ROLE, RESPONSE, STATUS, LOCAL_TIME = range(8)
HEADERS = (
    "Name",
    "Organisation",
    "Sector",
    "Lived exp.",
    "Role",
    "Response",
    "Invitation",
    "Their local time",
)

INVITATION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role returning the invitation id of a row."""
ROLE_VALUE_ROLE = Qt.ItemDataRole.UserRole + 2
"""Role returning the row's :class:`InviteeRole` (the role delegate's current value)."""

ROLE_LABELS = {
    InviteeRole.PARTICIPANT: "Participant",
    InviteeRole.CHAIR: "Chair",
    InviteeRole.SPEAKER: "Speaker",
    InviteeRole.NOTE_TAKER: "Note-taker",
    InviteeRole.OBSERVER: "Observer",
}
RESPONSE_LABELS = {
    Response.NEEDS_ACTION: "No reply yet",
    Response.ACCEPTED: "Accepted",
    Response.DECLINED: "Declined",
    Response.TENTATIVE: "Tentative",
}
#: Subtle text colours per status: green for yes, amber for "act on this", red for no.
STATUS_COLOURS = {
    InviteeStatus.NOT_SENT: QColor("#5f6b76"),
    InviteeStatus.SENT: QColor("#1f4e79"),
    InviteeStatus.NEEDS_UPDATE: QColor("#8a5a00"),
    InviteeStatus.ACCEPTED: QColor("#1d6b3a"),
    InviteeStatus.DECLINED: QColor("#9b2c22"),
    InviteeStatus.TENTATIVE: QColor("#7a5c00"),
    InviteeStatus.CANCEL_NOT_SENT: QColor("#8a5a00"),
    InviteeStatus.CANCELLED: QColor("#8a949c"),
}
_MUTED = QColor("#98a2aa")
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def status_text(row: InviteeRow) -> str:
    """The status as the user reads it: "Not sent", "Sent (version 2)", "Needs update", …"""
    label = row.status_label
    return label[:1].upper() + label[1:]


def short_local_time(local: LocalTime) -> str:
    """ "05:00–07:00 EST", with the weekday when the day differs: "Fri 01:00–03:00 JST"."""
    start, end = local.starts_at, local.ends_at
    text = f"{start:%H:%M}–{end:%H:%M} {start.tzname()}"
    return text


class InviteesModel(ReadOnlyTableModel):
    """The invitee rows of one roundtable; withdrawn ones last, greyed.

    Editing the Role column calls ``role_setter(invitation_id, role)``, which
    performs the change (as an undoable command) and returns whether it worked;
    the list itself refreshes when the change is published.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[InviteeRow] = []
        self._local: dict[int, LocalTime] = {}
        self._day: dt.date | None = None
        self.role_setter: Callable[[int, InviteeRole], bool] | None = None

    def set_rows(
        self,
        rows: Sequence[InviteeRow],
        local_times: Sequence[LocalTime] = (),
        day: dt.date | None = None,
    ) -> None:
        """Show ``rows``; ``local_times`` for invitees abroad; ``day`` the roundtable's date."""
        self.beginResetModel()
        self._rows = list(rows)
        self._local = {t.person_id: t for t in local_times}
        self._day = day
        self.endResetModel()

    def row_at(self, row: int) -> InviteeRow:
        return self._rows[row]

    def rows(self) -> list[InviteeRow]:
        return list(self._rows)

    # --- Qt model interface -------------------------------------------------------------

    HEADERS = HEADERS

    def shown_rows(self) -> int:
        return len(self._rows)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and section == LIVED:
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Lived experience of modern slavery (shown to staff only)"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _CENTRE
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == ROLE and 0 <= index.row() < len(self._rows):
            if not self._rows[index.row()].withdrawn and self.role_setter is not None:
                flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        number, column = index.row(), index.column()
        if not (0 <= number < len(self._rows)) or not (0 <= column < len(HEADERS)):
            return None
        row = self._rows[number]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.withdrawn or column == LIVED:
                return _MUTED
            if column == STATUS:
                return STATUS_COLOURS.get(row.status)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTRE if column == LIVED else _LEFT
        if role == INVITATION_ID_ROLE:
            return row.invitation_id
        if role == ROLE_VALUE_ROLE:
            return row.role.value
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or index.column() != ROLE
            or self.role_setter is None
            or not (0 <= index.row() < len(self._rows))
        ):
            return False
        try:
            new_role = InviteeRole(value)
        except ValueError:
            return False
        row = self._rows[index.row()]
        if new_role == row.role:
            return False
        return self.role_setter(row.invitation_id, new_role)

    def _display(self, row: InviteeRow, column: int) -> str:
        if column == NAME:
            return row.name
        if column == ORGANISATION:
            return row.organisation
        if column == SECTOR:
            return row.sector
        if column == LIVED:
            return "●" if row.lived_experience else ""
        if column == ROLE:
            return ROLE_LABELS[row.role]
        if column == RESPONSE:
            return "Withdrawn" if row.withdrawn else RESPONSE_LABELS[row.response]
        if column == STATUS:
            return status_text(row)
        local = self._local.get(row.person_id) if row.person_id is not None else None
        if local is None:
            return ""
        text = short_local_time(local)
        if self._day is not None and local.starts_at.date() != self._day:
            text = f"{local.starts_at:%a} {text}"
        return text

    def _tooltip(self, row: InviteeRow, column: int) -> str | None:
        if column == NAME:
            return f"{row.name} <{row.email}>" if row.email else row.name
        if column == LIVED:
            return "Lived experience" if row.lived_experience else None
        if column == STATUS:
            if row.sent_at is not None:
                return f"{status_text(row)}; last sent {row.sent_at:%d %b %Y %H:%M} UTC"
            return status_text(row)
        if column == LOCAL_TIME and row.person_id in self._local:
            return self._local[row.person_id].text
        return self._display(row, column) or None
