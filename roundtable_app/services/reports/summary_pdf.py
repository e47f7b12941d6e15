"""A roundtable's summary as an A4 PDF, for readers outside the centre.

It prints a :class:`~roundtable_app.services.discussion.SummaryContent`, where the
privacy rules were applied (names removed, small sectors withheld, the participant
list only by consent): this module only lays it out, in the shared report styles
and fonts, so a note in any script prints as typed.

In order: the title block (the centre's name and logo, title, date in the
roundtable's zone, format and venue, series, themes), the Chatham House Rule in a
box, purpose and evidence questions (each with the needs that answer it), who
took part (a bar chart of the counts by sector, lived experience, new
connections, the participant list when asked for), and what was discussed
(shared challenges, evidence needs by theme, actions, key points). Every page
after the first has a running header; every page "Page n of m"; each section is
an outline entry; a draft has "Draft" across every page.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.services.discussion import CHATHAM_HOUSE, Item, SectorCount, SummaryContent
from roundtable_app.services.reports import summary_words as words
from roundtable_app.services.reports.fonts import REGULAR, covers
from roundtable_app.services.reports.styles import (
    ACCENT,
    BAND,
    FAINT,
    INK,
    MUTED,
    PdfFinish,
    bookmark,
    footer_text,
    table_style,
    write_report_pdf,
)
from roundtable_app.services.reports.styles import (
    quick_para as para,
)
from roundtable_app.services.reports.summary_words import Branding

#: The logo's largest size in the title block (kept in proportion within it).
LOGO_WIDTH = 45 * mm
LOGO_HEIGHT = 20 * mm
BAR_HEIGHT = 4.2 * mm
BAR_GAP = 2.2 * mm


def _heading(text: str, level: int = 0) -> list[Flowable]:
    """A heading with its outline entry; never alone at the foot of a page."""
    style = {0: "heading", 1: "subheading", 2: "theme"}[level]
    space = {0: 7 * mm, 1: 4 * mm, 2: 2.5 * mm}[level]
    # A section's heading is followed by a sub-heading and a first item: keep room for them.
    room = {0: 45 * mm, 1: 28 * mm, 2: 22 * mm}[level]
    return [CondPageBreak(room), Spacer(1, space), bookmark(text, level), para(text, style)]


def _logo(path: Path) -> Image:
    """The centre's logo, scaled down to fit the title block; a clear error if unreadable."""
    try:
        image = Image(str(path))
        ratio = min(LOGO_WIDTH / image.imageWidth, LOGO_HEIGHT / image.imageHeight, 1.0)
    except Exception as exc:  # reportlab and Pillow raise many kinds for a bad image
        raise RoundtableError(
            f"The centre's logo {path} cannot be read as a PNG or JPEG image ({exc}); "
            "choose another logo, or none, in the summary's options."
        ) from None
    image.drawWidth = image.imageWidth * ratio
    image.drawHeight = image.imageHeight * ratio
    image.hAlign = "RIGHT"
    return image


def _title_block(content: SummaryContent, branding: Branding, width: float) -> list[Flowable]:
    text: list[Flowable] = [
        para(words.kicker(content, branding).upper(), "kicker"),
        para(content.title, "title"),
        *(para(line, "meta") for line in words.facts(content)),
    ]
    if branding.logo is not None:
        logo = _logo(branding.logo)
        block: Flowable = Table(
            [[text, logo]],
            colWidths=[width - LOGO_WIDTH - 4 * mm, LOGO_WIDTH + 4 * mm],
            style=table_style(
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ),
        )
        flow = [block]
    else:
        flow = text
    return [
        *flow,
        Spacer(1, 3 * mm),
        HRFlowable(width="100%", thickness=1.2, color=INK, spaceAfter=5 * mm),
    ]


def _chatham_house(width: float) -> Flowable:
    return Table(
        [[[para(words.CHATHAM_HOUSE_HEADING, "subheading"), para(CHATHAM_HOUSE)]]],
        colWidths=[width],
        style=table_style(
            ("BACKGROUND", (0, 0), (-1, -1), BAND),
            ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
            ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5 * mm),
        ),
    )


#: A note taller than this is split across pages like any paragraph (none is, in practice).
_NOTE_KEPT_WHOLE = 150 * mm


class _Note(Flowable):
    """A note's bullet and its grey line below, moved whole to the next page when they do
    not fit, so that no page starts with the end of a note or its grey line.

    reportlab's ``KeepTogether`` does this for any flowables, but wraps each one three
    times: for a thousand notes, a third of the summary's time. The two paragraphs here
    are wrapped once for each width.
    """

    def __init__(self, note: Paragraph, detail: Paragraph | None) -> None:
        super().__init__()
        self.note = note
        self.detail = detail
        self._width = -1.0
        self._gap = detail.getSpaceBefore() if detail is not None else 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if available_width != self._width:
            self._width = available_width
            _, self._note_height = self.note.wrap(available_width, available_height)
            self._detail_height = (
                self.detail.wrap(available_width, available_height)[1]
                if self.detail is not None
                else 0.0
            )
            self.width = available_width
            self.height = self._note_height + self._gap + self._detail_height
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # reportlab's name
        return float(self.note.getSpaceBefore())

    def getSpaceAfter(self) -> float:  # reportlab's name
        last = self.detail if self.detail is not None else self.note
        return float(last.getSpaceAfter())

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        if self.height <= _NOTE_KEPT_WHOLE:
            return []  # the next page
        return [self.note, *([self.detail] if self.detail is not None else [])]

    def draw(self) -> None:
        self.note.drawOn(self.canv, 0, self._gap + self._detail_height)
        if self.detail is not None:
            self.detail.drawOn(self.canv, 0, 0)


def _item(item: Item) -> list[Flowable]:
    """One note: its text as a bullet, and what may be said of it below, in grey."""
    detail = words.detail_line(item)
    return [
        _Note(
            para(item.text, "bullet", bulletText="•"),
            para(detail, "detail") if detail else None,
        )
    ]


def _items(items: tuple[Item, ...]) -> list[Flowable]:
    return [flowable for item in items for flowable in _item(item)]


def _purpose(content: SummaryContent) -> list[Flowable]:
    if not words.has_purpose(content):
        return []
    flow = _heading(words.PURPOSE)
    if content.purpose.strip():
        flow.append(para(content.purpose.strip()))
    for block in content.questions:
        question = para(f"{block.number}. {block.question}", "question")
        answers = _items(block.needs) or [para(words.NO_NEED_FOR_QUESTION, "detail")]
        flow.append(KeepTogether([question, *answers[:1]]))  # with its first need
        flow += answers[1:]
    return flow


def _label_fits(sector: str) -> bool:
    return all(covers(REGULAR, c) for c in sector)


def bar_chart(sectors: tuple[SectorCount, ...], width: float) -> Drawing:
    """Counts by sector as horizontal bars; a count given as words ("fewer than 3") gets
    no bar, only its words, so that the chart never shows the number it hides."""
    label_width = 62 * mm
    count_width = 24 * mm
    bar_room = width - label_width - count_width
    top = max((c.count for c in sectors if isinstance(c.count, int)), default=1) or 1
    rows = len(sectors)
    height = rows * (BAR_HEIGHT + BAR_GAP)
    drawing = Drawing(width, height)
    for i, entry in enumerate(sectors):
        y = height - (i + 1) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP / 2
        label = entry.sector if _label_fits(entry.sector) else "Sector"
        drawing.add(String(0, y + 1.2 * mm, label, fontName=REGULAR, fontSize=8.5, fillColor=INK))
        drawing.add(Rect(label_width, y, bar_room, BAR_HEIGHT, fillColor=FAINT, strokeColor=None))
        if isinstance(entry.count, int):
            length = bar_room * entry.count / top
            drawing.add(
                Rect(label_width, y, length, BAR_HEIGHT, fillColor=ACCENT, strokeColor=None)
            )
        drawing.add(
            String(
                width,
                y + 1.2 * mm,
                words.sector_count_text(entry.count),
                fontName=REGULAR,
                fontSize=8.5,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
    return drawing


def _took_part(content: SummaryContent, width: float) -> list[Flowable]:
    flow = _heading(words.TOOK_PART)
    flow.append(para(words.took_part_sentence(content)))
    if content.sectors:
        flow += [Spacer(1, 2 * mm), para("BY SECTOR", "label"), Spacer(1, 1.5 * mm)]
        flow.append(bar_chart(content.sectors, width))
        flow.append(Spacer(1, 2 * mm))
    flow.append(para(words.lived_experience_sentence(content)))
    flow.append(para(words.connections_sentence(content)))
    if content.participants is not None:
        flow += _heading(words.PARTICIPANTS, 1)
        if content.participants:
            rows = [[para(name, "cell"), para(org, "small")] for name, org in content.participants]
            flow.append(
                Table(
                    [[para("NAME", "head"), para("ORGANISATION", "head")], *rows],
                    colWidths=[width * 0.42, width * 0.58],
                    repeatRows=1,
                    style=table_style(
                        ("LINEBELOW", (0, 0), (-1, -1), 0.4, FAINT),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ),
                )
            )
        else:
            flow.append(para(words.NOBODY_NAMED, "muted"))
    return flow


def _discussed(content: SummaryContent) -> list[Flowable]:
    flow = _heading(words.DISCUSSED)
    if content.empty:
        return [*flow, para(words.NOTHING_DISCUSSED, "muted")]
    if content.challenges:
        flow += [*_heading(words.CHALLENGES, 1), *_items(content.challenges)]
    if content.needs_by_theme:
        flow += _heading(words.NEEDS, 1)
        for block in content.needs_by_theme:
            flow += [*_heading(block.theme, 2), *_items(block.needs)]
    if content.actions:
        flow += [*_heading(words.ACTIONS, 1), *_items(content.actions)]
    if content.points:
        flow += [*_heading(words.POINTS, 1), *_items(content.points)]
    return flow


def write_summary_pdf(
    content: SummaryContent, path: str | Path, branding: Branding | None = None
) -> None:
    """Write ``content`` as an A4 PDF at ``path`` (atomically and owner-only).

    Raises :class:`RoundtableError` if the file cannot be written or the logo read.
    """
    branding = branding or Branding()

    def story(frame: float) -> list[Flowable]:
        width = frame - 12  # inside the frame's padding, aligned with the text
        return [
            bookmark(content.title),
            *_title_block(content, branding, width),
            _chatham_house(width),
            *_purpose(content),
            *_took_part(content, width),
            *_discussed(content),
        ]

    write_report_pdf(
        path,
        story,
        title=f"Summary: {content.title}",
        footer=footer_text(content.title, "Summary", content.date_text.split(",")[0]),
        what="summary",
        finish=PdfFinish(
            subject=words.subject(content),
            author=branding.centre_name.strip() or "Roundtable",
            keywords=words.keywords(content),
            language=words.LANGUAGE,
            header=words.running_header(content),
            watermark="Draft" if content.draft else "",
        ),
    )
