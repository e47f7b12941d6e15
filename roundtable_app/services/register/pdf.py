"""The register as a PDF: by theme, each theme's needs ranked, ready to set priorities.

Printed from a :class:`RegisterContent`, whose needs already have names
removed and are credited only to sectors that may be named; this module only
lays them out, on the shared report styles and fonts.

A register runs to hundreds of pages, so each need is one small flowable (its
rank beside its paragraphs, kept whole on a page) rather than a row of one
long table: reportlab re-lays a table's remaining rows at every page break,
which made a 5,000-need register take over a minute.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from roundtable_app.core.discussion import NeedStatus
from roundtable_app.services.register.entries import Entry, RegisterContent
from roundtable_app.services.reports import (
    FAINT,
    RULE,
    STYLES,
    PdfFinish,
    bookmark,
    footer_text,
    para,
    report_header,
    table_style,
    text_block,
    write_blocks,
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
#: How many roundtables an entry lists by name before "and N more".
MOST_ROUNDTABLES = 4
_RANK_WIDTH = 10 * mm
_SIDE_WIDTH = 34 * mm
_GAP = 1.8 * mm
#: An entry taller than this is split across pages like any paragraph (none is, in practice).
_KEPT_WHOLE = 150 * mm


def _held(day: dt.date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else "date to be set"


def _raised(entry: Entry) -> str:
    """Who raised it and where: "Raised at Care in the community (23 Oct 2024) by
    Government", or for several roundtables the count, then the first few."""
    if len(entry.roundtables) == 1:
        title, day = entry.roundtables[0]
        return f"Raised at {title} ({_held(day)}){entry.raised.split('roundtable', 1)[1]}"
    return entry.raised[:1].upper() + entry.raised[1:]


def _roundtables(entry: Entry) -> str:
    shown = [f"{title} ({_held(day)})" for title, day in entry.roundtables[:MOST_ROUNDTABLES]]
    more = len(entry.roundtables) - len(shown)
    return "At " + "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def _side(entry: Entry) -> list[tuple[str, str]]:
    """The right-hand column: (text, style) of priority, kind, status, owner and answer."""
    lines = [
        (
            f"{entry.priority.value.capitalize()} priority" if entry.priority else "No priority",
            "side_strong",
        ),
        *((kind, "side") for kind in entry.evidence_kinds),
        (entry.status.label, "side"),
    ]
    if entry.centre_owner:
        lines.append((f"Owner: {entry.centre_owner}", "side"))
    if entry.status == NeedStatus.ANSWERED and entry.answer_reference:
        lines.append((f"Answered by {entry.answer_reference}", "side"))
    return lines


class _Entry(Flowable):
    """One ranked need, kept on one page: its rank, its paragraphs, and at the right its
    priority and status."""

    def __init__(self, rank: int, entry: Entry) -> None:
        super().__init__()
        self.rank = str(rank)
        self.blocks = [
            text_block(entry.text, "need"),
            text_block(_raised(entry), "raised"),
            *(text_block(f"Also raised as: {other}", "facts") for other in entry.also),
        ]
        if len(entry.roundtables) > 1:
            self.blocks.append(text_block(_roundtables(entry), "facts"))
        self.side = [text_block(text, style) for text, style in _side(entry)]
        self._width = -1.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if available_width != self._width:
            self._width = available_width
            main = available_width - _RANK_WIDTH - _SIDE_WIDTH
            self._main = self._stack(self.blocks, main - 4 * mm, available_height)
            self._right = self._stack(self.side, _SIDE_WIDTH, available_height)
            self.width = available_width
            self.height = max(self._main[-1], self._right[-1]) + 2 * _GAP
        return self.width, self.height

    @staticmethod
    def _stack(blocks: list[Flowable], width: float, height: float) -> list[float]:
        """Each block's distance from the top to its bottom, then the stack's height."""
        bottoms, y = [], 0.0
        for index, block in enumerate(blocks):
            if index:
                y += block.getSpaceBefore()
            y += block.wrap(width, height)[1]
            bottoms.append(y)
        return [*bottoms, y]

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        if self.height <= _KEPT_WHOLE:
            return []  # the next page
        return [*self.blocks, *self.side]

    def draw(self) -> None:
        canvas = self.canv
        top = self.height - _GAP
        rank = STYLES["count"]
        canvas.setFont(rank.fontName, rank.fontSize)
        canvas.setFillColor(rank.textColor)
        canvas.drawRightString(_RANK_WIDTH - 3 * mm, top - rank.fontSize, self.rank)
        write_blocks(
            canvas,
            [
                (block, x, top - bottom)
                for blocks, x, bottoms in (
                    (self.blocks, _RANK_WIDTH, self._main),
                    (self.side, self.width - _SIDE_WIDTH, self._right),
                )
                for block, bottom in zip(blocks, bottoms, strict=False)
            ],
        )
        canvas.setStrokeColor(FAINT)
        canvas.setLineWidth(0.4)
        canvas.line(0, 0, self.width, 0)


def _theme_heading(theme: str, count: int, width: float) -> Table:
    heading = Table(
        [[para(theme, "heading"), para(f"{count} need{'s' * (count != 1)}", "count")]],
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
    return heading


def write_register_pdf(content: RegisterContent, path: str | Path, *, centre: str = "") -> None:
    """Write the register ``content`` as a PDF to ``path`` (atomically).

    ``centre`` (the centre's name, from the settings) heads the first page and is
    the file's author.
    """
    made = f"{content.made_on.day} {content.made_on:%B %Y}"
    scope = content.scope or "All roundtables"

    def story(width: float) -> list[Flowable]:
        flow = report_header(
            centre.strip() or "Evidence needs",
            REPORT,
            scope,
            f"{content.counts_text} · made on {made}",
        )
        flow.append(para(HOW, "small"))
        flow.append(Spacer(1, 6 * mm))
        if not content.by_theme:
            flow.append(para("No evidence need matches these filters.", "muted"))
        for section in content.by_theme:
            entries = [_Entry(rank, e) for rank, e in enumerate(section.entries, start=1)]
            # A theme's heading never ends a page: it goes with its first need.
            flow.append(
                KeepTogether(
                    [
                        bookmark(section.theme),
                        _theme_heading(section.theme, len(section.entries), width),
                        Spacer(1, 1 * mm),
                        *entries[:1],
                    ]
                )
            )
            flow += entries[1:]
            flow.append(Spacer(1, 7 * mm))
        return flow

    themes = [section.theme for section in content.by_theme]
    write_report_pdf(
        path,
        story,
        title=f"{REPORT}{' · ' + content.scope if content.scope else ''}",
        footer=footer_text(scope, REPORT, made),
        what="evidence-needs register",
        finish=PdfFinish(
            subject=f"Evidence needs raised at roundtables: {content.counts_text}",
            author=centre.strip() or "Roundtable",
            keywords=("evidence needs", "research priorities", *themes[:20]),
            language="en-GB",
            header=f"{REPORT} · {scope}",
        ),
    )
