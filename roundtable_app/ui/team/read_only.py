"""The read-only window: the statistics and the final summaries, nothing that edits.

A read-only login reads roundtables, lists and people without their sensitive
columns, and the final summaries as they print (storage/roles): the Statistics
page and the Summaries tab are what it can show. Figures of lived experience
are for staff: the page leaves them out, and the status bar says so.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

from roundtable_app.core.model import Changes
from roundtable_app.core.team import TeamRole
from roundtable_app.ui import messages
from roundtable_app.ui import settings as keys
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.statistics import StatisticsPage
from roundtable_app.ui.team.role_text import role_line, role_title
from roundtable_app.ui.team.summaries import SummariesPanel

#: What read-only's statistics leave out (the database hides it from the role).
NO_LIVED_EXPERIENCE = (
    "Lived experience is for staff only: it is left out here, and that sector's "
    "people count as no sector."
)
_TABS = ("statistics", "summaries")


class ReadOnlyWindow(QMainWindow):
    """The Statistics page and the final summaries, for a read-only login."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("readOnlyWindow")
        self.page = StatisticsPage(ctx)
        self.page.hide_lived_experience()
        self.summaries = SummariesPanel(ctx)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.page, "&Statistics")
        self.tabs.addTab(self.summaries, "S&ummaries")
        self.setCentralWidget(self.tabs)
        ctx.error_reported.connect(lambda title, text: messages.show_error(self, title, text))

        file_menu = self.menuBar().addMenu("&File")
        self.preview_action = QAction("&Preview summary…", self)
        self.preview_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.preview_action.triggered.connect(lambda: self._on_summary(self.summaries.preview))
        self.save_action = QAction("&Save summary as…", self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.triggered.connect(lambda: self._on_summary(self.summaries.save_as))
        file_menu.addAction(self.preview_action)
        file_menu.addAction(self.save_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        for number, (label, widget) in enumerate(
            (("&Statistics", self.page), ("S&ummaries", self.summaries)), start=1
        ):
            action = QAction(label, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, w=widget: self.show_tab(w))
            view_menu.addAction(action)
        view_menu.addSeparator()
        self.refresh_action = QAction("&Refresh", self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.triggered.connect(lambda: ctx.publish(Changes(all_roundtables=True)))
        view_menu.addAction(self.refresh_action)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.summaries.model.modelReset.connect(self._tab_changed)

        self.statusBar().addWidget(QLabel(role_line(ctx.db, TeamRole.READONLY)))
        self.statusBar().addPermanentWidget(QLabel(NO_LIVED_EXPERIENCE))
        self.setWindowTitle(role_title(TeamRole.READONLY, "Statistics"))
        last = ctx.settings.get(keys.READ_ONLY_TAB)
        self.tabs.setCurrentIndex(_TABS.index(last) if last in _TABS else 0)
        self._tab_changed()
        geometry = ctx.settings.get(keys.READ_ONLY_WINDOW_GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 780)

    def show_tab(self, widget: StatisticsPage | SummariesPanel) -> None:
        """Show the Statistics page or the Summaries tab (View menu, Ctrl+1 and Ctrl+2)."""
        self.tabs.setCurrentWidget(widget)
        if widget is self.summaries:
            self.summaries.focus_list()

    def _on_summary(self, run: object) -> None:
        if self.tabs.currentWidget() is not self.summaries:
            self.show_tab(self.summaries)
            return  # first the list: the user picks which summary
        if callable(run):
            run()

    def _tab_changed(self, *_: object) -> None:
        on_summaries = self.tabs.currentWidget() is self.summaries
        name = "Summaries" if on_summaries else "Statistics"
        self.setWindowTitle(role_title(TeamRole.READONLY, name))
        has_rows = bool(self.summaries.model.rows)
        self.preview_action.setEnabled(not on_summaries or has_rows)
        self.save_action.setEnabled(not on_summaries or has_rows)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.settings.set(keys.READ_ONLY_WINDOW_GEOMETRY, QByteArray(self.saveGeometry()))
        self.ctx.settings.set(keys.READ_ONLY_TAB, _TABS[max(self.tabs.currentIndex(), 0)])
        super().closeEvent(event)
