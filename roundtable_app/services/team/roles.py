"""Setting up the team's roles on a PostgreSQL server, adding members, and asking who we are.

The grants themselves are the storage's (:mod:`roundtable_app.storage.roles`);
here they are run for a database address, with messages for what goes wrong:
SQLite (no roles there), a login that may not create roles or does not own the
tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import make_url
from sqlalchemy.exc import DBAPIError

from roundtable_app.core.errors import RoundtableError, ValidationError
from roundtable_app.core.team import TeamRole
from roundtable_app.storage import roles
from roundtable_app.storage.engine import normalise_url, sqlite_path
from roundtable_app.storage.unit_of_work import Database, open_database

PREFIX = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")
_INSUFFICIENT_PRIVILEGE = "42501"


@dataclass(frozen=True)
class SetupReport:
    """What the setup did: the three group roles, which were new, and where the data is."""

    roles: dict[TeamRole, str]
    created: tuple[str, ...]
    schema: str


def _require_postgres(url: str) -> str:
    url = normalise_url(url)
    if make_url(url).get_backend_name() != "postgresql":
        where = sqlite_path(url) or "this database"
        raise RoundtableError(
            f"Team roles need PostgreSQL: {where} is a SQLite file, which has no logins or "
            "roles. Give a postgresql://… address (--database)."
        )
    return url


def default_prefix(url: str) -> str:
    """The roles' prefix when none is given: the database's name, as a plain identifier."""
    name = make_url(normalise_url(url)).database or "roundtable"
    return re.sub(r"[^a-z0-9_]", "_", name.lower())[:40] or "roundtable"


def _check_prefix(prefix: str) -> str:
    if not PREFIX.match(prefix):
        raise ValidationError(
            f"“{prefix}” cannot start a role name: use lower-case letters, digits and _, "
            "starting with a letter (at most 40).",
            "prefix",
        )
    return prefix


def _privilege_error(exc: DBAPIError, db: Database, doing: str) -> RoundtableError:
    code = getattr(exc.orig, "sqlstate", None)
    user = db.engine.url.username or "this login"
    if code == _INSUFFICIENT_PRIVILEGE:
        return RoundtableError(
            f"{user} may not {doing}: run this as the owner of the database's tables, with "
            f"the right to create roles (as a superuser: ALTER ROLE {user} CREATEROLE)."
        )
    first = (str(exc.orig).strip().splitlines() or ["unknown error"])[0].rstrip(". ")
    return RoundtableError(f"Could not {doing}: {first}.")


def set_up(url: str, prefix: str | None = None) -> SetupReport:
    """Create (or bring up to date) the staff, check-in and read-only roles of ``url``.

    Idempotent: running it again (after an upgrade, say) gives the same grants.
    """
    url = _require_postgres(url)
    prefix = _check_prefix(prefix or default_prefix(url))
    db = open_database(url)
    try:
        with db.engine.begin() as conn:
            if roles.connection_role(conn) is not None:
                raise RoundtableError(
                    "This login is a team member, not the owner of the database: run the "
                    "setup as the owner (the login that created the tables)."
                )
            result = roles.setup_roles(conn, prefix)
    except DBAPIError as exc:
        raise _privilege_error(exc, db, "create the team's roles") from exc
    finally:
        db.close()
    return SetupReport(result.roles, result.created, result.schema)


def add_member(url: str, login: str, role: TeamRole, password: str, prefix: str | None) -> bool:
    """Create the login ``login`` with ``password`` as a member of ``role``; True if new."""
    url = _require_postgres(url)
    prefix = _check_prefix(prefix or default_prefix(url))
    db = open_database(url, create=False)
    try:
        with db.engine.begin() as conn:
            return roles.add_member(conn, login, role, password, prefix)
    except DBAPIError as exc:
        raise _privilege_error(exc, db, "add a team member") from exc
    finally:
        db.close()


def current_role(db: Database) -> TeamRole | None:
    """The role the app runs as on ``db`` (None: everything; always so on SQLite)."""
    if db.dialect != "postgresql":
        return None
    with db.engine.connect() as conn:
        found = roles.connection_role(conn)
    return found[0] if found is not None else None
