"""Names in any script print as themselves: fonts, runs of text, right to left (no database)."""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.grouping.scoring import Invitee, Preferences
from roundtable_app.services.grouping import Pool, plan_from_tables
from roundtable_app.services.reports import (
    BOLD,
    ITALIC,
    REGULAR,
    font_runs,
    footer_text,
    markup,
    write_table_plan_pdf,
)

#: One name per script a user of the directory meets, as their owners write them.
NAMES = {
    "Latin with diacritics": "Łucja Wójcik-Żak",
    "Cyrillic": "Олена Коваленко",
    "Greek": "Γιώργος Παπαδόπουλος",
    "Vietnamese": "Nguyễn Thị Hương",
    "Chinese": "王芳",
    "Arabic": "محمد الأحمد",
}
ORGANISATIONS = (
    "Fundacja Dom Nadziei",
    "Центр підтримки",
    "北京大学",
    "جمعية الأمل",
    "Home Office",
)


def _pool() -> Pool:
    names = list(NAMES.values()) + ["Olena Коваленко, Nguyễn Thị Hương, 王芳", "Ana Popescu"]
    invitees = tuple(
        Invitee(
            i,
            100 + i,
            name,
            "Civil society",
            ORGANISATIONS[i % len(ORGANISATIONS)],
            frozenset({"Survivor support"}),
            False,
            True,
        )
        for i, name in enumerate(names)
    )
    return Pool(invitees=invitees, past_pairs={})


def _plan_pdf(tmp_path: Path, title: str = "Survivor support: evidence gaps") -> Path:
    pool = _pool()
    ids = [p.person_id for p in pool.invitees]
    plan = plan_from_tables(pool, [ids[:4], ids[4:]], Preferences())
    path = tmp_path / "plan.pdf"
    write_table_plan_pdf(plan, title, path, venue="Дом 7, Київ")
    return path


def _copied(path: Path) -> str:
    """The text a reader copies out of the PDF, each run of white space one space."""
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _text(path: Path) -> str:
    """The copied text in Unicode's compatibility form (NFKC).

    Shaped Arabic is held as the joined forms of its letters (presentation forms such
    as ﻷ for لأ); NFKC maps them back to the letters typed, as a search box does.
    """
    return " ".join(unicodedata.normalize("NFKC", _copied(path)).split())


def test_names_in_six_scripts_print_intact(tmp_path):
    path = _plan_pdf(tmp_path)
    copied, text = _copied(path), _text(path)
    for script, name in NAMES.items():
        assert name in (text if script == "Arabic" else copied), (
            f"{script}: {name!r} not in {text!r}"
        )
    for organisation in ORGANISATIONS:
        assert organisation in text, organisation
    assert "Olena Коваленко, Nguyễn Thị Hương, 王芳" in copied
    assert "Дом 7, Київ" in copied
    assert "■" not in text
    # Printed as typed: not the honorific ligature ﷴ for the name محمد, not "Oﬃce".
    assert "\ufdf4" not in copied and "Home Office" in copied


def test_every_font_is_embedded_so_the_pdf_prints_the_same_anywhere(tmp_path):
    reader = PdfReader(_plan_pdf(tmp_path))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert len(fonts) >= 4  # Latin, bold, Arabic and Chinese at least
    for name, font in fonts.items():
        descendants = font.get("/DescendantFonts")
        descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
        assert descriptor is not None, f"{name} is not embedded (a standard font?)"
        assert "/FontFile2" in descriptor.get_object(), f"{name} has no embedded TrueType file"


def test_a_title_in_another_script_prints_in_the_header_and_the_footer(tmp_path):
    text = _text(_plan_pdf(tmp_path, title="Круглий стіл: 人口贩运"))
    assert text.count("Круглий стіл: 人口贩运") == 2  # the heading and the footer


NBSP = "\u00a0"


def test_each_run_gets_a_font_that_has_its_letters():
    assert font_runs("Olena Коваленко, Γιώργος, Nguyễn") == [
        (REGULAR, "Olena Коваленко, Γιώργος, Nguyễn")
    ]
    assert font_runs("王芳 (Wang Fang)") == [
        ("RoundtableFallback", "王芳 "),
        (REGULAR, "(Wang Fang)"),
    ]
    assert font_runs("Dr محمد الأحمد, Leeds") == [
        (REGULAR, "Dr "),
        ("NotoSansArabic", f"محمد{NBSP}الأحمد, "),
        (REGULAR, "Leeds"),
    ]
    assert font_runs("שרה כהן", BOLD) == [("NotoSansHebrew-Bold", f"שרה{NBSP}כהן")]
    assert font_runs("Name withheld", ITALIC) == [(ITALIC, "Name withheld")]


def test_runs_are_composed_and_survive_a_character_no_font_has():
    decomposed = "Nguye\u0302\u0303n Thi\u0323"  # as some spreadsheets store it
    assert font_runs(decomposed) == [(REGULAR, "Nguyễn Thị")]
    assert font_runs("Ana \U0001f600 Li") == [(REGULAR, "Ana \U0001f600 Li")]


def test_markup_escapes_what_a_name_may_hold():
    assert markup("Ben & <Jerry>\nLine two") == "Ben &amp; &lt;Jerry&gt;<br/>Line two"
    assert markup("Ana 王芳") == 'Ana <font name="RoundtableFallback">王芳</font>'


def test_missing_fonts_are_named_with_what_to_do(tmp_path, monkeypatch):
    from roundtable_app.services.reports import fonts

    monkeypatch.setattr(fonts, "_cmaps", {})
    monkeypatch.setattr(fonts, "FONT_DIR", tmp_path)
    with pytest.raises(RoundtableError, match="NotoSans-Regular.ttf.*missing.*reinstall"):
        fonts.register_fonts()


def test_fonts_register_once_when_threads_race(monkeypatch):
    from roundtable_app.services.reports import fonts

    monkeypatch.setattr(fonts, "_cmaps", {})
    calls = []
    real = fonts.pdfmetrics.registerFont
    monkeypatch.setattr(fonts.pdfmetrics, "registerFont", lambda f: (calls.append(f), real(f)))
    barrier = threading.Barrier(4)

    def start() -> None:
        barrier.wait()
        fonts.register_fonts()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 8  # each of the eight fonts once
    assert fonts.covers(fonts.CJK, "王") and fonts.covers(fonts.CJK, "박")


def test_the_footer_names_the_roundtable_once_and_stays_one_line():
    assert footer_text("Survivor support", "Table plan", "Monday 1 March") == (
        "Survivor support · Table plan · Monday 1 March"
    )
    assert footer_text("Table plan", "Table plan") == "Table plan"
    long = footer_text("Круглий стіл " * 10, "Table plan")
    assert long.endswith("… · Table plan") and len(long) < 80


@pytest.mark.parametrize("style", ["body", "bullet", "detail", "theme", "muted"])
def test_a_quick_paragraph_is_the_one_reportlab_parses(style: str) -> None:
    """quick_para skips the markup parser for plain text: what it builds must be what
    the parser builds from the same text (fragments, text, bullet, style)."""
    from reportlab.platypus import Paragraph

    from roundtable_app.services.reports.styles import quick_para

    texts = [
        *NAMES.values(),
        *ORGANISATIONS,
        "Need 3: how many  people\tgo unidentified?",
        "  spaced out  ",
        "Smith & Sons <Ltd>",
        "one line\nand another",
        "Nguye\u0302\u0303n",  # decomposed: composed before it prints
        "no-break\u00a0space",
        "",
    ]
    for text in texts:
        for bullet in ({}, {"bulletText": "•"}):
            quick = quick_para(text, style, **bullet)
            parsed = Paragraph(markup(text, quick.style.fontName), quick.style, **bullet)
            assert (quick.text, quick.bulletText) == (parsed.text, parsed.bulletText), text
            assert [f.__dict__ for f in quick.frags] == [f.__dict__ for f in parsed.frags], text
