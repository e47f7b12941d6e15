"""The suggestions panel: needs raised at different roundtables that read alike.

"Suggest groupings" asks the page to compare every need in the background
(with progress and Cancel); each suggestion lists its needs and the
roundtables that raised them. Group confirms it, Not the same dismisses it
for the whole team; the page makes both changes (undoable) and the panel
drops the suggestion.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.services.register import Suggestion
from roundtable_app.ui.register.models import day_text

SUGGESTION_ROLE = int(Qt.ItemDataRole.UserRole) + 1
NEED_ROLE = int(Qt.ItemDataRole.UserRole) + 2


def _title(suggestion: Suggestion) -> str:
    roundtables = len({n.roundtable_id for n in suggestion.needs})
    text = (
        f"{len(suggestion.needs)} needs from {roundtables} roundtables · "
        f"{suggestion.likeness:.0%} alike"
    )
    if suggestion.joins_group is not None:
        text += " · joins a group"
    return text


class SuggestionsPanel(QWidget):
    """Suggested groupings, with Group and Not the same.

    Signals:
        run_requested(): Suggest groupings was pressed.
        cancel_requested(): Cancel was pressed while comparing.
        group_requested(Suggestion), dismiss_requested(Suggestion): the user's answer.
        need_chosen(int): a need of a suggestion was made current (its id).
    """

    run_requested = Signal()
    cancel_requested = Signal()
    group_requested = Signal(object)
    dismiss_requested = Signal(object)
    need_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suggestions: list[Suggestion] = []
        self.ran = False
        self.run_button = QPushButton("Suggest &groupings")
        self.run_button.setToolTip(
            "Compare every need and suggest those raised at different roundtables that read alike"
        )
        self.run_button.clicked.connect(self.run_requested)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.cancel_button.hide()
        self.note = QLabel(
            "Similar needs raised at different roundtables can be grouped as one: the "
            "register then counts every roundtable and sector that raised it."
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(placeholder-text);")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Suggested grouping", "Roundtable"])
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 190)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.hide()
        self.group_button = QPushButton("Gro&up")
        self.group_button.setToolTip("These needs are one: group them")
        self.group_button.clicked.connect(self._group)
        self.dismiss_button = QPushButton("&Not the same")
        self.dismiss_button.setToolTip("Do not suggest these needs together again")
        self.dismiss_button.clicked.connect(self._dismiss)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.run_button)
        top.addWidget(self.progress, 1)
        top.addWidget(self.cancel_button)
        top.addStretch(0)
        answers = QHBoxLayout()
        answers.setContentsMargins(0, 0, 0, 0)
        answers.addWidget(self.group_button)
        answers.addWidget(self.dismiss_button)
        answers.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.tree, 1)
        layout.addLayout(answers)
        self.spacer = QWidget()  # holds the text up while there is no list
        self.spacer.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        layout.addWidget(self.spacer, 1)
        self._update_buttons()

    # --- running -------------------------------------------------------------------------

    def set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        if running:
            self.progress.setRange(0, 0)
            self.progress.setFormat("Reading the evidence needs…")

    def set_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(message or "%p%")

    def set_suggestions(self, suggestions: list[Suggestion]) -> None:
        self.ran = True
        self.suggestions = list(suggestions)
        self._fill()

    def drop(self, key: str) -> None:
        """Take the suggestion ``key`` off the list (grouped or dismissed)."""
        self.suggestions = [s for s in self.suggestions if s.key != key]
        self._fill()

    def _fill(self) -> None:
        self.tree.clear()
        for suggestion in self.suggestions:
            top = QTreeWidgetItem([_title(suggestion), ""])
            top.setData(0, SUGGESTION_ROLE, suggestion.key)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setFirstColumnSpanned(True)
            for need in suggestion.needs:
                child = QTreeWidgetItem([need.text, f"{need.roundtable}, {day_text(need.held_on)}"])
                child.setToolTip(0, need.text)
                child.setData(0, NEED_ROLE, need.id)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        self.tree.setVisible(self.ran)
        self.spacer.setVisible(not self.ran)
        count = len(self.suggestions)
        if not self.ran:
            pass
        elif count:
            self.note.setText(
                f"{count} suggested grouping{'s' * (count != 1)}. Group those that are one "
                "need; answer Not the same for the others (they are not suggested again)."
            )
        else:
            self.note.setText(
                "No more similar needs to suggest: every need raised at different roundtables "
                "that reads alike is grouped or was answered Not the same."
            )
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._update_buttons()

    # --- answering -------------------------------------------------------------------------

    def current(self) -> Suggestion | None:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        if item is None:
            return None
        key = item.data(0, SUGGESTION_ROLE)
        return next((s for s in self.suggestions if s.key == key), None)

    def select(self, key: str) -> None:
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if item is not None and item.data(0, SUGGESTION_ROLE) == key:
                self.tree.setCurrentItem(item)
                return

    def _current_changed(self, current: QTreeWidgetItem | None, *_: object) -> None:
        self._update_buttons()
        need = current.data(0, NEED_ROLE) if current is not None else None
        if need is not None:
            self.need_chosen.emit(int(need))

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        self.group_button.setEnabled(chosen)
        self.dismiss_button.setEnabled(chosen)
        self.group_button.setVisible(self.ran)
        self.dismiss_button.setVisible(self.ran)

    def _group(self) -> None:
        suggestion = self.current()
        if suggestion is not None:
            self.group_requested.emit(suggestion)

    def _dismiss(self) -> None:
        suggestion = self.current()
        if suggestion is not None:
            self.dismiss_requested.emit(suggestion)
