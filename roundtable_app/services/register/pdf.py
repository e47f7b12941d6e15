"""The register as a PDF: by theme, each theme's needs ranked, ready to set priorities.

Printed from a :class:`RegisterContent`, whose needs already have names
removed and are credited only to sectors that may be named; this module only
lays them out, on the shared report styles and fonts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from roundtable_app.core.discussion import NeedStatus
from roundtable_app.services.register.entries import Entry, RegisterContent
from roundtable_app.services.reports import (
    ACCENT,
    BOLD,
    FAINT,
    MUTED,
    RULE,
    STYLES,
    footer_text,
    markup,
    para,
    report_header,
    table_style,
    write_report_pdf,
)

REPORT = "Evidence-needs register"
HOW = (
    "Within each theme, needs are ranked by how many roundtables raised them, then by how "
    "many sectors, then by priority. Similar needs raised at different roundtables are "
    "grouped as one. The roundtables were held under the Chatham House Rule: nothing here is "
    "attributed to a person, and a sector is named only where enough people from it took "
    "part to stay anonymous."
)
_MUTED = MUTED.hexval().replace("0x", "#")
_ACCENT = ACCENT.hexval().replace("0x", "#")


class _Outline(Flowable):
    """A bookmark in the PDF's outline where a theme starts."""

    def __init__(self, title: str, key: str) -> None:
        super().__init__()
        self.title, self.key = title, key

    def wrap(self, *_: Any) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=0)


def _status(entry: Entry) -> str:
    text = f"Status: {entry.status.label}"
    if entry.status == NeedStatus.ANSWERED and entry.answer_reference:
        text += f" by {entry.answer_reference}"
    if entry.centre_owner:
        text += f" · Owner: {entry.centre_owner}"
    return text


def _count(count: int) -> str:
    return f"{count} need" if count == 1 else f"{count} needs"


def _held(day: Any) -> str:
    return f"{day.day} {day:%b %Y}" if day else "date to be set"


def _entry_markup(entry: Entry) -> str:
    """One need as one paragraph: its words, who raised it, then the details, smaller."""
    lines = [f'<font name="{BOLD}">{markup(entry.text, BOLD)}</font>']
    lines.append(
        f'<font color="{_ACCENT}">{markup(entry.raised[:1].upper() + entry.raised[1:])}</font>'
    )
    facts = [
        f"{entry.priority.value.capitalize()} priority" if entry.priority else "",
        *entry.evidence_kinds,
        _status(entry),
    ]
    lines.append(
        f'<font color="{_MUTED}" size="8.5">{markup(" · ".join(f for f in facts if f))}</font>'
    )
    for other in entry.also:
        lines.append(f'<font color="{_MUTED}" size="8.5">Also raised as: {markup(other)}</font>')
    where = "; ".join(f"{title} ({_held(day)})" for title, day in entry.roundtables)
    lines.append(f'<font color="{_MUTED}" size="8.5">{markup("Roundtables: " + where)}</font>')
    return "<br/>".join(lines)


def _theme_table(entries: tuple[Entry, ...], width: float) -> Table:
    style = STYLES["body"]
    rows = [
        [para(str(rank), "count"), Paragraph(_entry_markup(entry), style)]
        for rank, entry in enumerate(entries, start=1)
    ]
    grid = Table(rows, colWidths=[9 * mm, width - 9 * mm])
    grid.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, -1), 8),
            ("RIGHTPADDING", (1, 0), (1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("LINEBELOW", (0, 0), (-1, -2), 0.4, FAINT),
        )
    )
    return grid


def write_register_pdf(content: RegisterContent, path: str | Path) -> None:
    """Write the register ``content`` as a PDF to ``path`` (atomically)."""
    made = f"{content.made_on.day} {content.made_on:%B %Y}"

    def story(width: float) -> list[Flowable]:
        flow = report_header(
            "Evidence needs",
            REPORT,
            content.scope or "All roundtables",
            f"{content.counts_text} · made on {made}",
        )
        flow.append(para(HOW, "small"))
        flow.append(Spacer(1, 6 * mm))
        if not content.by_theme:
            flow.append(para("No evidence need matches these filters.", "muted"))
        for number, section in enumerate(content.by_theme, start=1):
            count = len(section.entries)
            flow.append(_Outline(section.theme, f"theme{number}"))
            heading = Table(
                [
                    [
                        para(section.theme, "heading"),
                        para(f"{count} need{'s' * (count != 1)}", "count"),
                    ]
                ],
                colWidths=[width * 0.75, width * 0.25],
            )
            heading.setStyle(
                table_style(
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.8, RULE),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                )
            )
            flow += [heading, Spacer(1, 2 * mm), _theme_table(section.entries, width)]
            flow.append(Spacer(1, 7 * mm))
        return flow

    write_report_pdf(
        path,
        story,
        title=f"{REPORT}{' · ' + content.scope if content.scope else ''}",
        footer=footer_text(content.scope or REPORT, REPORT, made),
        what="evidence-needs register",
    )
