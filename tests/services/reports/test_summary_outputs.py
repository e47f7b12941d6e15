"""The summary as PDF and .docx: what a reader finds in each, read back from the file."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from PIL import Image as PILImage
from pypdf import PdfReader

from roundtable_app.core.discussion import SummaryState
from roundtable_app.core.errors import RoundtableError
from roundtable_app.services import reports
from roundtable_app.services.discussion import (
    CHATHAM_HOUSE,
    Item,
    QuestionBlock,
    SectorCount,
    SummaryContent,
    ThemeBlock,
)

NEED = Item(
    "Як виміряти примусову працю в ланцюгах постачання?",
    "raised by Government at Table 1",
    ("High priority", "Prevalence and scale"),
)
GREEK = Item("Πόσα θύματα δεν αναφέρονται;", "raised by a participant", ("Low priority",))
ARABIC = Item("ما هي الأدلة المتاحة؟", "raised at Table 2")
CHINESE = Item("供应链中的强迫劳动数据不足", "raised by Business")


def content(**changes: object) -> SummaryContent:
    base = SummaryContent(
        title="Forced labour in supply chains: closing the gaps",
        date_text="Wednesday 10 March 2027, 10:00–12:00 (Europe/London time)",
        format_text="In person",
        venue="The Meeting House",
        series="Supply chains programme",
        themes=("Forced labour in supply chains", "Data and prevalence"),
        purpose="To learn what evidence is missing.",
        questions=(
            QuestionBlock(1, "How large is the problem?", (NEED,)),
            QuestionBlock(2, "What works?", ()),
        ),
        took_part=14,
        sectors=(
            SectorCount("Government", 6),
            SectorCount("Academic research", 5),
            SectorCount("Other sectors", "fewer than 3"),
        ),
        lived_experience="fewer than 3",
        new_connections=9,
        participants=None,
        challenges=(Item("Data are scattered across agencies.", "raised at Table 1"),),
        needs_by_theme=(
            ThemeBlock("Data and prevalence", (NEED, GREEK)),
            ThemeBlock("Forced labour in supply chains", (ARABIC, CHINESE)),
        ),
        actions=(Item("Map the datasets", "", ("Owner: Centre research team", "Open")),),
        points=(Item("Trust takes time."),),
        state=SummaryState.DRAFT,
        revision=2,
        threshold=3,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def pdf_text(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def outline_titles(outline: list, depth: int = 0) -> list[tuple[int, str]]:  # type: ignore[type-arg]
    found: list[tuple[int, str]] = []
    for entry in outline:
        if isinstance(entry, list):
            found += outline_titles(entry, depth + 1)
        else:
            found.append((depth, entry.title))
    return found


def test_the_pdf_prints_every_script_with_metadata_outline_and_draft(tmp_path: Path) -> None:
    path = tmp_path / "summary.pdf"
    reports.write_summary_pdf(content(), path, reports.Branding("Evidence Centre"))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    reader = PdfReader(path)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Summary: Forced labour in supply chains: closing the gaps"
    assert meta.author == "Evidence Centre"
    assert "Chatham House Rule" in (meta.subject or "")
    assert "Data and prevalence" in str(meta.get("/Keywords"))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    titles = outline_titles(reader.outline)
    assert (0, "Who took part") in titles and (0, "What was discussed") in titles
    assert (1, "Evidence needs") in titles and (2, "Data and prevalence") in titles
    pages = pdf_text(path)
    text = " ".join(pages)
    assert "EVIDENCE CENTRE · ROUNDTABLE SUMMARY" in text
    assert "Held under the Chatham House Rule" in text
    assert " ".join(CHATHAM_HOUSE.split()[:8]) in text
    for words in (NEED.text, GREEK.text, CHINESE.text):
        assert words in text
    assert "Raised by Government at Table 1" in text
    assert "fewer than 3" in text
    assert "Page 1 of" in pages[0]
    assert all("DRAFT" in page for page in pages)
    assert "Participants who agreed to be named" not in text


def test_a_final_summary_has_no_draft_mark_and_the_header_runs_from_page_two(
    tmp_path: Path,
) -> None:
    many = tuple(Item(f"Challenge number {i} about data sharing.") for i in range(80))
    path = tmp_path / "final.pdf"
    reports.write_summary_pdf(content(state=SummaryState.FINAL, revision=1, challenges=many), path)
    pages = pdf_text(path)
    assert len(pages) >= 2
    assert not any("DRAFT" in page or "Draft" in page for page in pages)
    header = "Forced labour in supply chains: closing the gaps · Roundtable summary"
    assert header not in pages[0] and all(header in page for page in pages[1:])
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "Final, revision 1" in pages[0]


def test_the_participant_list_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "people.pdf"
    people = (("Olena Коваленко", "Ministry of Justice"), ("Ana Silva", ""))
    reports.write_summary_pdf(content(participants=people), path)
    text = " ".join(pdf_text(path))
    assert "Participants who agreed to be named" in text and "Olena Коваленко" in text
    reports.write_summary_pdf(content(participants=()), path)
    assert "None of the participants asked to be named." in " ".join(pdf_text(path))


def test_an_empty_discussion_says_so(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    empty = content(challenges=(), needs_by_theme=(), actions=(), points=(), questions=())
    reports.write_summary_pdf(empty, path)
    text = " ".join(pdf_text(path))
    assert "No notes of the discussion have been recorded yet." in text
    assert "Shared challenges" not in text


def test_the_docx_has_word_headings_lists_tables_and_properties(tmp_path: Path) -> None:
    path = tmp_path / "summary.docx"
    people = (("Olena Коваленко", "Ministry of Justice"),)
    reports.write_summary_docx(content(participants=people), path, reports.Branding("Centre"))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    doc = docx.Document(str(path))
    props = doc.core_properties
    assert props.title == "Summary: Forced labour in supply chains: closing the gaps"
    assert props.author == "Centre" and props.language == "en-GB"
    assert "Chatham House Rule" in props.keywords
    headings = [
        (p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith(("Head", "Title"))
    ]
    assert ("Title", "Forced labour in supply chains: closing the gaps") in headings
    assert ("Heading 1", "Held under the Chatham House Rule") in headings
    assert ("Heading 1", "Who took part") in headings
    assert ("Heading 2", "Evidence needs") in headings
    assert ("Heading 3", "Data and prevalence") in headings
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert any(b.startswith(NEED.text) for b in bullets)
    assert any(b.startswith(ARABIC.text) for b in bullets)
    sectors, named = doc.tables
    assert [[c.text for c in row.cells] for row in sectors.rows] == [
        ["Sector", "Participants"],
        ["Government", "6"],
        ["Academic research", "5"],
        ["Other sectors", "fewer than 3"],
    ]
    assert [c.text for c in named.rows[1].cells] == ["Olena Коваленко", "Ministry of Justice"]
    # As it reads in Word (and LibreOffice): sans-serif like the PDF, each table's header
    # repeated on the pages it runs onto, its first column not bold.
    assert doc.styles["Normal"].font.name == "Calibri"
    for table in (sectors, named):
        assert 'w:tblHeader w:val="true"' in table.rows[0]._tr.xml
        assert 'w:firstColumn="0"' in table._tbl.tblPr.xml
    section = doc.sections[0]
    assert "Roundtable summary" in section.header.paragraphs[0].text
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert "RoundtableDraftWatermark" in section.header._element.xml


def test_a_final_docx_has_no_watermark(tmp_path: Path) -> None:
    path = tmp_path / "final.docx"
    reports.write_summary_docx(content(state=SummaryState.FINAL), path)
    doc = docx.Document(str(path))
    section = doc.sections[0]
    assert "RoundtableDraftWatermark" not in section.header._element.xml
    assert "RoundtableDraftWatermark" not in section.first_page_header._element.xml
    assert "Final, revision 2" in [p.text for p in doc.paragraphs]


@pytest.mark.parametrize("writer", [reports.write_summary_pdf, reports.write_summary_docx])
def test_the_centre_logo_prints_and_a_bad_one_is_named(writer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    logo = tmp_path / "logo.png"
    PILImage.new("RGB", (400, 120), (47, 93, 138)).save(logo)
    out = tmp_path / "with-logo"
    writer(content(), out, reports.Branding("Centre", logo))
    assert out.stat().st_size > 0
    bad = tmp_path / "logo-bad.png"
    bad.write_text("not an image")
    with pytest.raises(RoundtableError, match="logo-bad.png cannot be read"):
        writer(content(), tmp_path / "never", reports.Branding("Centre", bad))
    assert not (tmp_path / "never").exists()


def test_no_page_starts_with_the_end_of_a_note_or_its_grey_line(tmp_path: Path) -> None:
    """Notes of many lengths, each with a grey line: every page after the first starts
    with a whole note or a heading, never the rest of a note cut by the page's foot."""
    words = "evidence of forced labour in supply chains is scattered across agencies".split()
    notes = tuple(
        Item(
            f"Note {i}: " + " ".join(words[j % len(words)] for j in range(5 + i * 7 % 55)),
            f"raised at Table {i % 4 + 1}",
            ("High priority", "Cost"),
        )
        for i in range(90)
    )
    summary = content(challenges=notes, state=SummaryState.FINAL)
    path = tmp_path / "long.pdf"
    reports.write_summary_pdf(summary, path)
    pages = PdfReader(path).pages
    assert len(pages) >= 4
    items = [*summary.challenges, *(n for b in summary.needs_by_theme for n in b.needs)]
    starts = tuple(item.text[:12] for item in [*items, *summary.actions, *summary.points])
    headings = ("What was discussed", "Evidence needs", "Data and prevalence", "Actions")
    header = "Roundtable summary · Held under the Chatham House Rule"
    for number, page in enumerate(pages[1:], start=2):
        lines = [line for line in page.extract_text().splitlines() if line.strip()]
        first = next(line for line in lines if header not in line).strip(" \x7f•")
        assert first.startswith(starts + headings), (number, first)
