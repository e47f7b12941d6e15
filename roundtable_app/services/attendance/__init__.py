"""Attendance: who answered how, who came, walk-ins, and checking in at the door.

Every edit is checked against what the user saw and returns what undo needs;
functions take the caller's session and never commit.
"""

from roundtable_app.services.attendance.checkin import CheckIn, check_in, undo_check_in
from roundtable_app.services.attendance.edits import (
    AttendanceChange,
    ResponseChange,
    WalkIn,
    accepted_attended,
    add_walk_in,
    apply_response,
    mark,
    record_response,
    remove_walk_in,
    seat,
    set_attendance,
)
from roundtable_app.services.attendance.records import (
    Arrivals,
    AttendanceRow,
    arrival_counts,
    attendance_rows,
    has_started,
    held_without_attendance,
)

__all__ = [
    "Arrivals",
    "AttendanceChange",
    "AttendanceRow",
    "CheckIn",
    "ResponseChange",
    "WalkIn",
    "accepted_attended",
    "add_walk_in",
    "apply_response",
    "arrival_counts",
    "attendance_rows",
    "check_in",
    "has_started",
    "held_without_attendance",
    "mark",
    "record_response",
    "remove_walk_in",
    "seat",
    "set_attendance",
    "undo_check_in",
]
