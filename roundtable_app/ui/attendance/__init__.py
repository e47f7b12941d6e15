"""Attendance on screen: a roundtable's list of answers and who came, entered from the
sign-in sheet, and the check-in screen at the door."""

from roundtable_app.ui.attendance.checkin_window import CheckInWindow, open_check_in
from roundtable_app.ui.attendance.window import AttendanceWindow, open_attendance

__all__ = ["AttendanceWindow", "CheckInWindow", "open_attendance", "open_check_in"]
