"""The look every printed report shares: colours, paragraph styles, header, page template.

A report module builds its story from :func:`para` (text in any script, escaped and
set in the shipped fonts: see :mod:`.fonts`), :func:`report_header` and reportlab's
tables, and writes it with :func:`write_report_pdf`, which lays out A4 pages with the
footer ("<title> · <report> · <date>" and "Page n of m") and writes the file
atomically. Table plan, sign-in sheets, summaries and registers thus look alike and
print every name the same way.

What a longer document needs is there for any report, and off unless asked for
(:class:`PdfFinish`): the file's properties beyond its title (subject, author,
keywords, language), a running header on every page after the first, a faint
"Draft" across every page, and bookmarks (:func:`bookmark`, a flowable placed
before a heading) that a PDF viewer lists as the document's outline.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag

from roundtable_app.services.files import write_atomically
from roundtable_app.services.reports.fonts import (
    BOLD,
    ITALIC,
    REGULAR,
    markup,
    needs_shaping,
    plain_text,
    register_fonts,
)

INK = colors.HexColor("#1f2328")
MUTED = colors.HexColor("#5f6670")
RULE = colors.HexColor("#c9ced6")
FAINT = colors.HexColor("#e6e9ee")
BAND = colors.HexColor("#f4f6f8")
ACCENT = colors.HexColor("#2f5d8a")
MARGIN = 18 * mm
PAGE_SIZE = A4

# shaping=1: HarfBuzz joins Arabic letters and lays right-to-left runs out (see .fonts).
_BASE = ParagraphStyle(
    "base", fontName=REGULAR, fontSize=9.5, leading=12.5, textColor=INK, shaping=1
)


def _style(name: str, **overrides: Any) -> ParagraphStyle:
    return ParagraphStyle(name, parent=_BASE, **overrides)


#: The paragraph styles of every report, by name.
STYLES: dict[str, ParagraphStyle] = {
    "body": _BASE,
    "title": _style("title", fontName=BOLD, fontSize=20, leading=26, spaceAfter=4),
    "kicker": _style("kicker", fontName=BOLD, fontSize=8.5, textColor=ACCENT),
    "meta": _style("meta", fontSize=10.5, leading=15, textColor=MUTED),
    "heading": _style("heading", fontName=BOLD, fontSize=13.5, leading=18),
    "count": _style("count", textColor=MUTED, alignment=TA_RIGHT),
    "head": _style("head", fontName=BOLD, fontSize=8, textColor=MUTED),
    "cell": _BASE,
    "muted": _style("muted", fontName=ITALIC, textColor=MUTED),
    "label": _style("label", fontName=BOLD, fontSize=8.5, textColor=MUTED),
    "small": _style("small", fontSize=9, leading=12),
    "footer": _style("footer", fontSize=8, leading=10, textColor=MUTED),
    "page": _style("page", fontSize=8, leading=10, textColor=MUTED, alignment=TA_RIGHT),
    "notice": _style("notice", fontName=BOLD, fontSize=8, leading=10, textColor=INK),
    # Longer documents (summaries, registers): headings under a section, lists, notes.
    "subheading": _style("subheading", fontName=BOLD, fontSize=11, leading=15, spaceAfter=1),
    "theme": _style("theme", fontName=BOLD, fontSize=9.5, leading=13, textColor=ACCENT),
    "question": _style("question", fontName=BOLD, leading=13, spaceBefore=5, spaceAfter=2),
    "bullet": _style("bullet", leftIndent=5 * mm, bulletIndent=1 * mm, spaceBefore=3),
    "detail": _style(
        "detail", fontSize=8.5, leading=11, textColor=MUTED, leftIndent=5 * mm, spaceBefore=0.5
    ),
    # The evidence-needs register: a need, who raised it, and the centre's work on it.
    "need": _style("need", fontName=BOLD, fontSize=9.5, leading=12),
    "raised": _style("raised", fontSize=8.5, leading=11, textColor=ACCENT, spaceBefore=1),
    "facts": _style("facts", fontSize=8, leading=10.5, textColor=MUTED, spaceBefore=0.5),
    "side_strong": _style("side_strong", fontName=BOLD, fontSize=8.5, leading=12),
    "side": _style("side", fontSize=8, leading=10.5, textColor=MUTED),
}


def para(text: str, style: str | ParagraphStyle = "body") -> Paragraph:
    """A paragraph that prints plain ``text`` as typed, whatever its script."""
    chosen = STYLES[style] if isinstance(style, str) else style
    return Paragraph(markup(text, chosen.fontName), chosen)


_UNSHAPED: dict[str, ParagraphStyle] = {}
#: For each style, the fragment reportlab's parser makes of a plain text in it.
_PLAIN_FRAGMENT: dict[str, ParaFrag] = {}


def quick_para(text: str, style: str = "body", **kwargs: Any) -> Paragraph:
    """:func:`para` for long documents, the same paragraph made faster.

    Text that needs no shaping (see :func:`~.fonts.needs_shaping`) is laid out
    without HarfBuzz, several times faster; text in Arabic, Hebrew or with combining
    marks is shaped as ever. Text that needs no markup (:func:`~.fonts.plain_text`:
    most notes) skips reportlab's markup parser, which took most of the time of
    making a paragraph: it gets a copy of the one fragment the parser makes of such
    a text in that style.
    """
    chosen = STYLES[style]
    if not needs_shaping(text):
        chosen = _UNSHAPED.get(style) or _UNSHAPED.setdefault(
            style, ParagraphStyle(f"{style}_unshaped", parent=chosen, shaping=0)
        )
    plain = plain_text(text, chosen.fontName)
    cleaned = cleanBlockQuotedText(plain) if plain is not None else ""
    if not cleaned:
        return Paragraph(markup(text, chosen.fontName), chosen, **kwargs)
    template = _PLAIN_FRAGMENT.get(chosen.name)
    if template is None:
        (template,) = Paragraph("x", chosen).frags  # as reportlab's parser makes it
        _PLAIN_FRAGMENT[chosen.name] = template
    fragment = copy.copy(template)
    fragment.text = cleaned
    return Paragraph(cleaned, chosen, frags=[fragment], **kwargs)


def table_style(*commands: tuple[Any, ...]) -> TableStyle:
    """A ``TableStyle`` with ``commands``, in the report font rather than Helvetica.

    reportlab sets each cell's font before drawing it, even a cell that holds a
    paragraph; left at its default, every page would list Helvetica, unembedded.
    """
    return TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, _BASE.fontSize), *commands])


def report_header(kicker: str, title: str, *lines: str) -> list[Flowable]:
    """The top of a report's first page: "TABLE PLAN", the title, its facts, a rule."""
    flow: list[Flowable] = [para(kicker.upper(), "kicker"), para(title, "title")]
    flow += [para(line, "meta") for line in lines if line]
    flow += [
        Spacer(1, 3 * mm),
        HRFlowable(width="100%", thickness=1.2, color=INK, spaceAfter=5 * mm),
    ]
    return flow


def footer_text(title: str, report: str, when: str = "") -> str:
    """The footer's words: title, report and date, joined by " · ".

    The title is shortened to keep the footer one line, and left out when it is
    the report's own name ("Table plan" for people chosen by a filter).
    """
    if len(title) > 60:
        title = title[:59].rstrip() + "…"
    if title.casefold() == report.casefold():
        title = ""
    return " · ".join(x for x in (title, report, when) if x)


@dataclass(frozen=True, slots=True)
class PdfFinish:
    """What a report adds to its pages and its file beyond the footer (all optional).

    ``header``: a running header on every page but the first (which has the title);
    ``watermark``: a word printed faintly across every page ("Draft"); ``subject``,
    ``author``, ``keywords`` and ``language`` (BCP 47, "en-GB"): the file's properties.
    """

    subject: str = ""
    author: str = "Roundtable"
    keywords: Sequence[str] = field(default_factory=tuple)
    language: str = ""
    header: str = ""
    watermark: str = ""


class _Bookmark(Flowable):
    """Takes no room: marks where it lands as an entry of the PDF's outline."""

    _ZERO_SIZE = 1

    def __init__(self, title: str, level: int) -> None:
        super().__init__()
        self.title = title
        self.level = level
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        key = f"outline-{id(self)}"
        self.canv.bookmarkHorizontal(key, 0, 6 * mm)
        self.canv.addOutlineEntry(self.title, key, level=self.level, closed=False)
        self.canv.showOutline()  # a viewer opens with the outline shown


def bookmark(title: str, level: int = 0) -> Flowable:
    """An outline entry ("bookmark") for what follows: put it just before the heading.

    Levels nest: 0 for a section, 1 for what is under it, and so on; a level may go
    one deeper than the entry before it, never more.
    """
    return _Bookmark(title, level)


#: How far above the paper's edge the footer's rule is drawn, and a notice's baseline;
#: the width of "Page n of m" at the right of the footer.
_FOOTER_RULE = 13 * mm
_NOTICE_BASELINE = 16.5 * mm
_PAGE_WIDTH = 30 * mm


def _placed(
    text: str, style: str, x: float, width: float, baseline: float
) -> tuple[Paragraph, float, float]:
    """A paragraph laid out in ``width``, and where to draw it so that its first line
    stands on ``baseline`` (below the footer's rule: 9 mm above the paper's edge)."""
    paragraph = para(text, style)
    _, height = paragraph.wrap(width, 20 * mm)
    return paragraph, x, baseline + STYLES[style].fontSize - height


def _numbered_canvas(
    footer: str, notice: str = "", finish: PdfFinish | None = None
) -> type[Canvas]:
    """A canvas that writes the footer and "Page n of m" once the page count is known,
    ``notice`` (if any) on one line above the footer's rule of every page, and the
    running header that ``finish`` asks for (its watermark goes under each page's
    content instead: see :func:`_watermark`)."""
    shown = finish or PdfFinish()

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            # The same footer and notice on every page: laid out once, drawn on each.
            width, _ = PAGE_SIZE
            lines = [(footer, "footer", MARGIN, width - 2 * MARGIN - _PAGE_WIDTH, 9 * mm)]
            if notice:
                lines.append((notice, "notice", MARGIN, width - 2 * MARGIN, _NOTICE_BASELINE))
            fixed = [_placed(text, style, x, w, baseline) for text, style, x, w, baseline in lines]
            header = (
                _placed(shown.header, "footer", MARGIN, width - 2 * MARGIN, PAGE_SIZE[1] - 11 * mm)
                if shown.header
                else None
            )
            for state in self._pages:
                self.__dict__.update(state)
                if header is not None and self._pageNumber > 1:
                    self._header(header)
                self._footer(total, fixed)
                super().showPage()
            super().save()

        def _header(self, placed: tuple[Paragraph, float, float]) -> None:
            width, height = PAGE_SIZE
            paragraph, x, y = placed
            paragraph.drawOn(self, x, y)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, height - 12.5 * mm, width - MARGIN, height - 12.5 * mm)

        def _footer(self, total: int, fixed: list[tuple[Paragraph, float, float]]) -> None:
            width, _ = PAGE_SIZE
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, _FOOTER_RULE, width - MARGIN, _FOOTER_RULE)
            for paragraph, x, y in fixed:
                paragraph.drawOn(self, x, y)
            # "Page n of m": digits and words every report font holds, right-aligned on
            # the footer's baseline (a paragraph for each of hundreds of pages was slow).
            style = STYLES["page"]
            self.setFont(style.fontName, style.fontSize)
            self.setFillColor(style.textColor)
            self.drawRightString(width - MARGIN, 9 * mm, f"Page {self._pageNumber} of {total}")

    return NumberedCanvas


def _watermark(word: str) -> Callable[[Canvas, Any], None]:
    """What draws ``word`` large, pale and diagonal across a page, before (so under) the
    page's content: the text stays sharp where the word crosses it."""

    def draw(canvas: Canvas, doc: Any) -> None:
        width, height = PAGE_SIZE
        canvas.saveState()
        canvas.setFillColor(ACCENT, alpha=0.09)
        canvas.setFont(BOLD, 110)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(52)
        canvas.drawCentredString(0, -38, word.upper())
        canvas.restoreState()

    return draw


def _properties(finish: PdfFinish) -> dict[str, Any]:
    """The document properties ``finish`` sets, beyond title and author."""
    properties: dict[str, Any] = {}
    if finish.subject:
        properties["subject"] = finish.subject
    if finish.keywords:
        properties["keywords"] = list(finish.keywords)
    if finish.language:
        properties["lang"] = finish.language
        # A viewer's window shows the document's title, not the file's name.
        properties["displayDocTitle"] = True
    return properties


def write_report_pdf(
    path: str | Path,
    story: Callable[[float], list[Flowable]],
    *,
    title: str,
    footer: str,
    what: str,
    notice: str = "",
    finish: PdfFinish | None = None,
) -> None:
    """Lay out ``story(frame width)`` on A4 pages and write the PDF to ``path`` atomically.

    ``title`` goes into the file's properties, ``footer`` at the foot of every page
    beside "Page n of m", ``notice`` (one short line, such as "This sheet holds
    personal data…") above the footer of every page, and ``what`` ("table plan")
    into the error message if the file cannot be written (a :class:`RoundtableError`
    from ``write_atomically``). ``finish`` adds the file's properties, a running
    header, a watermark (see :class:`PdfFinish`); bookmarks come from the story.
    """
    register_fonts()
    finish = finish or PdfFinish()

    def write(tmp: str) -> None:
        doc = SimpleDocTemplate(
            tmp,
            pagesize=PAGE_SIZE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=(27 if notice else 22) * mm,
            title=title,
            author=finish.author,
            # What the other reports print is unchanged: only what was asked for is set.
            **_properties(finish),
            # Not reportlab's Helvetica, which each page would otherwise list unembedded.
            initialFontName=REGULAR,
        )
        flow = story(doc.width)
        pages: dict[str, Any] = {}
        if finish.watermark:
            pages["onFirstPage"] = pages["onLaterPages"] = _watermark(finish.watermark)
        doc.build(flow, canvasmaker=_numbered_canvas(footer, notice, finish), **pages)

    write_atomically(path, write, what)
