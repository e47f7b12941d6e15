"""The import wizard's mapping step offers the chosen name, the support contact, and how and
when each consent was given; the preview names a bad "how" and the import records them.
Driven as a user would: the drop-downs are opened with the keyboard and chosen from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from roundtable_app.services import directory
from roundtable_app.storage.unit_of_work import Database
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.transfer.import_dialog import MAPPING, PREVIEW, REPORT, ImportDialog
from roundtable_app.ui.transfer.mapping_page import NOT_IMPORTED, MappingTable
from roundtable_app.ui.transfer.preview_model import ROW

CSV = (
    "Name,Display name,Email,Nickname,Keyworker,How they agreed,Date agreed\n"
    "Amina Yusuf,Mina,amina@example.org,,Hestia support worker,In writing,31/03/2025 14:05\n"
    "Boris Kowalczyk,,boris@example.org,Bo,,by pigeon,\n"
)


def _choose(qtbot, table: MappingTable, row: int, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click the column's line, open its drop-down with Enter, arrow down to ``text``, Enter."""
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(table, Qt.Key.Key_Return)
    view = table.combo(row).view()
    assert view.isVisible()
    for _ in range(table.combo(row).count()):
        if view.currentIndex().data() == text:
            break
        qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert table.combo(row).currentText() == text


def test_the_mapping_step_offers_the_privacy_fields_and_the_import_records_them(
    qtbot, ctx: AppContext, sqlite_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "contacts.csv"
    path.write_text(CSV, encoding="utf-8")
    dialog = ImportDialog(ctx, path=str(path))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.page == MAPPING
    table = dialog.mapping_table
    shown = [table.combo(i).currentText() for i in range(table.rowCount())]
    # Beside "Name", "Display name" is the chosen name, not a second full name.
    assert shown[:3] == ["Full name", "Known as", "E-mail"]
    assert shown[3:] == [NOT_IMPORTED] * 4
    offered = [table.combo(0).itemText(i) for i in range(table.combo(0).count())]
    for label in (
        "Known as",
        "Contact through",
        "Contact through e-mail",
        "May contact: how",
        "May contact: when",
        "May be named: how",
        "May be named: when",
    ):
        assert label in offered

    _choose(qtbot, table, 4, "Contact through")
    _choose(qtbot, table, 5, "May contact: how")
    _choose(qtbot, table, 6, "May contact: when")
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.page == PREVIEW
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    model = dialog.preview_model
    assert (
        model.index(1, 4)
        .data()
        .startswith("'by pigeon' in “May contact: how” is not a way of giving consent")
    )
    assert model.index(1, ROW).data(Qt.ItemDataRole.CheckStateRole) != Qt.CheckState.Checked

    with qtbot.waitSignal(dialog.people_imported, timeout=20_000):
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.page == REPORT
    with sqlite_db.reading() as session:
        rows = directory.list_rows(session)
        assert [r.full_name for r in rows] == ["Amina Yusuf"]
        amina = directory.get_person(session, rows[0].id).data
    assert amina.display_name == "Mina"
    assert amina.contact_via == "Hestia support worker"
    assert amina.contact_consent_how == "in_writing"
    assert amina.contact_consent_at == dt.datetime(2025, 3, 31, 14, 5, tzinfo=dt.UTC)
