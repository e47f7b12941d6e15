"""The printed sign-in sheet: the people expected at a roundtable, a box for each to sign.

An A4 portrait PDF for the door (reportlab platypus, in the shared report styles
and fonts, so a name prints in whatever script it is written). A header with the
title, the date and time in the roundtable's own time zone and the venue; one row
per person expected, in the order of the attendance list (by surname), so that
attendance is entered from the sheet row by row afterwards; blank rows for
walk-ins at the end; on every page's foot, that the sheet holds personal data and
is to be destroyed once attendance is entered, and "Page n of m".

Who is on the sheet: everyone who accepted or is tentative, walk-ins already
added, and the people with a part to play (chair, speakers, note-takers,
observers) unless they declined, since they often never answer the calendar
invitation. Not those who declined or have not answered (they write their name
in a blank row if they come), nor a person erased since they were invited.

Privacy (PRODUCT.md): a sheet lies on a table by the door for anyone to read.
A person who has not consented to be named prints as first name and initial
(:func:`printed_name`, by the rule of ``core.privacy``). Nothing says who has lived
experience: there is no sector column, and a lived-experience participant's
organisation is left blank (a "Survivors' Network" would say it), whether the
flag was set when they were invited or since.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from roundtable_app.core.model import Format, InviteeRole, Response
from roundtable_app.core.privacy import sheet_name, sheet_organisation
from roundtable_app.services import attendance, roundtables
from roundtable_app.services.attendance import AttendanceRow
from roundtable_app.services.reports.fonts import BOLD
from roundtable_app.services.reports.sheet_rows import BlankRows, Column, Rows, cell
from roundtable_app.services.reports.styles import (
    STYLES,
    footer_text,
    report_header,
    write_report_pdf,
)
from roundtable_app.storage.models import Invitation, Person

REPORT = "Sign-in sheet"
NOTICE = (
    "This sheet holds personal data. Destroy it (shred it) once attendance has been "
    "entered in Roundtable."
)
WALK_IN_LABEL = "Not on the list? Write your name and organisation, and sign."
#: At least this many blank rows for walk-ins; more fill the rest of the last page.
MIN_BLANK_ROWS = 5
#: Name, organisation, table, signature: shares of the page's width.
COLUMN_SHARES = (0.30, 0.31, 0.08, 0.31)
#: A name a little larger than the rest, to be found at a glance; the table centred.
NAME_STYLE = ParagraphStyle("sheet_name", parent=STYLES["body"], fontSize=10.5, leading=13)
TABLE_STYLE = ParagraphStyle(
    "sheet_table",
    parent=STYLES["body"],
    fontName=BOLD,
    fontSize=10.5,
    leading=13,
    alignment=TA_CENTER,
)


@dataclass(frozen=True, slots=True)
class SheetLine:
    """One person's row on the sheet, as printed."""

    name: str
    organisation: str
    table: int | None


@dataclass(frozen=True, slots=True)
class SignInSheet:
    """What a roundtable's sign-in sheet prints (see :func:`sign_in_sheet`)."""

    roundtable_id: int
    title: str
    when: str  # the date and time in the roundtable's own zone; "" when not set
    venue: str
    lines: tuple[SheetLine, ...]

    @property
    def file_name(self) -> str:
        """A file name for the sheet: "<title> - sign-in sheet.pdf"."""
        safe = "".join(c if c.isalnum() or c in " -_" else "" for c in self.title).strip()
        return f"{safe or 'Roundtable'} - sign-in sheet.pdf"


def printed_name(row: AttendanceRow) -> str:
    """The name the sheet prints for ``row``: in full only with the person's consent.

    The rule is ``core.privacy``'s (:func:`~roundtable_app.core.privacy.sheet_name`).
    """
    return sheet_name(row.name, row.may_be_named)


def on_the_sheet(row: AttendanceRow) -> bool:
    """Whether ``row`` gets a line of its own (see the module's docstring)."""
    if row.person_id is None:
        return False  # erased: the row stays for the statistics, not for the door
    if row.expected:
        return True
    return row.role != InviteeRole.PARTICIPANT and row.response != Response.DECLINED


def _lived_experience_now(session: Session, roundtable_id: int) -> set[int]:
    """People on the list who have lived experience by today's directory.

    The invitation keeps the flag as it was when the person was invited (for the
    statistics); a person marked since is protected on the sheet all the same.
    """
    query = (
        select(Person.id)
        .join(Invitation, Invitation.person_id == Person.id)
        .where(Invitation.roundtable_id == roundtable_id, Person.lived_experience.is_(True))
    )
    return set(session.scalars(query))


def when_text(starts_at: dt.datetime | None, ends_at: dt.datetime | None, time_zone: str) -> str:
    """ "Wednesday 10 March 2027, 10:00–12:00 GMT", in the roundtable's own zone."""
    if starts_at is None:
        return ""
    zone = ZoneInfo(time_zone)
    start = starts_at.astimezone(zone)
    text = f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M}"
    if ends_at is not None:
        end = ends_at.astimezone(zone)
        text += f"–{end:%H:%M}" if end.date() == start.date() else f" – {end.day} {end:%B, %H:%M}"
    return f"{text} {start:%Z}".rstrip()


def _venue_text(data: roundtables.RoundtableData) -> str:
    place = ", ".join(x for x in (data.venue.strip(), data.venue_address.strip()) if x)
    if data.format == Format.ONLINE:
        return place or "Online"
    if data.format == Format.HYBRID:
        return f"{place} and online" if place else "Hybrid: online and in person"
    return place


def load_sign_in_sheet(session: Session, roundtable_id: int) -> SignInSheet:
    """The sheet of ``roundtable_id`` as it would print now.

    Raises :class:`~roundtable_app.core.errors.NotFoundError` for a roundtable
    that does not exist.
    """
    info = roundtables.get_roundtable(session, roundtable_id)
    rows = attendance.attendance_rows(session, roundtable_id)
    lived_now = _lived_experience_now(session, roundtable_id)
    lines = tuple(
        SheetLine(
            name=printed_name(row),
            organisation=sheet_organisation(
                row.organisation, row.lived_experience or row.person_id in lived_now
            ),
            table=row.table,
        )
        for row in rows
        if on_the_sheet(row)
    )
    data = info.data
    return SignInSheet(
        roundtable_id=roundtable_id,
        title=data.title,
        when=when_text(data.starts_at, data.ends_at, data.time_zone),
        venue=_venue_text(data),
        lines=lines,
    )


# --- the PDF -------------------------------------------------------------------------


def _columns(width: float) -> list[Column]:
    """Name, organisation, table and signature across ``width``."""
    name, organisation, table, signature = (width * share for share in COLUMN_SHARES)
    return [
        Column("NAME", name, NAME_STYLE),
        Column("ORGANISATION", organisation, STYLES["small"]),
        Column("TABLE", table, TABLE_STYLE, centred=True),
        Column("SIGNATURE", signature, STYLES["body"]),
    ]


def _people(sheet: SignInSheet, columns: list[Column]) -> Rows:
    name, organisation, table, _signature = columns
    rows = [
        [
            cell(line.name, name),
            cell(line.organisation, organisation),
            cell(str(line.table) if line.table is not None else "", table),
            (),
        ]
        for line in sheet.lines
    ]
    return Rows(columns, rows)


def write_sign_in_sheet_pdf(sheet: SignInSheet, path: str | Path) -> None:
    """Write ``sheet`` as an A4 PDF at ``path`` (atomically and owner-only)."""
    count = len(sheet.lines)
    expected = f"{count} {'person' if count == 1 else 'people'} expected"
    where = " · ".join(x for x in (sheet.when or "Date not set yet", sheet.venue) if x)

    def story(width: float) -> list[Flowable]:
        columns = _columns(width)
        flow = report_header(
            REPORT,
            sheet.title,
            where,
            f"{expected} · please sign beside your name",
        )
        if sheet.lines:
            flow += [_people(sheet, columns), Spacer(1, 7 * mm)]
        flow.append(BlankRows(columns, WALK_IN_LABEL, MIN_BLANK_ROWS))
        return flow

    write_report_pdf(
        path,
        story,
        title=f"{REPORT}: {sheet.title}",
        footer=footer_text(sheet.title, REPORT, sheet.when.split(",")[0]),
        what="sign-in sheet",
        notice=NOTICE,
    )
