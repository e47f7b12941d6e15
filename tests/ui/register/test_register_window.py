"""The Evidence needs page in the main window: View > Evidence needs (Ctrl+6), the Edit
menu acting on it, Ctrl+Z undoing its edits, and the status bar counting its needs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from roundtable_app.core.discussion import NeedStatus
from roundtable_app.services import register
from roundtable_app.ui.main_window import PAGES
from roundtable_app.ui.register import RegisterPage
from tests.register_data import make_register

POLICE = "How much does police training on exploitation cost per officer?"


def menu_items(win) -> dict[str, object]:  # type: ignore[no-untyped-def]
    win.edit_menu.aboutToShow.emit()
    return {
        a.text().replace("&", ""): a
        for a in win.edit_menu.actions()
        if not a.isSeparator() and a.isVisible()
    }


def open_register(qtbot, window, sqlite_db):  # type: ignore[no-untyped-def]
    open_register.reg = make_register(sqlite_db)  # type: ignore[attr-defined]
    win = window()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    page = win.pages["register"]
    assert isinstance(page, RegisterPage)
    with qtbot.waitSignals([page.entries_loaded, page.choices_loaded], timeout=10_000):
        qtbot.keyClick(
            QApplication.focusWidget() or win, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier
        )
    assert win.stack.currentWidget() is page
    return win, page


def status(reg_db, text: str) -> NeedStatus:  # type: ignore[no-untyped-def]
    with reg_db.reading() as s:
        return next(n.status for n in register.list_needs(s) if n.text == text)


def test_ctrl_6_shows_the_register_and_the_view_menu_says_so(qtbot, window, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    win, page = open_register(qtbot, window, sqlite_db)
    assert [spec.key for spec in PAGES][5] == "register"
    view_menu = win.menuBar().actions()[2].menu()
    checked = [a.text().replace("&", "") for a in view_menu.actions() if a.isChecked()]
    assert checked == ["Evidence needs"]
    assert win.counts_label.text() == "9 evidence needs"


def test_the_edit_menu_acts_on_the_register_and_ctrl_z_undoes_its_edit(  # type: ignore[no-untyped-def]
    qtbot, window, sqlite_db
) -> None:
    win, page = open_register(qtbot, window, sqlite_db)
    items = menu_items(win)
    assert ["Undo", "Redo", "Find need…", "Suggest groupings", "Split group"] == list(items)[:5]
    assert not items["Split group"].isEnabled()  # a single need is current
    assert not items["Remove from group"].isEnabled()
    items["Find need…"].trigger()
    assert page.filters.search.hasFocus()

    row = next(r for r in range(page.model.rowCount()) if page.model.entry_at(r).text == POLICE)
    index = page.model.index(row, 1)
    qtbot.mouseClick(
        page.table.viewport(), Qt.MouseButton.LeftButton, pos=page.table.visualRect(index).center()
    )
    assert page.detail.text.text() == POLICE
    page.detail.status.setFocus()
    qtbot.keyClick(page.detail.status, Qt.Key.Key_Down)  # Open -> Being researched
    assert status(sqlite_db, POLICE) == NeedStatus.RESEARCHING
    assert items["Undo"].isEnabled()
    with qtbot.waitSignal(page.entries_loaded, timeout=10_000):
        qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert status(sqlite_db, POLICE) == NeedStatus.OPEN
    assert page.detail.status.currentText() == "Open"

    with qtbot.waitSignal(page.suggestions_shown, timeout=20_000):
        menu_items(win)["Suggest groupings"].trigger()
    assert page.suggestions.suggestions
    with qtbot.waitSignal(page.entries_loaded, timeout=10_000):
        qtbot.mouseClick(page.suggestions.group_button, Qt.MouseButton.LeftButton)
    items = menu_items(win)
    assert items["Split group"].isEnabled()  # the new group is current
    with qtbot.waitSignal(page.entries_loaded, timeout=10_000):
        items["Split group"].trigger()
    with sqlite_db.reading() as s:
        assert register.group_count(s) == 0


def test_with_no_needs_the_page_leads_to_the_roundtables(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    win = window()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    page = win.pages["register"]
    with qtbot.waitSignal(page.entries_loaded, timeout=10_000):
        qtbot.keyClick(
            QApplication.focusWidget() or win, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier
        )
    assert page.empty.title.text() == "No evidence needs yet"
    qtbot.mouseClick(page.empty.buttons["Open the Roundtables page"], Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.pages["roundtables"]


def test_a_need_noted_in_the_discussion_window_is_listed_on_coming_back(  # type: ignore[no-untyped-def]
    qtbot, window, sqlite_db
) -> None:
    from roundtable_app.core.discussion import NoteKind
    from roundtable_app.services import discussion
    from roundtable_app.ui.discussion import DiscussionWindow

    win, page = open_register(qtbot, window, sqlite_db)
    rid = open_register.reg.roundtables["County lines"]  # type: ignore[attr-defined]
    notes = DiscussionWindow(page.ctx, rid, win)  # deletes itself when closed
    notes.show()
    notes.activateWindow()
    qtbot.waitUntil(notes.isActiveWindow)
    qtbot.waitUntil(lambda: (QApplication.focusWidget() or win).window() is notes)
    text = "Which councils record county lines exploitation as child abuse?"
    with sqlite_db.transaction() as s:  # what the window saves as the note-taker types
        discussion.add_note(s, rid, NoteKind.NEED, fields=discussion.NoteFields(text=text))
    notes.close()
    with qtbot.waitSignal(page.entries_loaded, timeout=10_000):
        win.activateWindow()
    texts = {page.model.entry_at(r).text for r in range(page.model.rowCount())}
    assert text in texts
