"""The Qt model over audit entries: when (local time), who, which record, what, which fields.

For a record's history it holds every entry at once (:meth:`set_records`); for
the whole trail it reads a page at a time as the view scrolls
(:meth:`set_source`, ``canFetchMore``/``fetchMore``), so that the first paint
costs one page however long the trail is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from roundtable_app.services import privacy
from roundtable_app.ui.common import ReadOnlyTableModel

WHEN, WHO, RECORD, WHAT, DETAIL = range(5)

#: Reads the page of entries after the one with the given id (None: the newest page).
PageSource = Callable[[int | None], Sequence[privacy.AuditRecord]]


def local_time(at: dt.datetime) -> str:
    """ "7 Dec 2026, 15:48" in the computer's time zone."""
    local = at.astimezone()
    return f"{local.day} {local:%b %Y, %H:%M}"


class AuditModel(ReadOnlyTableModel):
    """Audit entries, newest first (see the module)."""

    HEADERS = ("When", "Staff member", "Record", "What", "Fields or detail")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[privacy.AuditRecord] = []
        self._source: PageSource | None = None
        self._more = False

    def shown_rows(self) -> int:
        return len(self._records)

    def set_records(self, records: Sequence[privacy.AuditRecord]) -> None:
        """Show exactly ``records`` (a record's history)."""
        self.beginResetModel()
        self._records = list(records)
        self._source = None
        self._more = False
        self.endResetModel()

    def set_source(self, source: PageSource) -> None:
        """Show what ``source`` reads, its first page now and the others on scrolling."""
        self.beginResetModel()
        self._source = source
        self._records = list(source(None))
        self._more = len(self._records) >= privacy.PAGE_SIZE
        self.endResetModel()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or self._source is None:
            return
        page = list(self._source(self._records[-1].id if self._records else None))
        self._more = len(page) >= privacy.PAGE_SIZE
        if page:
            first = len(self._records)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._records.extend(page)
            self.endInsertRows()

    def record_at(self, row: int) -> privacy.AuditRecord:
        return self._records[row]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        row, column = cell
        record = self._records[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                local_time(record.at),
                record.actor or "(unknown)",
                record.record,
                record.what,
                record.fields,
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == WHEN:
                return record.at.astimezone().strftime("%A %d %B %Y, %H:%M:%S %Z")
            if column == DETAIL and record.detail:
                return record.fields
        return None
