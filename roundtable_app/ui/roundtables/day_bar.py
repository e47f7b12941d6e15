"""The Roundtables panel's row for the roundtable's day and after.

Check-in at the door, attendance, discussion notes, the sign-in sheet and the
summary, in the order they come: each button enabled (with a tooltip saying why
not) for the roundtable shown, and the windows and previews they open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from roundtable_app.core.model import RoundtableStatus
from roundtable_app.services import attendance
from roundtable_app.services.roundtables import RoundtableRow
from roundtable_app.ui.context import AppContext


def started(row: RoundtableRow | None) -> bool:
    """True once the roundtable has begun (only then can it be marked held)."""
    if row is None or row.starts_at is None:
        return False
    return row.starts_at <= dt.datetime.now(dt.UTC)


class DayBar(QWidget):
    """Check-in…, Attendance…, Discussion notes…, Print sign-in sheet…, Print summary….

    ``current_id`` gives the roundtable the buttons act on; ``shortcuts_on`` is
    the widget whose keyboard shortcuts (Ctrl+P, Ctrl+Shift+D) they answer.
    """

    def __init__(
        self,
        ctx: AppContext,
        current_id: Callable[[], int | None],
        shortcuts_on: QWidget,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current_id = current_id
        self.check_in_button = QPushButton("Check-in…")
        self.attendance_button = QPushButton("Attendance…")
        self.notes_button = QPushButton("Discussion notes…")
        self.sheet_button = QPushButton("Print sign-in sheet…")
        self.summary_button = QPushButton("Print summary…")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for button in (
            self.check_in_button,
            self.attendance_button,
            self.notes_button,
            self.sheet_button,
            self.summary_button,
        ):
            layout.addWidget(button)
        layout.addStretch(1)

        self.sheet_action = QAction("&Print sign-in sheet…", shortcuts_on)
        self.sheet_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.sheet_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.sheet_action.triggered.connect(self.print_sign_in_sheet)
        shortcuts_on.addAction(self.sheet_action)
        self.summary_action = QAction("Print s&ummary…", shortcuts_on)
        self.summary_action.triggered.connect(self.print_summary)
        self.notes_action = QAction("&Discussion notes…", shortcuts_on)
        self.notes_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.notes_action.triggered.connect(self.open_notes)
        shortcuts_on.addAction(self.notes_action)

        self.check_in_button.clicked.connect(self.open_check_in)
        self.attendance_button.clicked.connect(self.open_attendance)
        self.notes_button.clicked.connect(self.open_notes)
        self.sheet_button.clicked.connect(self.print_sign_in_sheet)
        self.summary_button.clicked.connect(self.print_summary)

    def update_for(self, row: RoundtableRow | None) -> None:
        """Enable what can be done for ``row`` now, and say why the rest cannot."""
        closed = (
            attendance.door_closed(row.title, row.status, row.starts_at, row.ends_at, row.time_zone)
            if row is not None
            else ""
        )
        self.check_in_button.setEnabled(closed is None)
        self.check_in_button.setToolTip(
            closed or "Check people in at the door, on a screen of its own"
        )
        cancelled = row is not None and row.status == RoundtableStatus.CANCELLED
        self.attendance_button.setEnabled(row is not None and not cancelled)
        self.attendance_button.setToolTip(
            f"'{row.title}' is cancelled: there is no attendance to record."
            if row is not None and cancelled
            else "Who answered how, and who came: record attendance, answers given by "
            "phone or e-mail, and walk-ins"
        )
        has_notes = (
            row is not None
            and not cancelled
            and (row.status == RoundtableStatus.HELD or started(row))
        )
        self.notes_action.setEnabled(has_notes)
        self.notes_button.setEnabled(has_notes)
        self.notes_button.setToolTip(
            "Take notes of the discussion (Ctrl+Shift+D)"
            if has_notes
            else "Notes can be taken once the roundtable has started"
        )
        self.sheet_action.setEnabled(row is not None)
        # What was said: once it has taken place (marked held or not yet).
        held = row is not None and row.status in (RoundtableStatus.HELD, RoundtableStatus.SCHEDULED)
        held = held and started(row)
        self.summary_action.setEnabled(held)
        self.summary_button.setVisible(held)

    # --- what the buttons open ---------------------------------------------------------

    def open_check_in(self) -> None:
        """Open the roundtable's check-in screen (on its day)."""
        if (rid := self.current_id()) is not None:
            from roundtable_app.ui.attendance import open_check_in

            open_check_in(self.ctx, rid, self)

    def open_attendance(self) -> None:
        """Open the roundtable's attendance window (answers, who came, walk-ins)."""
        rid = self.current_id()
        if rid is None or not self.attendance_button.isEnabled():
            return
        from roundtable_app.ui.attendance import open_attendance

        open_attendance(self.ctx, rid, self)

    def open_notes(self) -> None:
        """Open the roundtable's Discussion window."""
        from roundtable_app.ui.discussion import open_discussion

        rid = self.current_id()
        if rid is not None and self.notes_action.isEnabled():
            open_discussion(self.ctx, rid, self)

    def print_sign_in_sheet(self) -> None:
        """Preview the roundtable's sign-in sheet, to print or save it."""
        from roundtable_app.ui.roundtables.sign_in_sheet import print_sign_in_sheet

        if (rid := self.current_id()) is not None:
            print_sign_in_sheet(self.ctx, rid, self)

    def print_summary(self) -> None:
        """Ask what to include, then preview the roundtable's summary."""
        from roundtable_app.ui.roundtables.summary import print_summary

        if (rid := self.current_id()) is not None:
            print_summary(self.ctx, rid, self)
