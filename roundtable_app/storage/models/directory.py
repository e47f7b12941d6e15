"""People and what describes them: sectors, organisations, themes (interests).

ON DELETE rules: deleting a sector, organisation or theme never deletes a
person (SET NULL / the link row goes); deleting a person removes their theme
links, and their invitations keep the statistics without them (see
``roundtables.Invitation``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roundtable_app.storage.base import Base, UTCDateTime, created_at, intpk, name_str, utcnow


class Sector(Base):
    """The kind of organisation or perspective a person brings."""

    __tablename__ = "sector"

    id: Mapped[intpk]
    #: Shown in the directory, on tables and in summaries ("Civil society").
    name: Mapped[name_str] = mapped_column(unique=True)
    #: Order in pick lists; new sectors go last.
    sort_order: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<Sector {self.id} {self.name!r}>"


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[intpk]
    name: Mapped[name_str] = mapped_column(unique=True)
    #: The organisation's usual sector, offered as a default for its people.
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sector.id", ondelete="SET NULL"))

    sector: Mapped[Sector | None] = relationship()

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class Theme(Base):
    """A topic shared by people (interests), roundtables and evidence needs."""

    __tablename__ = "theme"

    id: Mapped[intpk]
    name: Mapped[name_str] = mapped_column(unique=True)

    def __repr__(self) -> str:
        return f"<Theme {self.id} {self.name!r}>"


person_theme = Table(
    "person_theme",
    Base.metadata,
    Column("person_id", Integer, ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", Integer, ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_person_theme_theme_id", "theme_id"),
)


class Person(Base):
    """Someone in the directory."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("length(full_name) > 0", name="full_name_not_blank"),
        CheckConstraint("email_key = lower(email_key)", name="email_key_lower"),
        CheckConstraint("version > 0", name="version_positive"),
        # The directory opens on its first screen of names, in name order.
        Index("ix_person_full_name_lower", func.lower(text("full_name"))),
    )

    id: Mapped[intpk]
    full_name: Mapped[name_str]
    #: As the person writes it; may be absent for someone reached by phone only.
    email: Mapped[str | None] = mapped_column(String(320))
    #: ``lower(email)``, unique: two people never share an address.
    email_key: Mapped[str | None] = mapped_column(String(320), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    #: Job title or role in the organisation.
    role: Mapped[str | None] = mapped_column(String(200))
    sector_id: Mapped[int | None] = mapped_column(
        ForeignKey("sector.id", ondelete="SET NULL"), index=True
    )
    #: Lived experience of modern slavery: protected everywhere (see PRODUCT.md).
    lived_experience: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Consent to be contacted about roundtables.
    may_contact: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Consent to be named in a summary's participant list.
    may_be_named: Mapped[bool] = mapped_column(Boolean, default=False)
    #: When and how the current consent to be contacted was given or withdrawn
    #: (``core.model.ConsentMethod``); None: not recorded (before issue 13).
    contact_consent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    contact_consent_how: Mapped[str] = mapped_column(String(16), default="", server_default="")
    #: When and how the current consent to be named was given or withdrawn.
    named_consent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    named_consent_how: Mapped[str] = mapped_column(String(16), default="", server_default="")
    #: A chosen name that every output uses instead of ``full_name`` (calendar files,
    #: e-mails, sheets, plans); the directory keeps both.
    display_name: Mapped[str | None] = mapped_column(String(200))
    #: Contact through a support organisation or worker: their name, and the address
    #: that then receives this person's invitations.
    contact_via: Mapped[str | None] = mapped_column(String(200))
    contact_via_email: Mapped[str | None] = mapped_column(String(320))
    accessibility_needs: Mapped[str] = mapped_column(Text, default="")
    dietary_needs: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: IANA zone the person lives in, to show invitation times as they see them.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )
    #: Raised on every save; a stale save is refused instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    organisation: Mapped[Organisation | None] = relationship()
    sector: Mapped[Sector | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=person_theme, order_by=Theme.name)

    __mapper_args__ = {"version_id_col": version}

    @hybrid_property
    def shown_name(self) -> str:
        """The name outputs print: the chosen display name, else the full name."""
        return self.display_name or self.full_name

    @shown_name.inplace.expression
    @classmethod
    def _shown_name_expression(cls) -> ColumnElement[str]:
        return func.coalesce(cls.display_name, cls.full_name)

    def __repr__(self) -> str:
        return f"<Person {self.id} v{self.version}>"
