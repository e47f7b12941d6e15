"""Roundtables, their series, tables and invitations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roundtable_app.storage.base import Base, UTCDateTime, created_at, intpk, name_str, utcnow
from roundtable_app.storage.models.directory import Person, Sector, Theme


class Series(Base):
    """Roundtables that belong together (a consultation, a programme)."""

    __tablename__ = "series"

    id: Mapped[intpk]
    name: Mapped[name_str] = mapped_column(unique=True)
    description: Mapped[str] = mapped_column(Text, default="")


roundtable_theme = Table(
    "roundtable_theme",
    Base.metadata,
    Column(
        "roundtable_id", Integer, ForeignKey("roundtable.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("theme_id", Integer, ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
)


class Roundtable(Base):
    """One event: when, where, about what, and the calendar identity it keeps."""

    __tablename__ = "roundtable"
    __table_args__ = (
        CheckConstraint("format IN ('in_person', 'online', 'hybrid')", name="format_known"),
        CheckConstraint(
            "status IN ('draft', 'scheduled', 'held', 'cancelled')", name="status_known"
        ),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint(
            "starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at", name="ends_after_start"
        ),
        CheckConstraint("ical_sequence >= 0", name="sequence_not_negative"),
        CheckConstraint("length(title) > 0", name="title_not_blank"),
        Index("ix_roundtable_starts_at", "starts_at"),
    )

    id: Mapped[intpk]
    title: Mapped[name_str]
    purpose: Mapped[str] = mapped_column(Text, default="")
    #: The evidence questions the discussion should answer, one per line.
    evidence_questions: Mapped[str] = mapped_column(Text, default="")
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id", ondelete="SET NULL"))
    format: Mapped[str] = mapped_column(String(16), default="in_person")
    venue: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(Text, default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None]
    #: The chair is a person; if they are erased the roundtable keeps its history.
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    accessibility_contact: Mapped[str] = mapped_column(String(320), default="")
    starts_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    ends_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: IANA zone the roundtable is planned in; times are stored in UTC.
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    #: Calendar UID, created once and never changed, so updates replace the event.
    ical_uid: Mapped[str] = mapped_column(String(255), unique=True)
    #: Raised on every change of time, place or status that invitees must see.
    ical_sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    series: Mapped[Series | None] = relationship()
    chair: Mapped[Person | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=roundtable_theme, order_by=Theme.name)
    tables: Mapped[list[DiscussionTable]] = relationship(
        back_populates="roundtable", cascade="all, delete-orphan", order_by="DiscussionTable.number"
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="roundtable", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Roundtable {self.id} {self.title!r}>"


class DiscussionTable(Base):
    """A table (group) of a roundtable's participants who discuss together."""

    __tablename__ = "discussion_table"
    __table_args__ = (
        UniqueConstraint("roundtable_id", "number", name="uq_discussion_table_roundtable_number"),
        CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[intpk]
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtable.id", ondelete="CASCADE"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(200), default="")

    roundtable: Mapped[Roundtable] = relationship(back_populates="tables")


class Invitation(Base):
    """A person invited to a roundtable: role, response, attendance and table.

    When a person is erased (GDPR), ``person_id`` becomes NULL and the row
    stays with the sector and lived-experience snapshot, so attendance
    statistics survive without personal data.
    """

    __tablename__ = "invitation"
    __table_args__ = (
        UniqueConstraint("roundtable_id", "person_id", name="uq_invitation_roundtable_person"),
        CheckConstraint(
            "role IN ('participant', 'chair', 'speaker', 'note_taker', 'observer')",
            name="role_known",
        ),
        CheckConstraint(
            "response IN ('needs_action', 'accepted', 'declined', 'tentative')",
            name="response_known",
        ),
        CheckConstraint(
            "attendance IN ('unknown', 'attended', 'no_show', 'apologies')",
            name="attendance_known",
        ),
        CheckConstraint(
            "sent_method IS NULL OR sent_method IN ('request', 'cancel')",
            name="sent_method_known",
        ),
        CheckConstraint(
            "response_channel IS NULL OR response_channel IN "
            "('reply', 'phone', 'email', 'in_person', 'other')",
            name="response_channel_known",
        ),
        Index("ix_invitation_person_id", "person_id"),
        Index("ix_invitation_table_id", "table_id"),
    )

    id: Mapped[intpk]
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtable.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(16), default="participant")
    response: Mapped[str] = mapped_column(String(16), default="needs_action")
    #: How the response arrived: "reply" (a calendar reply), or recorded by hand
    #: ("phone", "email", "in_person", "other"); None when no answer came yet.
    response_channel: Mapped[str | None] = mapped_column(String(16))
    attendance: Mapped[str] = mapped_column(String(16), default="unknown")
    #: Came without having been invited (added at the door or afterwards).
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: When they checked in at the door (the first time, if twice).
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    table_id: Mapped[int | None] = mapped_column(
        ForeignKey("discussion_table.id", ondelete="SET NULL")
    )
    #: Snapshot for statistics that outlive erasure.
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sector.id", ondelete="SET NULL"))
    lived_experience: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The SEQUENCE of the last invitation sent to this person (None: never sent).
    sent_sequence: Mapped[int | None]
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: What ``sent_sequence`` was: "request" (invitation/update) or "cancel".
    sent_method: Mapped[str | None] = mapped_column(String(8))
    #: Set when the invitee was removed after being sent an invitation: the row
    #: stays until they have been sent the CANCEL (and so that undo can restore it).
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: DTSTAMP of the last reply applied, to ignore older replies.
    reply_stamp: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    reply_sequence: Mapped[int | None]
    #: Staff locked this invitee at their table: re-optimising keeps them there.
    seat_locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[created_at]

    roundtable: Mapped[Roundtable] = relationship(back_populates="invitations")
    person: Mapped[Person | None] = relationship()
    table: Mapped[DiscussionTable | None] = relationship()
    sector: Mapped[Sector | None] = relationship()


class SeatingRule(Base):
    """A pair of people to keep together, or apart, at a roundtable's tables.

    Saved with the seating plan so that re-opening it brings the rules back.
    ``person_a_id`` is the smaller id; erasing either person removes the rule.
    """

    __tablename__ = "seating_rule"
    __table_args__ = (
        UniqueConstraint(
            "roundtable_id", "kind", "person_a_id", "person_b_id", name="uq_seating_rule_pair"
        ),
        CheckConstraint("kind IN ('together', 'apart')", name="kind_known"),
        CheckConstraint("person_a_id < person_b_id", name="pair_ordered"),
        Index("ix_seating_rule_roundtable_id", "roundtable_id"),
    )

    id: Mapped[intpk]
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtable.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    person_a_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    person_b_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
