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
(:func:`printed_name`, the one place that decides). Nothing says who has lived
experience: there is no sector column, and a lived-experience participant's
organisation is left blank (a "Survivors' Network" would say it), whether the
flag was set when they were invited or since.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from roundtable_app.core.model import Format, InviteeRole, Response
from roundtable_app.core.names import first_name_and_initial
from roundtable_app.services import attendance, roundtables
from roundtable_app.services.attendance import AttendanceRow
from roundtable_app.services.reports.styles import (
    BAND,
    BOLD,
    INK,
    RULE,
    STYLES,
    footer_text,
    para,
    report_header,
    table_style,
    write_report_pdf,
)
from roundtable_app.storage.models import Invitation, Person

REPORT = "Sign-in sheet"
NOTICE = (
    "This sheet holds personal data. Destroy it (shred it) once attendance has been "
    "entered in Roundtable."
)
WALK_IN_LABEL = "Not on the list? Write your name and organisation, and sign."
#: Tall enough to sign in: a row of one line of text is this high.
ROW_HEIGHT = 12 * mm
#: At least this many blank rows for walk-ins; more fill the rest of the last page.
MIN_BLANK_ROWS = 5
#: Name, organisation, table, signature: shares of the page's width.
COLUMN_SHARES = (0.30, 0.31, 0.08, 0.31)
HEADINGS = ("NAME", "ORGANISATION", "TABLE", "SIGNATURE")
#: A cell's text this far in from its edge (the frame's own padding: text lines up).
CELL_PADDING = 6
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

    The one place that decides; issue 13's chosen display name belongs here.
    """
    return row.name if row.may_be_named else first_name_and_initial(row.name)


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
            organisation=""
            if row.lived_experience or row.person_id in lived_now
            else row.organisation,
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


def _grid(rows: list[list[object]], widths: list[float], *, blank: bool = False) -> Table:
    heights = [None] + [ROW_HEIGHT] * (len(rows) - 1) if blank else None
    grid = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1)
    # One line of text plus these paddings makes a row ROW_HEIGHT high.
    pad = (ROW_HEIGHT - NAME_STYLE.leading) / 2
    grid.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 1), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 1), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, 0), 2),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
            ("LINEBELOW", (0, 0), (-1, 0), 1, INK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
            ("LINEBEFORE", (-1, 1), (-1, -1), 0.5, RULE),
            ("LINEBEFORE", (-2, 1), (-2, -1), 0.5, RULE),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None] if blank else [None, BAND]),
        )
    )
    return grid


def _heading_row() -> list[object]:
    return [para(text, "head") for text in HEADINGS]


def _people(sheet: SignInSheet, widths: list[float]) -> Table:
    rows = [_heading_row()]
    for line in sheet.lines:
        table = para(str(line.table) if line.table is not None else "", TABLE_STYLE)
        rows.append([para(line.name, NAME_STYLE), para(line.organisation, "small"), table, ""])
    return _grid(rows, widths)


class _BlankRows(Flowable):
    """Blank rows for walk-ins: at least ``minimum``, and as many as fill the page.

    When fewer than ``minimum`` fit below the list, they start on a new page.
    Centred like reportlab's tables, so that its columns line up with the list's.
    """

    def __init__(self, widths: list[float], minimum: int) -> None:
        super().__init__()
        self.hAlign = "CENTER"
        self.widths = widths
        self.minimum = minimum
        self.width = sum(widths)
        self.label = para(WALK_IN_LABEL, "label")
        self.heading = _grid([_heading_row()], widths, blank=True)
        self.grid = self.heading

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        available = availHeight - 0.5  # a hair spare: rounding must not spill the page
        label = self.label.wrap(self.width, available)[1] + 2 * mm
        heading = self.heading.wrap(self.width, available)[1]
        count = max(self.minimum, math.floor((available - label - heading) / ROW_HEIGHT))
        rows = [_heading_row()] + [["", "", "", ""] for _ in range(count)]
        self.grid = _grid(rows, self.widths, blank=True)
        self.height = label + self.grid.wrap(self.width, available)[1]
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []  # too few fit below the list: they all go to the next page, filling it

    def draw(self) -> None:
        label_height = self.label.height
        self.label.drawOn(self.canv, CELL_PADDING, self.height - label_height)
        self.grid.drawOn(self.canv, 0, 0)


def write_sign_in_sheet_pdf(sheet: SignInSheet, path: str | Path) -> None:
    """Write ``sheet`` as an A4 PDF at ``path`` (atomically and owner-only)."""
    count = len(sheet.lines)
    expected = f"{count} {'person' if count == 1 else 'people'} expected"
    where = " · ".join(x for x in (sheet.when or "Date not set yet", sheet.venue) if x)

    def story(width: float) -> list[Flowable]:
        widths = [width * share for share in COLUMN_SHARES]
        flow = report_header(
            REPORT,
            sheet.title,
            where,
            f"{expected} · please sign beside your name",
        )
        if sheet.lines:
            flow += [_people(sheet, widths), Spacer(1, 7 * mm)]
        flow.append(_BlankRows(widths, MIN_BLANK_ROWS))
        return flow

    write_report_pdf(
        path,
        story,
        title=f"{REPORT}: {sheet.title}",
        footer=footer_text(sheet.title, REPORT, sheet.when.split(",")[0]),
        what="sign-in sheet",
        notice=NOTICE,
    )
