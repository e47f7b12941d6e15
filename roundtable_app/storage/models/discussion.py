"""What a discussion produced: evidence needs, shared challenges, actions.

Following the Chatham House Rule, nothing here points to a person: an
evidence need records the *sector* that raised it, never who.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from roundtable_app.storage.base import Base, created_at, intpk


class EvidenceNeed(Base):
    __tablename__ = "evidence_need"
    __table_args__ = (
        CheckConstraint("priority IN ('high', 'medium', 'low')", name="priority_known"),
        CheckConstraint("length(statement) > 0", name="statement_not_blank"),
    )

    id: Mapped[intpk]
    roundtable_id: Mapped[int] = mapped_column(
        ForeignKey("roundtable.id", ondelete="CASCADE"), index=True
    )
    table_id: Mapped[int | None] = mapped_column(
        ForeignKey("discussion_table.id", ondelete="SET NULL")
    )
    statement: Mapped[str] = mapped_column(Text)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    priority: Mapped[str] = mapped_column(String(8), default="medium")
    #: The kind of evidence wanted ("prevalence estimate", "evaluation", ...).
    evidence_kind: Mapped[str] = mapped_column(String(100), default="")
    raised_by_sector_id: Mapped[int | None] = mapped_column(
        ForeignKey("sector.id", ondelete="SET NULL")
    )
    created_at: Mapped[created_at]


class SharedChallenge(Base):
    __tablename__ = "shared_challenge"
    __table_args__ = (CheckConstraint("length(statement) > 0", name="statement_not_blank"),)

    id: Mapped[intpk]
    roundtable_id: Mapped[int] = mapped_column(
        ForeignKey("roundtable.id", ondelete="CASCADE"), index=True
    )
    table_id: Mapped[int | None] = mapped_column(
        ForeignKey("discussion_table.id", ondelete="SET NULL")
    )
    statement: Mapped[str] = mapped_column(Text)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]


class Action(Base):
    __tablename__ = "action"
    __table_args__ = (CheckConstraint("length(description) > 0", name="description_not_blank"),)

    id: Mapped[intpk]
    roundtable_id: Mapped[int] = mapped_column(
        ForeignKey("roundtable.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    #: Who will do it, as free text (an organisation or a role, not a participant).
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[created_at]
