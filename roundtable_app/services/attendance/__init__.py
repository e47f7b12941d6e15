"""Attendance: who answered how, who came, walk-ins, and checking in at the door.

Every edit is checked against what the user saw and returns what undo needs;
functions take the caller's session and never commit.
"""

from roundtable_app.services.attendance.checkin import CheckIn, check_in, undo_check_in
from roundtable_app.services.attendance.door import (
    Candidate,
    Door,
    DoorList,
    DoorWalkIn,
    check_in_new_person,
    check_in_walk_in,
    counts_text,
    door,
    door_closed,
    find_candidates,
    redo_walk_in,
    undo_walk_in,
    walk_in_candidates,
)
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
    can_check_in,
    has_started,
    held_without_attendance,
)

__all__ = [
    "Arrivals",
    "AttendanceChange",
    "AttendanceRow",
    "Candidate",
    "CheckIn",
    "Door",
    "DoorList",
    "DoorWalkIn",
    "ResponseChange",
    "WalkIn",
    "accepted_attended",
    "add_walk_in",
    "apply_response",
    "arrival_counts",
    "attendance_rows",
    "can_check_in",
    "check_in",
    "check_in_new_person",
    "check_in_walk_in",
    "counts_text",
    "door",
    "door_closed",
    "find_candidates",
    "has_started",
    "held_without_attendance",
    "mark",
    "record_response",
    "redo_walk_in",
    "remove_walk_in",
    "seat",
    "set_attendance",
    "undo_check_in",
    "undo_walk_in",
    "walk_in_candidates",
]
