"""The register's filters: series, theme, the days held, priority, sector, status and text.

Each choice is a combo whose first item means "any"; the dates are "Any"
until set. The bar says when its filters changed (typing is debounced by the
page) and keeps them as a short JSON text in the settings.
"""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.discussion import NeedStatus
from roundtable_app.core.model import Priority
from roundtable_app.services.register import FilterChoices, RegisterFilter
from roundtable_app.ui.common import filter_box

#: The earliest day a date box offers; on it, the box says "Any" and filters nothing.
NO_DAY = QDate(2000, 1, 1)


def _combo(first: str, tip: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(first, None)
    combo.setToolTip(tip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)
    return combo


def _date_box(prefix: str, tip: str) -> QDateEdit:
    box = QDateEdit()
    box.setCalendarPopup(True)
    box.setDisplayFormat("d MMM yyyy")
    box.setMinimumDate(NO_DAY)
    box.setSpecialValueText(f"{prefix} any day")
    box.setDate(NO_DAY)
    box.setToolTip(tip)
    return box


class FilterBar(QWidget):
    """Which needs the register lists.

    Signals:
        filters_changed(): a choice changed (the text too, at once: the page debounces).
    """

    filters_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = filter_box(QLineEdit())
        self.search.setPlaceholderText("Search the needs…")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Needs whose text contains this (Escape clears it)")
        self.series = _combo("All series", "Needs raised at roundtables of this series")
        self.theme = _combo("All themes", "Needs with this theme")
        self.sector = _combo(
            "All sectors",
            "Needs credited to this sector (a sector too small to stay anonymous at a "
            "roundtable is never credited there)",
        )
        self.priority = _combo("Any priority", "Needs of this priority")
        for priority in Priority:
            self.priority.addItem(priority.value.capitalize(), priority)
        self.status = _combo("Any status", "Where the centre's work on the need stands")
        for status in NeedStatus:
            self.status.addItem(status.label, status)
        self.date_from = _date_box("From", "Needs raised at roundtables held on or after this day")
        self.date_to = _date_box("To", "Needs raised at roundtables held on or before this day")
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.clicked.connect(self.clear)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 3)
        top.addWidget(self.status, 1)
        top.addWidget(self.priority, 1)
        self.top = top
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.series, 2)
        bottom.addWidget(self.theme, 2)
        bottom.addWidget(self.sector, 2)
        held = QLabel("Held")
        bottom.addWidget(held)
        bottom.addWidget(self.date_from, 1)
        bottom.addWidget(self.date_to, 1)
        bottom.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(bottom)

        self.search.textChanged.connect(self._changed)
        for combo in (self.series, self.theme, self.sector, self.priority, self.status):
            combo.currentIndexChanged.connect(self._changed)
        for box in (self.date_from, self.date_to):
            box.dateChanged.connect(self._changed)
        self._quiet = False
        self._update_clear()

    def _changed(self) -> None:
        self._update_clear()
        if not self._quiet:
            self.filters_changed.emit()

    def _update_clear(self) -> None:
        self.clear_button.setEnabled(not self.criteria().empty)

    # --- choices -------------------------------------------------------------------------

    def set_choices(self, choices: FilterChoices) -> None:
        """Offer the series, themes and sectors the needs have (keeping what is chosen)."""
        self._quiet = True
        try:
            for combo, names in (
                (self.series, choices.series),
                (self.theme, choices.themes),
                (self.sector, choices.sectors),
            ):
                chosen = combo.currentData()
                while combo.count() > 1:
                    combo.removeItem(1)
                for name in names:
                    combo.addItem(name, name)
                if chosen is not None and combo.findData(chosen) < 0:
                    combo.addItem(chosen, chosen)  # chosen before, no needs now: keep it
                combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
        finally:
            self._quiet = False

    # --- the filter ----------------------------------------------------------------------

    @staticmethod
    def _day(box: QDateEdit) -> dt.date | None:
        date = box.date()
        return None if date == NO_DAY else date.toPython()  # type: ignore[return-value]

    def criteria(self) -> RegisterFilter:
        return RegisterFilter(
            series=self.series.currentData(),
            theme=self.theme.currentData(),
            date_from=self._day(self.date_from),
            date_to=self._day(self.date_to),
            # Qt keeps an item's data as the enum's text: the enums are made again here.
            priority=Priority(p) if (p := self.priority.currentData()) else None,
            sector=self.sector.currentData(),
            status=NeedStatus(s) if (s := self.status.currentData()) else None,
            text=self.search.text(),
        )

    def clear(self) -> None:
        """Every filter back to "any" (one reload)."""
        self._quiet = True
        try:
            self.search.clear()
            for combo in (self.series, self.theme, self.sector, self.priority, self.status):
                combo.setCurrentIndex(0)
            for box in (self.date_from, self.date_to):
                box.setDate(NO_DAY)
        finally:
            self._quiet = False
        self._changed()

    # --- kept in the settings -------------------------------------------------------------

    def state(self) -> str:
        """The choices as JSON (not the search text: a search is for the moment)."""
        c = self.criteria()
        return json.dumps(
            {
                "series": c.series,
                "theme": c.theme,
                "sector": c.sector,
                "priority": c.priority.value if c.priority else None,
                "status": c.status.value if c.status else None,
                "from": c.date_from.isoformat() if c.date_from else None,
                "to": c.date_to.isoformat() if c.date_to else None,
            }
        )

    def restore(self, text: str) -> None:
        """Put back the filters :meth:`state` gave (a bad or old text is ignored)."""
        try:
            saved = json.loads(text) if text else {}
            if not isinstance(saved, dict):
                return
        except ValueError:
            return
        self._quiet = True
        try:
            named = ((self.series, "series"), (self.theme, "theme"), (self.sector, "sector"))
            for combo, name in named:
                value = saved.get(name)
                if isinstance(value, str) and value:
                    if combo.findData(value) < 0:
                        combo.addItem(value, value)
                    combo.setCurrentIndex(combo.findData(value))
            for combo, name, kind in (
                (self.priority, "priority", Priority),
                (self.status, "status", NeedStatus),
            ):
                value = saved.get(name)
                if value in {m.value for m in kind}:
                    combo.setCurrentIndex(combo.findData(value))
            for box, name in ((self.date_from, "from"), (self.date_to, "to")):
                value = saved.get(name)
                if isinstance(value, str):
                    try:
                        box.setDate(QDate(dt.date.fromisoformat(value)))
                    except ValueError:
                        pass
        finally:
            self._quiet = False
        self._update_clear()
