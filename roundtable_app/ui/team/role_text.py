"""How a window says which team role the app runs as (title and status bar)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from roundtable_app import APP_NAME
from roundtable_app.core.team import TeamRole

if TYPE_CHECKING:
    from roundtable_app.storage.unit_of_work import Database


def _login(db: Database) -> str:
    return db.engine.url.username or "this login"


def role_title(role: TeamRole, what: str = "") -> str:
    """``Roundtable — Check-in`` (the window's title), with ``what`` it shows."""
    return f"{APP_NAME} — {what or role.label}" + (f" ({role.label.lower()})" if what else "")


def role_line(db: Database, role: TeamRole) -> str:
    """``Check-in role (door1): check people in at today's roundtables · PostgreSQL …``."""
    url = db.engine.url
    where = f"PostgreSQL {url.database or ''} on {url.host or 'localhost'}"
    return f"{role.label} role ({_login(db)}): {role.offers} · {where}"
