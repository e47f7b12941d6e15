"""Lived experience and needs stay hidden until staff choose to see them (this session only)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from roundtable_app.services import directory
from roundtable_app.storage.models import AuditEntry
from roundtable_app.ui.directory import people_model as pm
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
