"""Qt test fixtures: settings in a temporary folder, an application context and a main
window on a real SQLite file, and a way to drive modal dialogs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from roundtable_app.services.demo import generate_demo
from roundtable_app.storage.unit_of_work import Database
from roundtable_app.ui import messages
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.grouping import page as grouping_page
from roundtable_app.ui.settings import Settings


@pytest.fixture(autouse=True)
def isolated_settings(qapp: object, tmp_path: Path) -> Iterator[Settings]:
    """Settings stored in an INI file under ``tmp_path``, never the user's own."""
    QCoreApplication.setOrganizationName("RoundtableTests")
    QCoreApplication.setApplicationName("roundtable_app_tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    yield Settings(
        QSettings(str(tmp_path / "settings" / "roundtable.ini"), QSettings.Format.IniFormat)
    )


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Fail loudly instead of blocking on an unexpected message box; record errors."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, title, text: shown.append((title, text)))

    def unexpected(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"unexpected message box: {args[1:]}")

    monkeypatch.setattr(messages, "confirm", unexpected)
    monkeypatch.setattr(messages, "duplicate_email", unexpected)
    monkeypatch.setattr(messages, "choose", unexpected)
    monkeypatch.setattr(messages, "show_info", unexpected)
    return shown


class DiscardQuestions:
    """The "Discard your changes?" questions asked, and the answer given (discard)."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.discard = True

    def __call__(self, parent: QWidget | None) -> bool:
        self.asked.append(parent.windowTitle() if parent is not None else "")
        return self.discard


@pytest.fixture(autouse=True)
def discard_questions(monkeypatch: pytest.MonkeyPatch) -> DiscardQuestions:
    """Answer "Discard your changes?" without a modal box (discard, unless told to keep)."""
    questions = DiscardQuestions()
    monkeypatch.setattr(messages, "discard_changes", questions)
    return questions


@pytest.fixture(autouse=True)
def no_warm_up_process(monkeypatch: pytest.MonkeyPatch) -> list[None]:
    """Record instead of starting the grouping search's warm-up process (one per test)."""
    started: list[None] = []
    monkeypatch.setattr(grouping_page, "start_warm_up", lambda: started.append(None))
    return started


@pytest.fixture
def ctx(qapp: object, sqlite_db: Database, isolated_settings: Settings) -> AppContext:
    """The application context of one window, on a fresh SQLite file."""
    return AppContext(sqlite_db, isolated_settings)


@pytest.fixture
def demo_ctx(ctx: AppContext) -> AppContext:
    """``ctx`` on a generated demo network of 150 people (the same object as ``ctx``)."""
    generate_demo(ctx.db, people=150)
    return ctx


@pytest.fixture
def window(qtbot, sqlite_db: Database, isolated_settings: Settings):  # type: ignore[no-untyped-def]
    """The main window on a fresh SQLite file, shown, with its rows loaded."""
    from roundtable_app.ui.main_window import MainWindow

    def open_window() -> MainWindow:
        win = MainWindow(sqlite_db, settings=isolated_settings)
        qtbot.addWidget(win)
        win.show()
        with qtbot.waitSignal(win.directory.rows_loaded, timeout=10_000):
            win.load()
        return win

    return open_window


def drive_modal(trigger: Callable[[], object], handle: Callable[[QDialog], object]) -> None:
    """Call ``trigger`` (which opens a modal dialog) and ``handle`` the dialog meanwhile.

    The dialog is rejected after ``handle`` if it is still open, so a failing
    assertion never leaves the test blocked in ``exec()``.
    """

    def step() -> None:
        dialog: QWidget | None = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(10, step)
            return
        try:
            handle(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, step)
    trigger()


@pytest.fixture(name="with_modal")
def with_modal_fixture() -> Callable[..., None]:
    """``with_modal(trigger, handle)``: see :func:`drive_modal`."""
    return drive_modal
