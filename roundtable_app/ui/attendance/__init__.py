"""Attendance on screen: the check-in screen at the door."""

from roundtable_app.ui.attendance.checkin_window import CheckInWindow, open_check_in

__all__ = ["CheckInWindow", "open_check_in"]
