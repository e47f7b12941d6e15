"""Team roles the database enforces (PostgreSQL): setting them up, and who is which.

:mod:`.grants` creates the three group roles with their grants and views;
:mod:`.membership` tells which one a connection's user has, puts that role's
views first on each new connection's search path, and adds members.
"""

from roundtable_app.storage.roles.grants import (
    CHECKIN_WINDOW,
    SENSITIVE_PERSON_COLUMNS,
    SetupResult,
    setup_roles,
)
from roundtable_app.storage.roles.membership import add_member, connection_role, on_connect
from roundtable_app.storage.roles.upgrades import after_upgrade, before_upgrade, team_prefixes

__all__ = [
    "CHECKIN_WINDOW",
    "SENSITIVE_PERSON_COLUMNS",
    "SetupResult",
    "add_member",
    "after_upgrade",
    "before_upgrade",
    "connection_role",
    "on_connect",
    "setup_roles",
    "team_prefixes",
]
