"""Edit > Vocabulary, driven as a person would: merge a typo into the right sector,
undo it with Ctrl+Z, rename in place, delete what nobody uses (issue 9, defect 6)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from roundtable_app.services import directory
from roundtable_app.services.directory import VocabularyKind
from roundtable_app.ui import messages
from roundtable_app.ui.directory import VocabularyDialog
from roundtable_app.ui.directory.vocabulary_merge import MergeDialog
from roundtable_app.ui.directory.vocabulary_model import NAME, PEOPLE, VocabularyModel


@pytest.fixture
def people(sqlite_db, make_person) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        "ann": make_person(sqlite_db, full_name="Ann", sector="Government"),
        "bob": make_person(sqlite_db, full_name="Bob", sector="Government"),
        "cat": make_person(
            sqlite_db,
            full_name="Cat",
            sector="GovernmentHome Office",
            interests=("Maritime labour", "Duplicate in file"),
        ),
    }


def open_vocabulary(qtbot, win) -> VocabularyDialog:  # type: ignore[no-untyped-def]
    """Edit > Vocabulary… from the menu bar."""
    action = next(a for a in win.edit_menu.actions() if a.text() == "&Vocabulary…")
    action.trigger()
    dialog = win.findChild(VocabularyDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def shown(dialog: VocabularyDialog) -> dict[str, str]:
    """Name -> the People column, as the current tab shows them."""
    proxy = dialog.page.proxy
    return {
        proxy.index(r, NAME).data(): proxy.index(r, PEOPLE).data() for r in range(proxy.rowCount())
    }


def click_row(qtbot, dialog: VocabularyDialog, name: str, ctrl: bool = False) -> None:  # type: ignore[no-untyped-def]
    view, proxy = dialog.page.view, dialog.page.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, NAME).data() == name)
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    pos = view.visualRect(proxy.index(row, NAME)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, pos)


def person_sector(db, person_id: int) -> str | None:  # type: ignore[no-untyped-def]
    with db.reading() as session:
        return directory.get_person(session, person_id).data.sector


def directory_sectors(win) -> list[str]:  # type: ignore[no-untyped-def]
    combo = win.directory.sector_combo
    return [combo.itemText(i) for i in range(1, combo.count())]


def shown_sector(win, name: str) -> str:  # type: ignore[no-untyped-def]
    """The Sector column of ``name``'s row in the directory table."""
    model = win.directory.model
    return next(
        model.row_at(r).sector for r in range(model.rowCount()) if model.row_at(r).full_name == name
    )


def test_the_model_passes_the_model_tester(qtmodeltester, sqlite_db, people) -> None:  # type: ignore[no-untyped-def]
    model = VocabularyModel()
    with sqlite_db.reading() as session:
        model.set_entries(directory.list_vocabulary(session, VocabularyKind.SECTOR))
    qtmodeltester.check(model)


def test_merge_a_typo_then_ctrl_z_brings_it_back(
    qtbot, window, with_modal, sqlite_db, people
) -> None:  # type: ignore[no-untyped-def]
    win = window()
    dialog = open_vocabulary(qtbot, win)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "&Sectors"
    assert shown(dialog)["Government"] == "2"
    assert shown(dialog)["GovernmentHome Office"] == "1"
    assert "GovernmentHome Office" in directory_sectors(win)

    click_row(qtbot, dialog, "GovernmentHome Office")
    click_row(qtbot, dialog, "Government", ctrl=True)
    seen: list[str] = []

    def keep_the_most_used(merge: MergeDialog) -> None:
        seen.append(merge.combo.currentText())
        seen.append(merge.summary.text())
        merge.activateWindow()
        qtbot.waitUntil(merge.isActiveWindow)
        qtbot.keyClick(merge.focusWidget() or merge, Qt.Key.Key_Return)

    with_modal(
        lambda: qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton),
        keep_the_most_used,
    )
    assert seen[0] == "Government (2 people)"
    assert seen[1].startswith("1 person will have “Government” instead of “GovernmentHome Office”")
    assert "GovernmentHome Office" not in shown(dialog)
    assert shown(dialog)["Government"] == "3"
    assert dialog.status.text() == (
        "Merged “GovernmentHome Office” into “Government”: 1 person moved. Ctrl+Z undoes it."
    )
    assert person_sector(sqlite_db, people["cat"]) == "Government"
    assert "GovernmentHome Office" not in directory_sectors(win)  # the filters follow
    qtbot.waitUntil(lambda: shown_sector(win, "Cat") == "Government")  # reloads in the background
    assert win.undo_action.text() == "&Undo Merge “GovernmentHome Office” into “Government”"

    dialog.activateWindow()  # offscreen, closing the merge box does not give it back
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown(dialog)["GovernmentHome Office"] == "1"
    assert shown(dialog)["Government"] == "2"
    assert dialog.status.text().startswith("Undone: Merge “GovernmentHome Office”")
    assert person_sector(sqlite_db, people["cat"]) == "GovernmentHome Office"
    assert "GovernmentHome Office" in directory_sectors(win)
    qtbot.waitUntil(lambda: shown_sector(win, "Cat") == "GovernmentHome Office")

    qtbot.keyClick(
        dialog.page.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert person_sector(sqlite_db, people["cat"]) == "Government"


def test_merge_one_into_a_name_typed_with_completion(
    qtbot, window, with_modal, sqlite_db, people
) -> None:  # type: ignore[no-untyped-def]
    win = window()
    dialog = open_vocabulary(qtbot, win)
    qtbot.mouseClick(
        dialog.tabs.tabBar(),
        Qt.MouseButton.LeftButton,
        pos=dialog.tabs.tabBar().tabRect(1).center(),
    )
    assert shown(dialog) == {"Duplicate in file": "1", "Maritime labour": "1"}
    click_row(qtbot, dialog, "Duplicate in file")
    enabled: list[bool] = []

    def into_maritime(merge: MergeDialog) -> None:
        merge.combo.lineEdit().clear()
        qtbot.keyClicks(merge.combo.lineEdit(), "no such")
        enabled.append(merge.merge_button.isEnabled())
        merge.combo.lineEdit().clear()
        qtbot.keyClicks(merge.combo.lineEdit(), "maritime labour")
        enabled.append(merge.merge_button.isEnabled())
        qtbot.mouseClick(merge.merge_button, Qt.MouseButton.LeftButton)

    with_modal(dialog.merge_button.click, into_maritime)
    assert enabled == [False, True]
    assert shown(dialog) == {"Maritime labour": "1"}
    with sqlite_db.reading() as session:
        assert directory.get_person(session, people["cat"]).data.interests == ("Maritime labour",)


def test_rename_in_place_with_f2_and_undo(qtbot, window, sqlite_db, people) -> None:  # type: ignore[no-untyped-def]
    win = window()
    dialog = open_vocabulary(qtbot, win)
    click_row(qtbot, dialog, "GovernmentHome Office")
    qtbot.keyClick(dialog.page.view, Qt.Key.Key_F2)
    editor = dialog.page.view.focusWidget()
    editor.selectAll()  # type: ignore[union-attr]
    qtbot.keyClicks(editor, "Government - Home Office")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Government - Home Office" in shown(dialog))  # the view commits later
    assert shown(dialog)["Government - Home Office"] == "1"
    assert person_sector(sqlite_db, people["cat"]) == "Government - Home Office"
    assert dialog.status.text() == (
        "Renamed “GovernmentHome Office” to “Government - Home Office” (1 person). "
        "Ctrl+Z undoes it."
    )
    win.undo_action.trigger()  # Edit > Undo in the main window works as well
    assert person_sector(sqlite_db, people["cat"]) == "GovernmentHome Office"
    assert "GovernmentHome Office" in shown(dialog)


def test_renaming_to_a_taken_name_offers_a_merge(
    qtbot, window, monkeypatch, sqlite_db, people
) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []
    monkeypatch.setattr(
        messages, "confirm", lambda _p, title, text, action: asked.append(text) or True
    )
    win = window()
    dialog = open_vocabulary(qtbot, win)
    click_row(qtbot, dialog, "GovernmentHome Office")
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    editor = dialog.page.view.focusWidget()
    editor.selectAll()  # type: ignore[union-attr]
    qtbot.keyClicks(editor, "government")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(asked))
    assert asked == [
        "There is already a sector called “Government”. Merge “GovernmentHome Office” into "
        "it? Its 1 person will have “Government” instead."
    ]
    assert person_sector(sqlite_db, people["cat"]) == "Government"
    assert "GovernmentHome Office" not in shown(dialog)


def test_delete_only_what_nobody_uses(qtbot, window, sqlite_db, people) -> None:  # type: ignore[no-untyped-def]
    win = window()
    dialog = open_vocabulary(qtbot, win)
    click_row(qtbot, dialog, "Government")
    assert not dialog.delete_button.isEnabled()
    assert "used by 2 people: merge it into another sector" in dialog.delete_button.toolTip()
    click_row(qtbot, dialog, "Funder")
    assert dialog.delete_button.isEnabled()
    qtbot.keyClick(dialog.page.view, Qt.Key.Key_Delete)
    assert "Funder" not in shown(dialog)
    assert dialog.status.text() == "Deleted “Funder”. Ctrl+Z undoes it."
    with sqlite_db.reading() as session:
        assert "Funder" not in directory.sector_names(session)
    qtbot.keyClick(dialog.page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown(dialog)["Funder"] == "0"


def test_escape_clears_the_filter_then_closes(qtbot, window, people) -> None:  # type: ignore[no-untyped-def]
    win = window()
    dialog = open_vocabulary(qtbot, win)
    qtbot.keyClicks(dialog.page.filter_edit, "gov")
    assert list(shown(dialog)) == ["Government", "GovernmentHome Office"]
    qtbot.keyClick(dialog.page.filter_edit, Qt.Key.Key_Escape)
    assert dialog.page.filter_edit.text() == "" and dialog.isVisible()
    assert len(shown(dialog)) == 10
    qtbot.keyClick(dialog.page.filter_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert open_vocabulary(qtbot, win) is dialog  # one per window, shown again
