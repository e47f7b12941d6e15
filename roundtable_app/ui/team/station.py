"""The check-in station: what a check-in login sees, the roundtables whose door is open now.

The database lets a check-in login read only the lists of the day's
roundtables and mark arrivals (storage/roles), so this window offers nothing
else: the roundtables whose check-in is open now, each opening its check-in
screen (walk-ins are for staff). With one open, its check-in opens at once;
with none, the window says when it will.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.team import TeamRole
from roundtable_app.services import attendance
from roundtable_app.ui import messages
from roundtable_app.ui import settings as keys
from roundtable_app.ui.attendance import CheckInWindow, open_check_in
from roundtable_app.ui.common import EmptyState
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.team.role_text import role_line, role_title

Clock = Callable[[], dt.datetime]


class CheckInStation(QMainWindow):
    """Today's roundtables whose check-in is open; Enter or a double-click opens one."""

    def __init__(self, ctx: AppContext, *, clock: Clock | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.clock = clock
        self.doors: list[attendance.OpenDoor] = []
        self.setObjectName("checkInStation")
        self.setWindowTitle(role_title(TeamRole.CHECKIN))
        ctx.error_reported.connect(lambda title, text: messages.show_error(self, title, text))

        heading = QLabel("Check-in at the door")
        heading.setObjectName("pageTitle")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        self.hint = QLabel("Choose the roundtable whose guests you are checking in.")
        self.list = QListWidget()
        self.list.setObjectName("openDoors")
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        self.list.setSpacing(6)  # room between the roundtables: read from across a desk
        list_font = self.list.font()
        list_font.setPointSizeF(list_font.pointSizeF() * 1.25)
        self.list.setFont(list_font)
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)

        self.open_button = QPushButton("Open the check-in")
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_selected)
        self.refresh_button = QPushButton("Refresh (F5)")
        self.refresh_button.clicked.connect(self.refresh)
        quit_button = QPushButton("Quit")
        quit_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(quit_button)
        buttons.addWidget(self.open_button)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.setCentralWidget(body)
        self.statusBar().addWidget(QLabel(role_line(ctx.db, TeamRole.CHECKIN)))

        for text, shortcut, slot in (
            ("Refresh", QKeySequence(QKeySequence.StandardKey.Refresh), self.refresh),
            ("Quit", QKeySequence(QKeySequence.StandardKey.Quit), self.close),
        ):
            action = QAction(text, self)
            action.setShortcut(shortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        geometry = ctx.settings.get(keys.CHECK_IN_STATION_GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(720, 480)

    def _now(self) -> dt.datetime | None:
        return self.clock() if self.clock is not None else None

    def refresh(self) -> None:
        """Read which roundtables' check-in is open now, and list them."""
        try:
            with self.ctx.db.reading() as session:
                self.doors = attendance.open_doors(session, self._now())
        except RoundtableError as exc:
            messages.show_error(self, "Cannot read today's roundtables", str(exc))
            return
        self.list.clear()
        for door in self.doors:
            start = door.starts_at.astimezone()
            text = f"{door.title}\n{start:%a} {start.day} {start:%b} · {start:%H:%M}"
            if door.venue:
                text += f" · {door.venue}"
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, door.roundtable_id)
        if self.doors:
            self.list.setCurrentRow(0)
            self.stack.setCurrentWidget(self.list)
        else:
            self.empty.show_message(
                "No check-in is open now",
                "A roundtable's check-in opens on its day. This login can check people in, "
                "and nothing else: for anything more, ask a member of staff.",
                [("Refresh", self.refresh)],
            )
            self.stack.setCurrentWidget(self.empty)
        self.open_button.setEnabled(bool(self.doors))

    def start(self) -> None:
        """Show the station; with exactly one check-in open, open it straight away."""
        self.show()
        self.refresh()
        if len(self.doors) == 1:
            self.open_selected()

    def open_selected(self) -> CheckInWindow | None:
        """Open the check-in screen of the highlighted roundtable (walk-ins: staff only)."""
        item = self.list.currentItem()
        if item is None:
            return None
        rid = int(item.data(Qt.ItemDataRole.UserRole))
        return open_check_in(self.ctx, rid, self, clock=self.clock, walk_ins=False)

    def closeEvent(self, event: QCloseEvent) -> None:
        for window in self.findChildren(CheckInWindow):
            window.close()
        self.ctx.settings.set(keys.CHECK_IN_STATION_GEOMETRY, QByteArray(self.saveGeometry()))
        super().closeEvent(event)
