"""The panel beside the register's list: the current entry in full, and the centre's work on it.

It shows the need's whole text, how other roundtables put it, the
roundtables that raised it (with the days held), and its status, owner and
answer reference, which staff edit here: the status applies when chosen, the
owner and reference on Enter or when the field loses focus. A grouped entry
can be split, or one need taken out of it. The panel only asks; the page
makes the change (one undoable step) and shows the entry again.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.discussion import NeedStatus
from roundtable_app.services.register import Entry, NeedEdit
from roundtable_app.ui.common import error_label
from roundtable_app.ui.register.models import day_text, priority_text

ANSWER_FIRST = (
    "An answered need names the research that answered it: type its title, DOI or link as "
    "the reference, then press Enter."
)


def _section(title: str) -> QLabel:
    label = QLabel(title)
    label.setObjectName("registerSection")
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _wrapped() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _bullets(lines: list[str]) -> str:
    return "<br>".join(f"• {escape(line)}" for line in lines)


class DetailPanel(QWidget):
    """The current entry, and its status, owner and reference to edit.

    Signals:
        edit_requested(Entry, NeedEdit): the user changed a field of the entry shown.
        split_requested(Entry): Split group.
        leave_requested(Entry, int): Remove from group, for that need's id.
    """

    edit_requested = Signal(object, object)
    split_requested = Signal(object)
    leave_requested = Signal(object, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry: Entry | None = None
        #: "Answered" chosen, waiting for the reference (kept while other fields are saved).
        self._answer_pending = False

        self.placeholder = QLabel("Choose an evidence need in the list to see it in full.")
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: palette(placeholder-text);")
        self.text = _wrapped()
        self.text.setObjectName("registerNeedText")
        font = self.text.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.text.setFont(font)
        self.meta = _wrapped()
        self.raised = _wrapped()
        self.also_title = _section("Also raised as")
        self.also = QLabel()
        self.also.setWordWrap(True)
        self.also.setTextFormat(Qt.TextFormat.RichText)
        self.roundtables_title = _section("Roundtables")
        self.roundtables = QLabel()
        self.roundtables.setWordWrap(True)
        self.roundtables.setTextFormat(Qt.TextFormat.RichText)

        self.group_box = QGroupBox("Grouped needs")
        self.members = QListWidget()
        self.members.setWordWrap(True)
        self.members.setMinimumHeight(90)  # a few needs in view; the panel scrolls
        self.members.setMaximumHeight(150)
        self.members.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.leave_button = QPushButton("Remove &from group")
        self.leave_button.setToolTip("Take the chosen need out of this group")
        self.leave_button.clicked.connect(self._leave)
        self.split_button = QPushButton("S&plit group")
        self.split_button.setToolTip("Let every need of this group stand alone again")
        self.split_button.clicked.connect(self._split)
        buttons = QHBoxLayout()
        buttons.addWidget(self.leave_button)
        buttons.addWidget(self.split_button)
        buttons.addStretch(1)
        group_layout = QVBoxLayout(self.group_box)
        group_layout.addWidget(self.members)
        group_layout.addLayout(buttons)

        self.status = QComboBox()
        for status in NeedStatus:
            self.status.addItem(status.label, status)
        self.status.activated.connect(self._status_chosen)
        self.owner = QLineEdit()
        self.owner.setPlaceholderText("A person or team in the centre")
        self.owner.setMaxLength(200)
        self.owner.editingFinished.connect(self._owner_done)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("Title, DOI or link of the research that answers it")
        self.reference.setMaxLength(2000)
        self.reference.editingFinished.connect(self._reference_done)
        self.error = error_label()
        self.form_box = QGroupBox("The centre's work on it")
        form = QFormLayout(self.form_box)
        form.addRow("&Status:", self.status)
        form.addRow("&Owner:", self.owner)
        form.addRow("Re&ference:", self.reference)
        form.addRow(self.error)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.text)
        layout.addWidget(self.meta)
        layout.addWidget(self.raised)
        # What staff act on first, above the lists (a group's can be long).
        layout.addWidget(self.form_box)
        layout.addWidget(self.group_box)
        layout.addWidget(self.also_title)
        layout.addWidget(self.also)
        layout.addWidget(self.roundtables_title)
        layout.addWidget(self.roundtables)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.show_entry(None)

    # --- showing ---------------------------------------------------------------------------

    def show_entry(self, entry: Entry | None) -> None:
        """Show ``entry`` (None: nothing chosen). A field being typed in keeps its text."""
        same = entry is not None and self.entry is not None and entry.key == self.entry.key
        self.entry = entry
        pending = bool(
            same
            and self._answer_pending
            and entry is not None
            and entry.status != NeedStatus.ANSWERED
        )
        self._answer_pending = pending
        shown = entry is not None
        self.placeholder.setVisible(not shown)
        for widget in (self.text, self.meta, self.raised, self.roundtables_title):
            widget.setVisible(shown)
        self.roundtables.setVisible(shown)
        self.form_box.setVisible(shown)
        if pending:
            self.show_error(ANSWER_FIRST)
        else:
            self.error.hide()
        if entry is None:
            self.also_title.hide()
            self.also.hide()
            self.group_box.hide()
            return
        self.text.setText(entry.text)
        meta = [f"Priority: {priority_text(entry.priority).lower()}"]
        if entry.themes:
            meta.insert(0, "Themes: " + ", ".join(entry.themes))
        if entry.evidence_kinds:
            meta.append("Evidence: " + ", ".join(k.lower() for k in entry.evidence_kinds))
        self.meta.setText(" · ".join(meta))
        self.raised.setText(entry.raised[0].upper() + entry.raised[1:])
        self.also_title.setVisible(bool(entry.also))
        self.also.setVisible(bool(entry.also))
        self.also.setText(_bullets(list(entry.also)))
        self.roundtables.setText(
            _bullets([f"{title} — {day_text(day)}" for title, day in entry.roundtables])
        )
        grouped = len(entry.needs) > 1
        self.group_box.setVisible(grouped)
        chosen = self.members.currentItem()
        chosen_id = chosen.data(Qt.ItemDataRole.UserRole) if chosen is not None and same else None
        self.members.clear()
        if grouped:
            self.group_box.setTitle(f"Grouped: {len(entry.needs)} needs")
            for need in entry.needs:
                item = QListWidgetItem(f"{need.text}\n{need.roundtable}, {need.held_text}")
                item.setData(Qt.ItemDataRole.UserRole, need.id)
                self.members.addItem(item)
                if need.id == chosen_id:
                    self.members.setCurrentItem(item)
        shown_status = NeedStatus.ANSWERED if pending else entry.status
        self.status.setCurrentIndex(self.status.findData(shown_status))
        for field, value in (
            (self.owner, entry.centre_owner),
            (self.reference, entry.answer_reference),
        ):
            if not (same and field.hasFocus() and field.isModified()):
                field.setText(value)
                field.setCursorPosition(0)
        self._update_buttons()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _update_buttons(self) -> None:
        grouped = self.entry is not None and len(self.entry.needs) > 1
        self.split_button.setEnabled(grouped)
        self.leave_button.setEnabled(grouped and self.members.currentItem() is not None)

    def chosen_member(self) -> int | None:
        item = self.members.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    # --- asking for changes ------------------------------------------------------------------

    def _ask(self, edit: NeedEdit) -> None:
        if self.entry is not None:
            self.error.hide()
            self.edit_requested.emit(self.entry, edit)

    def _status_chosen(self, _index: int) -> None:
        entry = self.entry
        status = NeedStatus(self.status.currentData())
        if entry is None or status == entry.status:
            return
        reference = self.reference.text().strip()
        self._answer_pending = False
        if status == NeedStatus.ANSWERED and not reference:
            self._answer_pending = True
            self.show_error(ANSWER_FIRST)
            self.reference.setFocus()
            return
        if status == NeedStatus.ANSWERED and reference != entry.answer_reference:
            self._ask(NeedEdit(status=status, answer_reference=reference))
        else:
            self._ask(NeedEdit(status=status))

    def _owner_done(self) -> None:
        self.owner.setModified(False)  # asked for: a reload may show it (or undo it) now
        entry = self.entry
        owner = self.owner.text().strip()
        if entry is not None and owner != entry.centre_owner:
            self._ask(NeedEdit(centre_owner=owner))

    def _reference_done(self) -> None:
        self.reference.setModified(False)
        entry = self.entry
        reference = self.reference.text().strip()
        status = NeedStatus(self.status.currentData())
        if entry is None:
            return
        if status == NeedStatus.ANSWERED and entry.status != NeedStatus.ANSWERED:
            if reference:  # "Answered" was chosen first: both together, one step
                self._answer_pending = False
                self._ask(NeedEdit(status=status, answer_reference=reference))
            return
        if reference != entry.answer_reference:
            self._ask(NeedEdit(answer_reference=reference))

    def _split(self) -> None:
        if self.entry is not None:
            self.split_requested.emit(self.entry)

    def _leave(self) -> None:
        member = self.chosen_member()
        if self.entry is not None and member is not None:
            self.leave_requested.emit(self.entry, member)
