"""The application context owns what lasts for a session: running tasks, once-only jobs."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QDialog

from roundtable_app.ui.context import AppContext


def test_a_task_outlives_the_dialog_that_started_it(ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    dialog = QDialog()
    task = ctx.run_in_background(lambda _progress: release.wait(10), parent=dialog)
    assert ctx.running_tasks == 1
    dialog.deleteLater()  # closed while the work still runs
    qtbot.wait(50)
    assert ctx.running_tasks == 1  # still held, so the worker never runs on a freed task
    release.set()
    qtbot.wait(100)  # the work ends; its callbacks, like the dialog, are gone
    assert task is not None


def test_a_finished_task_is_let_go(ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = QDialog()
    qtbot.addWidget(dialog)
    results: list[int] = []
    ctx.run_in_background(lambda _progress: 42, parent=dialog, on_done=results.append)
    qtbot.waitUntil(lambda: results == [42], timeout=5_000)
    assert ctx.running_tasks == 0


def test_once_per_session_means_once_per_context(qapp, sqlite_db, isolated_settings) -> None:  # type: ignore[no-untyped-def]
    first = AppContext(sqlite_db, isolated_settings)
    assert first.first_time("warm up") is True
    assert first.first_time("warm up") is False
    assert first.first_time("something else") is True
    assert AppContext(sqlite_db, isolated_settings).first_time("warm up") is True
