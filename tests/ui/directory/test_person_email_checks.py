"""The person form refuses an address that only looks right, as the importer does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from roundtable_app.services import directory
from roundtable_app.ui.directory.person_dialog import PersonDialog


def test_a_pasted_zero_width_space_in_an_address_is_named_and_blocks_ok(
    with_modal, qtbot, window, make_person, sqlite_db
) -> None:  # type: ignore[no-untyped-def]
    make_person(sqlite_db, full_name="Jane Doe", email="jane@zw.org")
    win = window()

    def type_lookalike(dialog: PersonDialog) -> None:
        qtbot.keyClicks(dialog.name_edit, "Jane Doe")
        QGuiApplication.clipboard().setText("jane\u200b@zw.org")  # copied from a web page
        qtbot.keyClick(dialog.email_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        assert dialog.email_edit.text() == "jane\u200b@zw.org"
        assert not dialog.ok_button.isEnabled()
        assert dialog.email_error.isVisibleTo(dialog)
        assert dialog.email_error.text() == (
            "'jane[U+200B]@zw.org' holds an invisible character (zero width space, U+200B)"
        )
        dialog.email_edit.clear()
        qtbot.keyClicks(dialog.email_edit, "jane.doe@zw.org")
        assert dialog.ok_button.isEnabled() and not dialog.email_error.isVisibleTo(dialog)

    with_modal(win.directory.new_person, type_lookalike)
    with sqlite_db.reading() as session:
        assert [r.email for r in directory.list_rows(session)] == ["jane@zw.org"]
