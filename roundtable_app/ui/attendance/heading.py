"""What the attendance window shows above and below its list: the roundtable, a find box,
the "not begun yet" notice, and the counts."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from roundtable_app.core.model import Attendance, Response
from roundtable_app.services import attendance, roundtables
from roundtable_app.ui.attendance.list_model import ATTENDANCE_LABELS
from roundtable_app.ui.common import ElidedLabel, filter_box

STYLE = """
QLabel#attendanceTitle { font-size: 13pt; font-weight: 600; color: #2b3a46; }
QLabel#attendanceWhen { color: #46525c; }
QLabel#notStarted { background: #fff6e0; border: 1px solid #ecd9a6; border-radius: 4px;
    padding: 6px 10px; color: #5c4500; }
"""


def when_text(info: roundtables.RoundtableInfo) -> str:
    """ "Mon 2 Mar 2026, 10:00 GMT · Hull Guildhall · Held"."""
    start = info.data.starts_at
    if start is None:
        parts = ["Date not set"]
    else:
        local = start.astimezone(ZoneInfo(info.data.time_zone))
        parts = [f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"]
    if info.data.venue:
        parts.append(info.data.venue)
    parts.append(info.status.value.capitalize())
    return " · ".join(parts)


def counts_text(rows: Sequence[attendance.AttendanceRow], started: bool) -> str:
    """ "31 on the list · 20 attended · 3 no-show · 2 sent apologies · 6 not recorded"."""
    parts = [f"{len(rows)} on the list"]
    if started:
        for value in (
            Attendance.ATTENDED,
            Attendance.NO_SHOW,
            Attendance.APOLOGIES,
            Attendance.UNKNOWN,
        ):
            count = sum(r.attendance == value for r in rows)
            if count:
                parts.append(f"{count} {ATTENDANCE_LABELS[value].lower()}")
    else:
        accepted = sum(r.response == Response.ACCEPTED for r in rows)
        parts.append(f"{accepted} accepted")
    walk_ins = sum(r.walk_in for r in rows)
    if walk_ins:
        parts.append(f"{walk_ins} walk-in{'s' if walk_ins != 1 else ''}")
    return " · ".join(parts)


def find_row(rows: Sequence[attendance.AttendanceRow], text: str) -> int | None:
    """The first row with a name word beginning with ``text``; else one containing it
    in the name or organisation (any case); None if nobody matches."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    for number, row in enumerate(rows):
        if any(word.startswith(wanted) for word in row.name.casefold().split()):
            return number
    for number, row in enumerate(rows):
        if wanted in row.name.casefold() or wanted in row.organisation.casefold():
            return number
    return None


class Heading(QWidget):
    """The roundtable's title and date, the find box, and a notice before it begins."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        # Elided: a long title or venue must not widen the window.
        self.title_label = ElidedLabel()
        self.title_label.setObjectName("attendanceTitle")
        self.when_label = ElidedLabel()
        self.when_label.setObjectName("attendanceWhen")
        self.find_edit = QLineEdit(placeholderText="Find a name (Ctrl+F)")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setMinimumWidth(220)
        filter_box(self.find_edit)  # Escape clears it before it closes the window
        self.not_started = QLabel()
        self.not_started.setObjectName("notStarted")
        self.not_started.setWordWrap(True)
        self.not_started.hide()
        labels = QVBoxLayout()
        labels.setSpacing(2)
        labels.addWidget(self.title_label)
        labels.addWidget(self.when_label)
        top = QHBoxLayout()
        top.addLayout(labels, 1)
        top.addWidget(self.find_edit, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.not_started)

    def show_roundtable(self, info: roundtables.RoundtableInfo, started: bool) -> None:
        self.title_label.setText(info.data.title)
        self.when_label.setText(when_text(info))
        if not started:
            self.not_started.setText(
                f"“{info.data.title}” has not begun yet. Record answers given by phone or "
                "e-mail now; attendance and walk-ins once it has begun."
            )
        self.not_started.setVisible(not started)
