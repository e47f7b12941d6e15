"""Checking and cleaning what a user typed about a person, before it is written.

Pure functions over :class:`PersonData` (no database): :func:`validate` cleans
spaces and e-mail form or raises :class:`ValidationError` naming the field, and
:func:`with_consent_times` dates a consent given or withdrawn. The directory's
writes (:mod:`.people`) and the import (:mod:`roundtable_app.services.transfer`)
both call them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import lru_cache

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.model import ConsentMethod, PersonData
from roundtable_app.core.time_zones import time_zone
from roundtable_app.core.validation import (
    NUL,
    check_texts,
    clean_name,
    email_problem,
    normalise_email,
)


def _refuse_nul(data: PersonData) -> None:
    check_texts(
        (
            (data.full_name, "the name", "full_name"),
            (data.organisation, "the organisation", "organisation"),
            (data.role, "the role", "role"),
            (data.sector, "the sector", "sector"),
            *((interest, "an interest", "interests") for interest in data.interests),
            (data.accessibility_needs, "the accessibility needs", "accessibility_needs"),
            (data.dietary_needs, "the dietary needs", "dietary_needs"),
            (data.notes, "the notes", "notes"),
            (data.time_zone, "the time zone", "time_zone"),
            (data.display_name, "the display name", "display_name"),
            (data.contact_via, "the support contact", "contact_via"),
        )
    )


#: ``clean_name`` for organisations, roles, sectors and interests, which repeat
#: from row to row of an import: each distinct spelling is cleaned once.
_clean_term = lru_cache(maxsize=4096)(clean_name)


@lru_cache(maxsize=4096)
def _clean_interests(given: tuple[str, ...]) -> tuple[str, ...]:
    """Each interest cleaned, blanks and repeats dropped (the same lists recur in an import)."""
    return tuple(dict.fromkeys(filter(None, map(_clean_term, given))))


def _is_time_zone(name: str) -> bool:
    """Whether ``name`` is a time zone this computer knows (cached in ``core.time_zones``)."""
    return time_zone(name) is not None


def validate(data: PersonData) -> PersonData:
    """Return ``data`` cleaned (spaces, e-mail form) or raise :class:`ValidationError`.

    It runs for each of 100,000 imported rows, so it is written for speed: one
    test for NUL characters before naming the field, each interest cleaned
    once, and ``data`` itself given back when there was nothing to clean.
    """
    full_name, organisation, role, sector = (
        data.full_name,
        data.organisation,
        data.role,
        data.sector,
    )
    given = data.interests
    access, diet, notes, zone = (
        data.accessibility_needs,
        data.dietary_needs,
        data.notes,
        data.time_zone,
    )
    # None reads as "None" here, which holds no NUL either.
    if NUL in (
        f"{full_name}{organisation}{role}{sector}{access}{diet}{notes}{zone}"
        f"{data.display_name}{data.contact_via}"
    ) or (given and NUL in "".join(given)):
        _refuse_nul(data)
    name = clean_name(full_name)
    if not name:
        raise ValidationError("A person needs a name.", field="full_name")
    if len(name) > 200:
        raise ValidationError("The name is longer than 200 characters; shorten it.", "full_name")
    email = normalise_email(data.email)
    problem = email_problem(email) if email is not None else None
    if problem is not None:
        raise ValidationError(
            f"{problem}; write it as name@example.org or leave it empty.", field="email"
        )
    if zone and not _is_time_zone(zone):
        raise ValidationError(
            f"'{zone}' is not a time zone; pick one such as Europe/London.", field="time_zone"
        )
    interests = _clean_interests(tuple(given)) if given else ()  # tuple(): a list may come
    organisation_clean = _clean_term(organisation) or None
    role_clean = _clean_term(role) or None
    sector_clean = _clean_term(sector) or None
    access_clean, diet_clean, notes_clean = access.strip(), diet.strip(), notes.rstrip()
    zone = zone or None
    display, via, via_email = data.display_name, data.contact_via, data.contact_via_email
    if display or via or via_email:  # most people have none: no call for them
        display, via, via_email = _contact_and_names(data)
    contact_how, named_how = data.contact_consent_how, data.named_consent_how
    if contact_how not in _CONSENT_METHODS or named_how not in _CONSENT_METHODS:
        how = contact_how if contact_how not in _CONSENT_METHODS else named_how
        raise ValidationError(f"'{how}' is not a way of giving consent.", field="consent")
    if (
        name == full_name
        and email == data.email
        and organisation_clean == organisation
        and role_clean == role
        and sector_clean == sector
        and interests == given
        and access_clean == access
        and diet_clean == diet
        and notes_clean == notes
        and zone == data.time_zone
        and display == data.display_name
        and via == data.contact_via
        and via_email == data.contact_via_email
    ):
        return data  # already clean (immutable, so the same object will do)
    return PersonData(
        name,
        email,
        organisation_clean,
        role_clean,
        sector_clean,
        interests,
        data.lived_experience,
        data.may_contact,
        data.may_be_named,
        access_clean,
        diet_clean,
        notes_clean,
        zone,
        display,
        via,
        via_email,
        contact_how,
        named_how,
        data.contact_consent_at,
        data.named_consent_at,
    )


#: The fields the service sets, never the form: left out of the audit's list of changes.
CONSENT_TIMES = frozenset({"contact_consent_at", "named_consent_at"})
_CONSENT_METHODS = frozenset(method.value for method in ConsentMethod)


def _contact_and_names(data: PersonData) -> tuple[str | None, str | None, str | None]:
    """The display name, support contact and their address, cleaned, or ValidationError."""
    if not (data.display_name or data.contact_via or data.contact_via_email):
        return None, None, None  # most people: quick, for the 100,000 rows of an import
    display = clean_name(data.display_name or "") or None
    if display is not None and len(display) > 200:
        raise ValidationError(
            "The display name is longer than 200 characters; shorten it.", "display_name"
        )
    via = clean_name(data.contact_via or "") or None
    if via is not None and len(via) > 200:
        raise ValidationError(
            "The support contact's name is longer than 200 characters; shorten it.", "contact_via"
        )
    via_email = normalise_email(data.contact_via_email)
    problem = email_problem(via_email) if via_email is not None else None
    if problem is not None:
        raise ValidationError(
            f"The support contact's address: {problem}; write it as name@example.org "
            "or leave it empty.",
            field="contact_via_email",
        )
    return display, via, via_email


def with_consent_times(data: PersonData, before: PersonData | None, now: dt.datetime) -> PersonData:
    """``data`` with when each consent was given or withdrawn: now, if it changed.

    A consent, or how it was given, that differs from ``before`` (or a new
    person's consent given or its "how" said) is stamped ``now``; otherwise the
    time recorded before stays. The form's own copy of the times is never trusted.
    """
    contact_at = before.contact_consent_at if before else None
    named_at = before.named_consent_at if before else None
    if before is None:
        if data.may_contact or data.contact_consent_how:
            contact_at = now
        if data.may_be_named or data.named_consent_how:
            named_at = now
    else:
        if (data.may_contact, data.contact_consent_how) != (
            before.may_contact,
            before.contact_consent_how,
        ):
            contact_at = now
        if (data.may_be_named, data.named_consent_how) != (
            before.may_be_named,
            before.named_consent_how,
        ):
            named_at = now
    return replace(data, contact_consent_at=contact_at, named_consent_at=named_at)
