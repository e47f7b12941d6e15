"""The Calendar page: month and week views, drag to reschedule with undo."""

from roundtable_app.ui.calendar.page import CalendarPage

__all__ = ["CalendarPage"]
