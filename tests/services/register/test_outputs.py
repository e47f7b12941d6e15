"""The register as the reader gets it: the PDF, CSV and .xlsx read back, ranked, nameless."""

from __future__ import annotations

import csv

import openpyxl
import pytest
from pypdf import PdfReader

from roundtable_app.services import register
from roundtable_app.services.register import RegisterFilter
from tests.register_data import FORCED, NAMED, SUPPORT, Register, make_register

CONSTRUCTION = "What is the prevalence of forced labour in UK construction supply chains?"
PREVALENT = "How prevalent is forced labour in construction supply chains in the UK?"
ACROSS = "Forced labour prevalence across UK construction supply chains"


@pytest.fixture
def reg(db) -> Register:  # type: ignore[no-untyped-def]
    return make_register(db)


def _grouped(reg: Register) -> None:
    """Staff confirm the suggestion of the three construction needs."""
    with reg.db.transaction() as s:
        register.confirm_group(
            s, [reg.needs[CONSTRUCTION], reg.needs[PREVALENT], reg.needs[ACROSS]]
        )


ALL = RegisterFilter()


def _content(reg: Register, criteria: RegisterFilter = ALL) -> register.RegisterContent:
    with reg.db.reading() as s:
        return register.build_register(s, criteria)


def _pdf_text(path) -> str:  # type: ignore[no-untyped-def]
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def test_the_pdf_ranks_a_grouped_need_first_in_its_theme_and_names_no_one(reg, tmp_path):  # type: ignore[no-untyped-def]
    _grouped(reg)
    out = tmp_path / "register.pdf"
    register.write_register_pdf(_content(reg), out, centre="Modern Slavery PEC")
    text = _pdf_text(out)
    # The group raised at three roundtables leads its theme, before a need raised at one.
    forced = text.index(FORCED)
    assert text.index("Raised at 3 roundtables", forced) < text.index("in construction in Scotland")
    assert "Also raised as: How prevalent is forced labour" in text
    assert "MODERN SLAVERY PEC" in text  # the kicker, in capitals
    assert "José" not in text and "Müller" not in text and "Salvation Army" not in text
    assert "Lived experience" not in text and "Frontline practice" not in text
    reader = PdfReader(out)
    assert [item.title for item in reader.outline] == [
        "Forced labour in supply chains",
        "Policing and prosecution",
        "Survivor support",
        "Other evidence needs",
    ]
    meta = reader.metadata
    assert meta.title == "Evidence-needs register"
    assert meta.author == "Modern Slavery PEC"
    assert "research priorities" in (meta.get("/Keywords") or "")


def test_a_filtered_pdf_says_what_it_holds(reg, tmp_path):  # type: ignore[no-untyped-def]
    out = tmp_path / "support.pdf"
    register.write_register_pdf(_content(reg, RegisterFilter(theme=SUPPORT)), out)
    text = _pdf_text(out)
    assert "Theme: Survivor support" in text
    assert "3 evidence needs from 3 roundtables" in text
    assert FORCED not in text


def test_an_empty_register_says_so(reg, tmp_path):  # type: ignore[no-untyped-def]
    out = tmp_path / "none.pdf"
    register.write_register_pdf(_content(reg, RegisterFilter(text="no such words")), out)
    assert "No evidence need matches these filters." in _pdf_text(out)


def test_csv_and_xlsx_hold_one_ranked_row_per_entry_with_formulas_made_harmless(reg, tmp_path):  # type: ignore[no-untyped-def]
    _grouped(reg)
    from roundtable_app.core.discussion import NoteKind
    from roundtable_app.services import discussion

    with reg.db.transaction() as s:
        discussion.add_note(
            s,
            reg.roundtables["County lines"],
            NoteKind.NEED,
            fields=discussion.NoteFields(text='=HYPERLINK("http://x")'),
        )
    content = _content(reg)
    register.write_register(content, tmp_path / "r.csv")
    register.write_register(content, tmp_path / "r.xlsx")
    with open(tmp_path / "r.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    cells = [
        [("" if c is None else str(c)) for c in row] for row in sheet.iter_rows(values_only=True)
    ]
    for table in (rows, cells):
        assert tuple(table[0]) == register.HEADERS
        assert len(table) == 1 + len(content.entries)
        first = dict(zip(table[0], table[1], strict=True))
        assert first["Rank"] == "1"
        assert first["Roundtables"] == "3"
        assert first["Evidence need"] in {CONSTRUCTION, PREVALENT, ACROSS}
        flat = " ".join(" ".join(r) for r in table)
        assert NAMED not in flat and "Müller" not in flat
        formula = next(r for r in table if "HYPERLINK" in " ".join(r))
        assert not formula[1].startswith("=")  # shown as text, never run
