"""The main window: navigation between pages, menus, status bar, drag-and-drop import.

Pages are listed in :data:`PAGES`; adding a page is one line there. The window
owns the :class:`AppContext` (database, undo stack, settings) that pages share.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from roundtable_app import APP_NAME, DESCRIPTION, __version__
from roundtable_app.ui import messages
from roundtable_app.ui.common import EmptyState
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.page_status import connect_updates, status_text
from roundtable_app.ui.pages import PAGES, LazyPages, page_actions
from roundtable_app.ui.settings import (
    LAST_PAGE,
    MAIN_WINDOW_GEOMETRY,
    MAIN_WINDOW_STATE,
    Settings,
    restore_geometry,
)

if TYPE_CHECKING:  # SQLAlchemy loads after the window shows (cold-start budget)
    from roundtable_app.core.model import PersonRow
    from roundtable_app.storage.unit_of_work import Database

IMPORTABLE = (".csv", ".xlsx")
REPLY_FILES = (".ics", ".eml")  # dropped on the window: invitees' replies
DEFAULT_SIZE = (1280, 800)


def describe_database(db: Database, demo: bool) -> str:
    """Where the data lives, for the status bar (never with a password)."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        where = str(Path(url.database).resolve()) if url.database else "memory"
        if demo:
            return f"Demo data — changes are kept in {where}"
        return f"Database: {where}"
    host = url.host or "localhost"
    port = f":{url.port}" if url.port else ""
    return f"Database: PostgreSQL {url.database or ''} on {host}{port}".replace("  ", " ")


class MainWindow(QMainWindow):
    """Roundtable's main window.

    Built with a database, it is ready at once. Built without one, it shows its
    frame straight away (menus, navigation, "Opening the database…") and gets its
    pages from :meth:`attach` once :meth:`open_database` has opened the database
    on a worker thread, so the window appears before SQLAlchemy is even imported.

    Signals:
        database_attached(): the pages exist and their data is loading.
        names_shown(): the first names of the directory are on screen (once).
    """

    database_attached = Signal()
    names_shown = Signal()

    def __init__(
        self,
        db: Database | None = None,
        *,
        demo: bool = False,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.demo = demo
        self.ctx: AppContext | None = None
        self.pages: dict[str, QWidget] = {}
        self._first_screen: tuple[QWidget, list[PersonRow]] | None = None
        self._names_shown = False
        self._counted_pages: set[str] = set()  # pages whose counts the status bar follows
        self._window_signals_connected = False
        self.setWindowTitle(APP_NAME + (" — Demo data" if demo else ""))
        self.setAcceptDrops(True)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        # Focus policy and alignments are set by name (``qproperty-…`` would do too):
        # touching the ``Qt`` namespace builds all its enums, 30 ms before the first paint.
        self.navigation.setProperty("focusPolicy", "NoFocus")
        for spec in PAGES:
            QListWidgetItem(spec.title, self.navigation)
        self.navigation.setCurrentRow(0)
        # Never narrower than its longest label: a wide page shown first (the
        # grouping page, reopened) would otherwise squeeze it to "Roundta…".
        nav = self.navigation
        nav.setMinimumWidth(nav.sizeHintForColumn(0) + 2 * nav.frameWidth() + 28)
        self.stack = QStackedWidget()
        self.opening = EmptyState()
        self.opening.show_message("Opening the database…", "", [])
        self.stack.addWidget(self.opening)

        splitter = QSplitter()
        splitter.setObjectName("mainSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([150, DEFAULT_SIZE[0] - 150])
        self.setCentralWidget(splitter)

        self._build_menus()
        self._build_status_bar()
        self._restore_geometry()
        if db is not None:
            self.attach(db)

    # --- opening the database ----------------------------------------------------------

    def open_database(
        self, opener: Callable[[], Database], *, first_screen_of: str | None = None
    ) -> None:
        """Run ``opener`` on a worker thread, then :meth:`attach` and load what it opened.

        With ``first_screen_of`` (the database's URL), the first screen of names
        is read straight from a SQLite file first and shown while the database
        opens (:mod:`roundtable_app.storage.first_screen`).
        """
        from roundtable_app.ui.workers import run_in_background

        def work(_progress: object) -> Database:
            db = opener()
            # Import what the pages need here too, off the GUI thread.
            import roundtable_app.services.directory  # noqa: F401
            from roundtable_app.ui.directory import DirectoryPage  # noqa: F401

            return db

        def failed(exc: BaseException) -> None:
            self.opening.show_message(
                "Cannot open the database",
                str(exc),
                [("Quit", lambda: None if self.close() else None)],
            )
            self.database_label.setText("No database")

        def opened(db: Database) -> None:
            self.attach(db)
            self.load()
            self.start_daily_backup()

        def open_now() -> None:
            run_in_background(work, parent=self, on_done=opened, on_error=failed)

        if first_screen_of is None:
            open_now()
        else:  # the database opens once the first names show (or cannot be read early)
            self._read_first_screen(first_screen_of, then=open_now)

    def _read_first_screen(self, url: str, *, then: Callable[[], None]) -> None:
        from roundtable_app.ui.workers import run_in_background

        def read(_progress: object) -> list[PersonRow] | None:
            from roundtable_app.storage.first_screen import first_rows
            from roundtable_app.ui.directory import FIRST_SCREEN

            return first_rows(url, FIRST_SCREEN)

        def show(rows: list[PersonRow] | None) -> None:
            if rows and self.ctx is None:
                self._show_first_screen(rows)
            # After what waits on the names: the opening's imports hold the GIL.
            QTimer.singleShot(0, then)

        run_in_background(read, parent=self, on_done=show, on_error=lambda _exc: then())

    def _show_first_screen(self, rows: list[PersonRow]) -> None:
        """The first names, laid out like the People page, until the page takes over."""
        from roundtable_app.ui.directory import FirstScreen

        stand_in = FirstScreen(rows, self.settings)
        self.stack.addWidget(stand_in)
        self.stack.setCurrentWidget(stand_in)
        stand_in.fit_columns(self.stack.width())
        self._first_screen = (stand_in, rows)
        self._say_names_shown()

    def _say_names_shown(self) -> None:
        if not self._names_shown:
            self._names_shown = True
            self.repaint()  # on screen now (and before the database's imports begin)
            self.names_shown.emit()

    def attach(self, db: Database) -> None:
        """Build the pages on ``db`` (once)."""
        if self.ctx is not None:
            raise RuntimeError("This window already shows a database.")
        self.ctx = ctx = AppContext(db, self.settings, demo=self.demo, parent=self)
        self.pages = LazyPages(self._build_page)
        self.directory = self.pages["directory"]
        self.directory.rows_shown.connect(self._say_names_shown)
        if self._first_screen is not None:  # the page takes over the names shown so far
            table, rows = self._first_screen
            self._first_screen = None
            self.directory.show_first_screen(rows)
            self.stack.removeWidget(table)
            table.deleteLater()
        self.navigation.setEnabled(True)
        self._fill_edit_menu()
        if not self._window_signals_connected:  # once: a restore attaches again
            self._window_signals_connected = True
            self.navigation.currentRowChanged.connect(self._show_row)
            self.stack.currentChanged.connect(lambda _index: self._show_counts())
            self.stack.currentChanged.connect(lambda _index: self._show_edit_actions())
        self.database_label.setText(describe_database(db, self.demo))
        self.counts_label.setText("Loading…")
        ctx.error_reported.connect(lambda title, text: messages.show_error(self, title, text))
        self.directory.import_requested.connect(lambda: self.import_people())
        self.directory.rows_shown.connect(self._prepare_other_pages)
        for action in self._database_actions():
            action.setEnabled(True)
        keys = [spec.key for spec in PAGES]
        last = self.settings.get(LAST_PAGE)
        row = keys.index(last) if last in keys else 0
        self.navigation.setCurrentRow(row)
        self.stack.setCurrentWidget(self.pages[PAGES[row].key])
        # The page may have been current already (it took over the first screen's
        # place), so no currentChanged: follow its counts now, or "Loading…" stays.
        self._show_counts()
        self.database_attached.emit()

    def _show_row(self, row: int) -> None:
        if self.ctx is not None and 0 <= row < len(PAGES):
            self.stack.setCurrentWidget(self.pages[PAGES[row].key])

    def _database_actions(self) -> list[QAction]:
        """The actions that need an open database (off while there is none)."""
        return [
            self.import_action,
            self.export_action,
            self.refresh_action,
            self.backup_action,
            self.restore_action,
            *self.page_actions,
        ]

    def detach(self) -> None:
        """Close the pages, the windows opened from them and the database (to restore it).

        :meth:`attach` (through :meth:`open_database`) shows a database again.
        """
        ctx = self.ctx
        if ctx is None:
            return
        self.stack.setCurrentWidget(self.opening)
        for page in list(self.pages.values()):
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages = {}
        self._counted_pages.clear()
        for action in self._database_actions():
            action.setEnabled(False)
        self.navigation.setEnabled(False)
        for action in (self.undo_action, self.redo_action):
            self.edit_menu.removeAction(action)
            action.deleteLater()
        ctx.undo_stack.clear()
        self.ctx = None
        ctx.deleteLater()
        ctx.db.close()
        self.database_label.setText("No database")
        self.counts_label.setText("")

    def _build_page(self, key: str) -> QWidget:
        assert self.ctx is not None
        spec = next(spec for spec in PAGES if spec.key == key)
        page = spec.build(self.ctx)
        self.stack.addWidget(page)
        return page

    def _prepare_other_pages(self) -> None:
        """Once the first names show, import the other pages' modules off the GUI thread."""
        from roundtable_app.ui.workers import run_in_background

        if self.ctx is None or not self.ctx.first_time("import the other pages"):
            return

        def work(_progress: object) -> None:
            import roundtable_app.ui.calendar  # noqa: F401
            import roundtable_app.ui.grouping  # noqa: F401
            import roundtable_app.ui.roundtables  # noqa: F401

        run_in_background(work, parent=self)

    # --- building --------------------------------------------------------------------

    def _action(
        self, text: str, slot: Callable[[], object], shortcut: QKeySequence | str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, str):
            # As a property: setShortcut()'s overload resolution builds every ``Qt``
            # enum first, 30 ms of the cold start before the window shows.
            action.setProperty("shortcut", shortcut)
        elif shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        self.import_action = self._action("&Import people…", self.import_people, "Ctrl+I")
        self.export_action = self._action("&Export people…", self.export_people)
        self.quit_action = self._action("&Quit", self.close, "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        self.replies_action = self._action("Import &replies…", self.import_replies, "Ctrl+R")
        self.replies_action.setEnabled(False)  # until the database is open
        self.database_attached.connect(lambda: self.replies_action.setEnabled(True))
        file_menu.addAction(self.replies_action)
        file_menu.addSeparator()
        self.backup_action = self._action("&Back up now…", self.back_up_now)
        self.backup_action.setStatusTip("Make a copy of all the data now")
        self.restore_action = self._action("Res&tore from backup…", self.restore_from_backup)
        self.restore_action.setStatusTip("Replace the data with a backup; the data now is kept")
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        self.edit_menu = self.menuBar().addMenu("&Edit")

        self.refresh_action = self._action("&Refresh", self.refresh, "F5")
        view_menu = self.menuBar().addMenu("&View")
        self.page_group = QActionGroup(self)
        self.page_actions: list[QAction] = []
        for row, spec in enumerate(PAGES):
            action = self._action(f"&{spec.title}", self._page_slot(row), f"Ctrl+{row + 1}")
            action.setCheckable(True)
            self.page_group.addAction(action)
            view_menu.addAction(action)
            self.page_actions.append(action)
        self.page_actions[0].setChecked(True)
        self.navigation.currentRowChanged.connect(self._check_page_action)
        view_menu.addSeparator()
        view_menu.addAction(self.refresh_action)
        for action in self._database_actions():
            action.setEnabled(False)  # until the database is open

        self.about_action = self._action("&About Roundtable", self.about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.about_action)

    def _page_slot(self, row: int) -> Callable[[], None]:
        return lambda: self.show_page(PAGES[row].key)

    def show_page(self, key: str) -> None:
        """Show the page ``key`` (View > People… Ctrl+1 to Ctrl+4, or the navigation)."""
        self.navigation.setCurrentRow([spec.key for spec in PAGES].index(key))

    def _check_page_action(self, row: int) -> None:
        if 0 <= row < len(self.page_actions):
            self.page_actions[row].setChecked(True)

    def _fill_edit_menu(self) -> None:
        assert self.ctx is not None
        stack = self.ctx.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.vocabulary_action = self._action("&Vocabulary…", self.edit_vocabulary)
        self.vocabulary_action.setStatusTip(
            "Rename, merge or delete sectors, interests and organisations"
        )
        self._show_edit_actions()

    def _show_edit_actions(self) -> None:
        """Fill the Edit menu with Undo, Redo and the visible page's own actions.

        A hidden page's actions leave the menu, and with it their shortcuts: Edit >
        Delete on the Roundtables page once deleted the people selected on the
        People page, which the user could not see.
        """
        menu = self.edit_menu
        for action in menu.actions():
            # Unlist, never delete: the actions belong to the pages (and QMenu.clear()
            # deletes the undo stack's actions).
            menu.removeAction(action)
            if action.isSeparator() and action.parent() is menu:
                action.deleteLater()
        if self.ctx is None:
            return
        menu.addAction(self.undo_action)
        menu.addAction(self.redo_action)
        page = self.stack.currentWidget()
        actions = page_actions(page) if page is not None and page is not self.opening else []
        if actions:
            menu.addSeparator()
        for item in actions:
            if item is None:
                menu.addSeparator()
            else:
                menu.addAction(item)
        # Not a page's: the vocabulary belongs to the whole directory.
        menu.addSeparator()
        menu.addAction(self.vocabulary_action)

    def _build_status_bar(self) -> None:
        self.database_label = QLabel("Opening the database…")
        self.database_label.setObjectName("databaseLabel")
        self.counts_label = QLabel("")
        self.counts_label.setObjectName("countsLabel")
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)

    def _show_counts(self) -> None:
        """The status bar counts what the page in view shows (see :mod:`page_status`).

        A page's signals are connected when it is first in view, so a page built
        later (or never) costs nothing here.
        """
        page = self.stack.currentWidget()
        key = next((k for k, p in self.pages.items() if p is page), None)
        if key is None or page is None:
            return
        if key not in self._counted_pages:
            self._counted_pages.add(key)
            connect_updates(key, page, self._show_counts)
        self.counts_label.setText(status_text(key, page))

    # --- state -----------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        restore_geometry(self, self.settings, MAIN_WINDOW_GEOMETRY, DEFAULT_SIZE)
        state = self.settings.get(MAIN_WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = self.settings
        settings.set(MAIN_WINDOW_GEOMETRY, self.saveGeometry())
        settings.set(MAIN_WINDOW_STATE, self.saveState())
        if self.ctx is not None:
            settings.set(LAST_PAGE, PAGES[max(self.navigation.currentRow(), 0)].key)
            self.directory.save_state()
        settings.sync()
        super().closeEvent(event)

    # --- actions ---------------------------------------------------------------------

    directory: Any  # the DirectoryPage, once attached

    def load(self, *, background: bool = True) -> None:
        """Load the pages' data (the directory rows); in the background by default."""
        self.directory.reload(background=background)

    def refresh(self) -> None:
        """View > Refresh (F5): read everything again, e.g. after a colleague's changes."""
        if self.ctx is not None:
            self.directory.reload_vocabulary()
            self.directory.reload()
            from roundtable_app.core.model import Changes

            self.ctx.publish(Changes(all_roundtables=True))

    def edit_vocabulary(self) -> None:
        """Edit > Vocabulary: rename, merge or delete sectors, interests and organisations."""
        from roundtable_app.ui.directory import VocabularyDialog

        if self.ctx is not None:
            VocabularyDialog.show_for(self.ctx, self)

    def import_people(self, path: str | None = None) -> None:
        """Open the import dialog (for ``path`` if given); refresh after an import."""
        from roundtable_app.ui.transfer import ImportDialog

        if self.ctx is None:
            return
        dialog = ImportDialog(self.ctx, parent=self, path=path)
        dialog.people_imported.connect(self._on_people_imported)
        dialog.exec()
        dialog.deleteLater()

    def _on_people_imported(self, _report: object) -> None:
        # Imported people are not part of the undo stack: an import is one bulk
        # transaction with its own report; earlier edits stay undoable.
        from roundtable_app.core.model import Changes

        if self.ctx is not None:
            self.ctx.publish(
                Changes(all_people=True, themes=True, sectors=True, organisations=True)
            )

    def export_people(self) -> None:
        from roundtable_app.ui.transfer import export_people

        if self.ctx is not None:
            export_people(self.ctx, self)

    def import_replies(self, paths: list[str] | None = None) -> None:
        """Apply invitees' replies (asking for the files when ``paths`` is None)."""
        if self.ctx is None:
            return
        from roundtable_app.ui.invitations import import_replies

        import_replies(self.ctx, paths, self)

    def start_daily_backup(self) -> None:
        """The first start of the day copies a SQLite database, on a worker thread."""
        from roundtable_app.ui.backup import start_daily_backup

        if self.ctx is not None:
            start_daily_backup(
                self.ctx, self, lambda text: self.statusBar().showMessage(text, 15_000)
            )

    def back_up_now(self) -> None:
        """File > Back up now…"""
        from roundtable_app.ui.backup import BackupDialog

        if self.ctx is not None:
            dialog = BackupDialog(self.ctx, self)
            dialog.exec()
            dialog.deleteLater()

    def restore_from_backup(self) -> None:
        """File > Restore from backup…: choose and check a copy, restore it, reopen."""
        from roundtable_app.ui.backup import restore_in_window

        if self.ctx is not None:
            restore_in_window(self)

    def about(self) -> None:
        messages.about(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3>"
            f"<p>{html.escape(DESCRIPTION)}</p>"
            "<p>For the events staff of an evidence centre on modern slavery.</p>"
            f"<p>{self.database_label.text()}</p>",
        )

    # --- drag and drop -----------------------------------------------------------------

    @staticmethod
    def _importable(event: QDragEnterEvent | QDropEvent) -> str | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) == 1 and urls[0].isLocalFile():
            path = urls[0].toLocalFile()
            if path.lower().endswith(IMPORTABLE):
                return path
        return None

    @staticmethod
    def _reply_files(event: QDragEnterEvent | QDropEvent) -> list[str]:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        paths = [url.toLocalFile() for url in urls if url.isLocalFile()]
        if paths and all(path.lower().endswith(REPLY_FILES) for path in paths):
            return paths
        return []

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._importable(event) or (self.ctx is not None and self._reply_files(event)):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._importable(event)
        if path:
            event.acceptProposedAction()
            self.import_people(path)
        elif replies := self._reply_files(event):
            event.acceptProposedAction()
            self.import_replies(replies)
