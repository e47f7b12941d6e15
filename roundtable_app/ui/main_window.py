"""The main window: navigation between pages, menus, status bar, drag-and-drop import.

Pages are listed in :data:`PAGES`; adding a page is one line there. The window
owns the :class:`AppContext` (database, undo stack, settings) that pages share.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from roundtable_app import APP_NAME, __version__
from roundtable_app.ui import messages
from roundtable_app.ui.common import EmptyState
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.settings import (
    LAST_PAGE,
    MAIN_WINDOW_GEOMETRY,
    MAIN_WINDOW_STATE,
    Settings,
    restore_geometry,
)

if TYPE_CHECKING:  # SQLAlchemy loads after the window shows (cold-start budget)
    from roundtable_app.storage.unit_of_work import Database

IMPORTABLE = (".csv", ".xlsx")
REPLY_FILES = (".ics", ".eml")  # dropped on the window: invitees' replies
DEFAULT_SIZE = (1280, 800)


def _directory_page(ctx: AppContext) -> QWidget:
    from roundtable_app.ui.directory import DirectoryPage

    return DirectoryPage(ctx)


def _roundtables_page(ctx: AppContext) -> QWidget:
    from roundtable_app.ui.roundtables import RoundtablesPage

    return RoundtablesPage(ctx)


def _calendar_page(ctx: AppContext) -> QWidget:
    from roundtable_app.ui.calendar import CalendarPage

    return CalendarPage(ctx)


def _grouping_page(ctx: AppContext) -> QWidget:
    from roundtable_app.ui.grouping import GroupingPage

    return GroupingPage(ctx)


@dataclass(frozen=True)
class PageSpec:
    """A page of the navigation: its settings key, title and how to build it."""

    key: str
    title: str
    build: Callable[[AppContext], QWidget]


PAGES: tuple[PageSpec, ...] = (
    PageSpec("directory", "People", _directory_page),
    PageSpec("roundtables", "Roundtables", _roundtables_page),
    PageSpec("calendar", "Calendar", _calendar_page),
    PageSpec("grouping", "Grouping", _grouping_page),
)


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
    """

    database_attached = Signal()

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

    def open_database(self, opener: Callable[[], Database]) -> None:
        """Run ``opener`` on a worker thread, then :meth:`attach` and load what it opened."""
        from roundtable_app.ui.workers import run_in_background

        def work(_progress: object) -> Database:
            db = opener()
            # Import what the pages need here too, off the GUI thread.
            import roundtable_app.services.directory  # noqa: F401
            import roundtable_app.ui.directory  # noqa: F401

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

        run_in_background(work, parent=self, on_done=opened, on_error=failed)

    def attach(self, db: Database) -> None:
        """Build the pages on ``db`` (once)."""
        if self.ctx is not None:
            raise RuntimeError("This window already shows a database.")
        self.ctx = ctx = AppContext(db, self.settings, demo=self.demo, parent=self)
        for spec in PAGES:
            page = spec.build(ctx)
            self.pages[spec.key] = page
            self.stack.addWidget(page)
        self.directory = self.pages["directory"]
        self.navigation.currentRowChanged.connect(
            lambda row: self.stack.setCurrentWidget(self.pages[PAGES[row].key])
        )
        self._fill_edit_menu()
        self.database_label.setText(describe_database(db, self.demo))
        self.counts_label.setText("Loading…")
        self.directory.counts_changed.connect(self._show_counts)
        ctx.error_reported.connect(lambda title, text: messages.show_error(self, title, text))
        self.directory.import_requested.connect(lambda: self.import_people())
        for action in (self.import_action, self.export_action, self.refresh_action):
            action.setEnabled(True)
        keys = [spec.key for spec in PAGES]
        last = self.settings.get(LAST_PAGE)
        row = keys.index(last) if last in keys else 0
        self.navigation.setCurrentRow(row)
        self.stack.setCurrentWidget(self.pages[PAGES[row].key])
        self.database_attached.emit()

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
        file_menu.addAction(self.quit_action)

        self.edit_menu = self.menuBar().addMenu("&Edit")

        self.refresh_action = self._action("&Refresh", self.refresh, "F5")
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.refresh_action)
        for action in (self.import_action, self.export_action, self.refresh_action):
            action.setEnabled(False)  # until the database is open

        self.about_action = self._action("&About Roundtable", self.about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.about_action)

    def _fill_edit_menu(self) -> None:
        assert self.ctx is not None
        stack = self.ctx.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        menu = self.edit_menu
        menu.addAction(self.undo_action)
        menu.addAction(self.redo_action)
        menu.addSeparator()
        for action in self.directory.menu_actions():
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        bulk = menu.addMenu("&Bulk change")
        for action in (
            self.directory.bulk_add_action,
            self.directory.bulk_remove_action,
            self.directory.bulk_sector_action,
        ):
            bulk.addAction(action)
        menu.addSeparator()
        self.vocabulary_action = self._action("&Vocabulary…", self.edit_vocabulary)
        self.vocabulary_action.setStatusTip(
            "Rename, merge or delete sectors, interests and organisations"
        )
        menu.addAction(self.vocabulary_action)

    def _build_status_bar(self) -> None:
        self.database_label = QLabel("Opening the database…")
        self.database_label.setObjectName("databaseLabel")
        self.counts_label = QLabel("")
        self.counts_label.setObjectName("countsLabel")
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)

    def _show_counts(self, total: int, shown: int) -> None:
        if not self.directory.loaded:  # only the first screen so far
            self.counts_label.setText("Loading…")
            return
        noun = "person" if total == 1 else "people"
        text = f"{total:,} {noun}"
        if self.directory.model.is_filtered:
            text += f" · {shown:,} shown"
        self.counts_label.setText(text)

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

    def about(self) -> None:
        messages.about(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Plan roundtable discussions on modern slavery evidence: keep the directory "
            "of people, group invitees, send invitations, record attendance and print "
            "summaries under the Chatham House Rule.</p>"
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
