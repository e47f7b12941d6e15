"""The windows of a team member whose database role is not staff (issue 13, section 6).

A check-in login gets the check-in station (today's roundtables, then their
check-in screen) and nothing else; a read-only login gets the statistics
and the final summaries.
"""

from roundtable_app.ui.team.read_only import ReadOnlyWindow
from roundtable_app.ui.team.role_text import role_line, role_title
from roundtable_app.ui.team.station import CheckInStation

__all__ = ["CheckInStation", "ReadOnlyWindow", "role_line", "role_title"]
