"""The printed attendance report: what the roundtables of a period or series achieved.

An A4 PDF (the shared report styles and fonts): the headline figures, new
connections over time, turnout and rates by sector, the sector mix against the
centre's target and over time, reach, and the roundtables one by one.

Privacy: it prints the tables of ``statistics.export_tables``, where the
"fewer than 3" rule is applied, and its charts draw only what those tables
print (a group too small to print is drawn as "fewer than 3" in grey, or not
at all). It names no one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table

from roundtable_app.core.privacy import (
    FEWER_THAN_3,
    NOT_SHOWN,
    hidden,
    printed_count,
    reveals_lived_experience,
)
from roundtable_app.services.reports.charts import (
    actual_and_target,
    bars_and_running_total,
    stacked_shares,
)
from roundtable_app.services.reports.styles import (
    BAND,
    FAINT,
    RULE,
    STYLES,
    footer_text,
    para,
    report_header,
    table_style,
    write_report_pdf,
)
from roundtable_app.services.statistics import (
    CONNECTIONS_COLOUR,
    CUMULATIVE_COLOUR,
    NOT_RECORDED,
    OTHER_COLOUR,
    PROTECTION_NOTE,
    SEVERAL,
    TARGET_COLOUR,
    Cell,
    ExportTable,
    Figures,
    Percent,
    cell_text,
    day_text,
    export_tables,
    generated_line,
    sector_colour,
)

DEFINITIONS = (
    "Invited: on the list, walk-ins aside. Expected: accepted or tentative. Turnout: the share "
    "of the expected who came; no-show and apology rates: the share of the expected recorded "
    "as no-show or as having sent apologies. Roundtables with no attendance recorded are left "
    "out of these rates. Attended: everyone recorded as attended, walk-ins included. "
    "A new connection: two people seated at the same table, both attending, who had never sat "
    "at a table together before."
)


def _cards(figures: Figures, width: float) -> Table:
    t, reach = figures.totals, figures.reach
    lived = cell_text(_lived(figures))
    cards = [
        ("Roundtables", f"{len(figures.roundtables):,}"),
        ("Attended", f"{t.attended:,}"),
        ("Turnout", cell_text(_percent(t.turnout))),
        ("New connections", f"{figures.new_connections:,}"),
        ("Invited", f"{t.invited:,}"),
        ("Lived-experience participants", lived),
        ("People reached", f"{reach.people_reached:,}"),
        ("Organisations reached", f"{reach.organisations:,}"),
    ]
    big = STYLES["title"].clone("card", fontSize=17, leading=21, spaceAfter=0)
    cells = [[para(value, big), para(label.upper(), "label")] for label, value in cards]
    rows = [[_stack(c) for c in cells[i : i + 4]] for i in (0, 4)]
    grid = Table(rows, colWidths=[width / 4] * 4)
    grid.setStyle(
        table_style(
            ("BACKGROUND", (0, 0), (-1, -1), BAND),
            ("LINEAFTER", (0, 0), (-2, -1), 2, "white"),
            ("LINEBELOW", (0, 0), (-1, 0), 2, "white"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 7),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        )
    )
    return grid


def _stack(flowables: list[Flowable]) -> Table:
    inner = Table([[f] for f in flowables])
    inner.setStyle(
        table_style(("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0))
    )
    return inner


def _percent(value: float | None) -> Cell:
    return None if value is None else Percent(value)


def _lived(figures: Figures) -> Cell:
    return printed_count(figures.totals.lived_attended, protected=True)


def _section(title: str, *lines: str) -> list[Flowable]:
    flow: list[Flowable] = [CondPageBreak(60 * mm), Spacer(1, 6 * mm), para(title, "heading")]
    flow += [Spacer(1, 1.5 * mm)] + [para(line, "meta") for line in lines if line]
    flow.append(Spacer(1, 3 * mm))
    return flow


def _with_chart(section: list[Flowable], chart: Flowable) -> list[Flowable]:
    """A section's heading and its chart on the same page: never a heading left alone."""
    return [KeepTogether([*section, chart])]


#: Shorter headers for the printed tables' narrow columns.
SHORT_HEADERS = {
    "Lived-experience participants": "Lived experience",
    "Share of attendees": "Share",
}


def _grid(
    table: ExportTable, width: float, columns: Sequence[int], shares: Sequence[float]
) -> Table:
    """``table``'s ``columns`` (indexes), numbers right-aligned, the header repeated."""
    total = sum(shares)
    head = [
        para(SHORT_HEADERS.get(table.headers[c], table.headers[c]).upper(), "head") for c in columns
    ]
    rows: list[list[Flowable | str]] = [list(head)]
    right = STYLES["count"].clone("number", textColor=STYLES["cell"].textColor)
    withheld = STYLES["muted"].clone("withheld", alignment=TA_RIGHT, fontSize=8.5)
    for values in table.rows:
        row: list[Flowable | str] = []
        for c in columns:
            value = values[c]
            text = cell_text(value)
            if value in (FEWER_THAN_3, NOT_SHOWN, NOT_RECORDED):
                # "fewer / than 3" if the column is narrow, never a lone "3".
                row.append(para(text.replace(" 3", "\u00a03"), withheld))
            elif isinstance(value, str):
                row.append(para(text, "cell"))
            else:
                row.append(para(text, right))
        rows.append(row)
    grid = Table(rows, colWidths=[width * s / total for s in shares], repeatRows=1)
    grid.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 2.2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
            ("LINEBELOW", (0, 1), (-1, -2), 0.4, FAINT),
        )
    )
    return grid


def _connections(figures: Figures, width: float) -> list[Flowable]:
    pairs = figures.table_pairs
    share = f" ({figures.new_connections / pairs:.0%} of them)" if pairs else ""
    intro = (
        f"{figures.new_connections:,} new connections: of the {pairs:,} pairs of people seated "
        f"at the same table{share}, these had never sat together before."
    )
    flow = _section("New connections", intro)
    if len(figures.buckets) > 1:
        return _with_chart(
            flow,
            bars_and_running_total(
                [b.label for b in figures.buckets],
                [b.new_connections for b in figures.buckets],
                [b.cumulative for b in figures.buckets],
                width,
                bar_name=f"New connections per {figures.bucket_kind}",
                line_name="Running total",
                bar_colour=CONNECTIONS_COLOUR,
                line_colour=CUMULATIVE_COLOUR,
            ),
        )
    return flow


def _sector_mix(
    figures: Figures, table: ExportTable, width: float, targets: Mapping[str, int] | None
) -> list[Flowable]:
    names, shares = [], []
    for s, row in zip(figures.by_sector, table.rows, strict=True):
        names.append(s.sector)
        shown = row[7]
        shares.append(float(shown) if isinstance(shown, float) else None)
    flow = _section(
        "Sector mix against the target" if targets is not None else "Sector mix",
        "Each sector's share of the people who attended"
        + (", beside the share the centre aims for." if targets is not None else "."),
    )
    chart = actual_and_target(
        names,
        shares,
        [targets.get(n, 0) / 100 for n in names] if targets is not None else None,
        width,
        actual_colour=CONNECTIONS_COLOUR,
        target_colour=TARGET_COLOUR,
        hidden_label=FEWER_THAN_3,
    )
    return _with_chart(flow, chart)


def _mix_over_time(figures: Figures, width: float) -> list[Flowable]:
    if len(figures.buckets) < 2:
        return []
    used = [
        i
        for i, name in enumerate(figures.sectors)
        if any(s.sector == name for s in figures.by_sector)
    ]
    series: list[tuple[str, str, list[float]]] = [
        (figures.sectors[i], sector_colour(i), []) for i in used
    ]
    small: list[float] = []
    for bucket in figures.buckets:
        total = sum(bucket.attendees) or 1
        hidden_total = 0
        for k, i in enumerate(used):
            n = bucket.attendees[i]
            protected = bucket.roundtables == 1 or reveals_lived_experience(figures.sectors[i])
            if hidden(n, protected=protected):
                hidden_total += n
                n = 0
            series[k][2].append(n / total)
        small.append(hidden_total / total)
    drawn = [s for s in series if any(s[2])]
    if any(small):
        drawn.append(("Groups of fewer than 3", OTHER_COLOUR, small))
    flow = _section(
        "Sector mix over time",
        f"Each sector's share of the people who attended, per {figures.bucket_kind}.",
    )
    return _with_chart(flow, stacked_shares([b.label for b in figures.buckets], drawn, width))


def _reach(figures: Figures) -> list[Flowable]:
    reach = figures.reach
    return _section(
        "Reach",
        f"{reach.people_reached:,} people from {reach.organisations:,} organisations came, "
        f"of {reach.people_invited:,} people invited.",
        f"{len(reach.never_came):,} people were invited {SEVERAL} times or more and never came "
        "(the names are on the Statistics page, for staff).",
    )


def attendance_story(
    figures: Figures, width: float, targets: Mapping[str, int] | None = None
) -> list[Flowable]:
    """Every flowable of the report, for a frame ``width`` wide."""
    tables = {t.key: t for t in export_tables(figures, targets)}
    n = len(figures.roundtables)
    first, last = figures.first_day, figures.last_day
    span = f" · {day_text(first)} to {day_text(last)}" if first and last and first != last else ""
    flow = report_header(
        "Attendance report",
        figures.label,
        f"{n:,} roundtable{'s' * (n != 1)}{span}",
        generated_line(),
    )
    if not n:
        flow.append(para("No roundtable took place in this period or series.", "body"))
        return flow
    flow.append(_cards(figures, width))
    if figures.unrecorded:
        flow += [
            Spacer(1, 2 * mm),
            para(
                f"{figures.unrecorded:,} of these roundtables have no attendance recorded yet; "
                "they are left out of turnout and the rates.",
                "muted",
            ),
        ]
    flow += _connections(figures, width)
    by_sector = tables["By sector"]
    columns = list(range(len(by_sector.headers)))
    shares = [2.0] + [1.0] * (len(columns) - 1)
    intro = "Invited, accepted and attended, with the turnout and rates."
    flow.append(
        KeepTogether([*_section("By sector", intro), _grid(by_sector, width, columns, shares)])
    )
    flow += _sector_mix(figures, by_sector, width, targets)
    flow += _mix_over_time(figures, width)
    flow += _reach(figures)
    per_rt = tables["Roundtables"]
    flow += _section("Roundtable by roundtable")
    flow.append(_grid(per_rt, width, [0, 1, 3, 5, 7, 8, 10], [12, 32, 9, 11, 10, 12, 14]))
    notes = [para("NOTES", "kicker"), Spacer(1, 1.5 * mm), para(DEFINITIONS, "small")]
    notes += [Spacer(1, 1.5 * mm), para(PROTECTION_NOTE, "small")]
    flow += [Spacer(1, 6 * mm), KeepTogether(notes)]
    return flow


def write_attendance_report_pdf(
    figures: Figures, path: str | Path, *, targets: Mapping[str, int] | None = None
) -> None:
    """Write the attendance report for ``figures`` as an A4 PDF at ``path`` (atomically)."""
    write_report_pdf(
        path,
        lambda width: attendance_story(figures, width, targets),
        title=f"Attendance report: {figures.label}",
        footer=footer_text(figures.label, "Attendance report", generated_line()),
        what="attendance report",
    )
