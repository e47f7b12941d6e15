"""Attendance: one roundtable's list of answers and who came, entered from the sign-in sheet."""

from roundtable_app.ui.attendance.window import AttendanceWindow, open_attendance

__all__ = ["AttendanceWindow", "open_attendance"]
