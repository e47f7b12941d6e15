"""What each cell of a table of people shows, and the first screen's small model.

Without numpy: the window shows the first screen of names with
:class:`FirstScreenModel` before the full :mod:`.people_model` (which sorts and
filters 100,000 rows with numpy) has even been imported; both show each cell
through :class:`PeopleCells`, so the two look the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QDate, QLocale, QObject, Qt

from roundtable_app.core.model import PersonRow
from roundtable_app.core.privacy import reveals_lived_experience, sheet_organisation
from roundtable_app.ui.common import LEFT, Index, ReadOnlyTableModel


class PeopleColumn(IntEnum):
    """The directory table's columns, in order (other tables of people reuse them)."""

    NAME = 0
    ORGANISATION = 1
    SECTOR = 2
    INTERESTS = 3
    EMAIL = 4
    LIVED_EXPERIENCE = 5
    LAST_ATTENDED = 6


NAME, ORGANISATION, SECTOR, INTERESTS, EMAIL, LIVED_EXPERIENCE, LAST_ATTENDED = map(
    int, PeopleColumn
)
HEADERS = (
    "Name",
    "Organisation",
    "Sector",
    "Interests",
    "E-mail",
    "Lived experience",
    "Last attended",
)
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role returning the person id of a row (the same for every column)."""

INTEREST_SEPARATOR = "; "  # how directory.list_rows joins a person's interests


def masked_sector(sector: str) -> str:
    """The sector as shown while sensitive details are hidden: blank if it says lived
    experience (blank like anyone without a sector, so that nothing singles them out)."""
    return "" if reveals_lived_experience(sector) else sector


def masked_organisation(row: PersonRow) -> str:
    """The organisation as shown while sensitive details are hidden: blank for someone
    with lived experience ("Survivors' Network" would say it), as on a sign-in sheet."""
    return sheet_organisation(row.organisation, row.lived_experience)


def masked_interests(interests: str) -> str:
    """The interests as shown while sensitive details are hidden: without any that say
    lived experience."""
    if not reveals_lived_experience(interests):
        return interests
    parts = interests.split(INTEREST_SEPARATOR)
    return INTEREST_SEPARATOR.join(p for p in parts if not reveals_lived_experience(p))


class PeopleCells:
    """The text, tooltip and alignment of a person's cells (dates in the user's locale).

    ``masked`` (sensitive details hidden, the default) blanks a sector or interest
    that says lived experience, and the organisation of someone with lived experience.
    """

    def __init__(self) -> None:
        self.masked = True
        self._locale = QLocale()
        # The "C" locale's short date ("3 04 2024") reads badly; use ISO there.
        self._date_format: str | QLocale.FormatType = (
            "yyyy-MM-dd"
            if self._locale.language() == QLocale.Language.C
            else QLocale.FormatType.ShortFormat
        )
        self._date_cache: dict[dt.datetime, str] = {}

    def text(self, row: PersonRow, column: int) -> str:
        if column == NAME:
            return row.full_name
        if column == ORGANISATION:
            return masked_organisation(row) if self.masked else row.organisation
        if column == SECTOR:
            return masked_sector(row.sector) if self.masked else row.sector
        if column == INTERESTS:
            return masked_interests(row.interests) if self.masked else row.interests
        if column == EMAIL:
            return row.email
        if column == LIVED_EXPERIENCE:
            return "Yes" if row.lived_experience else ""
        return self.date_text(row.last_attended)

    def date_text(self, when: dt.datetime | None) -> str:
        if when is None:
            return ""
        text = self._date_cache.get(when)
        if text is None:
            local = when.astimezone() if when.tzinfo else when
            day = local.date()
            text = self._locale.toString(QDate(day.year, day.month, day.day), self._date_format)
            self._date_cache[when] = text
        return text

    def data(self, row: PersonRow, column: int, role: int) -> Any:
        """What ``QAbstractItemModel.data`` answers for this cell and role."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            interests = self.text(row, INTERESTS)
            if column == INTERESTS and interests:
                return "\n".join(interests.split(INTEREST_SEPARATOR))
            if column in (NAME, ORGANISATION, EMAIL):
                return self.text(row, column) or None
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT
        if role == PERSON_ID_ROLE:
            return row.id
        return None


class FirstScreenModel(ReadOnlyTableModel):
    """A screenful of people in the order given, shown while the directory loads."""

    HEADERS = HEADERS

    def __init__(self, rows: Sequence[PersonRow], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = list(rows)
        self._cells = PeopleCells()

    @property
    def rows(self) -> list[PersonRow]:
        return list(self._rows)

    def shown_rows(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        return self._cells.data(self._rows[cell[0]], cell[1], role)
