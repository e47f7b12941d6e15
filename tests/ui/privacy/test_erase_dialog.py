"""Erase this person, as staff do it: click the row, Edit > Erase person…, read, tick, erase."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog

from roundtable_app.services import directory
from roundtable_app.ui.privacy import EraseDialog
from tests.ui.test_edit_menu import menu_items


def _names(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.reading() as session:
        return sorted(r.full_name for r in directory.list_rows(session))


def _click_row(qtbot, win, name: str) -> None:  # type: ignore[no-untyped-def]
    table, model = win.directory.table, win.directory.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).full_name == name)
    rect = table.visualRect(model.index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_enter_cancels_and_only_a_ticked_box_erases(
    qtbot, window, sqlite_db, make_person, with_modal, no_message_boxes
) -> None:  # type: ignore[no-untyped-def]
    make_person(sqlite_db, full_name="Amina Yusuf", email="amina@example.org")
    make_person(sqlite_db, full_name="Ben Okri", email="ben@example.org")
    win = window()
    _click_row(qtbot, win, "Amina Yusuf")
    erase = menu_items(win)["Erase person…"]
    assert erase.isEnabled()
    seen: list[str] = []

    def press_enter(dialog: QDialog) -> None:
        assert isinstance(dialog, EraseDialog)
        seen.append(dialog.text.text())
        assert not dialog.erase_button.isEnabled()  # not before the box is ticked
        dialog.activateWindow()  # as the window manager does for a new dialog
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)  # Cancel: default
        assert not dialog.isVisible()

    with_modal(erase.trigger, press_enter)
    assert "Amina Yusuf" in seen[0] and "This cannot be undone" in seen[0]
    assert "Backups" in seen[0]
    assert _names(sqlite_db) == ["Amina Yusuf", "Ben Okri"]

    def tick_and_erase(dialog: QDialog) -> None:
        box = dialog.findChild(QCheckBox)
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
        assert dialog.erase_button.isEnabled()
        qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)

    with_modal(erase.trigger, tick_and_erase)
    assert _names(sqlite_db) == ["Ben Okri"]
    qtbot.waitUntil(lambda: win.directory.model.rowCount() == 1)
    assert not win.undo_action.isEnabled()  # nothing can bring them back
    assert no_message_boxes == []


def test_erase_needs_exactly_one_person(qtbot, window, sqlite_db, make_person) -> None:  # type: ignore[no-untyped-def]
    make_person(sqlite_db, full_name="Amina Yusuf")
    make_person(sqlite_db, full_name="Ben Okri")
    win = window()
    win.directory.table.selectAll()
    assert not menu_items(win)["Erase person…"].isEnabled()


def test_export_everything_held_from_the_edit_menu_writes_their_zip(
    qtbot, window, sqlite_db, make_person, monkeypatch, tmp_path, no_message_boxes
) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    from roundtable_app.ui import messages
    from roundtable_app.ui.privacy import access_export

    make_person(sqlite_db, full_name="Amina Yusuf", email="amina@example.org")
    make_person(sqlite_db, full_name="Ben Okri", email="ben@example.org")
    win = window()
    _click_row(qtbot, win, "Amina Yusuf")
    asked: list[str] = []
    target = tmp_path / "amina"
    monkeypatch.setattr(
        access_export,
        "save_file_name",
        lambda _p, _c, start, _f: asked.append(start) or str(target),
    )
    told: list[str] = []
    monkeypatch.setattr(messages, "show_info", lambda _p, _t, text: told.append(text))
    menu_items(win)["Export everything held on them…"].trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert asked[0].endswith("Everything held on Amina Yusuf.zip")
    with zipfile.ZipFile(tmp_path / "amina.zip") as archive:
        data = archive.read("person.json").decode()
    assert "amina@example.org" in data and "Ben Okri" not in data
    assert "send it to them safely" in told[0]
