"""The team roles a PostgreSQL database can enforce, and what each may do (issue 13, section 6).

Plain names shared by the storage (which creates the roles and their grants), the
services, the command line and the window (which offers only what the role may do).
"""

from __future__ import annotations

from enum import StrEnum


class TeamRole(StrEnum):
    """A member's group role. No role (the database's owner, or no roles set up): everything."""

    STAFF = "staff"
    CHECKIN = "checkin"
    READONLY = "readonly"

    @property
    def label(self) -> str:
        """How the window and the command line name the role."""
        return {"staff": "Staff", "checkin": "Check-in", "readonly": "Read-only"}[self.value]

    @property
    def offers(self) -> str:
        """One line: what a member with this role may do in the app."""
        return {
            "staff": "everything",
            "checkin": "check people in at today's roundtables",
            "readonly": "statistics and final summaries",
        }[self.value]


#: When several apply (a member of two group roles), the widest wins.
ROLE_ORDER = (TeamRole.STAFF, TeamRole.READONLY, TeamRole.CHECKIN)


def group_role_name(prefix: str, role: TeamRole) -> str:
    """The PostgreSQL group role of ``role`` for ``prefix`` ("roundtable_checkin")."""
    return f"{prefix}_{role.value}"
