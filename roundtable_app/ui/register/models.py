"""The register's list: one row per entry (a need, or needs staff grouped as one).

A thin read-only model over the immutable entries ``services.register``
ranks; the text is already free of names and credited only to sectors that
may be named. Sorting happens here, over the rows in memory (5,000 entries
sort in a few milliseconds); the "#" column is the register's rank.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from roundtable_app.core.model import Priority
from roundtable_app.services.register import Entry
from roundtable_app.ui.common import LEFT, Index, ReadOnlyTableModel

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
KEY_ROLE = int(Qt.ItemDataRole.UserRole) + 1

RANK, NEED, THEMES, PRIORITY, RAISED, STATUS, OWNER = range(7)
HEADERS = ("#", "Evidence need", "Themes", "Priority", "Raised", "Status", "Owner")
_PRIORITY_ORDER = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2, None: 3}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def priority_text(priority: Priority | None) -> str:
    return priority.value.capitalize() if priority else "–"


def raised_text(entry: Entry) -> str:
    """``3 roundtables · 2 sectors`` (the detail panel and the tooltip say which)."""
    text = _plural(entry.roundtable_count, "roundtable")
    if entry.sectors:
        text += f" · {_plural(len(entry.sectors), 'sector')}"
    return text


def day_text(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "date to be set"


_BADGES: dict[int, QIcon] = {}


def group_badge(count: int) -> QIcon:
    """A small rounded badge with ``count``: the mark of a grouped entry."""
    icon = _BADGES.get(count)
    if icon is None:
        pixmap = QPixmap(28, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#2e6da4"))
        painter.drawRoundedRect(QRectF(0.5, 0.5, 27, 15), 7, 7)
        font = QFont()
        font.setPixelSize(10)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(0, 0, 28, 16), Qt.AlignmentFlag.AlignCenter, f"×{count}")
        painter.end()
        icon = _BADGES[count] = QIcon(pixmap)
    return icon


#: What each column sorts by (ascending); ties keep the register's rank.
_SORT_KEYS: dict[int, Callable[[Entry], Any]] = {
    NEED: lambda e: e.text.casefold(),
    THEMES: lambda e: (not e.themes, ", ".join(e.themes).casefold()),
    PRIORITY: lambda e: _PRIORITY_ORDER[e.priority],
    RAISED: lambda e: (e.roundtable_count, len(e.sectors), len(e.needs)),
    STATUS: lambda e: list(type(e.status)).index(e.status),
    OWNER: lambda e: (not e.centre_owner, e.centre_owner.casefold()),
}


class EntriesModel(ReadOnlyTableModel):
    """The register's entries, ranked; sortable by any column."""

    HEADERS = HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[Entry] = []  # in the register's rank
        self.rows: list[Entry] = []  # as shown (sorted)
        self._rank: dict[str, int] = {}
        self._row_of: dict[str, int] = {}
        self._need_key: dict[int, str] = {}
        self._sort = (RANK, Qt.SortOrder.AscendingOrder)

    def set_entries(self, entries: Sequence[Entry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self._rank = {e.key: i for i, e in enumerate(self.entries)}
        self._need_key = {n.id: e.key for e in self.entries for n in e.needs}
        self._arrange()
        self.endResetModel()

    def _arrange(self) -> None:
        column, order = self._sort
        descending = order == Qt.SortOrder.DescendingOrder
        key = _SORT_KEYS.get(column)
        rows = list(self.entries)
        if key is not None:
            rows.sort(key=key, reverse=descending)  # stable: ties keep the rank
        elif descending:
            rows.reverse()
        self.rows = rows
        self._row_of = {e.key: i for i, e in enumerate(rows)}

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        keys = [self.rows[i.row()].key if 0 <= i.row() < len(self.rows) else "" for i in old]
        self._sort = (column, order)
        self._arrange()
        new = []
        for key, index in zip(keys, old, strict=True):
            row = self._row_of.get(key)
            new.append(QModelIndex() if row is None else self.index(row, index.column()))
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def replace(self, entry: Entry) -> None:
        """Show ``entry`` in place of the one with its key (an edit, before the reload)."""
        row = self._row_of.get(entry.key)
        if row is None:
            return
        self.rows[row] = entry
        self.entries[self._rank[entry.key]] = entry
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def shown_rows(self) -> int:
        return len(self.rows)

    def entry_at(self, row: int) -> Entry:
        return self.rows[row]

    def row_of(self, key: str) -> int | None:
        return self._row_of.get(key)

    def key_of_need(self, note_id: int) -> str | None:
        """The key of the entry that holds the need ``note_id`` (None: not listed)."""
        return self._need_key.get(note_id)

    def index_of(self, key: str, column: int = NEED) -> QModelIndex:
        row = self._row_of.get(key)
        return QModelIndex() if row is None else self.index(row, column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        row, column = cell
        entry = self.rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.DecorationRole and column == NEED and len(entry.needs) > 1:
            return group_badge(len(entry.needs))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column == RANK else LEFT
        if role == KEY_ROLE:
            return entry.key
        if role == Qt.ItemDataRole.AccessibleTextRole and column == NEED and len(entry.needs) > 1:
            return f"Grouped, {len(entry.needs)} needs: {entry.text}"
        return None

    def _text(self, entry: Entry, column: int) -> str:
        if column == RANK:
            return f"{self._rank[entry.key] + 1:,}"
        if column == NEED:
            return " ".join(entry.text.split())
        if column == THEMES:
            return ", ".join(entry.themes)
        if column == PRIORITY:
            return priority_text(entry.priority)
        if column == RAISED:
            return raised_text(entry)
        if column == STATUS:
            return entry.status.label
        return entry.centre_owner

    def _tooltip(self, entry: Entry, column: int) -> str | None:
        if column == NEED:
            if len(entry.needs) > 1:
                return f"Grouped: {len(entry.needs)} needs raised at different roundtables"
            return entry.text if len(entry.text) > 80 else None
        if column == RAISED:
            return entry.raised[0].upper() + entry.raised[1:]
        if column == STATUS and entry.answer_reference:
            return f"Answered by: {entry.answer_reference}"
        return None
