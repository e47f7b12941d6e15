"""An import started while another one writes to the same SQLite file: the dialog says it
is waiting, Cancel works meanwhile, and the import goes ahead once the other has finished."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from roundtable_app.services import directory
from roundtable_app.storage.unit_of_work import Database
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.transfer.import_dialog import MAPPING, PREVIEW, REPORT, RUNNING, ImportDialog

WAITING = "Another import is writing to this database; waiting…"


@pytest.fixture
def other_import(sqlite_db: Database) -> Iterator[sqlite3.Connection]:
    """Another import (another process, say) holding the file's write lock until it commits."""
    path = sqlite_db.engine.url.database
    assert path is not None
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO theme (name) VALUES ('From the other import')")
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


def _dialog_at_preview(qtbot, ctx: AppContext, tmp_path: Path) -> ImportDialog:  # type: ignore[no-untyped-def]
    path = tmp_path / "contacts.csv"
    path.write_text("Name,Email\nAda Lovelace,ada@example.org\nAlan Turing,alan@example.org\n")
    dialog = ImportDialog(ctx, path=str(path))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.page == MAPPING
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.page == PREVIEW
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    return dialog


def _names(db: Database) -> list[str]:
    with db.reading() as session:
        return sorted(r.full_name for r in directory.list_rows(session))


def test_waiting_behind_another_import_can_be_cancelled(
    qtbot, ctx: AppContext, sqlite_db: Database, tmp_path: Path, other_import: sqlite3.Connection
) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog_at_preview(qtbot, ctx, tmp_path)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # Import
    assert dialog.page == RUNNING
    qtbot.waitUntil(lambda: dialog.run_label.text() == WAITING, timeout=20_000)
    assert dialog.cancel_button.isVisible() and dialog.cancel_button.isEnabled()

    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.page == REPORT, timeout=20_000)
    assert dialog.title.text() == "The import was cancelled."
    assert "Nothing was changed" in dialog.report_summary.text()
    other_import.execute("COMMIT")
    assert _names(sqlite_db) == []


def test_the_import_goes_ahead_once_the_other_has_finished(
    qtbot, ctx: AppContext, sqlite_db: Database, tmp_path: Path, other_import: sqlite3.Connection
) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog_at_preview(qtbot, ctx, tmp_path)
    qtbot.keyClick(dialog.next_button, Qt.Key.Key_Space)  # Import, from the keyboard
    qtbot.waitUntil(lambda: dialog.run_label.text() == WAITING, timeout=20_000)

    with qtbot.waitSignal(dialog.people_imported, timeout=20_000):
        other_import.execute("COMMIT")  # the other import ends
    assert dialog.page == REPORT
    assert dialog.report_summary.text().startswith("2 added")
    assert _names(sqlite_db) == ["Ada Lovelace", "Alan Turing"]
