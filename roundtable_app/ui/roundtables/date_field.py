"""A date field you can type into ("15/4/2027", "15 Apr 2027") or pick from a calendar.

``QDateEdit`` with a "Thu 15 Apr 2027" format ignored typing: the cursor starts
in the weekday section, which takes no digits. This field takes the date as
people type it (:func:`roundtable_app.core.dates.parse_date`), says at once
what is wrong with an impossible one ("February 2027 has 28 days"), and shows
the date in full once you leave it. Up/Down move a day, Page Up/Down a month,
Alt+Down or F4 opens the calendar.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.dates import EXAMPLE, format_date, parse_date
from roundtable_app.core.errors import ValidationError


def _py(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


def _qt(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class DateField(QWidget):
    """One date, typed or picked.

    Signals:
        date_changed(QDate): a new valid date was typed, picked or set.
        problem_changed(str): the typed text became impossible ("" once it is fine).
    """

    date_changed = Signal(QDate)
    problem_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._date = dt.date.today()
        self._problem = ""
        self.line = QLineEdit()
        self.line.setPlaceholderText(EXAMPLE)
        self.line.setToolTip(
            f"Type a date ({EXAMPLE}, or 'tomorrow'), or pick one with the button. "
            "Up/Down: a day earlier or later; Page Up/Down: a month."
        )
        self.line.installEventFilter(self)
        self.button = QToolButton()
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setToolTip("Pick the date from a calendar (Alt+Down)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.show_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)
        self.line.textEdited.connect(self._typed)
        self.line.editingFinished.connect(self._finished)
        self.popup = QWidget(self, Qt.WindowType.Popup)
        self.calendar = QCalendarWidget(self.popup)
        self.calendar.setGridVisible(False)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        box = QVBoxLayout(self.popup)
        box.setContentsMargins(1, 1, 1, 1)
        box.addWidget(self.calendar)
        self._show()

    # --- the value ---------------------------------------------------------------------

    def date(self) -> QDate:
        """The last valid date (typed, picked or set)."""
        return _qt(self._date)

    def set_date(self, date: QDate | dt.date) -> None:
        """Show ``date``; clears any problem with the typed text."""
        day = date if isinstance(date, dt.date) else _py(date)
        changed = day != self._date
        self._date = day
        self._set_problem("")
        self._show()
        if changed:
            self.date_changed.emit(self.date())

    def problem(self) -> str:
        """Why the typed text is not a date, or ""."""
        return self._problem

    def text(self) -> str:
        return self.line.text()

    # --- typing --------------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        try:
            day = parse_date(text)
        except ValidationError as exc:
            # While typing, only an impossible date counts: "15/4/2" is not finished yet.
            self._set_problem(str(exc) if _looks_complete(text) else "")
            return
        self._set_problem("")
        if day != self._date:
            self._date = day
            self.date_changed.emit(self.date())

    def _finished(self) -> None:
        """Leaving the field (or Enter): show the date in full, or say what is wrong."""
        text = self.line.text()
        try:
            day = parse_date(text)
        except ValidationError as exc:
            self._set_problem(str(exc))
            return
        self._set_problem("")
        if day != self._date:
            self._date = day
            self.date_changed.emit(self.date())
        self._show()

    def _show(self) -> None:
        self.line.setText(format_date(self._date))
        self.line.setCursorPosition(0)

    def _set_problem(self, text: str) -> None:
        if text != self._problem:
            self._problem = text
            self.problem_changed.emit(text)

    def _step(self, days: int = 0, months: int = 0) -> None:
        self.set_date(self.date().addDays(days).addMonths(months))
        self.line.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.line and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key, mods = event.key(), event.modifiers()
            alt = mods & Qt.KeyboardModifier.AltModifier
            if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
                self.show_calendar()
                return True
            steps = {
                Qt.Key.Key_Up: (1, 0),
                Qt.Key.Key_Down: (-1, 0),
                Qt.Key.Key_PageUp: (0, 1),
                Qt.Key.Key_PageDown: (0, -1),
            }
            if key in steps and not alt:
                self._step(*steps[Qt.Key(key)])
                return True
        return super().eventFilter(watched, event)

    # --- the calendar ----------------------------------------------------------------------

    def show_calendar(self) -> None:
        """Open the calendar below the field, on the current date."""
        if not self.isEnabled():
            return
        self.calendar.setSelectedDate(self.date())
        self.popup.adjustSize()
        self.popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self.popup.show()
        self.calendar.setFocus()

    def _picked(self, date: QDate) -> None:
        self.popup.hide()
        self.set_date(date)
        self.line.setFocus()


def _looks_complete(text: str) -> bool:
    """True when the user has typed what looks like a whole date (a day, month and year).

    "31/02/2027" is complete and impossible; "15/4/2" is still being typed.
    """
    parts = [p for p in text.replace("/", " ").replace(".", " ").replace("-", " ").split() if p]
    return len(parts) >= 3 and len(parts[-1]) in (2, 4) and parts[-1].isdigit()
