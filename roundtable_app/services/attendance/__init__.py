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
    move_seat,
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
    listed_by_email,
    roundtable_started,
    table_numbers,
)
from roundtable_app.services.attendance.walk_ins import (
    Candidate,
    NewWalkIn,
    add_new_walk_in,
    add_walk_in_by_email,
    redo_new_walk_in,
    remove_new_walk_in,
    walk_in_candidates,
)

__all__ = [
    "Arrivals",
    "Candidate",
    "AttendanceChange",
    "AttendanceRow",
    "CheckIn",
    "NewWalkIn",
    "ResponseChange",
    "WalkIn",
    "accepted_attended",
    "add_new_walk_in",
    "add_walk_in",
    "add_walk_in_by_email",
    "apply_response",
    "arrival_counts",
    "attendance_rows",
    "check_in",
    "has_started",
    "held_without_attendance",
    "listed_by_email",
    "mark",
    "move_seat",
    "record_response",
    "redo_new_walk_in",
    "remove_new_walk_in",
    "remove_walk_in",
    "roundtable_started",
    "seat",
    "set_attendance",
    "table_numbers",
    "undo_check_in",
    "walk_in_candidates",
]
