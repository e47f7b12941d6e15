"""Plain, immutable records passed between the layers.

The UI never holds live ORM objects: services turn database rows into these
frozen dataclasses, and edits travel back as :class:`PersonData`.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import NamedTuple


class Format(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"

    @property
    def label(self) -> str:
        return {"in_person": "In person", "online": "Online", "hybrid": "Hybrid"}[self.value]


class RoundtableStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class InviteeRole(enum.StrEnum):
    PARTICIPANT = "participant"
    CHAIR = "chair"
    SPEAKER = "speaker"
    NOTE_TAKER = "note_taker"
    OBSERVER = "observer"


class Response(enum.StrEnum):
    NEEDS_ACTION = "needs_action"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TENTATIVE = "tentative"


class ResponseChannel(enum.StrEnum):
    """How an invitee's answer reached the centre."""

    REPLY = "reply"  # a calendar reply (.ics / .eml) read back into the app
    PHONE = "phone"
    EMAIL = "email"  # said in the text of an e-mail
    IN_PERSON = "in_person"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "reply": "Calendar reply",
            "phone": "By phone",
            "email": "By e-mail",
            "in_person": "In person",
            "other": "Other",
        }[self.value]


class Attendance(enum.StrEnum):
    UNKNOWN = "unknown"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    APOLOGIES = "apologies"

    @property
    def label(self) -> str:
        """As the window shows it ("Sent apologies"); the command line prints it lowercase."""
        return {
            "unknown": "Not recorded",
            "attended": "Attended",
            "no_show": "No-show",
            "apologies": "Sent apologies",
        }[self.value]


class ConsentMethod(enum.StrEnum):
    """How a person gave (or withdrew) consent to be contacted or named."""

    NOT_RECORDED = ""
    IN_WRITING = "in_writing"
    EMAIL = "email"
    VERBALLY = "verbally"
    ONLINE_FORM = "online_form"
    IMPORTED = "imported"

    @property
    def label(self) -> str:
        return {
            "": "Not recorded",
            "in_writing": "In writing",
            "email": "By e-mail",
            "verbally": "Verbally (in person or by phone)",
            "online_form": "On an online form",
            "imported": "As recorded in an imported file",
        }[self.value]


class Priority(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SECTORS: tuple[str, ...] = (
    "Academic research",
    "Civil society",
    "Government",
    "Parliament",
    "Business",
    "Law enforcement",
    "Frontline practice",
    "Lived experience",
    "Funder",
)
"""The sectors a new database starts with; staff may add more."""


@dataclass(frozen=True, slots=True)
class PersonData:
    """Everything a user can edit about a person (the dialog's content)."""

    full_name: str
    email: str | None = None
    organisation: str | None = None
    role: str | None = None
    sector: str | None = None
    interests: tuple[str, ...] = ()
    lived_experience: bool = False
    may_contact: bool = True
    may_be_named: bool = False
    accessibility_needs: str = ""
    dietary_needs: str = ""
    notes: str = ""
    time_zone: str | None = None
    #: A chosen name that every output uses instead of ``full_name``.
    display_name: str | None = None
    #: A support organisation or worker through whom the person is contacted, and
    #: the address that then receives their invitations.
    contact_via: str | None = None
    contact_via_email: str | None = None
    #: How the current consents were given or withdrawn (:class:`ConsentMethod`
    #: values), and when: the services set the time when a consent or its "how"
    #: changes, so a form's copy of it is only read back.
    contact_consent_how: str = ""
    named_consent_how: str = ""
    contact_consent_at: dt.datetime | None = None
    named_consent_at: dt.datetime | None = None

    @property
    def shown_name(self) -> str:
        """The name every output prints: the display name if one was chosen."""
        return self.display_name or self.full_name

    @property
    def address(self) -> str | None:
        """Where invitations go: the support contact's address if there is one."""
        return self.contact_via_email or self.email


@dataclass(frozen=True, slots=True)
class Person:
    """A stored person: their data plus identity and version."""

    id: int
    version: int
    data: PersonData


class PersonRow(NamedTuple):
    """One line of the directory table, cheap to hold by the hundred thousand.

    A named tuple rather than a frozen dataclass: it is built 100,000 times
    when the directory opens, and a tuple is several times faster to make.
    """

    id: int
    full_name: str
    organisation: str
    sector: str
    interests: str
    email: str
    lived_experience: bool
    last_attended: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Changes:
    """What a mutation changed, so the UI refreshes only the affected views."""

    people: frozenset[int] = field(default_factory=frozenset)
    themes: bool = False
    sectors: bool = False
    organisations: bool = False
    all_people: bool = False
    #: Roundtables whose details, invitees or invitation statuses changed.
    roundtables: frozenset[int] = field(default_factory=frozenset)
    all_roundtables: bool = False
    #: The register's work on evidence needs (status, owner, reference) changed.
    needs: bool = False
    #: Evidence needs were grouped, ungrouped, or a suggested grouping dismissed or restored.
    need_groups: bool = False
