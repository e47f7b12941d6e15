"""What the Statistics page counts: a series, a period, or one roundtable.

Three boxes and two dates: Series (all, or one), Period (all time, the last
12 months, this year, last year, or the dates typed), and Roundtable (all of
those, or one of them). Each change says so once with the new
:class:`~roundtable_app.services.statistics.Scope`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from roundtable_app.services.statistics import History, Scope, date_range, roundtable_choices

ALL_TIME, LAST_12, THIS_YEAR, LAST_YEAR, CUSTOM = (
    "all",
    "last-12-months",
    "this-year",
    "last-year",
    "custom",
)
PERIODS: tuple[tuple[str, str], ...] = (
    (ALL_TIME, "All time"),
    (LAST_12, "Last 12 months"),
    (THIS_YEAR, "This year"),
    (LAST_YEAR, "Last year"),
    (CUSTOM, "Dates chosen"),
)


def period_dates(period: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a preset period (None: all time or dates chosen)."""
    if period == LAST_12:
        start = today.replace(year=today.year - 1) + dt.timedelta(days=1)
        return start, today
    if period == THIS_YEAR:
        return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    if period == LAST_YEAR:
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    return None


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class ScopeBar(QWidget):
    """The Series, Period and Roundtable choosers.

    Signals:
        scope_changed(Scope): the user chose other roundtables to count.
    """

    scope_changed = Signal(object)

    def __init__(self, period: str = ALL_TIME, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: History | None = None
        self._roundtable_ids: list[int | None] = [None]
        self.today = dt.date.today()
        self.series_combo = QComboBox()
        self.series_combo.setObjectName("seriesCombo")
        self.series_combo.setToolTip("Count the roundtables of one series, or of all")
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("periodCombo")
        for key, label in PERIODS:
            self.period_combo.addItem(label, key)
        self.from_edit = QDateEdit()
        self.to_edit = QDateEdit()
        for edit, tip in ((self.from_edit, "First day"), (self.to_edit, "Last day")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setToolTip(f"{tip} of the period (choosing a day sets the period to these dates)")
            edit.dateChanged.connect(self._dates_edited)
        self.roundtable_combo = QComboBox()
        self.roundtable_combo.setObjectName("roundtableCombo")
        self.roundtable_combo.setToolTip("Count every roundtable chosen, or one of them")
        # Long titles must not widen the window: the box shows about 22 letters (its list
        # shows them whole).
        policy = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        for combo, letters in ((self.series_combo, 10), (self.roundtable_combo, 22)):
            combo.setSizeAdjustPolicy(policy)
            combo.setMinimumContentsLength(letters)
        self.roundtable_combo.view().setMinimumWidth(460)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for text, widget in (
            ("&Series", self.series_combo),
            ("&Period", self.period_combo),
            ("", self.from_edit),
            ("to", self.to_edit),
            ("Round&table", self.roundtable_combo),
        ):
            if text:
                caption = QLabel(text)
                caption.setBuddy(widget)
                layout.addWidget(caption)
            layout.addWidget(widget)
        layout.addStretch(1)
        # Dates typed are not kept between sessions: a period of dates chosen reopens as
        # all time (the date boxes would otherwise count an empty 1 Jan 2000).
        index = self.period_combo.findData(ALL_TIME if period == CUSTOM else period)
        self.period_combo.setCurrentIndex(max(index, 0))
        self.series_combo.currentIndexChanged.connect(self._series_or_period_chosen)
        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        self.roundtable_combo.currentIndexChanged.connect(lambda _i: self._emit())
        self.setEnabled(False)  # until there is a history to choose from

    # --- filling -------------------------------------------------------------------

    def set_history(self, history: History) -> None:
        """Offer the series and roundtables of ``history``, keeping the choices made."""
        self.history = history
        chosen_series = self.series_combo.currentData()
        with QSignalBlocker(self.series_combo):
            self.series_combo.clear()
            self.series_combo.addItem("All series", None)
            for sid, name in sorted(history.series_names.items(), key=lambda i: i[1].casefold()):
                self.series_combo.addItem(name, sid)
            self.series_combo.setCurrentIndex(max(self.series_combo.findData(chosen_series), 0))
        self._show_period_dates()
        self._fill_roundtables()
        self.setEnabled(True)

    def _show_period_dates(self) -> None:
        period = self.period_combo.currentData()
        dates = period_dates(period, self.today)
        if dates is None and period == ALL_TIME and self.history is not None:
            dates = date_range(self.history)
        if dates is None:
            return
        with QSignalBlocker(self.from_edit), QSignalBlocker(self.to_edit):
            self.from_edit.setMaximumDate(QDate(9999, 12, 31))
            self.to_edit.setMinimumDate(QDate(1752, 9, 14))
            self.from_edit.setDate(_qdate(dates[0]))
            self.to_edit.setDate(_qdate(dates[1]))
            self._bound_dates()

    def _bound_dates(self) -> None:
        self.from_edit.setMaximumDate(self.to_edit.date())
        self.to_edit.setMinimumDate(self.from_edit.date())

    def _fill_roundtables(self) -> None:
        """The roundtables of the chosen series and period, latest first."""
        h = self.history
        if h is None:
            return
        chosen = self.chosen_roundtable()
        choices = roundtable_choices(h, self.base_scope())
        # The ids are kept beside the box: adding thousands of items one by one with their
        # data took a tenth of a second on the GUI thread at every change of period.
        self._roundtable_ids = [None, *(choice.id for choice in choices)]
        with QSignalBlocker(self.roundtable_combo):
            self.roundtable_combo.clear()
            self.roundtable_combo.addItems(
                [f"All {len(choices):,} roundtables", *(choice.label for choice in choices)]
            )
            self.roundtable_combo.setCurrentIndex(self._roundtable_index(chosen))

    def _roundtable_index(self, roundtable_id: int | None) -> int:
        """Where ``roundtable_id`` is in the Roundtable box (0, "All", if it is not)."""
        try:
            return self._roundtable_ids.index(roundtable_id)
        except ValueError:
            return 0

    def chosen_roundtable(self) -> int | None:
        """The roundtable chosen in the Roundtable box (None: all of those listed)."""
        index = self.roundtable_combo.currentIndex()
        return self._roundtable_ids[index] if 0 <= index < len(self._roundtable_ids) else None

    # --- choosing ------------------------------------------------------------------

    def _series_or_period_chosen(self, _index: int = 0) -> None:
        self._fill_roundtables()
        self._emit()

    def _period_chosen(self, _index: int) -> None:
        self._show_period_dates()
        self._series_or_period_chosen()

    def _dates_edited(self, _date: QDate) -> None:
        with QSignalBlocker(self.period_combo):
            self.period_combo.setCurrentIndex(self.period_combo.findData(CUSTOM))
        with QSignalBlocker(self.from_edit), QSignalBlocker(self.to_edit):
            self._bound_dates()
        self._series_or_period_chosen()

    def _emit(self) -> None:
        if self.history is not None:
            self.scope_changed.emit(self.scope())

    def choose_roundtable(self, roundtable_id: int | None) -> None:
        """Count only ``roundtable_id`` (None: all of those listed)."""
        if roundtable_id in self._roundtable_ids:
            self.roundtable_combo.setCurrentIndex(self._roundtable_index(roundtable_id))

    def choose(self, *, series_id: Any = None, period: str | None = None) -> None:
        """Choose a series and a period, as a user would in the boxes."""
        if period is not None:
            self.period_combo.setCurrentIndex(self.period_combo.findData(period))
        self.series_combo.setCurrentIndex(max(self.series_combo.findData(series_id), 0))

    # --- reading -------------------------------------------------------------------

    @property
    def period(self) -> str:
        return str(self.period_combo.currentData())

    def base_scope(self) -> Scope:
        """The series and period chosen, without the roundtable."""
        series = self.series_combo.currentData()
        if self.period == ALL_TIME:
            return Scope(series_id=series)
        return Scope(
            series_id=series,
            start=_date(self.from_edit.date()),
            end=_date(self.to_edit.date()),
        )

    def scope(self) -> Scope:
        """What to count now."""
        roundtable = self.chosen_roundtable()
        if roundtable is not None:
            return Scope(roundtable_id=roundtable)
        return self.base_scope()
