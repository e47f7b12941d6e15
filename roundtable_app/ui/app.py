"""Starting the GUI: the QApplication, its icon and style, and the main window.

Start-up is kept lean for the cold-start budget: dialogs are imported on first
use, and the directory rows load on a worker thread after the window shows.
Given a function that opens the database instead of an open database,
:func:`run_gui` shows the window before SQLAlchemy, Alembic and the services
are even imported, and opens the database on a worker thread meanwhile.

Set ``ROUNDTABLE_EXIT_AFTER_SHOWN=1`` to quit as soon as the window has been
painted, ``=rows`` to quit once the first screen of names is shown, or
``=all-rows`` once every row is loaded (the start-up benchmark uses them); the
moment is printed as ``shown <unix time> cpu <process seconds>``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from roundtable_app import APP_ID, APP_NAME, __version__
from roundtable_app.ui.main_window import MainWindow

if TYPE_CHECKING:
    from roundtable_app.core.team import TeamRole
    from roundtable_app.storage.unit_of_work import Database

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
ICON = RESOURCES / "icons" / "roundtable.svg"
STYLE = RESOURCES / "styles" / "app.qss"
EXIT_AFTER_SHOWN = "ROUNDTABLE_EXIT_AFTER_SHOWN"


def _lighter_import_hook() -> None:
    """Make PySide6's check on every later import cheap; a no-op if PySide changes it.

    PySide6 replaces ``__import__`` and, after each import, asks whether the new
    module uses PySide (for its optional ``__feature__`` syntax) by reading the
    module's whole source through ``inspect.getsource``. For the hundreds of
    modules SQLAlchemy and the services bring in after the window shows, that
    was about a second of the time before the first names appeared. The same
    question (is "PySide6" in the source?) is answered here from the file's
    bytes. The app never uses ``__feature__``.
    """
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return

    def uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return False
        try:
            with open(path, "rb") as handle:
                return b"PySide6" in handle.read()
        except OSError:
            return False

    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010 (a private name of PySide)


def _application(argv: list[str] | None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setOrganizationDomain(APP_ID)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    _add_fallback_fonts()
    return app


def _add_fallback_fonts() -> None:
    """Let Qt fall back on the shipped fonts for scripts the system may have no font for.

    A machine without a Korean font showed Hangul names as boxes. These are the files
    the printed reports embed (resources/fonts/README.md); adding them costs ~2 ms.
    """
    for name in (
        "NotoSansArabic-Regular.ttf",
        "NotoSansHebrew-Regular.ttf",
        "RoundtableFallback.ttf",
    ):
        QFontDatabase.addApplicationFont(str(RESOURCES / "fonts" / name))


def _style(app: QApplication) -> None:
    if ICON.exists():
        app.setWindowIcon(QIcon(str(ICON)))
    if STYLE.exists():
        app.setStyleSheet(STYLE.read_text(encoding="utf-8"))


def build_main_window(db: Database, demo: bool = False) -> MainWindow:
    """The main window on ``db`` with the app's style; loads rows in the background."""
    app = _application(None)
    _style(app)
    window = MainWindow(db, demo=demo)
    window.load()
    return window


def run_gui(
    db: Database | Callable[[], Database],
    *,
    demo: bool = False,
    argv: list[str] | None = None,
    first_screen_of: str | None = None,
    role: TeamRole | None = None,
) -> int:
    """Show the main window and run the event loop; return the exit code.

    ``db`` is an open database, or a function that opens one: then the window
    shows first and the database opens on a worker thread (faster start).
    With ``first_screen_of``, the URL that function opens, the first names are
    read straight from a SQLite file and shown meanwhile. ``role``: the team
    role the database gives the login (``db`` is then open): a check-in or
    read-only login gets only its own window (ui/team), staff the main window.
    """
    _lighter_import_hook()
    app = _application(argv)
    _style(app)
    if role is not None and not callable(db):
        limited = _window_for_role(db, role)
        if limited is not None:
            return app.exec()
    exit_mode = os.environ.get(EXIT_AFTER_SHOWN)
    if callable(db):
        window = MainWindow(demo=demo)
        window.show()
        if exit_mode:
            _exit_when_shown(window, exit_mode)
            if exit_mode not in ("rows", "all-rows"):
                return app.exec()  # the window alone: nothing else to wait for
        opener = db

        def start_opening() -> None:
            # Paint the window first: the worker's imports would hold the GIL meanwhile.
            window.repaint()
            window.open_database(opener, first_screen_of=first_screen_of)

        QTimer.singleShot(0, start_opening)
    else:
        window = MainWindow(db, demo=demo)
        if role is not None:  # staff: everything, and the window says so
            from roundtable_app.ui.team import role_line, role_title

            window.setWindowTitle(role_title(role))
            window.database_label.setText(role_line(db, role))
        window.show()
        window.load()
        if exit_mode:
            _exit_when_shown(window, exit_mode)
    return app.exec()


def _window_for_role(db: Database, role: TeamRole) -> QWidget | None:
    """The window of a check-in or read-only login, shown (None: staff, the main window)."""
    from roundtable_app.core.team import TeamRole
    from roundtable_app.ui.context import AppContext
    from roundtable_app.ui.team import CheckInStation, ReadOnlyWindow

    window: CheckInStation | ReadOnlyWindow
    if role == TeamRole.CHECKIN:
        window = CheckInStation(AppContext(db))
        window.start()
    elif role == TeamRole.READONLY:
        window = ReadOnlyWindow(AppContext(db))
        window.show()
    else:
        return None
    return window


def _exit_when_shown(window: MainWindow, mode: str) -> None:
    """Print when the window is painted (and, if asked, the names shown), then quit.

    Prints ``shown <unix time>`` to stdout for the start-up benchmark.
    """
    import time

    def said() -> None:
        print(f"shown {time.time():.6f} cpu {time.process_time():.6f}", flush=True)
        QApplication.quit()

    def painted() -> None:
        # QEventLoop.processEvents, not QApplication.processEvents: the static one
        # drops a reference to None on every call in PySide6 6.12.
        QEventLoop().processEvents()
        window.repaint()
        said()

    if mode not in ("rows", "all-rows"):
        QTimer.singleShot(0, painted)
        return

    if mode == "rows":  # the window paints the names before it says they are shown
        window.names_shown.connect(said)
        return

    def when_attached() -> None:
        window.directory.rows_loaded.connect(lambda: QTimer.singleShot(0, painted))

    if window.ctx is None:
        window.database_attached.connect(when_attached)
    elif window.directory.loaded:
        QTimer.singleShot(0, painted)
    else:
        when_attached()
