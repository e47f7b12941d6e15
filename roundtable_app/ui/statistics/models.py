"""The Statistics page's tables: sectors, roundtables, and the people behind the reach.

Thin read-only models over immutable rows from ``services.statistics``; the
page shows exact numbers (the "fewer than 3" rule is for outputs only).
Sorting is by the value shown (numbers as numbers), through the page's proxies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt

from roundtable_app.services.statistics import (
    DriftedPerson,
    PersonBrief,
    RoundtableFigures,
    SectorCounts,
    day_text,
)
from roundtable_app.ui.common import LEFT, Index, ReadOnlyTableModel

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
Row = TypeVar("Row")


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def count(value: int) -> str:
    return f"{value:,}"


class Column(Generic[Row]):
    """A column: its header, its text, the value it sorts by, and whether it is a number."""

    def __init__(
        self,
        header: str,
        text: Callable[[Row], str],
        key: Callable[[Row], Any] | None = None,
        *,
        number: bool = True,
        tip: str = "",
    ) -> None:
        self.header, self.text, self.number, self.tip = header, text, number, tip
        self.key = key or text


class RowsModel(ReadOnlyTableModel, Generic[Row]):
    """Rows shown through :attr:`COLUMNS` (numbers right-aligned, sortable by value)."""

    COLUMNS: Sequence[Column[Any]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.HEADERS = tuple(c.header for c in self.COLUMNS)
        self.rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def shown_rows(self) -> int:
        return len(self.rows)

    def row_at(self, row: int) -> Row:
        return self.rows[row]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            column = self.COLUMNS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return RIGHT if column.number else LEFT
            if role == Qt.ItemDataRole.ToolTipRole and column.tip:
                return column.tip
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        row, col = cell
        column = self.COLUMNS[col]
        item = self.rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == SORT_ROLE:
            return column.key(item)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.number else LEFT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(item, col)
        return None

    def tooltip(self, item: Row, column: int) -> str | None:
        return None


def _rate_key(value: float | None) -> float:
    return -1.0 if value is None else value


class SectorModel(RowsModel[SectorCounts]):
    """By sector: invited, accepted, attended, the rates, the share and the target."""

    COLUMNS: Sequence[Column[SectorCounts]] = (
        Column("Sector", lambda s: s.sector, lambda s: s.sector.casefold(), number=False),
        Column("Invited", lambda s: count(s.counts.invited), lambda s: s.counts.invited),
        Column("Accepted", lambda s: count(s.counts.accepted), lambda s: s.counts.accepted),
        Column(
            "Attended",
            lambda s: count(s.counts.attended),
            lambda s: s.counts.attended,
            tip="Everyone recorded as attended, walk-ins included",
        ),
        Column(
            "Turnout",
            lambda s: percent(s.counts.turnout),
            lambda s: _rate_key(s.counts.turnout),
            tip="Of those who accepted or said maybe, the share who came",
        ),
        Column(
            "No-shows",
            lambda s: percent(s.counts.no_show_rate),
            lambda s: _rate_key(s.counts.no_show_rate),
            tip="Of those expected, the share who did not come and sent no word",
        ),
        Column(
            "Apologies",
            lambda s: percent(s.counts.apology_rate),
            lambda s: _rate_key(s.counts.apology_rate),
            tip="Of those expected, the share who sent apologies",
        ),
        Column(
            "Share",
            lambda s: percent(s.share),
            lambda s: _rate_key(s.share),
            tip="The sector's share of everyone who attended",
        ),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.targets: Mapping[str, int] = {}
        self.HEADERS = (*self.HEADERS, "Target")

    def set_targets(self, targets: Mapping[str, int]) -> None:
        self.targets = dict(targets)
        if self.rows:
            last = len(self.HEADERS) - 1
            self.dataChanged.emit(self.index(0, last), self.index(len(self.rows) - 1, last))

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and section == len(self.COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return "Target"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return RIGHT
            if role == Qt.ItemDataRole.ToolTipRole:
                return "The share of attendees the centre aims for (Target mix…)"
            return None
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is not None and cell[1] == len(self.COLUMNS):
            sector = self.rows[cell[0]].sector
            target = self.targets.get(sector)
            if role == Qt.ItemDataRole.DisplayRole:
                return "–" if target is None else f"{target}%"
            if role == SORT_ROLE:
                return -1 if target is None else target
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return RIGHT
            return None
        return super().data(index, role)

    def tooltip(self, item: SectorCounts, column: int) -> str | None:
        c = item.counts
        if column in (4, 5, 6):
            return (
                f"{c.came:,} came, {c.no_shows:,} no-shows and {c.apologies:,} apologies "
                f"of {c.expected:,} expected"
            )
        if column == 3 and c.walk_ins:
            return f"{c.walk_ins:,} of them walked in"
        return None


def _day(value: dt.date | None) -> str:
    return day_text(value) if value else "No date"


def _ordinal(value: dt.date | None) -> int:
    """A date as a number to sort by (no date first)."""
    return value.toordinal() if value else 0


class RoundtableModel(RowsModel[RoundtableFigures]):
    """Roundtable by roundtable: attendance and the connections each made."""

    COLUMNS: Sequence[Column[RoundtableFigures]] = (
        Column("Date", lambda r: _day(r.day), lambda r: _ordinal(r.day), number=False),
        Column("Roundtable", lambda r: r.title, lambda r: r.title.casefold(), number=False),
        Column("Invited", lambda r: count(r.counts.invited), lambda r: r.counts.invited),
        Column(
            "Attended",
            lambda r: count(r.counts.attended) if r.recorded else "not recorded",
            lambda r: r.counts.attended if r.recorded else -1,
        ),
        Column(
            "Turnout", lambda r: percent(r.counts.turnout), lambda r: _rate_key(r.counts.turnout)
        ),
        Column(
            "Lived exp.",
            lambda r: count(r.counts.lived_attended),
            lambda r: r.counts.lived_attended,
            tip="People with lived experience who attended",
        ),
        Column(
            "Pairs",
            lambda r: count(r.table_pairs),
            lambda r: r.table_pairs,
            tip="Pairs of people seated at the same table, both attending",
        ),
        Column(
            "New connections",
            lambda r: count(r.new_connections),
            lambda r: r.new_connections,
            tip="Pairs who had never sat at a table together before",
        ),
        Column(
            "So far",
            lambda r: count(r.cumulative),
            lambda r: r.cumulative,
            tip="New connections in the period up to this roundtable",
        ),
    )

    def tooltip(self, item: RoundtableFigures, column: int) -> str | None:
        if column == 1:
            return item.title + (f" ({item.series})" if item.series else "")
        if column == 3 and item.counts.walk_ins:
            return f"{item.counts.walk_ins:,} of them walked in"
        return None


class NeverCame:
    """One row of "invited several times, never came"."""

    __slots__ = ("invited", "last", "person")

    def __init__(self, person: PersonBrief, invited: int, last: dt.date | None) -> None:
        self.person, self.invited, self.last = person, invited, last


class NeverCameModel(RowsModel[NeverCame]):
    COLUMNS: Sequence[Column[NeverCame]] = (
        Column("Name", lambda n: n.person.name, lambda n: n.person.name.casefold(), number=False),
        Column(
            "Organisation",
            lambda n: n.person.organisation,
            lambda n: n.person.organisation.casefold(),
            number=False,
        ),
        Column("Sector", lambda n: n.person.sector, lambda n: n.person.sector, number=False),
        Column("Invited", lambda n: count(n.invited), lambda n: n.invited),
        Column("Last invited", lambda n: _day(n.last), lambda n: _ordinal(n.last), number=False),
    )


class DriftedModel(RowsModel[DriftedPerson]):
    COLUMNS: Sequence[Column[DriftedPerson]] = (
        Column("Name", lambda d: d.person.name, lambda d: d.person.name.casefold(), number=False),
        Column(
            "Organisation",
            lambda d: d.person.organisation,
            lambda d: d.person.organisation.casefold(),
            number=False,
        ),
        Column("Sector", lambda d: d.person.sector, lambda d: d.person.sector, number=False),
        Column(
            "Last invited",
            lambda d: _day(d.last_invited.date()) if d.last_invited else "Never",
            lambda d: _ordinal(d.last_invited.date() if d.last_invited else None),
            number=False,
        ),
        Column("Invitations", lambda d: count(d.invitations), lambda d: d.invitations),
    )

    def tooltip(self, item: DriftedPerson, column: int) -> str | None:
        return item.person.email or None
