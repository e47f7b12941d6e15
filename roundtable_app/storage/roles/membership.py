"""Which team role a connection's user has, its views first on the search path, new members.

A member logs in with their own PostgreSQL login, granted one of the group
roles :mod:`.grants` sets up. Each new connection asks the server which group
role (marked by its comment) the login belongs to; for check-in and read-only,
the role's schema of views goes first on the connection's search path, so that
the app's queries read the views, never the tables. The owner of the app's
tables and superusers have no team role: they may do everything, as before
team mode.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, text

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.team import ROLE_ORDER, TeamRole, group_role_name
from roundtable_app.storage.roles.grants import COMMENT_PREFIX

#: The group roles (ours, by their comment) the connection's user is a member of.
#: Empty for superusers and for the owner of the app's tables: they may do everything.
MEMBERSHIP_SQL = f"""
SELECT r.rolname, d.description, current_database()
FROM pg_catalog.pg_roles r
JOIN pg_catalog.pg_shdescription d
  ON d.objoid = r.oid AND d.classoid = 'pg_catalog.pg_authid'::regclass
WHERE starts_with(d.description, '{COMMENT_PREFIX}')
  AND pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')
  AND NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user)
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_class c
    WHERE c.oid = to_regclass('alembic_version')
      AND c.relowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)
  )
"""

_COMMENT = re.compile(re.escape(COMMENT_PREFIX) + r" (\w+); database: ([^;]*)(?:; schema: .*)?$")

#: A login name the setup accepts: letters, digits, and . _ - @ (quoted anyway).
LOGIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.@-]{0,62}$")


def role_from_rows(rows: list[tuple[Any, ...]]) -> tuple[TeamRole, str] | None:
    """The widest team role among ``MEMBERSHIP_SQL``'s rows, with its group role's name."""
    found: dict[TeamRole, str] = {}
    for rolname, description, database in rows:
        match = _COMMENT.match(description or "")
        if match is None or match.group(2) != database:
            continue
        try:
            found[TeamRole(match.group(1))] = rolname
        except ValueError:
            continue
    for role in ROLE_ORDER:
        if role in found:
            return role, found[role]
    return None


def connection_role(conn: Connection) -> tuple[TeamRole, str] | None:
    """The team role of ``conn``'s user (None: owner, superuser, or no roles set up)."""
    return role_from_rows([tuple(r) for r in conn.execute(text(MEMBERSHIP_SQL))])


def on_connect(dbapi_connection: Any, _record: Any) -> None:
    """Engine hook: put a check-in or read-only member's views first on the search path."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True  # a SET in a transaction rolled back would be undone
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(MEMBERSHIP_SQL)
            found = role_from_rows([tuple(r) for r in cursor.fetchall()])
            if found is not None and found[0] != TeamRole.STAFF:
                cursor.execute(
                    "SELECT set_config('search_path', "
                    "quote_ident(%s) || ', ' || current_setting('search_path'), false)",
                    (found[1],),
                )
        finally:
            cursor.close()
    finally:
        dbapi_connection.autocommit = autocommit


def _run(conn: Connection, statement: str) -> None:
    """Run a statement the server wrote (``format()``); a % in it is not a placeholder."""
    conn.exec_driver_sql(statement.replace("%", "%%"))


def _refuse_to_take_over(conn: Connection, login: str, prefix: str) -> None:
    """Refuse an existing role that must not become a member: a superuser, the role
    running this or owning the app's tables, one of the team's group roles, or a role
    that cannot log in (a group). Its password would be changed and its roles taken."""
    row = conn.execute(
        text(
            "SELECT r.rolsuper, r.rolcanlogin, r.rolname = current_user, "
            "EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relowner = r.oid "
            "AND c.relnamespace = to_regnamespace(current_schema())) "
            "FROM pg_catalog.pg_roles r WHERE r.rolname = :name"
        ),
        {"name": login},
    ).one()
    superuser, can_log_in, is_self, owns = row
    groups = {group_role_name(prefix, role) for role in TeamRole}
    if superuser or is_self or owns or login in groups or not can_log_in:
        why = (
            "a superuser"
            if superuser
            else "the role running this"
            if is_self
            else "the owner of the app's tables"
            if owns
            else "a group role, not a login"
        )
        raise ValidationError(
            f"“{login}” is {why}: a team member must be a login of their own. "
            "Choose another name; nothing was changed.",
            "login",
        )


def add_member(conn: Connection, login: str, role: TeamRole, password: str, prefix: str) -> bool:
    """Create the LOGIN role ``login`` (or update its password) and grant it ``role``.

    Returns whether the login was new. Its other team roles are taken away, so a
    member has exactly the one given.
    """
    if not LOGIN_NAME.match(login):
        raise ValidationError(
            f"“{login}” cannot be a login name: use letters, digits and . _ - @, "
            "starting with a letter.",
            "login",
        )
    if not password:
        raise ValidationError("The password is empty: give the new member a password.", "password")
    group = group_role_name(prefix, role)
    exists = conn.execute(
        text("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = :name"), {"name": group}
    ).first()
    if exists is None:
        raise ValidationError(
            f"There is no role {group}: run “roundtable-app team setup” first"
            + (f" (with --prefix {prefix})" if prefix else "")
            + ".",
            "role",
        )
    new = (
        conn.execute(
            text("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = :name"), {"name": login}
        ).first()
        is None
    )
    if not new:
        _refuse_to_take_over(conn, login, prefix)
    # format() quotes the name and the password on the server: nothing is pasted into SQL.
    verb = "CREATE" if new else "ALTER"
    statement = conn.execute(
        text(
            f"SELECT format('{verb} ROLE %I LOGIN PASSWORD %L', "
            "CAST(:login AS text), CAST(:password AS text))"
        ),
        {"login": login, "password": password},
    ).scalar_one()
    _run(conn, statement)
    for other in TeamRole:
        if other != role:
            name = group_role_name(prefix, other)
            revoke = conn.execute(
                text(
                    "SELECT format('REVOKE %I FROM %I', "
                    "CAST(:group AS text), CAST(:login AS text)) "
                    "WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m "
                    "JOIN pg_catalog.pg_roles g ON g.oid = m.roleid "
                    "JOIN pg_catalog.pg_roles u ON u.oid = m.member "
                    "WHERE g.rolname = :group AND u.rolname = :login)"
                ),
                {"group": name, "login": login},
            ).scalar()
            if revoke:
                _run(conn, revoke)
    grant = conn.execute(
        text("SELECT format('GRANT %I TO %I', CAST(:group AS text), CAST(:login AS text))"),
        {"group": group, "login": login},
    ).scalar_one()
    _run(conn, grant)
    return new
