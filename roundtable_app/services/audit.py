"""Writing the audit trail: who changed which kind of record, and when.

Entries name fields or counts, never values, so they hold no personal data.

Who: the staff member's name, set once per process by the front end
(:func:`set_staff_name`: the window from its settings, the command line from
``ROUNDTABLE_STAFF_NAME``); without one, the login name.
"""

from __future__ import annotations

import getpass

from sqlalchemy.orm import Session

from roundtable_app.storage.models import AuditEntry

#: Longest name the audit keeps (the column's width).
MAX_NAME = 200

_staff_name = ""


def login_name() -> str:
    """The operating-system user name, or "" where there is none."""
    try:
        return getpass.getuser()
    except Exception:  # no login name (some services, containers): still audit
        return ""


def set_staff_name(name: str) -> None:
    """Name the member of staff whose changes this process records ("" : the login name)."""
    global _staff_name
    _staff_name = " ".join(name.split())[:MAX_NAME]


def current_actor() -> str:
    """Who the next audit entries name: the staff name set, else the login name."""
    return _staff_name or login_name()


def record(
    session: Session, entity: str, entity_id: int | None, action: str, detail: str = ""
) -> None:
    """Add one audit entry to the caller's transaction."""
    session.add(
        AuditEntry(
            actor=current_actor(), entity=entity, entity_id=entity_id, action=action, detail=detail
        )
    )
