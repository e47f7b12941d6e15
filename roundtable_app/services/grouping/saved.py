"""Small read helpers for the grouping page (no writes)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roundtable_app.storage.models.audit import AuditEntry


def saved_plan_at(session: Session, roundtable_id: int) -> dt.datetime | None:
    """When the roundtable's table plan was last saved (UTC), from the audit log."""
    return session.scalar(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.entity == "roundtable",
            AuditEntry.entity_id == roundtable_id,
            AuditEntry.action == "seated",
        )
    )
