"""Names in every script the demo holds have glyphs in the People table, not boxes."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextLayout

from roundtable_app.services.demo import generate_demo
from roundtable_app.ui import app as gui


def _missing_glyphs(text: str, layout_font: object) -> list[str]:
    """The characters of ``text`` that the font, with Qt's fallbacks, draws as a box."""
    layout = QTextLayout(text, layout_font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    glyphs = [g for run in layout.glyphRuns() for g in run.glyphIndexes()]
    return [text] if 0 in glyphs else []


def test_names_in_other_scripts_have_glyphs_in_the_people_table(window, sqlite_db):
    generate_demo(sqlite_db, people=300)
    gui._add_fallback_fonts()  # as the app does when it starts
    win = window()
    table = win.directory.table
    model = table.model()
    names = [
        model.index(row, 0).data(Qt.ItemDataRole.DisplayRole) for row in range(model.rowCount())
    ]
    scripts = {unicodedata.name(name[0]).split()[0]: name for name in names if not name.isascii()}
    assert {"CYRILLIC", "GREEK", "CJK", "ARABIC", "HEBREW", "HANGUL"} <= set(scripts)
    missing = [m for name in scripts.values() for m in _missing_glyphs(name, table.font())]
    assert missing == []
