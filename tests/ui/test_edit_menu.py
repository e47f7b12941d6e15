"""The Edit menu from every page, used as a person would: show the page, open the menu,
choose an item. Its items act on the page in view, never on a hidden one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from roundtable_app.services import directory
from roundtable_app.services.demo import generate_demo
from roundtable_app.ui import messages
from roundtable_app.ui.main_window import PAGES


def people_count(db) -> int:  # type: ignore[no-untyped-def]
    with db.reading() as session:
        return len(directory.list_rows(session))


def show_page(qtbot, win, key: str) -> None:  # type: ignore[no-untyped-def]
    """Click the page's name in the navigation."""
    row = [spec.key for spec in PAGES].index(key)
    nav = win.navigation
    rect = nav.visualItemRect(nav.item(row))
    qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.stack.currentWidget() is win.pages[key]


def menu_items(win) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The Edit menu's items as the user reads them (without the & of the mnemonic)."""
    win.edit_menu.aboutToShow.emit()
    return {
        a.text().replace("&", ""): a
        for a in win.edit_menu.actions()
        if not a.isSeparator() and a.isVisible()
    }


@pytest.fixture
def demo_window(window, sqlite_db):  # type: ignore[no-untyped-def]
    generate_demo(sqlite_db, people=60)
    return window()


@pytest.mark.parametrize("key", [spec.key for spec in PAGES if spec.key != "directory"])
def test_select_all_then_delete_never_touches_the_hidden_people_page(
    qtbot, monkeypatch, demo_window, sqlite_db, key
) -> None:  # type: ignore[no-untyped-def]
    """On the Roundtables page, Edit > Select all then Edit > Delete once asked
    "Delete 301 people from the directory?" and, confirmed, erased them all."""
    win = demo_window
    before = people_count(sqlite_db)
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, _t, text, _a: asked.append(text) or True)
    show_page(qtbot, win, key)
    for name in ("Select all", "Delete"):
        action = menu_items(win).get(name)
        if action is not None and action.isEnabled():
            action.trigger()
    assert asked == []
    assert people_count(sqlite_db) == before
    assert win.directory.table.selectionModel().selectedRows() == []


@pytest.mark.parametrize("key", [spec.key for spec in PAGES if spec.key != "directory"])
def test_the_delete_key_on_another_page_deletes_no_one(
    qtbot, monkeypatch, demo_window, sqlite_db, key
) -> None:  # type: ignore[no-untyped-def]
    win = demo_window
    before = people_count(sqlite_db)
    win.directory.table.selectAll()  # a selection left behind on the People page
    show_page(qtbot, win, key)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, _t, text, _a: asked.append(text) or True)
    qtbot.keyClick(QApplication.focusWidget() or win, Qt.Key.Key_Delete)
    assert asked == [] and people_count(sqlite_db) == before


def test_people_page_menu_acts_on_the_people(qtbot, monkeypatch, demo_window, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    win = demo_window
    show_page(qtbot, win, "roundtables")
    show_page(qtbot, win, "directory")
    items = menu_items(win)
    assert [
        "Undo",
        "Redo",
        "New person…",
        "Edit person…",
        "Delete",
        "Export everything held on them…",
        "Erase person…",
        "History…",
        "Audit trail…",
        "Review retention…",
        "Privacy settings…",
        "Select all",
        "Find…",
        "Show sensitive details",
        "Vocabulary…",  # on every page: it is the whole directory's
    ] == [name for name in items if name != "Bulk change"]
    assert "Bulk change" in items
    items["Select all"].trigger()
    total = people_count(sqlite_db)
    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(
        messages, "confirm", lambda _p, _t, text, action: asked.append((text, action)) or False
    )
    items["Delete"].trigger()
    assert asked[0][0].startswith(f"Delete {total} people from the directory?")
    assert asked[0][1] == f"Delete {total} people"
    assert people_count(sqlite_db) == total  # cancelled
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    items["Find…"].trigger()
    assert QApplication.focusWidget() is win.directory.filter_edit


def test_roundtables_page_menu_offers_its_own_actions(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    win = demo_window
    show_page(qtbot, win, "roundtables")
    items = menu_items(win)
    assert "New person…" not in items and "Bulk change" not in items
    assert "New roundtable…" in items and "Find roundtable…" in items
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    items["Find roundtable…"].trigger()
    assert QApplication.focusWidget() is win.pages["roundtables"].search_edit


@pytest.mark.parametrize("key", ["calendar", "grouping"])
def test_pages_without_edits_keep_undo_and_redo(qtbot, demo_window, key) -> None:  # type: ignore[no-untyped-def]
    win = demo_window
    show_page(qtbot, win, key)
    assert list(menu_items(win)) == ["Undo", "Redo", "Vocabulary…"]
