"""What each column of a spreadsheet holds: the target fields, the guess, and the clashes.

:func:`guess_mapping` proposes a target field for each column from its
header, which the user may then correct. Two columns that both look like the
same field ("E-mail" twice, or "Name" and "Full name") cannot both be
imported as it: :func:`duplicate_columns` finds them, so that the import
dialog makes the user choose and the command line refuses, instead of the
second column's values being left out without a word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: Target fields in the order the mapping step lists them, with their labels.
FIELDS: tuple[tuple[str, str], ...] = (
    ("full_name", "Full name"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("display_name", "Known as"),
    ("email", "E-mail"),
    ("contact_via", "Contact through"),
    ("contact_via_email", "Contact through e-mail"),
    ("organisation", "Organisation"),
    ("role", "Role / job title"),
    ("sector", "Sector"),
    ("interests", "Interests"),
    ("lived_experience", "Lived experience (yes/no)"),
    ("may_contact", "May contact (yes/no)"),
    ("contact_consent_how", "May contact: how"),
    ("contact_consent_at", "May contact: when"),
    ("may_be_named", "May be named (yes/no)"),
    ("named_consent_how", "May be named: how"),
    ("named_consent_at", "May be named: when"),
    ("accessibility_needs", "Accessibility needs"),
    ("dietary_needs", "Dietary needs"),
    ("notes", "Notes"),
    ("time_zone", "Time zone"),
)
FIELD_LABELS: dict[str, str] = dict(FIELDS)


# --- guessing the mapping ------------------------------------------------------------


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


_EXACT: dict[str, str] = {}
for _field, _names in {
    "full_name": (
        "fullname",
        "name",
        "displayname",
        "contactname",
        "contact",
        "person",
        "participant",
        "attendee",
        "nameinfull",
        "yourname",
    ),
    "first_name": ("firstname", "givenname", "forename", "first", "fname", "firstnames"),
    "last_name": ("lastname", "surname", "familyname", "last", "lname"),
    # "Display name" is the full name in Microsoft 365 and Outlook exports; it is
    # the chosen name only beside a full-name column (see _fields).
    "display_name": ("knownas", "preferredname", "chosenname", "nameknownas"),
    "contact_via": (
        "contactthrough",
        "contactvia",
        "supportworker",
        "supportorganisation",
        "supportorganization",
        "supportcontact",
    ),
    "contact_via_email": (
        "contactthroughemail",
        "contactviaemail",
        "supportworkeremail",
        "supportcontactemail",
        "supportemail",
    ),
    "email": (
        "email",
        "emailaddress",
        "mail",
        "emailaddr",
        "primaryemail",
        "workemail",
        "email1",
        "email1address",
        "emailaddress1",
        "mailaddress",
        "emails",
    ),
    "organisation": (
        "organisation",
        "organization",
        "company",
        "employer",
        "org",
        "organisationname",
        "organizationname",
        "companyname",
        "institution",
        "affiliation",
        "agency",
    ),
    "role": ("role", "jobtitle", "position", "job", "jobrole", "roletitle"),
    "sector": ("sector", "sectortype", "stakeholdergroup", "stakeholdertype"),
    "interests": (
        "interests",
        "interest",
        "tags",
        "tag",
        "themes",
        "theme",
        "topics",
        "topic",
        "areasofinterest",
        "interestareas",
        "expertise",
    ),
    "lived_experience": (
        "livedexperience",
        "livedexperienceofmodernslavery",
        "survivor",
        "lived",
        "lex",
    ),
    "may_contact": (
        "maycontact",
        "consent",
        "consenttocontact",
        "optin",
        "mailingconsent",
        "contactconsent",
        "maybecontacted",
        "subscribed",
    ),
    "may_be_named": (
        "maybenamed",
        "consenttobenamed",
        "namedinsummaries",
        "maynameinsummary",
        "namedconsent",
        "nameconsent",
    ),
    "contact_consent_how": (
        "maycontacthow",
        "contactconsenthow",
        "contactconsentmethod",
        "consenthow",
        "consentmethod",
    ),
    "contact_consent_at": (
        "maycontactwhen",
        "maycontactwhenutc",
        "contactconsentwhen",
        "contactconsentat",
        "contactconsentdate",
        "consentwhen",
        "consentdate",
        "dateofconsent",
        "optintime",  # Mailchimp's audience export: when they signed up
        "optindate",
    ),
    "named_consent_how": ("maybenamedhow", "namedconsenthow", "namedconsentmethod"),
    "named_consent_at": (
        "maybenamedwhen",
        "maybenamedwhenutc",
        "namedconsentwhen",
        "namedconsentat",
        "namedconsentdate",
    ),
    "accessibility_needs": (
        "accessibility",
        "accessibilityneeds",
        "accessneeds",
        "accessibilityrequirements",
        "accessrequirements",
    ),
    "dietary_needs": (
        "dietary",
        "dietaryneeds",
        "dietaryrequirements",
        "diet",
        "dietaryrequirement",
        "foodrequirements",
    ),
    "notes": ("notes", "note", "comments", "comment", "remarks"),
    "time_zone": ("timezone", "tz", "zone", "timezoneiana"),
}.items():
    for _name in _names:
        _EXACT[_name] = _field


_CONSENT_PREFIXES = {
    "contact": ("maycontact", "contactconsent"),
    "named": ("maybenamed", "namedconsent", "consenttobenamed"),
}
#: Headers that name the full name outright: beside one, "Display name" is the chosen name.
_FULL_NAME_KEYS = frozenset({"fullname", "name", "nameinfull", "yourname", "contactname"})


def _fuzzy(key: str) -> str | None:
    """Looser rules for headers such as "Work e-mail" or "Organisation (current)"."""
    if any(ch.isdigit() for ch in key):
        return None  # "E-mail 2 Address", "Phone 3": secondary copies stay unmapped
    if key.startswith(("contactthrough", "contactvia", "supportworker", "supportorg")):
        # "Support worker's e-mail address", "Contact via (organisation)"
        return "contact_via_email" if "email" in key else "contact_via"
    for consent, prefixes in _CONSENT_PREFIXES.items():
        if key.startswith(prefixes):
            if "how" in key or "method" in key:
                return f"{consent}_consent_how"
            if "when" in key or "date" in key or "time" in key:
                return f"{consent}_consent_at"
    if "email" in key and "display" not in key and "type" not in key:
        return "email"
    if key.startswith(("organisation", "organization", "company", "employer")):
        return "organisation"
    if key.startswith(("interest", "theme", "topic")):
        return "interests"
    if key.startswith("dietary"):
        return "dietary_needs"
    if key.startswith("access"):
        return "accessibility_needs"
    if key.startswith("livedexperience"):
        return "lived_experience"
    if key.startswith(("firstname", "givenname")):
        return "first_name"
    if key.startswith(("lastname", "surname", "familyname")):
        return "last_name"
    if key.startswith("jobtitle"):
        return "role"
    return None


def guess_field(header: str, full_name_column: bool = False) -> str | None:
    """The field ``header`` names; ``full_name_column``: another column names the full name."""
    key = _key(header)
    if not key:
        return None
    return _exact(key, full_name_column) or _fuzzy(key)


def _exact(key: str, full_name_column: bool) -> str | None:
    if key == "displayname" and full_name_column:
        return "display_name"
    return _EXACT.get(key)


def _has_full_name(headers: Sequence[str]) -> bool:
    """Whether a column other than "Display name" holds the full name ("Full name", "Name")."""
    return any(_key(h) in _FULL_NAME_KEYS for h in headers)


def guess_mapping(headers: Sequence[str]) -> list[str | None]:
    """A target field (or ``None``) per column; each field is given to one column only.

    Exact header matches win over looser ones, and among equals the leftmost
    column wins (Outlook's "E-mail Address" before "E-mail 2 Address").
    "Display name" is the full name (as in Microsoft 365 and Outlook exports)
    unless another column is headed as the full name ("Full name", "Name"):
    beside one, it is the person's chosen name ("Known as").
    """
    mapping: list[str | None] = [None] * len(headers)
    taken: set[str] = set()
    full_name_column = _has_full_name(headers)
    exact = [_exact(_key(h), full_name_column) for h in headers]
    for i, field in enumerate(exact):
        if field and field not in taken:
            mapping[i] = field
            taken.add(field)
    for i, header in enumerate(headers):
        if mapping[i] is None and exact[i] is None:
            field = _fuzzy(_key(header))
            if field and field not in taken:
                mapping[i] = field
                taken.add(field)
    return mapping


# --- columns that clash --------------------------------------------------------------


def column_letter(index: int) -> str:
    """The spreadsheet letter of a column (0 → A, 26 → AA), as users see it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True, slots=True)
class DuplicateColumns:
    """Two or more columns whose headers all look like one field (0-based ``columns``)."""

    field: str
    columns: tuple[int, ...]
    headers: tuple[str, ...]

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)

    def names(self) -> str:
        """ "column B “E-mail” and column E “E-mail”"."""
        named = [
            f"column {column_letter(c)} “{h}”"
            for c, h in zip(self.columns, self.headers, strict=True)
        ]
        return (
            " and ".join(named) if len(named) < 3 else ", ".join(named[:-1]) + f" and {named[-1]}"
        )

    def message(self) -> str:
        """For the mapping step, where the user chooses."""
        names = self.names()
        both, other = (
            ("both", "the other holds") if len(self.columns) == 2 else ("all", "the others hold")
        )
        return (
            f"{names[0].upper()}{names[1:]} {both} look like “{self.label}”, but only one column "
            f"can be imported as it. Choose “{self.label}” for the one to import, and what "
            f"{other} (or “Don’t import”)."
        )

    def cli_message(self, file_name: str) -> str:
        """For the command line, which refuses the file."""
        lost = "the other column's" if len(self.columns) == 2 else "the other columns'"
        return (
            f"{file_name} has {len(self.columns)} columns for “{self.label}”: {self.names()}; "
            f"only one can be imported, so {lost} values would be lost. "
            "Rename or delete the extra columns in the file (or import it in the app, "
            "which lets you choose), then import again."
        )


def duplicate_columns(headers: Sequence[str]) -> list[DuplicateColumns]:
    """Fields that more than one column's header names, in the order of their first column."""
    by_field: dict[str, list[int]] = {}
    full_name_column = _has_full_name(headers)
    for index, header in enumerate(headers):
        field = guess_field(header, full_name_column)
        if field is not None:
            by_field.setdefault(field, []).append(index)
    return [
        DuplicateColumns(field, tuple(cols), tuple(headers[c] for c in cols))
        for field, cols in by_field.items()
        if len(cols) > 1
    ]
