"""The rows of a sign-in sheet on the page: a heading, one row per person, blank rows.

Drawn on the canvas by a flowable of its own rather than a reportlab ``Table``: a
table applies its style to each of its cells and measures all the rows left over
each time it breaks across a page, which took seconds for 500 people; here each
row is measured once. A cell is plain lines where the column's font prints all of
its text (most names), else a paragraph, which sets each run of another script in
its own font (see :mod:`.fonts`). The heading repeats at the top of each page the
rows continue on, and rows alternate with a light band so that a finger finds its
line across the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Flowable, Paragraph

from roundtable_app.services.reports.fonts import font_runs, markup
from roundtable_app.services.reports.styles import BAND, INK, RULE, STYLES, para

#: Tall enough to sign in: a row of one line of text is this high.
ROW_HEIGHT = 12 * mm
#: A cell's text this far in from its edge (the frame's own padding: text lines up).
CELL_PADDING = 6
#: At least this much space above and below a cell's text.
_MIN_PADDING = 4
_HEAD = STYLES["head"]
_HEAD_HEIGHT = 2 + _HEAD.leading + 4

#: A cell: its text as plain lines, or a paragraph.
Cell: TypeAlias = tuple[str, ...] | Paragraph


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the sheet: its heading, width, text style and alignment."""

    heading: str
    width: float
    style: ParagraphStyle
    centred: bool = False


def cell(text: str, column: Column) -> Cell:
    """``text`` as a cell of ``column``: plain lines where the column's font prints it
    all, broken at spaces to fit; else a paragraph."""
    style = column.style
    runs = font_runs(text, style.fontName)
    if not runs:
        return ()
    if len(runs) == 1 and runs[0][0] == style.fontName:
        # Composed (NFC) as a paragraph would print it, and broken where it would be.
        width = column.width - 2 * CELL_PADDING
        return tuple(simpleSplit(runs[0][1], style.fontName, style.fontSize, width))
    paragraph = Paragraph(markup(text, style.fontName), style)
    paragraph.wrap(column.width - 2 * CELL_PADDING, 1000)
    return paragraph


def _cell_height(value: Cell, style: ParagraphStyle) -> float:
    if isinstance(value, Paragraph):
        return float(value.height)
    return len(value) * style.leading


def row_height(row: Sequence[Cell], columns: Sequence[Column]) -> float:
    """A row's height: ROW_HEIGHT, or more for text over several lines."""
    text = max(_cell_height(v, c.style) for v, c in zip(row, columns, strict=True))
    return max(ROW_HEIGHT, text + 2 * _MIN_PADDING)


class Rows(Flowable):
    """Rows under the column headings, broken across pages with the headings repeated.

    ``first`` is the index of the first row in the whole list (for the bands);
    ``banded``: every other row on a light band.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[Cell]],
        *,
        heights: Sequence[float] | None = None,
        first: int = 0,
        banded: bool = True,
    ) -> None:
        super().__init__()
        self.hAlign = "CENTER"  # like reportlab's tables: the rows span the whole margin
        self.columns = list(columns)
        self.rows = list(rows)
        self.heights = (
            list(heights) if heights is not None else [row_height(r, columns) for r in rows]
        )
        self.first = first
        self.banded = banded
        self.width = sum(c.width for c in columns)
        self.height = _HEAD_HEIGHT + sum(self.heights)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        used, fit = _HEAD_HEIGHT, 0
        while fit < len(self.rows) and used + self.heights[fit] <= availHeight:
            used += self.heights[fit]
            fit += 1
        if fit == 0:
            return []  # not even one row: all of them go to the next page
        if fit == len(self.rows):
            return [self]
        return [self._part(0, fit), self._part(fit, len(self.rows))]

    def _part(self, start: int, end: int) -> Rows:
        return Rows(
            self.columns,
            self.rows[start:end],
            heights=self.heights[start:end],
            first=self.first + start,
            banded=self.banded,
        )

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        x = 0.0
        canvas.setFillColor(_HEAD.textColor)
        canvas.setFont(_HEAD.fontName, _HEAD.fontSize)
        for column in self.columns:
            canvas.drawString(x + CELL_PADDING, top - 2 - _HEAD.fontSize, column.heading)
            x += column.width
        top -= _HEAD_HEIGHT
        # Bands first, then the text, then the rules, so that no band hides a rule.
        tops = [top - sum(self.heights[:n]) for n in range(len(self.heights) + 1)]
        canvas.setFillColor(BAND)
        for n, height in enumerate(self.heights):
            if self.banded and (self.first + n) % 2:
                canvas.rect(0, tops[n] - height, self.width, height, stroke=0, fill=1)
        for row, row_top, height in zip(self.rows, tops, self.heights, strict=False):
            self._draw_row(row, row_top, height)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(1)
        canvas.line(0, top, self.width, top)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        for row_bottom in tops[1:]:
            canvas.line(0, row_bottom, self.width, row_bottom)
        # Rules before the table and signature columns, from the heading down.
        x = 0.0
        for n, column in enumerate(self.columns):
            if n >= len(self.columns) - 2:
                canvas.line(x, tops[-1], x, top)
            x += column.width

    def _draw_row(self, row: Sequence[Cell], top: float, height: float) -> None:
        canvas = self.canv
        x = 0.0
        for value, column in zip(row, self.columns, strict=True):
            style = column.style
            block = _cell_height(value, style)
            block_top = top - (height - block) / 2  # the text in the row's middle
            if isinstance(value, Paragraph):
                value.drawOn(canvas, x + CELL_PADDING, block_top - block)
            elif value:
                canvas.setFillColor(INK)
                canvas.setFont(style.fontName, style.fontSize)
                for k, line in enumerate(value):
                    baseline = block_top - k * style.leading - style.fontSize
                    if column.centred:
                        canvas.drawCentredString(x + column.width / 2, baseline, line)
                    else:
                        canvas.drawString(x + CELL_PADDING, baseline, line)
            x += column.width


class BlankRows(Flowable):
    """Blank rows for walk-ins under a line that says what they are for: at least
    ``minimum``, and as many as fill the rest of the page.

    When fewer than ``minimum`` fit below the list, they all start on a new page.
    """

    def __init__(self, columns: Sequence[Column], label: str, minimum: int) -> None:
        super().__init__()
        self.hAlign = "CENTER"
        self.columns = list(columns)
        self.minimum = minimum
        self.width = sum(c.width for c in columns)
        self.label = para(label, "label")
        self.rows = Rows(columns, [], banded=False)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        available = availHeight - 0.5  # a hair spare: rounding must not spill the page
        label = self.label.wrap(self.width, available)[1] + 2 * mm
        count = max(self.minimum, math.floor((available - label - _HEAD_HEIGHT) / ROW_HEIGHT))
        blank: list[Cell] = [() for _ in self.columns]
        self.rows = Rows(self.columns, [blank] * count, heights=[ROW_HEIGHT] * count, banded=False)
        self.height = label + self.rows.height
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []  # too few fit below the list: they all go to the next page, filling it

    def draw(self) -> None:
        self.label.drawOn(self.canv, CELL_PADDING, self.height - self.label.height)
        self.rows.drawOn(self.canv, 0, 0)
