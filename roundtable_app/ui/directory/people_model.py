"""The directory table: a Qt model over immutable ``PersonRow``s, fast at 100,000 rows.

Filtering and sorting happen here over precomputed keys rather than in a
``QSortFilterProxyModel``: a Python ``filterAcceptsRow`` is called once per row
per keystroke, which is far too slow at 100,000 people. :func:`prepare_rows`
computes, once per load (on a worker thread if need be):

- a lower-case UTF-8 haystack per row (name, organisation, e-mail, interests),
  held in a numpy byte-string array, so a keystroke is one vectorised substring
  search (about 10 ms at 100,000 rows) instead of a Python loop;
- sector codes, and the sorted order for the current sort column.

The model shows ``_shown``: the positions of ``_order`` (rows sorted) that pass
every filter. Typing more letters narrows the current subset when it is small.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import (
    Qt,
    Signal,
)

from roundtable_app.core.model import PersonRow
from roundtable_app.core.privacy import reveals_lived_experience
from roundtable_app.ui.common import Index, ReadOnlyTableModel

# The columns and cells are shared with the first screen; named here too (tests, callers).
from roundtable_app.ui.directory.people_cells import (
    EMAIL as EMAIL,
)
from roundtable_app.ui.directory.people_cells import (
    HEADERS as HEADERS,
)
from roundtable_app.ui.directory.people_cells import (
    INTEREST_SEPARATOR as INTEREST_SEPARATOR,
)
from roundtable_app.ui.directory.people_cells import (
    INTERESTS as INTERESTS,
)
from roundtable_app.ui.directory.people_cells import (
    LAST_ATTENDED as LAST_ATTENDED,
)
from roundtable_app.ui.directory.people_cells import (
    LIVED_EXPERIENCE as LIVED_EXPERIENCE,
)
from roundtable_app.ui.directory.people_cells import (
    NAME as NAME,
)
from roundtable_app.ui.directory.people_cells import (
    ORGANISATION as ORGANISATION,
)
from roundtable_app.ui.directory.people_cells import (
    PERSON_ID_ROLE as PERSON_ID_ROLE,
)
from roundtable_app.ui.directory.people_cells import (
    SECTOR as SECTOR,
)
from roundtable_app.ui.directory.people_cells import (
    PeopleCells as PeopleCells,
)
from roundtable_app.ui.directory.people_cells import (
    PeopleColumn as PeopleColumn,
)
from roundtable_app.ui.directory.people_cells import (
    masked_interests,
    masked_organisation,
    masked_sector,
)

NARROW_BELOW = 0.2  # narrow the current subset when it holds under 20% of the rows

_DESC = Qt.SortOrder.DescendingOrder


def _sort_key(row: PersonRow, column: int, masked: bool = False) -> Any:
    """The key of ``row`` for ``column``, or ``None`` when blank (blanks sort last).

    ``masked``: as the cells show it while sensitive details are hidden, so that
    sorting never gathers the people whose sector says lived experience.
    """
    if column == NAME:
        return row.full_name.casefold() or None
    if column == ORGANISATION:
        shown = masked_organisation(row) if masked else row.organisation
        return shown.casefold() or None
    if column == SECTOR:
        return (masked_sector(row.sector) if masked else row.sector).casefold() or None
    if column == INTERESTS:
        shown = masked_interests(row.interests) if masked else row.interests
        return shown.casefold() or None
    if column == EMAIL:
        return row.email.casefold() or None
    if column == LIVED_EXPERIENCE:  # hidden when masked: it must not order them either
        return 0 if row.lived_experience and not masked else None
    return row.last_attended


def sorted_positions(
    rows: Sequence[PersonRow], column: int, order: Qt.SortOrder, masked: bool = False
) -> np.ndarray:
    """Row positions sorted by ``column``: stable, blanks last in either direction."""
    keys = [_sort_key(row, column, masked) for row in rows]
    blanks = [p for p, key in enumerate(keys) if key is None]
    keyed = [p for p, key in enumerate(keys) if key is not None] if blanks else range(len(keys))
    # Sorting positions by their key keeps equal keys in list order (stable, also reversed).
    ordered = sorted(keyed, key=keys.__getitem__, reverse=order == _DESC)
    return np.array(ordered + blanks, dtype=np.int64)


@dataclass(frozen=True)
class SearchKeys:
    """What the filters search, one entry per row; built by :func:`search_keys`."""

    haystack: np.ndarray  # bytes per row: lower-case name, organisation, e-mail, interests
    interests: np.ndarray  # bytes per row: b"; a; b;" for whole-interest matching
    sectors: np.ndarray  # int code per row, see sector_codes
    sector_codes: dict[str, int]


def search_keys(rows: Sequence[PersonRow]) -> SearchKeys:
    """Build the filters' keys; pure, so it may run on a worker thread."""
    haystack = np.array(
        [
            # Interests that say lived experience are found with the interest filter only.
            f"{r.full_name}\n{r.organisation}\n{r.email}\n{masked_interests(r.interests)}".lower().encode()
            for r in rows
        ],
        dtype=np.bytes_,
    )
    interests = np.array([f"; {r.interests.lower()};".encode() for r in rows], dtype=np.bytes_)
    codes: dict[str, int] = {}
    sectors = np.fromiter(
        (codes.setdefault(r.sector, len(codes)) for r in rows), dtype=np.int32, count=len(rows)
    )
    return SearchKeys(haystack, interests, sectors, codes)


def _updated_keys(keys: SearchKeys, rows: list[PersonRow], positions: Iterable[int]) -> SearchKeys:
    """``keys`` with the entries at ``positions`` recomputed from ``rows``."""
    positions = list(positions)
    fresh = search_keys([rows[p] for p in positions])
    haystack, interests, sectors = keys.haystack.copy(), keys.interests.copy(), keys.sectors.copy()
    # A longer text than the array's width would be cut off: widen the array then.
    if fresh.haystack.dtype.itemsize > haystack.dtype.itemsize:
        haystack = haystack.astype(fresh.haystack.dtype)
    if fresh.interests.dtype.itemsize > interests.dtype.itemsize:
        interests = interests.astype(fresh.interests.dtype)
    codes = dict(keys.sector_codes)
    for i, position in enumerate(positions):
        haystack[position] = fresh.haystack[i]
        interests[position] = fresh.interests[i]
        sectors[position] = codes.setdefault(rows[position].sector, len(codes))
    return SearchKeys(haystack, interests, sectors, codes)


@dataclass(frozen=True)
class PreparedRows:
    """Rows sorted for display, ready for :meth:`PeopleTableModel.set_prepared`.

    ``keys`` may be left out to show the rows sooner; the model then builds them
    when a filter first needs them, unless :meth:`PeopleTableModel.set_search_keys`
    delivered them (from a worker thread) before.
    """

    rows: list[PersonRow]
    sort_column: int
    sort_order: Qt.SortOrder
    order: np.ndarray
    keys: SearchKeys | None = None


def prepare_rows(
    rows: Sequence[PersonRow],
    sort_column: int = NAME,
    sort_order: Qt.SortOrder = Qt.SortOrder.AscendingOrder,
    *,
    with_keys: bool = True,
    masked: bool = True,
) -> PreparedRows:
    """Sort ``rows`` (and build their search keys); pure, so safe on a worker thread.

    ``masked``: sorted as shown while sensitive details are hidden (the default).
    """
    rows = list(rows)
    return PreparedRows(
        rows=rows,
        sort_column=sort_column,
        sort_order=sort_order,
        order=sorted_positions(rows, sort_column, sort_order, masked),
        keys=search_keys(rows) if with_keys else None,
    )


class PeopleTableModel(ReadOnlyTableModel):
    """People as table rows, with their own fast text, sector and interest filters.

    Signals:
        counts_changed(total, shown): the number of people, or of those shown, changed.
    """

    counts_changed = Signal(int, int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PersonRow] = []
        self._keys: SearchKeys | None = None
        self._orders: dict[tuple[int, Qt.SortOrder], np.ndarray] = {}
        self._order = np.zeros(0, dtype=np.int64)
        self._shown = np.zeros(0, dtype=np.int64)
        self._sort_column = NAME
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._needle = ""
        self._sector: str | None = None
        self._interest: str | None = None
        self._cells = PeopleCells()

    # --- loading -------------------------------------------------------------------

    def set_rows(self, rows: Sequence[PersonRow]) -> None:
        """Replace every row, keeping the current filters and sort order."""
        self.set_prepared(
            prepare_rows(rows, self._sort_column, self._sort_order, masked=self._cells.masked)
        )

    def set_prepared(self, prepared: PreparedRows) -> None:
        """Show rows prepared by :func:`prepare_rows` (perhaps on a worker thread)."""
        self.beginResetModel()
        self._rows = prepared.rows
        self._keys = prepared.keys
        self._sort_column, self._sort_order = prepared.sort_column, prepared.sort_order
        self._orders = {(prepared.sort_column, prepared.sort_order): prepared.order}
        self._order = prepared.order
        self._shown = self._filtered()
        self.endResetModel()
        self._emit_counts()

    def apply_row_changes(self, changed: dict[int, PersonRow | None]) -> None:
        """Replace, add (new id) or remove (``None``) rows by person id, then re-sort.

        Replacing rows only (an edit, a bulk change) updates the search keys in
        place; adding or removing rows rebuilds them.
        """
        if not changed:
            return
        pending = dict(changed)
        positions = {row.id: p for p, row in enumerate(self._rows) if row.id in pending}
        if len(positions) == len(pending) and all(r is not None for r in pending.values()):
            rows = list(self._rows)
            for person_id, position in positions.items():
                rows[position] = pending[person_id]  # type: ignore[assignment]
            keys = self._keys
            if keys is not None:
                keys = _updated_keys(keys, rows, positions.values())
            self.set_prepared(
                PreparedRows(
                    rows=rows,
                    sort_column=self._sort_column,
                    sort_order=self._sort_order,
                    order=sorted_positions(
                        rows, self._sort_column, self._sort_order, self._cells.masked
                    ),
                    keys=keys,
                )
            )
            return
        rows = []
        for row in self._rows:
            if row.id in pending:
                replacement = pending.pop(row.id)
                if replacement is not None:
                    rows.append(replacement)
            else:
                rows.append(row)
        rows.extend(r for r in pending.values() if r is not None)
        self.set_prepared(prepare_rows(rows, self._sort_column, self._sort_order, with_keys=False))

    def set_search_keys(self, rows: list[PersonRow], keys: SearchKeys) -> None:
        """Use ``keys`` built elsewhere for ``rows``, if those are still the rows shown."""
        if rows is self._rows:
            self._keys = keys

    @property
    def has_search_keys(self) -> bool:
        return self._keys is not None

    def _search(self) -> SearchKeys:
        if self._keys is None:
            self._keys = search_keys(self._rows)
        return self._keys

    def shared_rows(self) -> list[PersonRow]:
        """The model's own row list (not a copy): read it, never change it."""
        return self._rows

    def rows(self) -> list[PersonRow]:
        """Every row (a copy), whatever the filters."""
        return list(self._rows)

    def row_by_id(self, person_id: int) -> PersonRow | None:
        return next((r for r in self._rows if r.id == person_id), None)

    # --- filters ---------------------------------------------------------------------

    def set_text_filter(self, text: str) -> None:
        """Show rows whose name, organisation, e-mail or interests contain ``text``."""
        needle = text.strip().lower()
        if needle == self._needle:
            return
        previous, self._needle = self._needle, needle
        small = len(self._shown) < NARROW_BELOW * max(1, len(self._rows))
        if previous and needle.startswith(previous) and small:
            # Narrowing: only rows shown now can still match, and there are few of them.
            subset = self._search().haystack[self._shown]
            self._replace_shown(self._shown[np.strings.find(subset, needle.encode()) >= 0])
        else:
            self._replace_shown(self._filtered())

    def set_sector_filter(self, sector: str | None) -> None:
        """Show only people of ``sector`` (``None``: every sector)."""
        if (sector or None) != self._sector:
            self._sector = sector or None
            self._replace_shown(self._filtered())

    def set_interest_filter(self, interest: str | None) -> None:
        """Show only people with the interest ``interest`` (``None``: any)."""
        if (interest or None) != self._interest:
            self._interest = interest or None
            self._replace_shown(self._filtered())

    def clear_filters(self) -> None:
        self._needle, self._sector, self._interest = "", None, None
        self._replace_shown(self._filtered())

    @property
    def text_filter(self) -> str:
        return self._needle

    @property
    def is_filtered(self) -> bool:
        return bool(self._needle or self._sector or self._interest)

    def _filtered(self) -> np.ndarray:
        if not (self._sector or self._interest or self._needle):
            return self._order
        keys = self._search()
        mask: np.ndarray | None = None

        def both(a: np.ndarray | None, b: np.ndarray) -> np.ndarray:
            return b if a is None else a & b

        if self._sector is not None:
            code = keys.sector_codes.get(self._sector, -1)
            mask = both(mask, keys.sectors == code)
        if self._interest is not None:
            wanted = f"; {self._interest.lower()};".encode()
            mask = both(mask, np.strings.find(keys.interests, wanted) >= 0)
        if self._needle:
            mask = both(mask, np.strings.find(keys.haystack, self._needle.encode()) >= 0)
        if mask is None:
            return self._order
        return self._order[mask[self._order]]

    def _replace_shown(self, shown: np.ndarray) -> None:
        self.beginResetModel()
        self._shown = shown
        self.endResetModel()
        self._emit_counts()

    def _emit_counts(self) -> None:
        self.counts_changed.emit(len(self._rows), len(self._shown))

    # --- sorting ---------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``; stable, blanks (and people never attended) last."""
        if not 0 <= column < len(HEADERS):
            return
        if (column, order) == (self._sort_column, self._sort_order):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_positions = [int(self._shown[i.row()]) for i in persistent]
        self._sort_column, self._sort_order = column, order
        key = (column, order)
        if key not in self._orders:
            self._orders[key] = sorted_positions(self._rows, column, order, self._cells.masked)
        self._order = self._orders[key]
        self._shown = self._filtered()
        if persistent:
            new_rows = {int(p): r for r, p in enumerate(self._shown)}
            for index, position in zip(persistent, old_positions, strict=True):
                self.changePersistentIndex(index, self.index(new_rows[position], index.column()))
        self.layoutChanged.emit()

    def set_masked(self, masked: bool) -> None:
        """Blank (or show again) a sector or interest that says lived experience.

        Sorting follows what is shown; a filter by such a sector is dropped when
        they are hidden again.
        """
        if masked == self._cells.masked:
            return
        self.layoutAboutToBeChanged.emit()
        self._cells.masked = masked
        self._orders = {}
        if masked and (
            reveals_lived_experience(self._sector) or reveals_lived_experience(self._interest)
        ):
            self._sector = self._interest = None
        if self._sort_column in (ORGANISATION, SECTOR, INTERESTS, LIVED_EXPERIENCE):
            key = (self._sort_column, self._sort_order)
            self._orders[key] = sorted_positions(self._rows, *key, masked)
            self._order = self._orders[key]
        self._shown = self._filtered()
        self.layoutChanged.emit()
        self._emit_counts()

    @property
    def masked(self) -> bool:
        return self._cells.masked

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    # --- lookups ---------------------------------------------------------------------

    def row_at(self, view_row: int) -> PersonRow:
        return self._rows[self._shown[view_row]]

    def person_id(self, view_row: int) -> int:
        return self._rows[self._shown[view_row]].id

    def view_rows_of(self, person_ids: Iterable[int]) -> dict[int, int]:
        """The view row of each of ``person_ids`` that is shown, by id."""
        wanted = set(person_ids)
        if not wanted:
            return {}
        rows = self._rows
        positions = {p: r.id for p, r in enumerate(rows) if r.id in wanted}
        found: dict[int, int] = {}
        for view_row, position in enumerate(self._shown.tolist()):
            if position in positions:
                found[positions[position]] = view_row
                if len(found) == len(positions):
                    break
        return found

    @property
    def total_count(self) -> int:
        return len(self._rows)

    @property
    def shown_count(self) -> int:
        return len(self._shown)

    # --- Qt model interface -------------------------------------------------------------

    HEADERS = HEADERS

    def shown_rows(self) -> int:
        return len(self._shown)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row_number, column = index.row(), index.column()
        if not (0 <= row_number < len(self._shown)) or not (0 <= column < len(HEADERS)):
            return None
        return self._cells.data(self._rows[self._shown[row_number]], column, role)
