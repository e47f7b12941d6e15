"""An audit trail of changes: who changed what kind of record, and when.

It names fields, never their values, so erasing a person leaves nothing
personal behind here.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from roundtable_app.storage.base import Base, UTCDateTime, intpk, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_entity", "entity", "entity_id"),)

    id: Mapped[intpk]
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    #: The operating-system user name of the staff member.
    actor: Mapped[str] = mapped_column(String(200), default="")
    #: "person", "roundtable", ...
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    #: "created", "updated", "deleted", "imported", "erased", ...
    action: Mapped[str] = mapped_column(String(50))
    #: Names of the fields changed, or a count ("312 people"), never values.
    detail: Mapped[str] = mapped_column(Text, default="")
