"""The one privacy policy: who may be named in which output, and which counts may be printed.

PRODUCT.md: lived-experience participants may be at risk, so no output names
them without their consent, and no output says who has lived experience.
Every output asks here; nothing else decides. Screens for staff show exact
figures and names; what leaves the app (a printed sheet, a PDF, a spreadsheet,
a CSV file, the command line's output) follows these rules:

========================  ============================================================
Output                    Rule
========================  ============================================================
Sign-in sheet             Named in full only with consent (``may_be_named``), else
                          first name and initial (:func:`sheet_name`); a
                          lived-experience participant's organisation is left blank
                          (:func:`sheet_organisation`: "Survivors' Network" would say
                          it). No sector column.
Table plan (PDF, CSV)     A lived-experience participant without consent is "Name
                          withheld", with no organisation, sector or interests
                          (:func:`withheld_from_plan`); anyone else without consent
                          is printed as on the sign-in sheet, "Amina Y."
                          (:func:`plan_name`); a sector or interest that names
                          lived experience is left blank
                          (:func:`reveals_lived_experience`).
Check-in screen           Seen by the room: never shows lived experience.
Discussion summaries      Nothing is attributed to a person; a sector is named for
                          what it raised only when at least 3 of its people took part
                          there, and a lived-experience sector never
                          (``core.discussion.attribution``, on :func:`fewer_than`
                          and :func:`reveals_lived_experience`).
Every output              A person recorded under a chosen display name is printed
                          by it (:func:`output_name`): calendar files, e-mails,
                          sheets, plans, summaries. Invitations go to the support
                          organisation or worker's address when there is one
                          (:func:`invitation_address`).
Printed figures           A count of 1 or 2 of a protected group (lived-experience
                          participants anywhere; any sector at a single roundtable)
                          is "fewer than 3", and a rate that would give it back is
                          "not shown" (:func:`printed_count`, :func:`printed_rate`).
                          Zero identifies nobody and is printed as 0.
========================  ============================================================
"""

from __future__ import annotations

from roundtable_app.core.names import first_name_and_initial

#: What a table plan prints for a lived-experience participant who did not consent.
WITHHELD = "Name withheld"
#: A count of a protected group below this is not printed as it is.
SMALLEST_SHOWN = 3
FEWER_THAN_3 = "fewer than 3"
NOT_SHOWN = "not shown"


def output_name(full_name: str, display_name: str | None) -> str:
    """The name any output prints for a person: their chosen display name, if any."""
    return display_name or full_name


def invitation_address(email: str | None, contact_via_email: str | None) -> str | None:
    """Where a person's invitations go: their support contact's address, if any."""
    return contact_via_email or email


def reveals_lived_experience(text: str | None) -> bool:
    """Whether a sector, interest or organisation name says "lived experience"."""
    return bool(text) and "lived experience" in (text or "").casefold()


def sheet_name(name: str, may_be_named: bool) -> str:
    """The name a sign-in sheet prints: in full only with consent, else "Amina Y."."""
    return name if may_be_named else first_name_and_initial(name)


def sheet_organisation(organisation: str, lived_experience: bool) -> str:
    """The organisation a sign-in sheet prints: none for a lived-experience participant."""
    if lived_experience or reveals_lived_experience(organisation):
        return ""
    return organisation


def withheld_from_plan(lived_experience: bool, may_be_named: bool) -> bool:
    """Whether a table plan prints "Name withheld" (and nothing else) for this person."""
    return lived_experience and not may_be_named


def plan_name(name: str, may_be_named: bool) -> str:
    """The name a table plan prints for someone not withheld: as the sign-in sheet does."""
    return sheet_name(name, may_be_named)


def fewer_than(count: int, threshold: int = SMALLEST_SHOWN) -> int | str:
    """A count of a protected group as an output prints it: 1 or 2 is "fewer than 3".

    ``threshold`` is the discussion summaries' "fewer than" setting (3 unless
    changed); zero identifies nobody and prints as 0.
    """
    return f"fewer than {threshold}" if 0 < count < threshold else count


def hidden(count: int, *, protected: bool) -> bool:
    """Whether ``count`` must not be printed as it is (1 or 2, of a protected group)."""
    return protected and 0 < count < SMALLEST_SHOWN


def printed_count(count: int, *, protected: bool) -> int | str:
    """``count`` as an output prints it: the number, or "fewer than 3"."""
    return fewer_than(count) if protected else count


def printed_rate(
    part: int, whole: int, *, protected: bool, whole_protected: bool = False
) -> float | str | None:
    """``part / whole`` for an output: None without a whole, "not shown" if it reveals a count."""
    if not whole:
        return None
    if hidden(part, protected=protected) or hidden(whole, protected=whole_protected):
        return NOT_SHOWN
    return part / whole
