"""The printed table plan: who sits at which table, and why they are together.

An A4 PDF for staff on the day (reportlab platypus): a header with the
roundtable's title, date, venue and counts, then one block per table (its
members with organisation and sector, and "Why together": the interests the
table shares, the new pairings it makes, its sector mix), never split across
pages, with page numbers in the footer.

Privacy: members are printed through :func:`~roundtable_app.services.grouping.printable`, so a
lived-experience participant who has not consented to be named appears as
"Name withheld", and nothing in the file says "lived experience".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from roundtable_app.core.grouping.scoring_explain import TableExplanation
from roundtable_app.services.files import write_atomically
from roundtable_app.services.grouping import Plan, printed_members, printed_sector_mix

INK = colors.HexColor("#1f2328")
MUTED = colors.HexColor("#5f6670")
RULE = colors.HexColor("#c9ced6")
FAINT = colors.HexColor("#e6e9ee")
BAND = colors.HexColor("#f4f6f8")
ACCENT = colors.HexColor("#2f5d8a")
MARGIN = 18 * mm

_BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=9.5, leading=12, textColor=INK)
STYLES = {
    "title": ParagraphStyle(
        "title", parent=_BASE, fontName="Helvetica-Bold", fontSize=20, leading=24, spaceAfter=4
    ),
    "kicker": ParagraphStyle(
        "kicker", parent=_BASE, fontName="Helvetica-Bold", fontSize=8.5, textColor=ACCENT
    ),
    "meta": ParagraphStyle("meta", parent=_BASE, fontSize=10.5, leading=15, textColor=MUTED),
    "table": ParagraphStyle(
        "table", parent=_BASE, fontName="Helvetica-Bold", fontSize=13.5, leading=17
    ),
    "count": ParagraphStyle("count", parent=_BASE, textColor=MUTED, alignment=TA_RIGHT),
    "head": ParagraphStyle(
        "head", parent=_BASE, fontName="Helvetica-Bold", fontSize=8, textColor=MUTED
    ),
    "cell": _BASE,
    "withheld": ParagraphStyle(
        "withheld", parent=_BASE, fontName="Helvetica-Oblique", textColor=MUTED
    ),
    "why_label": ParagraphStyle(
        "why_label", parent=_BASE, fontName="Helvetica-Bold", fontSize=8.5, textColor=MUTED
    ),
    "why": ParagraphStyle("why", parent=_BASE, fontSize=9, leading=12),
}


def _when_text(when: dt.datetime | dt.date | str | None) -> str:
    if when is None or isinstance(when, str):
        return when or ""
    day = f"{when:%A} {when.day} {when:%B %Y}"
    if isinstance(when, dt.datetime):
        return f"{day}, {when:%H:%M}"
    return day


def _p(text: str, style: str) -> Paragraph:
    return Paragraph(escape(text), STYLES[style])


def _header(plan: Plan, title: str, when: str, venue: str | None) -> list:
    tables = len(plan.tables)
    counts = f"{tables} table{'s' * (tables != 1)} · {plan.people} people"
    where = " · ".join(x for x in (when, venue or "") if x)
    flow = [_p("TABLE PLAN", "kicker"), _p(title, "title")]
    if where:
        flow.append(_p(where, "meta"))
    flow.append(_p(counts, "meta"))
    flow += [
        Spacer(1, 3 * mm),
        HRFlowable(width="100%", thickness=1.2, color=INK, spaceAfter=5 * mm),
    ]
    return flow


def _members_table(plan: Plan, table: TableExplanation, width: float) -> Table:
    rows = [[_p("NAME", "head"), _p("ORGANISATION", "head"), _p("SECTOR", "head")]]
    for m in printed_members(plan, table):
        name = _p(m.name, "withheld" if m.withheld else "cell")
        rows.append([name, _p(m.organisation, "cell"), _p(m.sector, "cell")])
    widths = [width * 0.3, width * 0.45, width * 0.25]
    grid = Table(rows, colWidths=widths, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 2.6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
                ("LINEBELOW", (0, 1), (-1, -2), 0.4, FAINT),
            ]
        )
    )
    return grid


def _why(plan: Plan, table: TableExplanation, width: float) -> Table:
    shared = " · ".join(f"{name} ({count})" for name, count in table.shared_interests[:6])
    mix = " · ".join(f"{name} {count}" for name, count in printed_sector_mix(plan, table))
    pairs = (
        f"{table.new_pairings} of {table.pairs} pairs have not sat at a table together before"
        if table.pairs
        else "—"
    )
    rows = [
        [_p("Shared interests", "why_label"), _p(shared or "No interest shared by two", "why")],
        [_p("New pairings", "why_label"), _p(pairs, "why")],
        [_p("Sector mix", "why_label"), _p(mix or "—", "why")],
    ]
    box = Table(rows, colWidths=[width * 0.2, width * 0.8])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), BAND),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, 0), 7),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
            ]
        )
    )
    return box


def _table_block(plan: Plan, table: TableExplanation, width: float) -> KeepTogether:
    heading = Table(
        [[_p(f"Table {table.number}", "table"), _p(f"{table.size} people", "count")]],
        colWidths=[width * 0.7, width * 0.3],
    )
    heading.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, ACCENT),
            ]
        )
    )
    return KeepTogether(
        [
            heading,
            Spacer(1, 2 * mm),
            _members_table(plan, table, width),
            Spacer(1, 3 * mm),
            _p("WHY TOGETHER", "kicker"),
            Spacer(1, 1.5 * mm),
            _why(plan, table, width),
            Spacer(1, 8 * mm),
        ]
    )


def _numbered_canvas(footer: str) -> type[Canvas]:
    """A canvas that writes "Page n of m" once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _ = A4
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, 13 * mm, width - MARGIN, 13 * mm)
            self.setFont("Helvetica", 8)
            self.setFillColor(MUTED)
            self.drawString(MARGIN, 9 * mm, footer)
            self.drawRightString(width - MARGIN, 9 * mm, f"Page {self._pageNumber} of {total}")

    return NumberedCanvas


def write_table_plan_pdf(
    plan: Plan,
    roundtable_title: str,
    path: str | Path,
    *,
    when: dt.datetime | dt.date | str | None = None,
    venue: str | None = None,
) -> None:
    """Write the plan as an A4 PDF at ``path`` (atomically; see ``write_atomically``).

    ``when`` is printed as given, so pass the start in the roundtable's own
    time zone (the database stores UTC); ``venue`` is the room or address.
    """
    when_text = _when_text(when)
    short_title = roundtable_title
    if len(short_title) > 60:  # the footer is one line: shorten the title, keep the date
        short_title = short_title[:59].rstrip() + "…"
    footer = " · ".join(x for x in (short_title, "Table plan", when_text) if x)

    def write(tmp: str) -> None:
        doc = SimpleDocTemplate(
            tmp,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=22 * mm,
            title=f"Table plan: {roundtable_title}",
            author="Roundtable",
        )
        story = _header(plan, roundtable_title, when_text, venue)
        for table in plan.explanation.tables:
            story.append(_table_block(plan, table, doc.width))
        doc.build(story, canvasmaker=_numbered_canvas(footer))

    write_atomically(path, write, "table plan")
