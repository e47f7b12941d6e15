"""Upgrading a database whose team roles are set up: their views out of the way, then back.

The check-in and read-only views name the tables' columns, so PostgreSQL
refuses a migration that drops or changes one of them, and a column a
migration adds would be missing from them. Around an upgrade (run by the
tables' owner) the views of this schema's roles are dropped first and made
again, with the grants, once the tables are as the new version wants them.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from roundtable_app.core.team import TeamRole, group_role_name
from roundtable_app.storage.roles.grants import COMMENT_PREFIX, Quote, grant_all

_STAFF_SUFFIX = f"_{TeamRole.STAFF.value}"

#: The staff roles set up for this database's current schema (one per prefix).
_STAFF_ROLES = f"""
SELECT r.rolname FROM pg_catalog.pg_roles r
JOIN pg_catalog.pg_shdescription d
  ON d.objoid = r.oid AND d.classoid = 'pg_catalog.pg_authid'::regclass
WHERE d.description = '{COMMENT_PREFIX} {TeamRole.STAFF.value}; database: '
  || current_database() || '; schema: ' || current_schema()
"""


def team_prefixes(conn: Connection) -> list[str]:
    """The prefixes of the team roles set up on the connection's schema (usually one)."""
    names = conn.execute(text(_STAFF_ROLES)).scalars()
    return sorted(name.removesuffix(_STAFF_SUFFIX) for name in names)


def before_upgrade(conn: Connection) -> list[str]:
    """Drop this schema's team views (in ``conn``'s transaction); the prefixes to restore."""
    prefixes = team_prefixes(conn)
    quote = Quote(conn)
    for prefix in prefixes:
        for role in (TeamRole.CHECKIN, TeamRole.READONLY):
            conn.exec_driver_sql(
                f"DROP SCHEMA IF EXISTS {quote(group_role_name(prefix, role))} CASCADE"
            )
    return prefixes


def after_upgrade(conn: Connection, prefixes: list[str]) -> None:
    """Make the views and grants of :func:`before_upgrade`'s prefixes again."""
    for prefix in prefixes:
        grant_all(conn, prefix)
