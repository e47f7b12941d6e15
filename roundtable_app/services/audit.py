"""Writing the audit trail: who changed which kind of record, and when.

Entries name fields or counts, never values, so they hold no personal data.
"""

from __future__ import annotations

import getpass

from sqlalchemy.orm import Session

from roundtable_app.storage.models import AuditEntry


def current_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some services, containers): still audit
        return ""


def record(
    session: Session, entity: str, entity_id: int | None, action: str, detail: str = ""
) -> None:
    """Add one audit entry to the caller's transaction."""
    session.add(
        AuditEntry(
            actor=current_actor(), entity=entity, entity_id=entity_id, action=action, detail=detail
        )
    )
