"""Team mode on PostgreSQL: the roles the database enforces, and the current user's role.

Run by whoever administers the server (:func:`set_up`, :func:`add_member`);
the app asks :func:`current_role` on opening, and offers only what that role
may do.
"""

from roundtable_app.services.team.roles import (
    SetupReport,
    add_member,
    current_role,
    default_prefix,
    set_up,
)

__all__ = ["SetupReport", "add_member", "current_role", "default_prefix", "set_up"]
