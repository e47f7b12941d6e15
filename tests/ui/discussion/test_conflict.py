"""Two staff editing one note at once, each in their own app on one database: the
later write is refused, the window shows the colleague's text and says so, and the
user's own text stays on screen to copy or use instead."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton

from roundtable_app.core.discussion import NoteKind
from roundtable_app.storage.unit_of_work import open_database
from roundtable_app.ui.context import AppContext
from tests.ui.discussion.conftest import key, notes, saved, show_view

LEFT = Qt.MouseButton.LeftButton


def test_a_colleagues_edit_is_shown_and_the_users_text_is_kept(
    held, ctx, sqlite_url, isolated_settings, qtbot, request
):  # type: ignore[no-untyped-def]
    mine = show_view(qtbot, ctx, held.rid)
    key(qtbot, "Ctrl+1", mine)
    item = mine.section(NoteKind.CHALLENGE).items[0]
    qtbot.keyClicks(item.editor, "Referral data are shared late")
    saved(qtbot, mine)

    # A colleague, on another computer, opens the same notes and rewrites the note.
    other_db = open_database(sqlite_url)
    request.addfinalizer(other_db.close)
    theirs = show_view(qtbot, AppContext(other_db, isolated_settings), held.rid)
    their_item = theirs.section(NoteKind.CHALLENGE).items[0]
    qtbot.mouseClick(their_item.editor.viewport(), LEFT)
    their_item.editor.selectAll()
    qtbot.keyClicks(their_item.editor, "Referral data are never shared")
    saved(qtbot, theirs)

    # Meanwhile the user goes on typing in the note they saw.
    mine.activateWindow()
    qtbot.waitUntil(mine.isActiveWindow)
    qtbot.mouseClick(item.editor.viewport(), LEFT)
    item.editor.moveCursor(item.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(item.editor, " by the police")
    saved(qtbot, mine)

    assert item.conflict_box.isVisible()
    said = item.conflict_box.findChild(QLabel, "conflictText").text()
    assert "Someone else changed this note meanwhile" in said and "Your text, not saved" in said
    assert item.editor.text() == "Referral data are never shared"  # the colleague's
    yours = item.conflict_box.findChild(QPlainTextEdit, "yourText")
    assert yours.toPlainText() == "Referral data are shared late by the police"
    assert [n.text for n in notes(held.db, held.rid)] == ["Referral data are never shared"]

    # Use my text: it is written over the colleague's (their version is now the base).
    qtbot.mouseClick(item.conflict_box.findChild(QPushButton, "useMine"), LEFT)
    assert not item.conflict_box.isVisible()
    assert item.editor.text() == "Referral data are shared late by the police"
    saved(qtbot, mine)
    assert [n.text for n in notes(held.db, held.rid)] == [
        "Referral data are shared late by the police"
    ]
