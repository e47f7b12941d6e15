"""Choosing a file in the database's own folder loses nothing the window saves afterwards.

Qt used to open every listed file to guess its type, and closing it dropped
this process's locks on the SQLite database: the next program to close the
database (a command-line import, a colleague's window) deleted its
write-ahead log, and the window's later saves went into a deleted file.
These tests do what a user does, then let another process open and close
the database, save in the window, and read the save back from a third process.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QListView

from roundtable_app.storage.unit_of_work import Database
from roundtable_app.ui.common import file_dialogs
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.transfer.import_dialog import ImportDialog

NAMES = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(sorted(r[0] for r in c.execute('SELECT full_name FROM person'))); c.close()"  # noqa: E501


def _other_process_names(db_file: Path) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", NAMES, str(db_file)], capture_output=True, text=True, check=True
    )
    return eval(out.stdout)  # noqa: S307 (a list of names printed by the line above)


def _saves_survive_another_process(
    db: Database, make_person: Callable[..., int], db_file: Path
) -> None:
    _other_process_names(db_file)  # opens and closes the database, like a CLI import
    make_person(db, full_name="Saved afterwards")
    assert "Saved afterwards" in _other_process_names(db_file)


@pytest.fixture
def db_file(sqlite_db: Database, make_person: Callable[..., int]) -> Path:
    path = Path(str(sqlite_db.engine.url.database))
    make_person(sqlite_db, full_name="Saved before")  # the window has the database open
    for name in ("contacts.csv", "notes.txt", "backup.db"):
        (path.parent / name).write_bytes(b"Name,Email\nAda,ada@example.org\n")
    return path


def test_typing_a_path_beside_the_database_keeps_later_saves(
    qtbot,  # type: ignore[no-untyped-def]
    ctx: AppContext,
    sqlite_db: Database,
    make_person: Callable[..., int],
    db_file: Path,
) -> None:
    dialog = ImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.path_edit, f"{db_file.parent}/")
    popup = dialog.path_edit.completer().popup()
    # The folder is listed in the completion popup, as the user sees it.
    qtbot.waitUntil(lambda: popup.isVisible() and popup.model().rowCount() >= 5, timeout=10_000)
    shown = {popup.model().index(i, 0).data() for i in range(popup.model().rowCount())}
    assert {"contacts.csv", db_file.name} <= shown
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    _saves_survive_another_process(sqlite_db, make_person, db_file)


@pytest.mark.parametrize(
    "choose",
    [
        lambda start: file_dialogs.open_file_name(None, "Choose", start, "All files (*)"),
        lambda start: file_dialogs.open_file_names(None, "Choose", start, "All files (*)"),
        lambda start: file_dialogs.save_file_name(None, "Save", start, "All files (*)"),
    ],
    ids=["open", "open several", "save"],
)
def test_browsing_the_databases_folder_keeps_later_saves(
    qtbot,  # type: ignore[no-untyped-def]
    ctx: AppContext,
    sqlite_db: Database,
    make_person: Callable[..., int],
    db_file: Path,
    with_modal: Callable[..., None],
    choose: Callable[[str], object],
) -> None:
    listed: list[set[str]] = []

    def look_then_cancel(dialog: QDialog) -> None:
        view = dialog.findChild(QListView, "listView")
        assert view is not None

        def names() -> set[str]:
            model, root = view.model(), view.rootIndex()
            return {model.index(i, 0, root).data() for i in range(model.rowCount(root))}

        # The folder is listed, as the user sees it, then the user presses Escape.
        qtbot.waitUntil(lambda: {"contacts.csv", db_file.name} <= names(), timeout=10_000)
        listed.append(names())
        qtbot.keyClick(view, Qt.Key.Key_Escape)

    result: list[object] = []
    with_modal(lambda: result.append(choose(str(db_file.parent))), look_then_cancel)
    assert listed and result in ([""], [[]])
    _saves_survive_another_process(sqlite_db, make_person, db_file)
