"""Exporting the directory to a CSV file that opens right in Excel and imports back.

The file is UTF-8 with a byte-order mark (Excel on Windows otherwise reads it
as cp1252 and garbles "é"), its headers are ones the importer recognises, so
export then import gives the same people. It is written to a temporary file in
the same folder and moved into place, so a crash or a full disk never leaves a
half-written file. Cells that a spreadsheet would run as a formula get a
leading apostrophe (CSV injection); the importer takes it off again. An
interest whose name holds a separator (``,`` ``;`` ``|``) is written in double
quotes inside its cell, so that it is read back as one interest.

How each consent was given is written as its label ("On an online form"), and
when as UTC to the second, "2026-03-31 14:05:09 UTC": the suffix says the zone
and keeps Excel from turning the cell into a local date that drops the seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from operator import itemgetter
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roundtable_app.core.model import ConsentMethod
from roundtable_app.core.privacy import reveals_lived_experience, sheet_organisation
from roundtable_app.core.progress import Progress
from roundtable_app.core.validation import join_interests
from roundtable_app.services.files import guard_cell, write_atomically
from roundtable_app.storage.models import Organisation, Person, Sector, Theme, person_theme

#: Column headers, in order; each is one that ``guess_mapping`` maps back to its field.
HEADERS: tuple[str, ...] = (
    "Full name",
    "Known as",
    "E-mail",
    "Contact through",
    "Contact through e-mail",
    "Organisation",
    "Role",
    "Sector",
    "Interests",
    "Lived experience",
    "May contact",
    "May contact: how",
    "May contact: when",
    "May be named",
    "May be named: how",
    "May be named: when",
    "Accessibility needs",
    "Dietary needs",
    "Notes",
    "Time zone",
)
PROGRESS_EVERY = 1000
#: The columns left out unless the export is asked for them (issue 13): who has lived
#: experience, their access and dietary needs, the support organisation or worker
#: some are contacted through (which can say lived experience by itself), and the
#: team's notes on them (which often do; staff only, like the team roles' views).
SENSITIVE_HEADERS = frozenset(
    {
        "Lived experience",
        "Accessibility needs",
        "Dietary needs",
        "Contact through",
        "Contact through e-mail",
        "Notes",
    }
)
#: What the window and the command line say when they are asked for.
SENSITIVE_WARNING = (
    "The file will say who has lived experience of modern slavery, their access "
    "and dietary needs, the support workers through whom some are contacted, and the "
    "team's notes on them. "
    "Anyone who sees it can identify survivors: keep it encrypted, "
    "share it with nobody who does not need it, and delete it when done."
)
#: A consent's "how" as the file says it (blank when not recorded).
_HOW_LABELS = {m.value: m.label for m in ConsentMethod} | {"": ""}


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def consent_time_text(value: dt.datetime | None) -> str:
    """When a consent was given, as the export writes it: "2026-03-31 14:05:09 UTC"."""
    if value is None:
        return ""
    return f"{value.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC"


def headers(sensitive: bool = False) -> tuple[str, ...]:
    """The export's columns: without :data:`SENSITIVE_HEADERS` unless ``sensitive``."""
    return HEADERS if sensitive else tuple(h for h in HEADERS if h not in SENSITIVE_HEADERS)


def export_people_csv(
    session: Session,
    path: str | Path,
    *,
    sensitive: bool = False,
    progress: Progress | None = None,
) -> int:
    """Write every person to ``path`` as CSV and return how many were written.

    Lived experience, access and dietary needs, who a person is contacted
    through and the team's notes are written only when ``sensitive`` (asked for explicitly, after
    :data:`SENSITIVE_WARNING`); without it, a sector, role or interest that
    names lived experience is left blank too. The chosen name ("Known as") and
    how and when each consent was given are always written: they are what
    every output goes by, and say nothing about lived experience.
    """
    path = Path(path)
    progress = progress or Progress()
    total = session.scalar(select(func.count()).select_from(Person)) or 0
    progress.update(0, total, "Reading the directory…")
    theme_names = dict(session.execute(select(Theme.id, Theme.name)).all())
    interests: dict[int, list[str]] = defaultdict(list)
    for person_id, theme_id in session.execute(
        select(person_theme.c.person_id, person_theme.c.theme_id)
    ):
        interests[person_id].append(theme_names[theme_id])
    query = (
        select(
            Person.id,
            Person.full_name,
            Person.email,
            Organisation.name,
            Person.role,
            Sector.name,
            Person.lived_experience,
            Person.may_contact,
            Person.may_be_named,
            Person.accessibility_needs,
            Person.dietary_needs,
            Person.notes,
            Person.time_zone,
            Person.display_name,
            Person.contact_via,
            Person.contact_via_email,
            Person.contact_consent_how,
            Person.contact_consent_at,
            Person.named_consent_how,
            Person.named_consent_at,
        )
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(Sector, Sector.id == Person.sector_id)
        .order_by(func.lower(Person.full_name), Person.id)
    )
    count = 0
    # The positions of the columns written, in the order of HEADERS.
    wanted = set(headers(sensitive))
    keep = itemgetter(*(i for i, h in enumerate(HEADERS) if h in wanted))

    def write(tmp_name: str) -> None:
        nonlocal count
        with open(tmp_name, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers(sensitive))
            for row in session.execute(query):
                (pid, name, email, org, role, sector, lived, contact, named) = row[:9]
                access, diet = row.accessibility_needs, row.dietary_needs
                notes, zone = row.notes, row.time_zone
                known_as, via, via_email = row.display_name, row.contact_via, row.contact_via_email
                contact_how, contact_at = row.contact_consent_how, row.contact_consent_at
                named_how, named_at = row.named_consent_how, row.named_consent_at
                names = sorted(interests.get(pid, ()), key=str.lower)
                if not sensitive:
                    # Nothing that would say it either: the sector, an interest, or
                    # the role, the organisation of someone with lived experience (as on a sheet).
                    if reveals_lived_experience(sector):
                        sector = ""
                    if reveals_lived_experience(role):  # "Member, Lived Experience Panel"
                        role = ""
                    org = sheet_organisation(org or "", bool(lived))
                    names = [n for n in names if not reveals_lived_experience(n)]
                cells = (
                    guard_cell(name),
                    guard_cell(known_as or ""),
                    guard_cell(email or ""),
                    guard_cell(via or ""),
                    guard_cell(via_email or ""),
                    guard_cell(org or ""),
                    guard_cell(role or ""),
                    guard_cell(sector or ""),
                    # "Trafficking, forced labour" in quotes: it stays one interest.
                    guard_cell(join_interests(names)),
                    _yes_no(bool(lived)),
                    _yes_no(bool(contact)),
                    _HOW_LABELS.get(contact_how, contact_how),
                    consent_time_text(contact_at),
                    _yes_no(bool(named)),
                    _HOW_LABELS.get(named_how, named_how),
                    consent_time_text(named_at),
                    guard_cell(access or ""),
                    guard_cell(diet or ""),
                    guard_cell(notes or ""),
                    zone or "",
                )
                writer.writerow(keep(cells))
                count += 1
                if count % PROGRESS_EVERY == 0:
                    progress.update(count, total, "Writing the file…")

    write_atomically(
        path, write, "people", done="exported to", held_by="Excel", retry="export again"
    )
    progress.update(count, total, "Export finished")
    return count
