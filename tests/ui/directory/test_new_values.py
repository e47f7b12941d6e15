"""A typed sector, organisation or interest that does not exist yet is marked, and asked
about once on save, with the closest existing name as the default (issue 9, defect 6)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QRadioButton

from roundtable_app.services import directory
from roundtable_app.ui.directory.new_values import NewValuesDialog
from roundtable_app.ui.directory.person_dialog import PersonDialog


@pytest.fixture
def ben(sqlite_db, make_person) -> int:  # type: ignore[no-untyped-def]
    make_person(sqlite_db, full_name="Ada", sector="Civil society", interests=("Maritime labour",))
    return make_person(
        sqlite_db,
        full_name="Ben Okri",
        organisation="Home Office",
        sector="Government",
        interests=("Policing and prosecution",),
    )


def open_editor(qtbot, win, with_modal, handle) -> None:  # type: ignore[no-untyped-def]
    """Double-click Ben's row, as a person would, and ``handle`` the form."""
    table = win.directory.table
    model = win.directory.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).full_name == "Ben Okri")
    rect = table.visualRect(model.index(row, 0))

    def double_click() -> None:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    def activated(dialog: PersonDialog) -> None:
        dialog.activateWindow()  # keys go to the form, not the table behind it
        qtbot.waitUntil(dialog.isActiveWindow)
        handle(dialog)

    with_modal(double_click, activated)


def press(qtbot, dialog, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    """Press ``key`` in ``dialog`` once it is the active window, as a person would."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.focusWidget() or dialog, key)


def type_into(qtbot, combo, text: str) -> None:  # type: ignore[no-untyped-def]
    combo.lineEdit().selectAll()
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Delete)
    qtbot.keyClicks(combo.lineEdit(), text)


def sectors_of(db, person_id: int) -> str | None:  # type: ignore[no-untyped-def]
    with db.reading() as session:
        return directory.get_person(session, person_id).data.sector


def all_sectors(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.reading() as session:
        return directory.sector_names(session)


def test_a_typo_is_marked_and_enter_keeps_the_existing_sector(
    qtbot, window, with_modal, sqlite_db, ben
) -> None:  # type: ignore[no-untyped-def]
    win = window()
    asked: list[str] = []

    def answer(ask: NewValuesDialog) -> None:
        asked.append(ask.windowTitle())
        checked = [b.text() for b in ask.findChildren(QRadioButton) if b.isChecked()]
        asked.extend(checked)
        press(qtbot, ask, Qt.Key.Key_Return)  # the default: Save, with the existing name

    def edit(dialog: PersonDialog) -> None:
        type_into(qtbot, dialog.sector_combo, "GovernmentHome Office")
        assert dialog.sector_new.isVisibleTo(dialog)
        assert dialog.sector_new.text().startswith("New sector — will be created.")
        assert "Did you mean" in dialog.sector_new.text()
        assert "Government" in dialog.sector_new.text()
        assert not dialog.organisation_new.isVisibleTo(dialog)  # Home Office exists
        with_modal(lambda: qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton), answer)

    open_editor(qtbot, win, with_modal, edit)
    assert asked == [
        "Create the new sector “GovernmentHome Office”?",
        "Use the existing sector “Government”",
    ]
    assert sectors_of(sqlite_db, ben) == "Government"
    assert "GovernmentHome Office" not in all_sectors(sqlite_db)


def test_choosing_create_makes_the_new_sector_and_asks_only_once(
    qtbot, window, with_modal, sqlite_db, ben
) -> None:  # type: ignore[no-untyped-def]
    win = window()
    asked: list[str] = []

    def create(ask: NewValuesDialog) -> None:
        asked.append(ask.windowTitle())
        create_button = next(
            b for b in ask.findChildren(QRadioButton) if b.text().startswith("Create")
        )
        qtbot.mouseClick(create_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(ask.save_button, Qt.MouseButton.LeftButton)

    def edit(dialog: PersonDialog) -> None:
        type_into(qtbot, dialog.sector_combo, "Local government")
        with_modal(dialog.ok_button.click, create)

    open_editor(qtbot, win, with_modal, edit)
    assert asked == ["Create the new sector “Local government”?"]
    assert sectors_of(sqlite_db, ben) == "Local government"
    assert "Local government" in all_sectors(sqlite_db)


def test_back_to_the_form_saves_nothing_and_keeps_what_was_typed(
    qtbot, window, with_modal, sqlite_db, ben
) -> None:  # type: ignore[no-untyped-def]
    win = window()
    stayed: list[bool] = []

    def edit(dialog: PersonDialog) -> None:
        type_into(qtbot, dialog.sector_combo, "Goverment")
        with_modal(dialog.ok_button.click, lambda ask: press(qtbot, ask, Qt.Key.Key_Escape))
        stayed.append(dialog.isVisible())
        stayed.append(dialog.sector_combo.currentText() == "Goverment")

    open_editor(qtbot, win, with_modal, edit)
    assert stayed == [True, True]
    assert sectors_of(sqlite_db, ben) == "Government"
    assert "Goverment" not in all_sectors(sqlite_db)


def test_new_interests_and_organisations_are_asked_about_together(
    qtbot, window, with_modal, sqlite_db, ben
) -> None:  # type: ignore[no-untyped-def]
    win = window()
    asked: list[str] = []

    def answer(ask: NewValuesDialog) -> None:
        asked.append(ask.windowTitle())
        asked.extend(b.text() for b in ask.findChildren(QRadioButton) if b.isChecked())
        qtbot.mouseClick(ask.save_button, Qt.MouseButton.LeftButton)

    def edit(dialog: PersonDialog) -> None:
        type_into(qtbot, dialog.organisation_combo, "Freedom Fund")
        qtbot.keyClicks(dialog.interests.new_edit, "Maritime labor")
        qtbot.keyClick(dialog.interests.new_edit, Qt.Key.Key_Return)
        assert dialog.isVisible()  # Enter added the interest; it did not save the form
        assert dialog.interests.checked() == ("Policing and prosecution", "Maritime labor")
        assert dialog.organisation_new.text() == "New organisation — will be created."
        assert dialog.interests_new.text() == "New interest — will be created: Maritime labor"
        with_modal(dialog.ok_button.click, answer)

    open_editor(qtbot, win, with_modal, edit)
    assert asked == [
        "Create 1 new interest and 1 new organisation?",
        "Create the new organisation “Freedom Fund”",
        "Use the existing interest “Maritime labour”",
    ]
    with sqlite_db.reading() as session:
        data = directory.get_person(session, ben).data
        assert data.organisation == "Freedom Fund"
        assert data.interests == ("Maritime labour", "Policing and prosecution")
        assert "Maritime labor" not in directory.theme_names(session)


def test_did_you_mean_puts_the_existing_name_in_the_field(qtbot, window, with_modal, ben) -> None:  # type: ignore[no-untyped-def]
    win = window()
    seen: list[str] = []

    def edit(dialog: PersonDialog) -> None:
        type_into(qtbot, dialog.sector_combo, "Govermnent")
        dialog.sector_new.linkActivated.emit("Government")  # the link in the hint
        seen.append(dialog.sector_combo.currentText())
        seen.append(str(dialog.sector_new.isVisibleTo(dialog)))

    open_editor(qtbot, win, with_modal, edit)
    assert seen == ["Government", "False"]
