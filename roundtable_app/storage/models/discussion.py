"""What a discussion produced: notes by table and section, and the summary's revisions.

Following the Chatham House Rule, nothing here points to a person: a note
records the *sectors* that raised it, never who; an action's owner is an
organisation or a role, never a participant.

One table holds the four kinds of note (shared challenges, evidence needs,
actions, key points) so that a table's notes keep one order, one autosave
path and one snapshot when the summary is made final; columns that belong to
one kind are empty for the others.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roundtable_app.storage.base import Base, UTCDateTime, created_at, intpk, utcnow
from roundtable_app.storage.models.directory import Sector, Theme

KINDS = "('challenge', 'need', 'action', 'point')"
PRIORITIES = "('high', 'medium', 'low')"
EVIDENCE_KINDS = (
    "('prevalence', 'evaluation', 'lived_experience', 'cost', 'legal_policy', 'data', 'other')"
)
ACTION_STATUSES = "('open', 'in_progress', 'done')"
NEED_STATUSES = "('open', 'researching', 'answered')"

note_theme = Table(
    "note_theme",
    Base.metadata,
    Column(
        "note_id", Integer, ForeignKey("discussion_note.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("theme_id", Integer, ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_note_theme_theme_id", "theme_id"),
)

note_sector = Table(
    "note_sector",
    Base.metadata,
    Column(
        "note_id", Integer, ForeignKey("discussion_note.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("sector_id", Integer, ForeignKey("sector.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_note_sector_sector_id", "sector_id"),
)


class NeedGroup(Base):
    """Evidence needs raised at different roundtables that staff confirmed are one need."""

    __tablename__ = "need_group"

    id: Mapped[intpk]
    created_at: Mapped[created_at]


class DismissedSuggestion(Base):
    """A suggested grouping of needs that staff said are not one need.

    ``note_ids`` names the needs (their ids, sorted, joined by commas); the
    suggestion is not offered again unless a new need joins it. Kept for the
    whole team, so a colleague is not asked again either.
    """

    __tablename__ = "dismissed_suggestion"

    id: Mapped[intpk]
    note_ids: Mapped[str] = mapped_column(Text)
    created_at: Mapped[created_at]


class DiscussionNote(Base):
    __tablename__ = "discussion_note"
    __table_args__ = (
        CheckConstraint(f"kind IN {KINDS}", name="kind_known"),
        CheckConstraint(f"priority IS NULL OR priority IN {PRIORITIES}", name="priority_known"),
        CheckConstraint(
            f"evidence_kind IS NULL OR evidence_kind IN {EVIDENCE_KINDS}",
            name="evidence_kind_known",
        ),
        CheckConstraint(
            f"action_status IS NULL OR action_status IN {ACTION_STATUSES}",
            name="action_status_known",
        ),
        CheckConstraint(
            f"need_status IS NULL OR need_status IN {NEED_STATUSES}", name="need_status_known"
        ),
        Index("ix_discussion_note_roundtable_id_kind", "roundtable_id", "kind", "position"),
    )

    id: Mapped[intpk]
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtable.id", ondelete="CASCADE"))
    #: The table it was noted at; None for the whole room.
    table_id: Mapped[int | None] = mapped_column(
        ForeignKey("discussion_table.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    # Evidence needs.
    priority: Mapped[str | None] = mapped_column(String(8))
    evidence_kind: Mapped[str | None] = mapped_column(String(24))
    #: Which of the roundtable's evidence questions it answers (1-based), if any.
    question_no: Mapped[int | None] = mapped_column(Integer)
    need_status: Mapped[str | None] = mapped_column(String(16))
    #: The research output that answered it (a title, DOI or link).
    answer_reference: Mapped[str] = mapped_column(Text, default="")
    #: Who in the centre looks after it.
    centre_owner: Mapped[str] = mapped_column(String(200), default="")
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("need_group.id", ondelete="SET NULL"), index=True
    )
    # Actions.
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    action_status: Mapped[str | None] = mapped_column(String(12))
    #: Names the guard flagged that staff acknowledged (a public source), one folded name a line.
    acknowledged: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    themes: Mapped[list[Theme]] = relationship(secondary=note_theme, order_by=Theme.name)
    sectors: Mapped[list[Sector]] = relationship(secondary=note_sector, order_by=Sector.name)

    __mapper_args__ = {"version_id_col": version}


class DiscussionSummary(Base):
    """The state of a roundtable's summary: the revision being written, and whether final."""

    __tablename__ = "discussion_summary"
    __table_args__ = (CheckConstraint("state IN ('draft', 'final')", name="state_known"),)

    roundtable_id: Mapped[int] = mapped_column(
        ForeignKey("roundtable.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(8), default="draft")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class SummaryRevision(Base):
    """A final revision of a summary, kept for ever: the notes as they were, as JSON."""

    __tablename__ = "summary_revision"
    __table_args__ = (
        Index("uq_summary_revision_roundtable", "roundtable_id", "number", unique=True),
    )

    id: Mapped[intpk]
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtable.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    finalised_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Who made it final (the staff member's account name), for the revision list.
    finalised_by: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(Text)
    #: The summary as it prints (JSON of services.discussion.SummaryContent, without the
    #: participant list): names removed, small sectors withheld. What read-only reads.
    printed: Mapped[str | None] = mapped_column(Text, nullable=True)
