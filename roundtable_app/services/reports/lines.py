"""Plain text drawn line by line: the quick paragraph of reports that run to hundreds of pages.

A reportlab ``Paragraph`` breaks its lines by fragments, and draws each line through
a text object that re-encodes every character; for a line of plain text in one font
that is most of a long report's time. :func:`text_block` wraps such a text with
a cache of word widths and draws each line with one ``drawString``, the same letters in the
same font and place. Text that needs more (another script's font, right-to-left
shaping, markup characters, a word wider than the column) is a :func:`quick_para`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from roundtable_app.services.reports.fonts import needs_shaping, plain_text
from roundtable_app.services.reports.styles import STYLES, quick_para

#: The width of each word met, by font and size: a register's words recur thousands of times.
_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}


def _split(text: str, font: str, size: float, width: float) -> list[str] | None:
    """``text``'s lines at most ``width`` wide, broken at spaces (as reportlab's
    ``simpleSplit``); ``None`` if a word alone is wider."""
    widths = _WIDTHS.setdefault((font, size), {})
    space = widths.get(" ")
    if space is None:
        space = widths[" "] = stringWidth(" ", font, size)
    lines: list[str] = []
    line: list[str] = []
    used = -space
    for word in text.split():
        w = widths.get(word)
        if w is None:
            if len(widths) > 200_000:  # a long-running app prints many registers
                widths.clear()
            w = widths[word] = stringWidth(word, font, size)
        if w > width + 0.01:
            return None
        if line and used + space + w > width:
            lines.append(" ".join(line))
            line, used = [word], w
        else:
            line.append(word)
            used += space + w
    if line:
        lines.append(" ".join(line))
    return lines


def _quick_line(text: Any, line: str) -> bool:
    """``text.textLine(line)`` for a line whose letters the document's font already holds
    in its first subset (nearly every line of a long report), without reportlab's loop
    over each character: the letters' codes are looked up together. ``False`` (nothing
    done) for any other line, which reportlab then writes as ever.
    """
    canvas = text._canvas
    font = getFont(text._fontname)
    state = getattr(font, "state", {}).get(canvas._doc)
    if state is None or not line or not canvas.bottomup:
        return False
    codes = list(map(state.assignments.get, map(ord, line)))
    if None in codes or max(codes) > 255:  # a new letter, or one in another subset
        return False
    if text._curSubset != 0:
        name = font.getSubsetInternalName(0, canvas._doc)
        text._code.append(f"{name} {fp_str(text._fontsize)} Tf {fp_str(text._leading)} TL")
        text._curSubset = 0
    text._x = text._x0
    text._y = text._y - text._leading
    text._y0 = text._y
    text._code.append(f"({canvas._escape(bytes(codes))}) Tj T*")
    return True


class _Lines(Flowable):
    """``text`` in ``style``'s font, size, colour and leading, wrapped at spaces."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self._width = -1.0
        self._lines: list[str] = []
        self._fallback: Flowable | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if available_width != self._width:
            self._width = available_width
            style = self.style
            width = available_width - style.leftIndent - style.rightIndent
            lines = _split(self.text, style.fontName, style.fontSize, width)
            self._lines = lines or []
            self._fallback = quick_para(self.text, style.name) if lines is None else None
            if self._fallback is not None:
                _, self.height = self._fallback.wrap(available_width, available_height)
            else:
                self.height = style.leading * max(1, len(self._lines))
            self.width = available_width
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # reportlab's name
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:  # reportlab's name
        return float(self.style.spaceAfter)

    def draw(self) -> None:
        if self._fallback is not None:
            self._fallback.drawOn(self.canv, 0, 0)
            return
        text = self.canv.beginText()
        self.write(text, 0, 0)
        self.canv.drawText(text)

    def write(self, text: PDFTextObject, x: float, y: float) -> bool:
        """Add the lines to ``text`` with the block's bottom left at (x, y); ``False``
        (and nothing added) when the block is a paragraph that draws itself."""
        if self._fallback is not None:
            return False
        style = self.style
        # Colour and font only when they change: a long report's blocks mostly repeat them.
        if getattr(text, "_roundtable_colour", None) is not style.textColor:
            text.setFillColor(style.textColor)
            text._roundtable_colour = style.textColor
        if (text._fontname, text._fontsize, text._leading) != (
            style.fontName,
            style.fontSize,
            style.leading,
        ):
            text.setFont(style.fontName, style.fontSize, style.leading)
        text.setTextOrigin(x + style.leftIndent, y + self.height - style.fontSize)
        for line in self._lines:
            if not _quick_line(text, line):
                text.textLine(line)
        return True


def write_blocks(canvas: Canvas, blocks: Sequence[tuple[Flowable, float, float]]) -> None:
    """Draw wrapped blocks at (x, y) each, the plain ones in one text object: a long
    report draws thousands, and each ``drawOn`` saves and restores the canvas."""
    text = canvas.beginText()
    for block, x, y in blocks:
        if not (isinstance(block, _Lines) and block.write(text, x, y)):
            block.drawOn(canvas, x, y)
    canvas.drawText(text)


def text_block(text: str, style: str = "body") -> Flowable:
    """``text`` in the report style ``style``, as quick to lay out as it can be."""
    chosen = STYLES[style]
    if text.isascii() and text.isprintable() and text.strip():
        # Plain ASCII: every report font prints it, nothing to shape or escape here.
        return _Lines(" ".join(text.split()), chosen)
    plain = plain_text(text, chosen.fontName)
    if plain is None or needs_shaping(plain) or not plain.strip() or "\t" in plain:
        return quick_para(text, style)
    return _Lines(" ".join(plain.split()), chosen)
