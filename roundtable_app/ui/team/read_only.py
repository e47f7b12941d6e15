"""The read-only window: the statistics, and nothing that edits (issue 13, section 6).

A read-only login reads roundtables, lists and people without their sensitive
columns (storage/roles): the Statistics page is what it can show. Figures of
lived experience are for staff: the page leaves them out, and the status bar says so.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow

from roundtable_app.core.model import Changes
from roundtable_app.core.team import TeamRole
from roundtable_app.ui import messages
from roundtable_app.ui import settings as keys
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.statistics import StatisticsPage
from roundtable_app.ui.team.role_text import role_line, role_title

#: What read-only's statistics leave out (the database hides it from the role).
NO_LIVED_EXPERIENCE = (
    "Lived experience is for staff only: it is left out here, and that sector's "
    "people count as no sector."
)


class ReadOnlyWindow(QMainWindow):
    """The Statistics page on its own, for a read-only login."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("readOnlyWindow")
        self.setWindowTitle(role_title(TeamRole.READONLY, "Statistics"))
        self.page = StatisticsPage(ctx)
        self.page.hide_lived_experience()
        self.setCentralWidget(self.page)
        ctx.error_reported.connect(lambda title, text: messages.show_error(self, title, text))

        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        self.refresh_action = QAction("&Refresh", self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.triggered.connect(lambda: ctx.publish(Changes(all_roundtables=True)))
        view_menu.addAction(self.refresh_action)

        self.statusBar().addWidget(QLabel(role_line(ctx.db, TeamRole.READONLY)))
        self.statusBar().addPermanentWidget(QLabel(NO_LIVED_EXPERIENCE))
        geometry = ctx.settings.get(keys.READ_ONLY_WINDOW_GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 780)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.settings.set(keys.READ_ONLY_WINDOW_GEOMETRY, QByteArray(self.saveGeometry()))
        super().closeEvent(event)
