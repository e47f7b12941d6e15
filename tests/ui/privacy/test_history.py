"""Who did what, and when: the staff name set in Privacy settings, a record's History,
and the audit trail window with its filters and export, as staff use them."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import delete

from roundtable_app.core.model import PersonData, RoundtableStatus
from roundtable_app.services import audit, directory, roundtables
from roundtable_app.storage.models import AuditEntry
from roundtable_app.ui.privacy import AuditWindow, HistoryDialog, PrivacySettingsDialog
from roundtable_app.ui.privacy.audit_model import WHAT, WHO
from roundtable_app.ui.settings import STAFF_NAME
from tests.ui.privacy.test_erase_dialog import _click_row
from tests.ui.test_edit_menu import menu_items


@pytest.fixture(autouse=True)
def login_name_after() -> Iterator[None]:
    yield
    audit.set_staff_name("")


def _texts(dialog: HistoryDialog, column: int) -> list[str]:
    model = dialog.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _press(qtbot, dialog: QDialog, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    dialog.activateWindow()  # as the window manager does for a new dialog
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.focusWidget() or dialog, key)


def test_the_name_set_in_privacy_settings_is_who_the_history_names(
    qtbot, window, sqlite_db, make_person, with_modal, no_message_boxes, isolated_settings
) -> None:  # type: ignore[no-untyped-def]
    amina = make_person(sqlite_db, full_name="Amina Yusuf", email="amina@example.org")
    win = window()

    def name_myself(dialog: QDialog) -> None:
        assert isinstance(dialog, PrivacySettingsDialog)
        qtbot.keyClicks(dialog.name_edit, "Priya Shah")
        _press(qtbot, dialog, Qt.Key.Key_Return)  # OK

    with_modal(menu_items(win)["Privacy settings…"].trigger, name_myself)
    assert isolated_settings.get(STAFF_NAME) == "Priya Shah"
    with sqlite_db.transaction() as session:  # an edit made in this window, as any other
        person = directory.get_person(session, amina)
        changed = PersonData(
            full_name="Amina Yusuf", email="amina.y@example.org", dietary_needs="Halal"
        )
        directory.update_person(session, amina, changed, person.version)

    history = menu_items(win)["History…"]
    assert not history.isEnabled()  # nobody selected
    _click_row(qtbot, win, "Amina Yusuf")
    assert history.isEnabled()
    seen: list[tuple[list[str], list[str], str]] = []

    def read_and_close(dialog: QDialog) -> None:
        assert isinstance(dialog, HistoryDialog)
        assert dialog.windowTitle() == "History of Amina Yusuf"
        details = [dialog.model.index(r, 4).data() for r in range(dialog.model.rowCount())]
        seen.append((_texts(dialog, WHO), _texts(dialog, WHAT), " ".join(details)))
        _press(qtbot, dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible()

    with_modal(history.trigger, read_and_close)
    who, what, details = seen[0]
    assert who == ["Priya Shah", audit.login_name()]
    assert what == ["Updated", "Created"]
    assert details == "email, dietary needs " and "amina.y" not in details  # never values


def test_a_person_with_nothing_recorded_has_an_empty_state(
    qtbot, window, sqlite_db, make_person, with_modal, no_message_boxes
) -> None:  # type: ignore[no-untyped-def]
    make_person(sqlite_db, full_name="Amina Yusuf")
    with sqlite_db.transaction() as session:  # as if imported before the audit trail
        session.execute(delete(AuditEntry))
    win = window()
    _click_row(qtbot, win, "Amina Yusuf")

    def empty(dialog: QDialog) -> None:
        assert dialog.stack.currentWidget() is dialog.empty
        assert dialog.empty.title.text() == "Nothing recorded about this person yet"
        dialog.reject()

    with_modal(menu_items(win)["History…"].trigger, empty)


def test_a_roundtables_history_from_the_roundtables_page(
    qtbot, window, sqlite_db, with_modal, no_message_boxes
) -> None:  # type: ignore[no-untyped-def]
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    with sqlite_db.transaction() as session:
        created = roundtables.create_roundtable(
            session,
            roundtables.RoundtableData(
                title="Supply chains", starts_at=start, ends_at=start + dt.timedelta(hours=2)
            ),
        )
        roundtables.set_status(session, created.id, RoundtableStatus.SCHEDULED, created.version)
    win = window()
    win.page_actions[1].trigger()  # View > Roundtables
    page = win.pages["roundtables"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    rect = page.table.visualRect(page.model.index(0, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    seen: list[list[str]] = []

    def read(dialog: QDialog) -> None:
        assert dialog.windowTitle() == "History of Supply chains"
        seen.append(_texts(dialog, WHAT))
        dialog.reject()

    with_modal(menu_items(win)["History…"].trigger, read)
    assert seen == [["Status", "Created"]]


def _entries(db, count: int) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        session.execute(delete(AuditEntry))
        for n in range(count):
            session.add(
                AuditEntry(
                    actor="Priya Shah" if n % 2 else "Tom Reid",
                    entity="person",
                    entity_id=n,
                    action="updated",
                    detail="=notes" if n == count - 1 else "email",
                )
            )


def test_the_audit_trail_scrolls_filters_and_exports(
    qtbot, window, sqlite_db, no_message_boxes, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _entries(sqlite_db, 1_200)
    win = window()
    menu_items(win)["Audit trail…"].trigger()
    audit_window = win.findChild(AuditWindow, "auditWindow")
    assert audit_window is not None and audit_window.isVisible()
    qtbot.addWidget(audit_window)
    assert audit_window.count_label.text() == "1,200 entries in the audit trail, newest first"
    model, table = audit_window.model, audit_window.table
    assert model.rowCount() == 500  # a page; the rest as the list scrolls
    qtbot.waitExposed(audit_window)
    for _ in range(4):
        table.scrollToBottom()
        qtbot.wait(20)
    assert model.rowCount() == 1_200
    ids = [model.record_at(r).id for r in range(model.rowCount())]
    assert ids == sorted(ids, reverse=True)

    combo = audit_window.actor_combo
    combo.setCurrentIndex(combo.findText("Tom Reid"))  # as a click in its list does
    assert audit_window.count_label.text() == "600 entries match the filters, newest first"
    qtbot.keyClicks(audit_window.text_edit, "=NOTES")
    qtbot.waitUntil(lambda: audit_window.model.rowCount() == 0)
    assert audit_window.empty.title.text() == "No entries match these filters"
    qtbot.mouseClick(audit_window.empty.buttons["Clear filters"], Qt.MouseButton.LeftButton)
    assert audit_window.model.rowCount() == 500

    qtbot.keyClicks(audit_window.text_edit, "=notes")
    audit_window.activateWindow()
    qtbot.waitUntil(audit_window.isActiveWindow)
    audit_window.text_edit.setFocus()
    qtbot.keyClick(audit_window.text_edit, Qt.Key.Key_Return)  # searches now, clears nothing
    assert audit_window.text_edit.text() == "=notes"
    assert audit_window.model.rowCount() == 1
    task = audit_window.export(str(tmp_path / "trail"))
    assert task is not None
    with qtbot.waitSignal(task.ended, timeout=10_000):
        pass
    with open(tmp_path / "trail.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 2 and rows[1][1:] == ["Priya Shah", "Person", "1199", "Updated", "'=notes"]
    assert "exported to" in audit_window.count_label.text()
    rect = table.visualRect(model.index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    _press(qtbot, audit_window, Qt.Key.Key_Escape)
    assert not audit_window.isVisible()
