"""Review retention, as staff do it: Edit > Review retention…, turn the rule on from there,
read who would go and why, Enter cancels the one confirmation, then erase for good."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from sqlalchemy import select, update

from roundtable_app.services import privacy
from roundtable_app.storage.models import AuditEntry, Person
from roundtable_app.ui import messages
from roundtable_app.ui.privacy import PrivacySettingsDialog, RetentionDialog
from tests.ui.test_edit_menu import menu_items

LONG_AGO = dt.datetime(2015, 5, 4, 9, tzinfo=dt.UTC)
REAL_CONFIRM = messages.confirm  # the real box (the tests' fixture fails on any by default)


def _when_modal(kind: type, handle: Callable[[QDialog], object]) -> None:
    """Handle the next modal dialog of ``kind`` once it shows (nested dialogs too)."""

    def step() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(10, step)
            return
        try:
            handle(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, step)


def _press(qtbot, dialog: QDialog, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.focusWidget() or dialog, key)


def _names(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return sorted(s.scalars(select(Person.full_name)))


def test_turn_on_review_and_erase_with_one_confirmation(
    qtbot, window, sqlite_db, make_person, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(messages, "confirm", REAL_CONFIRM)
    old = make_person(sqlite_db, full_name="Olu Old", email="olu@example.org")
    make_person(sqlite_db, full_name="Nia New", email="nia@example.org")
    with sqlite_db.transaction() as s:
        s.execute(
            update(Person).where(Person.id == old).values(created_at=LONG_AGO, updated_at=LONG_AGO)
        )
        s.execute(update(AuditEntry).where(AuditEntry.entity_id == old).values(at=LONG_AGO))
    win = window()
    seen: dict[str, object] = {}

    def turn_on(settings: QDialog) -> None:
        assert isinstance(settings, PrivacySettingsDialog)
        assert not settings.retention_check.isChecked()  # off by default
        assert settings.years_box.value() == 3  # the suggestion
        box = settings.retention_check
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
        _press(qtbot, settings, Qt.Key.Key_Return)  # OK

    def cancel_then_erase(confirm: QDialog) -> None:
        assert isinstance(confirm, QMessageBox)
        seen["question"] = confirm.text()
        _press(qtbot, confirm, Qt.Key.Key_Return)  # Cancel is the default
        assert not confirm.isVisible()

    def erase(confirm: QDialog) -> None:
        assert isinstance(confirm, QMessageBox)
        button = next(b for b in confirm.buttons() if b.text() == "Erase 1 person")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def review(dialog: QDialog) -> None:
        assert isinstance(dialog, RetentionDialog)
        assert dialog.empty.title.text() == "Retention is off"
        _when_modal(PrivacySettingsDialog, turn_on)
        qtbot.mouseClick(dialog.empty.buttons["Privacy settings…"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10_000)
        model = dialog.model
        assert [model.index(0, c).data() for c in range(4)] == [
            "Olu Old",
            "olu@example.org",
            "4 May 2015",
            "Added, never invited",
        ]
        assert dialog.erase_button.text() == "Erase 1 person…"
        _when_modal(QMessageBox, cancel_then_erase)
        qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
        assert _names(sqlite_db) == ["Nia New", "Olu Old"]
        _when_modal(QMessageBox, erase)
        qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Erased 1 person" in dialog.status.text(), timeout=10_000)
        qtbot.waitUntil(lambda: dialog.empty.title.text() == "No one to erase", timeout=10_000)
        seen["status"] = dialog.status.text()
        _press(qtbot, dialog, Qt.Key.Key_Escape)

    _when_modal(RetentionDialog, review)
    menu_items(win)["Review retention…"].trigger()
    question = str(seen["question"])
    for words in ("What goes", "What stays", "Backups made before today", "cannot be undone"):
        assert words in question
    assert seen["status"] == (
        "Erased 1 person. The database file was rewritten, so no trace of them is left in it."
    )
    assert _names(sqlite_db) == ["Nia New"]
    with sqlite_db.reading() as s:
        assert privacy.retention_years(s) == 3
    qtbot.waitUntil(lambda: win.directory.model.rowCount() == 1)
    assert not win.undo_action.isEnabled()
