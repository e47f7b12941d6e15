"""Lived experience and needs stay hidden until staff choose to see them (this session only)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from roundtable_app.services import directory
from roundtable_app.storage.models import AuditEntry
from roundtable_app.ui.directory import people_model as pm
from tests.ui.directory.test_new_values import press
from tests.ui.privacy.test_erase_dialog import _click_row
from tests.ui.test_edit_menu import menu_items


def test_hidden_until_shown_audited_and_kept_when_editing_hidden(
    qtbot, window, sqlite_db, make_person, with_modal, no_message_boxes
) -> None:  # type: ignore[no-untyped-def]
    make_person(
        sqlite_db,
        full_name="Amina Yusuf",
        lived_experience=True,
        accessibility_needs="Step-free access",
    )
    win = window()
    table = win.directory.table
    assert table.isColumnHidden(pm.LIVED_EXPERIENCE)
    _click_row(qtbot, win, "Amina Yusuf")

    def change_role_only(dialog: QDialog) -> None:
        assert not dialog.lived_experience_check.isVisibleTo(dialog)
        assert not dialog.accessibility_edit.isVisibleTo(dialog)
        assert dialog.sensitive_hidden.isVisibleTo(dialog)
        dialog.role_edit.setText("Advocate")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    with_modal(menu_items(win)["Edit person…"].trigger, change_role_only)
    with sqlite_db.reading() as session:
        person = directory.list_rows(session)[0]
        data = directory.get_person(session, person.id).data
    assert data.lived_experience and data.accessibility_needs == "Step-free access"

    show = menu_items(win)["Show sensitive details"]
    show.trigger()
    assert not table.isColumnHidden(pm.LIVED_EXPERIENCE)
    with sqlite_db.reading() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert "sensitive details shown" in actions

    def sees_them(dialog: QDialog) -> None:
        assert dialog.lived_experience_check.isVisibleTo(dialog)
        assert dialog.accessibility_edit.text() == "Step-free access"

    with_modal(menu_items(win)["Edit person…"].trigger, sees_them)
    show.trigger()  # hidden again
    assert table.isColumnHidden(pm.LIVED_EXPERIENCE)


def test_a_new_window_starts_with_them_hidden(qtbot, window, sqlite_db, make_person) -> None:  # type: ignore[no-untyped-def]
    make_person(sqlite_db, full_name="Amina Yusuf", lived_experience=True)
    win = window()
    menu_items(win)["Show sensitive details"].trigger()
    win.directory.save_state()  # the column's width and place are remembered, not the choice
    again = window()
    assert again.directory.table.isColumnHidden(pm.LIVED_EXPERIENCE)


def _shown(win, column: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    model = win.directory.table.model()
    return {
        model.index(r, pm.NAME).data(): model.index(r, column).data()
        for r in range(model.rowCount())
    }


def test_a_sector_or_interest_that_says_lived_experience_is_masked_too(
    qtbot, window, sqlite_db, make_person, with_modal, no_message_boxes
) -> None:  # type: ignore[no-untyped-def]
    make_person(
        sqlite_db,
        full_name="Amina Yusuf",
        sector="Lived experience",
        interests=("Lived experience leadership", "Survivor support"),
        lived_experience=True,
    )
    make_person(sqlite_db, full_name="Boris Kowalczyk", sector="Government")
    make_person(sqlite_db, full_name="Carys Evans")  # no sector at all
    win = window()
    page = win.directory
    # Blank, like someone without a sector: nothing singles her out.
    assert _shown(win, pm.SECTOR) == {
        "Amina Yusuf": "",
        "Boris Kowalczyk": "Government",
        "Carys Evans": "",
    }
    assert _shown(win, pm.INTERESTS)["Amina Yusuf"] == "Survivor support"
    choices = [page.sector_combo.itemText(i) for i in range(page.sector_combo.count())]
    assert "Lived experience" not in choices
    interests = [page.interest_combo.itemText(i) for i in range(page.interest_combo.count())]
    assert "Lived experience leadership" not in interests
    # Typing it in the search box finds nobody.
    page.filter_edit.clear()
    qtbot.keyClicks(page.filter_edit, "lived experience")
    qtbot.waitUntil(lambda: page.table.model().rowCount() == 0, timeout=5_000)
    qtbot.keyClick(page.filter_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.table.model().rowCount() == 3, timeout=5_000)
    # Sorting by sector puts her among the blanks, in name order: not first, not apart.
    page.table.sortByColumn(pm.SECTOR, Qt.SortOrder.AscendingOrder)
    assert list(_shown(win, pm.SECTOR)) == ["Boris Kowalczyk", "Amina Yusuf", "Carys Evans"]

    _click_row(qtbot, win, "Amina Yusuf")

    def hidden_in_the_form(dialog: QDialog) -> None:
        assert not dialog.sector_combo.isVisibleTo(dialog)
        assert dialog.sector_hidden.isVisibleTo(dialog)
        items = dialog.interests.list
        listed = [
            items.item(i).text() for i in range(items.count()) if not items.item(i).isHidden()
        ]
        assert "Lived experience leadership" not in listed and "Survivor support" in listed
        assert dialog.interests.summary.text() == "1 interest ticked"
        press(qtbot, dialog, Qt.Key.Key_Return)  # saved as it was

    with_modal(menu_items(win)["Edit person…"].trigger, hidden_in_the_form)
    with sqlite_db.reading() as session:
        amina = next(r for r in directory.list_rows(session) if r.full_name == "Amina Yusuf")
    assert amina.sector == "Lived experience"
    assert "Lived experience leadership" in amina.interests  # kept as it was

    menu_items(win)["Show sensitive details"].trigger()
    assert _shown(win, pm.SECTOR)["Amina Yusuf"] == "Lived experience"
    choices = [page.sector_combo.itemText(i) for i in range(page.sector_combo.count())]
    assert "Lived experience" in choices
    page.sector_combo.setCurrentIndex(choices.index("Lived experience"))
    assert list(_shown(win, pm.SECTOR)) == ["Amina Yusuf"]
    menu_items(win)["Show sensitive details"].trigger()  # hidden again: the filter goes too
    assert page.table.model().rowCount() == 3
    assert _shown(win, pm.SECTOR)["Amina Yusuf"] == ""


def test_hiding_them_again_undoes_a_sort_by_lived_experience_and_masks_the_organisation(
    qtbot, window, sqlite_db, make_person
) -> None:  # type: ignore[no-untyped-def]
    for name in ("Ada Brown", "Ben Cole", "Cy Dunn"):
        make_person(sqlite_db, full_name=name, organisation="Home Office")
    make_person(
        sqlite_db,
        full_name="Zara Young",
        organisation="Larkhollow Survivors' Network",
        lived_experience=True,
    )
    win = window()
    page = win.directory
    assert _shown(win, pm.ORGANISATION)["Zara Young"] == ""  # as on a sign-in sheet
    menu_items(win)["Show sensitive details"].trigger()
    assert _shown(win, pm.ORGANISATION)["Zara Young"] == "Larkhollow Survivors' Network"
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(pm.LIVED_EXPERIENCE) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert list(_shown(win, pm.NAME))[0] == "Zara Young"  # sorted by it, as asked
    menu_items(win)["Show sensitive details"].trigger()  # hidden again
    assert list(_shown(win, pm.NAME)) == ["Ada Brown", "Ben Cole", "Cy Dunn", "Zara Young"]
    assert header.sortIndicatorSection() == pm.NAME
    # Even a model sorted by the hidden column keeps them among everyone else.
    page.model.sort(pm.LIVED_EXPERIENCE, Qt.SortOrder.AscendingOrder)
    assert list(_shown(win, pm.NAME))[0] != "Zara Young"
