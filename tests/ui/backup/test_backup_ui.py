"""File > Back up now… and Restore from backup…, used from the window with the keyboard;
and the daily copy, made once a day on a worker thread."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from roundtable_app.services import backup
from roundtable_app.storage.migrations import HEAD
from roundtable_app.storage.unit_of_work import open_database
from roundtable_app.ui import messages
from roundtable_app.ui.backup import restore_dialog as restore_dialog_module
from roundtable_app.ui.main_window import MainWindow
from roundtable_app.ui.settings import BACKUP_KEEP


def file_action(win: MainWindow, text: str):  # type: ignore[no-untyped-def]
    menu = win.menuBar().actions()[0].menu()
    return next(a for a in menu.actions() if a.text() == text)


def names(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT full_name FROM person ORDER BY full_name").fetchall()
    conn.close()
    return [row[0] for row in rows]


def shown_names(win: MainWindow) -> list[str]:
    model = win.directory.table.model()
    return sorted(model.index(row, 0).data() for row in range(model.rowCount()))


def test_back_up_now_says_where_the_copy_is(  # type: ignore[no-untyped-def]
    qtbot, window, sqlite_db, make_person, with_modal, isolated_settings, monkeypatch
) -> None:
    make_person(sqlite_db, full_name="Ada Lovelace")
    win = window()
    opened: list[str] = []
    from roundtable_app.ui.backup import backup_dialog

    monkeypatch.setattr(
        backup_dialog.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile())
    )
    seen: dict[str, object] = {}

    def handle(dialog: QDialog) -> None:
        assert dialog.windowTitle() == "Back up now"
        qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
        assert dialog.error == ""
        seen["status"] = dialog.status.text()
        seen["where"] = dialog.where.text()
        seen["path"] = dialog.backup_result.path
        assert dialog.keep.value() == 14
        dialog.keep.setValue(5)  # the setting, saved as it changes
        assert dialog.focusWidget() is dialog.show_button
        qtbot.keyClick(dialog.show_button, Qt.Key.Key_Space)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        seen["closed"] = not dialog.isVisible()

    with_modal(file_action(win, "&Back up now…").trigger, handle)
    path = seen["path"]
    assert isinstance(path, Path)
    folder = Path(sqlite_db.engine.url.database).resolve().parent / "backups"
    assert path.parent == folder and path.name.endswith("-manual.db")
    assert str(seen["status"]).startswith("Your data was backed up (")
    assert seen["where"] == str(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert names(path) == ["Ada Lovelace"]
    assert opened == [str(folder)]
    assert seen["closed"]
    assert isolated_settings.get(BACKUP_KEEP) == 5


@pytest.fixture
def answers(monkeypatch):  # type: ignore[no-untyped-def]
    """Record the confirmation and the final message instead of showing boxes."""
    asked: list[str] = []
    told: list[str] = []

    def confirm(_parent, title, text, action, **_kw):  # type: ignore[no-untyped-def]
        asked.append(f"{title}|{text}|{action}")
        return True

    monkeypatch.setattr(messages, "confirm", confirm)
    monkeypatch.setattr(messages, "show_info", lambda _p, title, text: told.append(text))
    return asked, told


def test_restore_from_the_list_with_the_keyboard_reopens_the_restored_data(  # type: ignore[no-untyped-def]
    qtbot, window, sqlite_db, make_person, with_modal, answers, no_message_boxes
) -> None:
    asked, told = answers
    database = Path(sqlite_db.engine.url.database).resolve()
    make_person(sqlite_db, full_name="Ada Lovelace")
    copy = backup.back_up(sqlite_db).path
    make_person(sqlite_db, full_name="Grace Hopper")
    win = window()
    assert shown_names(win) == ["Ada Lovelace", "Grace Hopper"]
    listed: list[list[str]] = []

    def handle(dialog: QDialog) -> None:
        assert dialog.windowTitle() == "Restore from backup"
        table = dialog.table
        listed.extend(
            [table.item(0, c).text() for c in range(table.columnCount())]
            for _ in range(table.rowCount())
        )
        assert dialog.focusWidget() is table and dialog.restore_button.isDefault()
        qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter: the default button, Restore…
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)

    with qtbot.waitSignal(win.database_attached, timeout=20_000):
        with_modal(file_action(win, "Res&tore from backup…").trigger, handle)
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert (
        len(listed) == 1
        and listed[0][1] == "Back up now"
        and listed[0][3] == f"{HEAD} (this version)"
    )
    assert len(asked) == 1
    title, text, action = asked[0].split("|")
    assert title == "Restore from backup?" and action == "&Restore"
    assert f"All the data in {database} will be replaced by the backup made on " in text
    assert f"kept as a backup in {database.parent / 'backups'}" in text
    kept = told[0].rsplit("kept in ", 1)[1].rstrip(".")
    assert told[0].startswith(f"The data was restored from {copy.name}.")
    assert names(Path(kept)) == ["Ada Lovelace", "Grace Hopper"]
    # The window shows the restored data, and works on it.
    assert win.ctx is not None and win.ctx.db is not sqlite_db
    qtbot.waitUntil(lambda: shown_names(win) == ["Ada Lovelace"], timeout=10_000)
    assert names(database) == ["Ada Lovelace"]
    assert file_action(win, "&Back up now…").isEnabled()
    assert no_message_boxes == []
    win.ctx.db.close()


def test_a_corrupt_or_newer_backup_is_refused_and_nothing_changes(  # type: ignore[no-untyped-def]
    qtbot, window, sqlite_db, make_person, with_modal, answers, monkeypatch, tmp_path
) -> None:
    asked, told = answers
    database = Path(sqlite_db.engine.url.database).resolve()
    make_person(sqlite_db, full_name="Ada Lovelace")
    newer = backup.back_up(sqlite_db).path
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0042'")
    conn.close()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(os.urandom(20_000))
    monkeypatch.setattr(restore_dialog_module, "open_file_name", lambda *_a: str(garbage))
    win = window()
    seen: list[str] = []

    def handle(dialog: QDialog) -> None:
        assert dialog.table.item(0, 3).text() == "0042 (newer: cannot restore)"
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.status.text().startswith(newer.name), timeout=10_000)
        seen.append(dialog.status.text())
        # The list has the focus again: Enter checks again, never closes the dialog.
        assert dialog.focusWidget() is dialog.table
        dialog.file_button.click()  # Choose a file…
        qtbot.waitUntil(lambda: dialog.status.text().startswith("garbage.db"), timeout=10_000)
        seen.append(dialog.status.text())
        assert dialog.isVisible()  # refused: the user may choose another
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
        assert not dialog.isVisible()

    with_modal(file_action(win, "Res&tore from backup…").trigger, handle)
    assert "made by a newer version of Roundtable (schema 0042" in seen[0]
    assert "it is not a SQLite database file" in seen[1]
    assert asked == [] and told == []
    assert win.ctx is not None and win.ctx.db is sqlite_db
    assert names(database) == ["Ada Lovelace"]
    assert [p.name for p in (database.parent / "backups").iterdir()] == [newer.name]


def test_the_daily_backup_is_made_off_the_ui_thread_once_a_day(  # type: ignore[no-untyped-def]
    qtbot, sqlite_db, make_person, isolated_settings, monkeypatch
) -> None:
    make_person(sqlite_db, full_name="Ada Lovelace")
    url = str(sqlite_db.engine.url)
    database = Path(sqlite_db.engine.url.database).resolve()
    sqlite_db.close()
    threads: list[bool] = []
    real = backup.daily_backup

    def recording(db, keep=backup.DEFAULT_KEEP, **kw):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        return real(db, keep, **kw)

    monkeypatch.setattr(backup, "daily_backup", recording)
    isolated_settings.set(BACKUP_KEEP, 3)
    for start in range(2):
        win = MainWindow(settings=isolated_settings)
        qtbot.addWidget(win)
        win.show()
        with qtbot.waitSignal(win.database_attached, timeout=20_000):
            win.open_database(lambda: open_database(url))
        qtbot.waitUntil(lambda n=start: len(threads) == n + 1, timeout=10_000)
        qtbot.waitUntil(
            lambda w=win: w.ctx is not None and w.ctx.running_tasks == 0, timeout=10_000
        )
        win.close()
        win.ctx.db.close()
    assert threads == [False, False]  # on a worker, both starts
    copies = list((database.parent / "backups").iterdir())
    assert len(copies) == 1 and copies[0].name.endswith("-daily.db")  # once a day
    assert names(copies[0]) == ["Ada Lovelace"]
    QApplication.processEvents()


def test_a_restore_that_fails_reopens_the_database_as_it_was(  # type: ignore[no-untyped-def]
    qtbot, window, sqlite_db, make_person, with_modal, answers, no_message_boxes, monkeypatch
) -> None:
    from roundtable_app.core.errors import RoundtableError

    make_person(sqlite_db, full_name="Ada Lovelace")
    backup.back_up(sqlite_db)
    make_person(sqlite_db, full_name="Grace Hopper")
    database = Path(sqlite_db.engine.url.database).resolve()

    def full_disk(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RoundtableError("The disk is full; the database is unchanged.")

    monkeypatch.setattr(backup, "restore", full_disk)
    win = window()

    def handle(dialog: QDialog) -> None:
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)

    with qtbot.waitSignal(win.database_attached, timeout=20_000):
        with_modal(file_action(win, "Res&tore from backup…").trigger, handle)
    qtbot.waitUntil(lambda: bool(no_message_boxes), timeout=10_000)
    assert no_message_boxes == [
        ("Restore from backup", "The disk is full; the database is unchanged.")
    ]
    qtbot.waitUntil(lambda: shown_names(win) == ["Ada Lovelace", "Grace Hopper"], timeout=10_000)
    assert names(database) == ["Ada Lovelace", "Grace Hopper"]
    win.ctx.db.close()


def test_a_backup_that_fails_says_why_in_the_dialog(  # type: ignore[no-untyped-def]
    qtbot, window, with_modal, monkeypatch
) -> None:
    from roundtable_app.core.errors import RoundtableError

    def full_disk(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RoundtableError("The backup could not be written: the disk is full.")

    monkeypatch.setattr(backup, "back_up", full_disk)
    win = window()
    seen: list[str] = []

    def handle(dialog: QDialog) -> None:
        qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
        seen.extend([dialog.status.text(), dialog.where.text()])
        assert not dialog.show_button.isEnabled()
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter: Close, the default button
        seen.append("closed" if not dialog.isVisible() else "open")

    with_modal(file_action(win, "&Back up now…").trigger, handle)
    assert seen == [
        "The backup was not made.",
        "The backup could not be written: the disk is full.",
        "closed",
    ]


@pytest.mark.postgres
def test_on_postgresql_back_up_runs_pg_dump_and_restore_says_what_to_run(  # type: ignore[no-untyped-def]
    qtbot, postgres_url, isolated_settings, with_modal, answers
) -> None:
    _asked, told = answers
    db = open_database(postgres_url)
    win = MainWindow(db, settings=isolated_settings)
    qtbot.addWidget(win)
    win.show()
    seen: list[object] = []

    def handle(dialog: QDialog) -> None:
        qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)
        seen.append(dialog.error or dialog.backup_result)
        assert dialog.keep is None  # the copies a server keeps are its administrator's

    with_modal(file_action(win, "&Back up now…").trigger, handle)
    result = seen[0]
    assert isinstance(result, backup.BackupResult), result
    assert result.path.read_bytes()[:5] == b"PGDMP" and result.path.suffix == ".dump"
    file_action(win, "Res&tore from backup…").trigger()
    assert len(told) == 1 and "pg_restore --clean --if-exists" in told[0]
    db.close()
