"""A roundtable's summary as a Word document (.docx), for staff to edit before publishing.

The same :class:`~roundtable_app.services.discussion.SummaryContent` as the PDF,
in the same order and words (:mod:`.summary_words`), with the privacy rules
already applied there. Built of what Word users edit with ease: real headings
(Heading 1-3, so Word's navigation pane and table of contents find them),
bulleted lists (List Bullet), and tables (counts by sector, the participant
list). The document's properties (title, subject, author, keywords, language)
are set; every page after the first has the running header, every page
"Page x of y" in its footer (Word fields), and a draft carries Word's own kind
of watermark, "DRAFT" across each page, which staff remove in Word (Design >
Watermark) or by making the summary final.
"""

from __future__ import annotations

import copy
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.section import _Header
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from roundtable_app.core.errors import RoundtableError
from roundtable_app.services.discussion import CHATHAM_HOUSE, Item, SummaryContent
from roundtable_app.services.files import write_atomically
from roundtable_app.services.reports import summary_words as words
from roundtable_app.services.reports.summary_words import Branding

MUTED = RGBColor(0x5F, 0x66, 0x70)
ACCENT = RGBColor(0x2F, 0x5D, 0x8A)
LOGO_WIDTH = Cm(4)
#: Word's own sans-serif (LibreOffice shows it as the metric-identical Carlito).
BODY_FONT = "Calibri"

# Word's own watermark: a WordArt shape in the header, behind the text of every page.
_WATERMARK = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    "<w:pict>"
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/></v:shapetype>'
    '<v:shape id="RoundtableDraftWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:470pt;height:130pt;'
    "rotation:315;z-index:-251654144;mso-position-horizontal:center;"
    "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#2f5d8a" '
    'stroked="f"><v:fill opacity=".12"/>'
    '<v:textpath style="font-family:&quot;Calibri&quot;;font-size:1pt" string="{word}"/>'
    "</v:shape></w:pict></w:r>"
)


class _Writer:
    """Appends a summary's headings and list items to the document's body as prepared
    XML: the same elements python-docx's ``add_heading`` and ``add_paragraph(text,
    style)`` make, about twenty times faster.

    python-docx looks a paragraph style up by name, and then scans every style of
    the document for the default, each time a paragraph is given a style: 5.7 s of
    the 5.9 s a 1,000-note summary took. Here each style's id is looked up once, a
    paragraph is a copy of a prepared ``w:p``, and its text goes into ``w:t``
    elements as python-docx would put it (tabs and line breaks through python-docx
    itself).
    """

    def __init__(self, doc: DocxDocument) -> None:
        self._doc = doc
        body = doc.element.body
        end = body.sectPr
        self._append = end.addprevious if end is not None else body.append
        self._styled: dict[str, CT_P] = {}
        w = nsdecls("w")
        self._run = parse_xml(f"<w:r {w}/>")
        self._break = parse_xml(f"<w:r {w}><w:br/></w:r>")
        # A detail line's run: grey (MUTED) and 8.5 pt, as run.font sets them.
        self._detail = parse_xml(
            f'<w:r {w}><w:rPr><w:color w:val="{MUTED}"/><w:sz w:val="17"/></w:rPr></w:r>'
        )
        self._t = parse_xml(f"<w:t {w}/>")

    def _paragraph(self, style: str) -> CT_P:
        """An empty ``w:p`` in the paragraph style named ``style``."""
        prepared = self._styled.get(style)
        if prepared is None:
            style_id = self._doc.styles[style].style_id
            prepared = parse_xml(
                f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr></w:p>'
            )
            self._styled[style] = prepared
        return copy.deepcopy(prepared)

    def _text_run(self, template: CT_R, text: str) -> CT_R:
        run = copy.deepcopy(template)
        if "\t" in text or "\n" in text or "\r" in text:
            run.text = text  # python-docx's own: <w:tab/> and <w:br/> between <w:t>s
            return run
        t = copy.deepcopy(self._t)
        t.text = text
        if len(text.strip()) < len(text):
            t.set(qn("xml:space"), "preserve")
        run.append(t)
        return run

    def heading(self, text: str, level: int) -> None:
        """As ``doc.add_heading(text, level)``: Title for 0, Heading n otherwise."""
        paragraph = self._paragraph("Title" if level == 0 else f"Heading {level}")
        if text:
            paragraph.append(self._text_run(self._run, text))
        self._append(paragraph)

    def item(self, item: Item) -> None:
        """A bullet (List Bullet) with the note, and on a new line its detail in grey."""
        paragraph = self._paragraph("List Bullet")
        if item.text:
            paragraph.append(self._text_run(self._run, item.text))
        detail = words.detail_line(item)
        if detail:
            paragraph.append(copy.deepcopy(self._break))
            paragraph.append(self._text_run(self._detail, detail))
        self._append(paragraph)

    def items(self, items: tuple[Item, ...]) -> None:
        for item in items:
            self.item(item)


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in as it lays the pages out.

    Each part in a run of its own, as Word writes them: a reader that takes the
    result's look from the field's first run then shows it like the words beside it.
    """
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, shown, end):
        paragraph.add_run()._r.append(element)


def _grey(paragraph: Paragraph, size: float = 8.5) -> None:
    for run in paragraph.runs:
        run.font.color.rgb = MUTED
        run.font.size = Pt(size)


def _page_furniture(doc: DocxDocument, content: SummaryContent) -> None:
    """Running header (not on the first page), "Page x of y", and the Draft watermark."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = words.running_header(content)
    _grey(header)
    for footer in (section.footer, section.first_page_footer):
        line = footer.paragraphs[0]
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        line.add_run("Page ")
        _field(line, "PAGE")
        line.add_run(" of ")
        _field(line, "NUMPAGES")
        _grey(line)
    if content.draft:
        for part in (section.header, section.first_page_header):
            _watermark(part, "DRAFT")


def _watermark(header: _Header, word: str) -> None:
    paragraph = header.paragraphs[0]
    paragraph._p.append(parse_xml(_WATERMARK.format(word=word)))


def _properties(doc: DocxDocument, content: SummaryContent, branding: Branding) -> None:
    props = doc.core_properties
    props.title = f"Summary: {content.title}"
    props.subject = words.subject(content)
    props.author = branding.centre_name.strip() or "Roundtable"
    props.keywords = ", ".join(words.keywords(content))
    props.language = words.LANGUAGE
    props.category = words.REPORT
    props.comments = words.state_text(content)


def _title_block(
    doc: DocxDocument, out: _Writer, content: SummaryContent, branding: Branding
) -> None:
    if branding.logo is not None:
        try:
            doc.add_picture(str(branding.logo), width=LOGO_WIDTH)
        except Exception as exc:  # python-docx raises several kinds for a bad image
            raise RoundtableError(
                f"The centre's logo {branding.logo} cannot be read as a PNG or JPEG image "
                f"({exc}); choose another logo, or none, in the summary's options."
            ) from None
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    kicker = doc.add_paragraph()
    run = kicker.add_run(words.kicker(content, branding).upper())
    run.bold = True
    run.font.size = Pt(9)
    run.font.color.rgb = ACCENT
    out.heading(content.title, level=0)
    for line in words.facts(content):
        _grey(doc.add_paragraph(line), 10.5)


def _chatham_house(doc: DocxDocument, out: _Writer) -> None:
    out.heading(words.CHATHAM_HOUSE_HEADING, level=1)
    doc.add_paragraph(CHATHAM_HOUSE)


def _purpose(doc: DocxDocument, out: _Writer, content: SummaryContent) -> None:
    if not words.has_purpose(content):
        return
    out.heading(words.PURPOSE, level=1)
    if content.purpose.strip():
        doc.add_paragraph(content.purpose.strip())
    for block in content.questions:
        question = doc.add_paragraph()
        question.add_run(f"{block.number}. {block.question}").bold = True
        question.paragraph_format.keep_with_next = True
        if block.needs:
            out.items(block.needs)
        else:
            _grey(doc.add_paragraph(words.NO_NEED_FOR_QUESTION), 9)


def _plain_first_column(table: Table) -> None:
    """The table style's header row (repeated on every page the table runs onto), and a
    first column like the others (not bold)."""
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        properties.append(look)
    for name, value in (("firstRow", "1"), ("firstColumn", "0"), ("noVBand", "1")):
        look.set(qn(f"w:{name}"), value)
    look.set(qn("w:val"), "0420")
    # The header row is repeated at the top of each page the table runs onto.
    row = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    row.append(repeat)


def _took_part(doc: DocxDocument, out: _Writer, content: SummaryContent) -> None:
    out.heading(words.TOOK_PART, level=1)
    doc.add_paragraph(words.took_part_sentence(content))
    if content.sectors:
        table = doc.add_table(rows=1, cols=2)
        table.style = "Light List Accent 1"
        _plain_first_column(table)
        head = table.rows[0].cells
        head[0].text, head[1].text = "Sector", "Participants"
        for entry in content.sectors:
            cells = table.add_row().cells
            cells[0].text = entry.sector
            cells[1].text = words.sector_count_text(entry.count)
            cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        head[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        doc.add_paragraph()
    doc.add_paragraph(words.lived_experience_sentence(content))
    doc.add_paragraph(words.connections_sentence(content))
    if content.participants is None:
        return
    out.heading(words.PARTICIPANTS, level=2)
    if not content.participants:
        _grey(doc.add_paragraph(words.NOBODY_NAMED), 10)
        return
    table = doc.add_table(rows=1, cols=2)
    table.style = "Light List Accent 1"
    _plain_first_column(table)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Name", "Organisation"
    for name, organisation in content.participants:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = name, organisation


def _discussed(doc: DocxDocument, out: _Writer, content: SummaryContent) -> None:
    out.heading(words.DISCUSSED, level=1)
    if content.empty:
        _grey(doc.add_paragraph(words.NOTHING_DISCUSSED), 10)
        return
    if content.challenges:
        out.heading(words.CHALLENGES, level=2)
        out.items(content.challenges)
    if content.needs_by_theme:
        out.heading(words.NEEDS, level=2)
        for block in content.needs_by_theme:
            out.heading(block.theme, level=3)
            out.items(block.needs)
    if content.actions:
        out.heading(words.ACTIONS, level=2)
        out.items(content.actions)
    if content.points:
        out.heading(words.POINTS, level=2)
        out.items(content.points)


def build_summary_docx(content: SummaryContent, branding: Branding | None = None) -> DocxDocument:
    """The Word document of ``content``, not yet saved."""
    branding = branding or Branding()
    doc = Document()
    # Sans-serif like the PDF (the template's body is Cambria, its headings Calibri).
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(10.5)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4, as the PDF
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    _properties(doc, content, branding)
    _page_furniture(doc, content)
    out = _Writer(doc)
    _title_block(doc, out, content, branding)
    _chatham_house(doc, out)
    _purpose(doc, out, content)
    _took_part(doc, out, content)
    _discussed(doc, out, content)
    return doc


def write_summary_docx(
    content: SummaryContent, path: str | Path, branding: Branding | None = None
) -> None:
    """Write ``content`` as a .docx at ``path`` (atomically and owner-only).

    Raises :class:`RoundtableError` if the file cannot be written or the logo read.
    """
    doc = build_summary_docx(content, branding)
    write_atomically(path, lambda tmp: doc.save(tmp), "summary")
