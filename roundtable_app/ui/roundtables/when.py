"""The editor's "When" group: date (or not fixed yet), start, duration and IANA time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import ValidationError
from roundtable_app.services import roundtables as rts
from roundtable_app.ui.common import editable_combo, error_label, time_zones
from roundtable_app.ui.roundtables.date_field import DateField

DEFAULT_START = dt.time(10, 0)
DEFAULT_DURATION = dt.timedelta(hours=2)


def default_day() -> dt.date:
    """Two weeks ahead, moved off the weekend."""
    day = dt.date.today() + dt.timedelta(days=14)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def with_error(field: QWidget, error: QLabel) -> QWidget:
    """``field`` with its inline error message below it."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(field)
    column.addWidget(error)
    return box


class WhenFields(QGroupBox):
    """Date, start, duration and zone; :meth:`times` turns them into UTC datetimes.

    Signals:
        slot_changed(): any of the fields changed.
    """

    slot_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("When", parent)
        self.undated_check = QCheckBox("Date not fixed yet")
        self.date_edit = DateField()
        self.date_error = error_label()
        self.start_edit = QTimeEdit()
        self.start_edit.setDisplayFormat("HH:mm")
        self.duration_edit = QTimeEdit()
        self.duration_edit.setDisplayFormat("H 'h' mm 'min'")
        self.duration_edit.setMinimumTime(QTime(0, 15))
        self.zone_combo = editable_combo(time_zones(), "e.g. Europe/London")
        self.zone_error = error_label()
        self.start_error = error_label()
        time_row = QHBoxLayout()
        time_row.setSpacing(6)
        time_row.addWidget(self.start_edit)
        time_row.addWidget(QLabel("for"))
        time_row.addWidget(self.duration_edit)
        time_row.addStretch(1)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        date_label = QLabel("&Date:")
        date_label.setBuddy(self.date_edit.line)
        form.addRow(date_label, with_error(self.date_edit, self.date_error))
        form.addRow("", self.undated_check)
        starts_label = QLabel("&Starts at:")
        starts_label.setBuddy(self.start_edit)
        form.addRow(starts_label, time_row)
        form.addRow("", self.start_error)
        form.addRow("Time &zone:", with_error(self.zone_combo, self.zone_error))
        self.date_edit.problem_changed.connect(self._show_date_problem)
        for signal in (
            self.date_edit.date_changed,
            self.date_edit.problem_changed,
            self.start_edit.timeChanged,
            self.duration_edit.timeChanged,
            self.zone_combo.editTextChanged,
            self.undated_check.toggled,
        ):
            signal.connect(self.slot_changed)
        self.undated_check.toggled.connect(self._update_enabled)

    @property
    def zone(self) -> str:
        return self.zone_combo.currentText().strip()

    def set_times(self, data: rts.RoundtableData) -> None:
        """Show ``data``'s times (or a default slot, "not fixed yet", when it has none)."""
        day, start, duration = default_day(), DEFAULT_START, DEFAULT_DURATION
        dated = data.starts_at is not None and data.ends_at is not None
        if data.starts_at is not None and data.ends_at is not None:
            local = data.starts_at.astimezone(ZoneInfo(data.time_zone))
            day, start = local.date(), local.time()
            duration = data.ends_at - data.starts_at
        self.undated_check.setChecked(not dated)
        self.date_edit.set_date(QDate(day.year, day.month, day.day))
        self.start_edit.setTime(QTime(start.hour, start.minute))
        minutes = int(duration.total_seconds() // 60)
        self.duration_edit.setTime(QTime(min(minutes // 60, 23), minutes % 60))
        self.zone_combo.setEditText(data.time_zone)
        self._update_enabled()

    def times(self) -> tuple[dt.datetime, dt.datetime] | None:
        """(starts_at, ends_at) in UTC, None when undated; raises ValidationError."""
        if self.undated_check.isChecked():
            return None
        if self.date_edit.problem():
            raise ValidationError(self.date_edit.problem(), field="date")
        date, time = self.date_edit.date(), self.start_edit.time()
        day = dt.date(date.year(), date.month(), date.day())
        start = dt.time(time.hour(), time.minute())
        length = self.duration_edit.time()
        duration = dt.timedelta(hours=length.hour(), minutes=length.minute())
        return rts.local_times(day, start, duration, self.zone)

    def zone_problem(self) -> str:
        """The zone field's error message, or ""."""
        zone = self.zone
        return "" if zone in time_zones() else f"'{zone}' is not a time zone, such as Europe/London"

    def date_problem(self) -> str:
        """Why the typed date is impossible, or "" (also "" when the date is not fixed)."""
        return "" if self.undated_check.isChecked() else self.date_edit.problem()

    def _show_date_problem(self) -> None:
        problem = self.date_problem()
        self.date_error.setText(problem)
        self.date_error.setVisible(bool(problem))

    def _update_enabled(self) -> None:
        dated = not self.undated_check.isChecked()
        for edit in (self.date_edit, self.start_edit, self.duration_edit):
            edit.setEnabled(dated)
        self._show_date_problem()
