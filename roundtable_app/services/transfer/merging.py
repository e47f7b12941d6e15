"""How two records of the same person combine without losing anything.

Used where a file repeats someone (two rows with one e-mail) and where a row
is merged into the person the directory already holds.
"""

from __future__ import annotations

from collections.abc import Collection

from roundtable_app.core.model import PersonData
from roundtable_app.services.transfer.consents import merged_consent


def _append_text(base: str, extra: str, sep: str) -> str:
    if not extra or extra.lower() in base.lower():
        return base
    if not base:
        return extra
    return f"{base}{sep}{extra}"


def merge_data(
    base: PersonData, incoming: PersonData, mapped: Collection[str] = frozenset()
) -> PersonData:
    """``base`` with ``incoming`` merged in, losing nothing from either.

    Blank fields are filled; a name, organisation, role, sector, time zone,
    chosen name or support contact that differs keeps the existing value;
    interests are united; free text that differs is appended. Consent only
    ever narrows (a mapped "no" wins), lived experience only ever widens: both
    protect the person. How and when a consent was given follow
    :func:`~.consents.merged_consent`: a withdrawal takes the file's record
    of it, and a consent with no "how" recorded takes the file's.
    """
    if incoming == base:
        return base  # the same record again (a file imported twice): nothing to work out
    known = {i.lower() for i in base.interests}
    interests = tuple(
        dict.fromkeys(
            base.interests + tuple(i for i in incoming.interests if i.lower() not in known)
        )
    )
    email = base.email or incoming.email
    organisation = base.organisation or incoming.organisation
    role = base.role or incoming.role
    sector = base.sector or incoming.sector
    lived = base.lived_experience or ("lived_experience" in mapped and incoming.lived_experience)
    contact = base.may_contact and ("may_contact" not in mapped or incoming.may_contact)
    named = base.may_be_named and ("may_be_named" not in mapped or incoming.may_be_named)
    access = _append_text(base.accessibility_needs, incoming.accessibility_needs, "; ")
    diet = _append_text(base.dietary_needs, incoming.dietary_needs, "; ")
    notes = _append_text(base.notes, incoming.notes, "\n")
    zone = base.time_zone or incoming.time_zone
    display = base.display_name or incoming.display_name
    if base.contact_via or base.contact_via_email:
        via, via_email = base.contact_via, base.contact_via_email  # one contact, not a mix
    else:
        via, via_email = incoming.contact_via, incoming.contact_via_email
    contact_how, contact_at = merged_consent(
        (base.may_contact, incoming.may_contact, contact),
        (base.contact_consent_how, base.contact_consent_at),
        (incoming.contact_consent_how, incoming.contact_consent_at),
    )
    named_how, named_at = merged_consent(
        (base.may_be_named, incoming.may_be_named, named),
        (base.named_consent_how, base.named_consent_at),
        (incoming.named_consent_how, incoming.named_consent_at),
    )
    if (
        interests == base.interests
        and email == base.email
        and organisation == base.organisation
        and role == base.role
        and sector == base.sector
        and lived == base.lived_experience
        and contact == base.may_contact
        and named == base.may_be_named
        and access == base.accessibility_needs
        and diet == base.dietary_needs
        and notes == base.notes
        and zone == base.time_zone
        and display == base.display_name
        and via == base.contact_via
        and via_email == base.contact_via_email
        and contact_how == base.contact_consent_how
        and contact_at == base.contact_consent_at
        and named_how == base.named_consent_how
        and named_at == base.named_consent_at
    ):
        # Nothing to add: ``base`` itself (immutable), which callers may test with ``is``.
        return base
    return PersonData(
        base.full_name,
        email,
        organisation,
        role,
        sector,
        interests,
        lived,
        contact,
        named,
        access,
        diet,
        notes,
        zone,
        display,
        via,
        via_email,
        contact_how,
        named_how,
        contact_at,
        named_at,
    )
