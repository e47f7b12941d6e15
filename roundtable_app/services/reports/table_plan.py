"""The printed table plan: who sits at which table, and why they are together.

An A4 PDF for staff on the day (reportlab platypus): a header with the
roundtable's title, date, venue and counts, then one block per table (its
members with organisation and sector, and "Why together": the interests the
table shares, the new pairings it makes, its sector mix), never split across
pages, with page numbers in the footer. Its look and its fonts are the shared
report styles (:mod:`.styles`), so names print in whatever script they are written.

Privacy: members are printed through :func:`~roundtable_app.services.grouping.printable`, so a
lived-experience participant who has not consented to be named appears as
"Name withheld", and nothing in the file says "lived experience".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from roundtable_app.core.grouping.scoring_explain import TableExplanation
from roundtable_app.services.grouping import Plan, printed_members, printed_sector_mix
from roundtable_app.services.reports.styles import (
    ACCENT,
    BAND,
    FAINT,
    RULE,
    footer_text,
    para,
    report_header,
    table_style,
    write_report_pdf,
)


def _when_text(when: dt.datetime | dt.date | str | None) -> str:
    if when is None or isinstance(when, str):
        return when or ""
    day = f"{when:%A} {when.day} {when:%B %Y}"
    if isinstance(when, dt.datetime):
        return f"{day}, {when:%H:%M}"
    return day


def _header(plan: Plan, title: str, when: str, venue: str | None) -> list[Flowable]:
    tables = len(plan.tables)
    counts = f"{tables} table{'s' * (tables != 1)} · {plan.people} people"
    where = " · ".join(x for x in (when, venue or "") if x)
    return report_header("Table plan", title, where, counts)


def _members_table(plan: Plan, table: TableExplanation, width: float) -> Table:
    rows = [[para("NAME", "head"), para("ORGANISATION", "head"), para("SECTOR", "head")]]
    for m in printed_members(plan, table):
        name = para(m.name, "muted" if m.withheld else "cell")
        rows.append([name, para(m.organisation, "cell"), para(m.sector, "cell")])
    widths = [width * 0.3, width * 0.45, width * 0.25]
    grid = Table(rows, colWidths=widths, repeatRows=1)
    grid.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 2.6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
            ("LINEBELOW", (0, 1), (-1, -2), 0.4, FAINT),
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
        [para("Shared interests", "label"), para(shared or "No interest shared by two", "small")],
        [para("New pairings", "label"), para(pairs, "small")],
        [para("Sector mix", "label"), para(mix or "—", "small")],
    ]
    box = Table(rows, colWidths=[width * 0.2, width * 0.8])
    box.setStyle(
        table_style(
            ("BACKGROUND", (0, 0), (-1, -1), BAND),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 7),
            ("RIGHTPADDING", (0, 0), (-1, -1), 7),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, 0), 7),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
        )
    )
    return box


def _table_block(plan: Plan, table: TableExplanation, width: float) -> KeepTogether:
    heading = Table(
        [[para(f"Table {table.number}", "heading"), para(f"{table.size} people", "count")]],
        colWidths=[width * 0.7, width * 0.3],
    )
    heading.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LINEBELOW", (0, 0), (-1, 0), 1.2, ACCENT),
        )
    )
    return KeepTogether(
        [
            heading,
            Spacer(1, 2 * mm),
            _members_table(plan, table, width),
            Spacer(1, 3 * mm),
            para("WHY TOGETHER", "kicker"),
            Spacer(1, 1.5 * mm),
            _why(plan, table, width),
            Spacer(1, 8 * mm),
        ]
    )


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

    def story(width: float) -> list[Flowable]:
        flow = _header(plan, roundtable_title, when_text, venue)
        for table in plan.explanation.tables:
            flow.append(_table_block(plan, table, width))
        return flow

    write_report_pdf(
        path,
        story,
        title=f"Table plan: {roundtable_title}",
        footer=footer_text(roundtable_title, "Table plan", when_text),
        what="table plan",
    )
