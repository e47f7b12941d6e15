"""Before sending: what would stop the invitations, or make them less useful.

The Send invitations dialog shows these as soon as it opens (not after the user
has filled everything in), and the command line prints them. Each check says
what is wrong and what to do; ``blocking`` ones stop the send, the others are
warnings the user may send past.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy.orm import Session

from roundtable_app.core.model import Format, RoundtableStatus
from roundtable_app.services import roundtables
from roundtable_app.services.invitations.ical import Method


class Check(enum.StrEnum):
    DRAFT = "draft"  # scheduling it first makes the send possible
    NO_DATE = "no_date"
    HELD = "held"
    CANCELLED = "cancelled"
    NO_VENUE = "no_venue"
    CHAIR = "chair"


@dataclass(frozen=True, slots=True)
class Preflight:
    """One thing to tell the user before sending."""

    check: Check
    text: str
    #: True when nothing can be sent until it is fixed.
    blocking: bool
    #: For :attr:`Check.CHAIR`: the chair can be put on the list (``roundtables.invite_chair``).
    fixable: bool = False
    #: For :attr:`Check.CHAIR`: the chair's name.
    name: str = ""


def preflight(session: Session, roundtable_id: int, method: Method | None) -> list[Preflight]:
    """What to tell the user before sending ``method`` (None: whatever each invitee needs)."""
    info = roundtables.get_roundtable(session, roundtable_id)
    data, status = info.data, info.status
    title = f"“{data.title}”"
    found: list[Preflight] = []
    if method == Method.CANCEL:
        return found
    if status == RoundtableStatus.HELD:
        return [
            Preflight(
                Check.HELD,
                f"{title} has been held: there is nothing to invite to. Only cancellations, "
                "for people taken off the list, can still be sent.",
                True,
            )
        ]
    if status == RoundtableStatus.CANCELLED:
        return [
            Preflight(
                Check.CANCELLED, f"{title} is cancelled: send the cancellations instead.", True
            )
        ]
    if data.starts_at is None:
        found.append(
            Preflight(
                Check.NO_DATE,
                f"{title} has no date yet: give it a date and time (Edit details…), "
                "then schedule it.",
                True,
            )
        )
    elif status == RoundtableStatus.DRAFT:
        found.append(
            Preflight(
                Check.DRAFT,
                f"{title} is a draft: invitations go out only once it is scheduled, "
                "so sending now schedules it first.",
                False,
            )
        )
    if data.format != Format.ONLINE and not data.venue.strip() and not data.venue_address.strip():
        where = (
            "calendars will show only the joining link"
            if data.format == Format.HYBRID
            else "invitees' calendars will show no place to go"
        )
        found.append(
            Preflight(
                Check.NO_VENUE,
                f"{title} is {data.format.label.lower()} but has no venue: {where}. "
                "Add the venue in Edit details…, or send without it.",
                False,
            )
        )
    chair = roundtables.chair_check(session, roundtable_id)
    if chair is not None:
        found.append(
            Preflight(Check.CHAIR, chair.text, False, fixable=chair.can_invite, name=chair.name)
        )
    return found
