"""How the check-in screen is laid out: large type, one thing per line, readable at a metre.

From the top: the roundtable and the live count, the progress of arrivals, the
search with its Check in and Walk-in buttons, the line saying what just
happened (with Undo), the list, and the keys to remember.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.ui.attendance.checkin_delegate import CheckInDelegate
from roundtable_app.ui.common import ElidedLabel, EmptyState, filter_box

STYLE = """
QWidget#checkInWindow { background: #ffffff; }
QLabel#checkInEyebrow { color: #5f6b76; font-size: 12pt; font-weight: 600;
    letter-spacing: 1px; }
QLabel#checkInTitle { color: #1d2830; font-size: 22pt; font-weight: 600; }
QLabel#checkInWhen { color: #46525c; font-size: 14pt; }
QLabel#checkInCount { color: #1d2830; font-size: 24pt; font-weight: 700; }
QLabel#checkInOthers { color: #46525c; font-size: 14pt; }
QProgressBar#checkInProgress { border: none; background: #e4e9ed; border-radius: 4px; }
QProgressBar#checkInProgress::chunk { background: #2e8a5a; border-radius: 4px; }
QLineEdit#checkInSearch { font-size: 24pt; padding: 10px 14px; border: 2px solid #9fb4c6;
    border-radius: 8px; }
QLineEdit#checkInSearch:focus { border-color: #1f6fb2; }
QPushButton#checkInButton { font-size: 17pt; font-weight: 600; padding: 12px 30px;
    color: white; background: #1f6fb2; border: none; border-radius: 8px; }
QPushButton#checkInButton:hover { background: #185d96; }
QPushButton#checkInButton:disabled { background: #b8c6d2; }
QPushButton#walkInButton { font-size: 15pt; padding: 12px 20px; }
QLabel#checkInBanner { font-size: 16pt; padding: 10px 14px; border-radius: 6px; }
QLabel#checkInBanner[tone="done"] { background: #e3f3ea; color: #17502f; }
QLabel#checkInBanner[tone="info"] { background: #e7eff7; color: #163d5c; }
QLabel#checkInBanner[tone="problem"] { background: #fbe9e7; color: #8a1c13; }
QPushButton#undoButton { font-size: 14pt; padding: 11px 18px; }
QListView#checkInList { border: 1px solid #d4d8dd; border-radius: 6px; background: white; }
QLabel#checkInKeys, QLabel#checkInLive { color: #5f6b76; font-size: 11.5pt; }
QLabel#checkInLive[tone="problem"] { color: #8a1c13; }
QPushButton#screenButton { font-size: 12pt; }
"""


class CheckInLayout(QWidget):
    """The screen's widgets, laid out; :class:`CheckInWindow` gives them their behaviour."""

    def __init__(self, parent: QWidget | None, model: QAbstractItemModel) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        # The first child, so the first to go: clearing itself as it goes, it tells
        # the window while the widgets it updates are still there.
        self.undo_stack = QUndoStack(self)
        self.setStyleSheet(STYLE)
        eyebrow = QLabel("CHECK-IN")
        eyebrow.setObjectName("checkInEyebrow")
        self.title_label = ElidedLabel()
        self.title_label.setObjectName("checkInTitle")
        self.when_label = ElidedLabel()
        self.when_label.setObjectName("checkInWhen")
        self.count_label = QLabel()
        self.count_label.setObjectName("checkInCount")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.others_label = QLabel()
        self.others_label.setObjectName("checkInOthers")
        self.others_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.progress = QProgressBar()
        self.progress.setObjectName("checkInProgress")
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(8)
        self.full_screen_button = QPushButton("Full screen (F11)")
        self.close_button = QPushButton("Close (Esc)")
        for button in (self.full_screen_button, self.close_button):
            button.setObjectName("screenButton")
            button.setFlat(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(eyebrow)
        titles.addWidget(self.title_label)
        titles.addWidget(self.when_label)
        counts = QVBoxLayout()
        counts.setSpacing(2)
        screen_buttons = QHBoxLayout()
        screen_buttons.addStretch(1)
        screen_buttons.addWidget(self.full_screen_button)
        screen_buttons.addWidget(self.close_button)
        counts.addLayout(screen_buttons)
        counts.addWidget(self.count_label)
        counts.addWidget(self.others_label)
        header = QHBoxLayout()
        header.setSpacing(24)
        header.addLayout(titles, 3)
        header.addLayout(counts, 2)

        self.search = QLineEdit()
        self.search.setObjectName("checkInSearch")
        self.search.setPlaceholderText("Type a name or organisation")
        self.search.setAccessibleName("Find a person")
        filter_box(self.search)  # Escape clears what was typed; in an empty field it leaves
        self.check_in_button = QPushButton("Check in")
        self.check_in_button.setObjectName("checkInButton")
        self.walk_in_button = QPushButton("Walk-in…")
        self.walk_in_button.setObjectName("walkInButton")
        self.walk_in_button.setToolTip("Check in someone who is not on the list (Ctrl+N)")
        for button in (self.check_in_button, self.walk_in_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the search
        search_row = QHBoxLayout()
        search_row.setSpacing(12)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.check_in_button)
        search_row.addWidget(self.walk_in_button)

        self.banner = QLabel()
        self.banner.setObjectName("checkInBanner")
        self.banner.setWordWrap(True)
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.undo_button.setToolTip("Take back the last check-in made here (Ctrl+Z)")
        feedback = QHBoxLayout()
        feedback.setSpacing(12)
        feedback.addWidget(self.banner, 1)
        feedback.addWidget(self.undo_button)

        self.view = QListView()
        self.view.setObjectName("checkInList")
        self.view.setModel(model)
        self.delegate = CheckInDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setMouseTracking(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)

        self.keys_label = QLabel(
            "Enter checks in  ·  ↑ ↓ choose  ·  Ctrl+Z undo  ·  Ctrl+N walk-in  ·  "
            "F11 full screen  ·  Esc leaves"
        )
        self.keys_label.setObjectName("checkInKeys")
        self.live_label = QLabel()
        self.live_label.setObjectName("checkInLive")
        footer = QHBoxLayout()
        footer.addWidget(self.keys_label, 1)
        footer.addWidget(self.live_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 16)
        layout.setSpacing(14)
        layout.addLayout(header)
        layout.addWidget(self.progress)
        layout.addSpacing(4)
        layout.addLayout(search_row)
        layout.addLayout(feedback)
        layout.addWidget(self.stack, 1)
        layout.addLayout(footer)
