"""Held roundtables whose attendance is not recorded yet: the page's flag and its question.

Marking a roundtable held asks for its attendance straight away ("Record
attendance now?"); a held roundtable with nobody's attendance recorded shows
a marker in the list (the Status column) and a flag in the panel, whose
button opens the attendance window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from roundtable_app.core.errors import RoundtableError
from roundtable_app.services import attendance
from roundtable_app.ui import messages
from roundtable_app.ui.context import AppContext

FLAG_COLOUR = "#b06d00"
FLAG_TOOLTIP = "Held, and nobody's attendance is recorded yet: open Attendance… to record it."
STYLE = f"""
QFrame#attendanceFlag {{ background: #fff6e0; border: 1px solid #ecd9a6; border-radius: 4px; }}
QFrame#attendanceFlag QLabel {{ color: #5c4500; }}
QLabel#attendanceFlagDot {{ color: {FLAG_COLOUR}; }}
"""


def flag_icon() -> QIcon:
    """A small amber dot: the list's marker for a held roundtable without attendance."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(FLAG_COLOUR))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


class AttendanceFlag(QFrame):
    """The panel's flag: held, no attendance yet, and a button to record it.

    Signals:
        record_requested(): the user asked to record the attendance.
    """

    record_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attendanceFlag")
        self.setStyleSheet(STYLE)
        dot = QLabel("●")
        dot.setObjectName("attendanceFlagDot")
        self.label = QLabel("Held, and nobody's attendance is recorded yet.")
        self.button = QPushButton("Record attendance…")
        self.button.clicked.connect(self.record_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(dot)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.hide()


def needs_attendance(ctx: AppContext, roundtable_id: int) -> bool:
    """Whether ``roundtable_id`` is held with nobody's attendance recorded."""
    try:
        with ctx.db.reading() as session:
            return roundtable_id in attendance.held_without_attendance(session)
    except RoundtableError:
        return False


def ask_for_attendance(ctx: AppContext, parent: QWidget, roundtable_id: int, title: str) -> bool:
    """After "Mark held": offer to record the attendance now; True if the user wants to.

    Not asked when there is nobody to record, or attendance is recorded already
    (checked in at the door, say).
    """
    if not needs_attendance(ctx, roundtable_id):
        return False
    return messages.confirm(
        parent,
        "Record attendance",
        f"'{title}' is marked held. Record who came now? You can also do it later: "
        "the roundtable is flagged until its attendance is recorded.",
        "Record attendance",
        cancel="Later",
    )
