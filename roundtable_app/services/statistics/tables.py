"""The figures as the exports print them: titled tables, small numbers protected.

The CSV file, the spreadsheet and the PDF report all print these tables, so
the "fewer than 3" rule (:mod:`roundtable_app.core.privacy`) is applied here once, for all of
them. A cell is an ``int``, a :class:`Percent`, text, or None (nothing to say:
a rate with nothing to divide by).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from roundtable_app.core.privacy import (
    NOT_SHOWN,
    printed_count,
    printed_rate,
    reveals_lived_experience,
)
from roundtable_app.services.statistics.figures import SEVERAL, Counts, Figures, day_text


class Percent(float):
    """A share (0.5 is 50%), printed as a percentage."""

    def __str__(self) -> str:
        return f"{self:.0%}"


Cell = int | float | str | None
NOT_RECORDED = "not recorded"


@dataclass(frozen=True, slots=True)
class ExportTable:
    """One table of an export: its title, column headers and rows of cells."""

    key: str  # a short name: the spreadsheet's sheet, the CSV section
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""


def _rate(value: float | str | None) -> Cell:
    return Percent(value) if isinstance(value, float) else value


def cell_text(value: Cell) -> str:
    """How a cell reads in a CSV file or a PDF table."""
    if value is None:
        return "–"
    if isinstance(value, Percent):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


PROTECTION_NOTE = (
    "To protect the people counted, a number below 3 of lived-experience participants, "
    "or of a sector at a single roundtable, is shown as “fewer than 3”, and a rate worked "
    "out from it as “not shown”."
)


def _counts_cells(c: Counts, protected: bool) -> tuple[Cell, ...]:
    """Invited, accepted, attended, turnout, no-show rate, apology rate.

    The three rates of the expected add up (with those not recorded) to the
    whole, so if one of them would give a hidden count back, none is shown.
    """
    shown = printed_count
    rates = [
        printed_rate(part, c.expected, protected=protected, whole_protected=protected)
        for part in (c.came, c.no_shows, c.apologies)
    ]
    if NOT_SHOWN in rates:
        rates = [NOT_SHOWN if rate is not None else None for rate in rates]
    return (
        shown(c.invited, protected=protected),
        shown(c.accepted, protected=protected),
        shown(c.attended, protected=protected),
        *(_rate(rate) for rate in rates),
    )


def summary_table(figures: Figures) -> ExportTable:
    t, reach = figures.totals, figures.reach
    lived = printed_count(t.lived_attended, protected=True)
    rows: list[tuple[Cell, ...]] = [
        ("What", figures.label),
        ("Roundtables", len(figures.roundtables)),
        ("Roundtables without attendance recorded", figures.unrecorded),
        ("Invited", t.invited),
        ("Accepted", t.accepted),
        ("Attended (walk-ins included)", t.attended),
        ("Walk-ins", t.walk_ins),
        ("Turnout (of those expected)", _rate(t.turnout)),
        ("No-show rate", _rate(t.no_show_rate)),
        ("Apology rate", _rate(t.apology_rate)),
        ("Lived-experience participants", lived),
        (
            "Lived-experience share of attendees",
            _rate(printed_rate(t.lived_attended, t.attended, protected=True)),
        ),
        ("New connections", figures.new_connections),
        ("Pairs seated together", figures.table_pairs),
        ("People invited", reach.people_invited),
        ("People reached (came at least once)", reach.people_reached),
        ("Organisations reached", reach.organisations),
        (f"Invited {SEVERAL} times or more, never came", len(reach.never_came)),
    ]
    return ExportTable("Summary", "Headline figures", ("Figure", "Value"), tuple(rows))


def sector_table(figures: Figures, targets: Mapping[str, int] | None) -> ExportTable:
    headers: tuple[str, ...] = (
        "Sector",
        "Invited",
        "Accepted",
        "Attended",
        "Turnout",
        "No-show rate",
        "Apology rate",
        "Share of attendees",
    )
    if targets is not None:
        headers += ("Target share",)
    rows = []
    total = figures.totals.attended
    for s in figures.by_sector:
        protected = figures.single or reveals_lived_experience(s.sector)
        share = _rate(printed_rate(s.counts.attended, total, protected=protected))
        row: tuple[Cell, ...] = (s.sector, *_counts_cells(s.counts, protected), share)
        if targets is not None:
            row += (Percent(targets.get(s.sector, 0) / 100),)
        rows.append(row)
    return ExportTable("By sector", "By sector", headers, tuple(rows), PROTECTION_NOTE)


def roundtable_table(figures: Figures) -> ExportTable:
    headers = (
        "Date",
        "Roundtable",
        "Series",
        "Invited",
        "Accepted",
        "Attended",
        "Walk-ins",
        "Turnout",
        "Lived-experience participants",
        "Pairs seated together",
        "New connections",
        "New connections so far",
    )
    rows = tuple(
        (
            r.day.isoformat() if r.day else "",
            r.title,
            r.series,
            r.counts.invited,
            r.counts.accepted,
            r.counts.attended if r.recorded else NOT_RECORDED,
            r.counts.walk_ins,
            _rate(r.counts.turnout),
            printed_count(r.counts.lived_attended, protected=True) if r.recorded else None,
            r.table_pairs,
            r.new_connections,
            r.cumulative,
        )
        for r in figures.roundtables
    )
    return ExportTable("Roundtables", "Roundtable by roundtable", headers, rows, PROTECTION_NOTE)


def mix_table(figures: Figures) -> ExportTable:
    """Attendees by sector per month or quarter (a period with one roundtable is protected)."""
    headers = ("Period", "Roundtables", *figures.sectors, "All attendees")
    rows = tuple(
        (
            b.label,
            b.roundtables,
            *(
                printed_count(
                    n,
                    protected=b.roundtables == 1 or reveals_lived_experience(figures.sectors[i]),
                )
                for i, n in enumerate(b.attendees)
            ),
            sum(b.attendees),
        )
        for b in figures.buckets
    )
    return ExportTable(
        "Sector mix",
        f"Attendees by sector, per {figures.bucket_kind}",
        headers,
        rows,
        PROTECTION_NOTE,
    )


def connections_table(figures: Figures) -> ExportTable:
    headers = ("Period", "Roundtables", "New connections", "New connections so far")
    rows = tuple((b.label, b.roundtables, b.new_connections, b.cumulative) for b in figures.buckets)
    return ExportTable(
        "New connections",
        f"New connections, per {figures.bucket_kind}",
        headers,
        rows,
        "A new connection: two people seated at the same table, both attending, "
        "who had never sat at a table together before.",
    )


def export_tables(figures: Figures, targets: Mapping[str, int] | None = None) -> list[ExportTable]:
    """Every table of an export, in order (``targets``: add the target share per sector)."""
    return [
        summary_table(figures),
        sector_table(figures, targets),
        roundtable_table(figures),
        connections_table(figures),
        mix_table(figures),
    ]


def generated_line(now: dt.datetime | None = None) -> str:
    """ "Generated 3 Mar 2026" (in the computer's own zone)."""
    today = (now or dt.datetime.now()).date()
    return f"Generated {day_text(today)}"
