"""One note on screen: its text and, for a need or an action, its fields; the names the
Chatham House guard flags in it; and what a colleague's conflicting edit left.

An item knows nothing of the database: it shows values, says when the user
edits one (``edited``), and the section's controller saves and undoes.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.dates import format_date, parse_date
from roundtable_app.core.discussion import (
    ActionStatus,
    EvidenceKind,
    Guard,
    Mention,
    NoteKind,
    attribute,
    folded,
)
from roundtable_app.core.errors import ValidationError
from roundtable_app.core.model import Priority
from roundtable_app.services.discussion import Note

PLACEHOLDERS = {
    NoteKind.CHALLENGE: "A challenge the table shares, e.g. “Referral data are not shared "
    "between agencies”",
    NoteKind.NEED: "What research should answer, e.g. “How many referrals lead to support?”",
    NoteKind.ACTION: "What will be done, e.g. “Circulate the draft evidence review”",
    NoteKind.POINT: "A key point, in a line",
}
OWNER_PLACEHOLDER = (
    "Owner: an organisation or a role (e.g. “Home Office policy team”), never a name"
)
_uids = itertools.count(1)


@dataclass
class Place:
    """Where an item's notes were made, and what its fields may offer."""

    table_id: int | None
    label: str  # "Table 2", or "Whole room"
    guard: Guard
    present: Counter[str] = field(default_factory=Counter)
    themes: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)


def blank_values(kind: NoteKind) -> dict[str, Any]:
    """The fields of a new item of ``kind``, as a new note gets them."""
    values: dict[str, Any] = {"text": "", "acknowledged": frozenset()}
    if kind == NoteKind.NEED:
        values |= {
            "themes": (),
            "sectors": (),
            "priority": Priority.MEDIUM,
            "evidence_kind": None,
            "question_no": None,
        }
    if kind == NoteKind.ACTION:
        values |= {"owner": "", "due_on": None, "action_status": ActionStatus.OPEN}
    return values


def values_of(note: Note) -> dict[str, Any]:
    """The fields of ``note`` that its item shows."""
    values = blank_values(note.kind)
    return {name: getattr(note, name) for name in values}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _data(combo: QComboBox, kind_of: Any) -> Any:
    """The chosen value as its type (Qt hands enum values back as plain strings)."""
    data = combo.currentData()
    return None if data is None else kind_of(data)


def _combo(items: list[tuple[str, Any]], tip: str) -> QComboBox:
    combo = QComboBox()
    for label, data in items:
        combo.addItem(label, _plain(data))
    combo.setToolTip(tip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


class NoteItem(QFrame):
    """A note's editors, its flags and its conflict box.

    Signals:
        edited(item, field, old, new, typing): the user changed a field; ``typing``
            is True for text typed (consecutive typing is undone as one step).
    """

    edited = Signal(object, str, object, object, bool)

    def __init__(
        self,
        kind: NoteKind,
        place: Place,
        values: dict[str, Any] | None = None,
        note: Note | None = None,
        uid: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        from roundtable_app.ui.discussion.editor import NoteEditor, PickerButton

        super().__init__(parent)
        self.setObjectName("noteItem")
        self.kind = kind
        self.place = place
        self.note = note
        self.uid = uid if uid is not None else next(_uids)
        self.values = dict(values if values is not None else blank_values(kind))
        self.pending: set[str] = set()  # fields edited and not yet saved
        self.mentions: list[Mention] = []
        self._locked = False

        self.editor = NoteEditor(PLACEHOLDERS[kind])
        self.editor.setObjectName("noteText")
        self.remove_button = QToolButton()
        self.remove_button.setText("✕")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip("Remove this item (Backspace in an empty item; undoable)")
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bullet = QLabel("•")
        bullet.setObjectName("bullet")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(bullet, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.editor, 1)
        top.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.setSpacing(3)
        layout.addLayout(top)
        self.fields: list[QWidget] = []  # in Tab order, after the editor

        if kind == NoteKind.NEED:
            self.themes = PickerButton("Themes", "Filter themes")
            self.themes.set_choices(place.themes)
            self.priority = _combo(
                [(f"Priority: {p.value}", p) for p in Priority], "How urgent the need is"
            )
            self.evidence_kind = _combo(
                [("Kind of evidence…", None)] + [(k.label, k) for k in EvidenceKind],
                "The kind of evidence the need asks for",
            )
            self.sectors = PickerButton("Raised by", "Filter sectors")
            self.sectors.setToolTip("The sectors at this table that raised it, never a person")
            self.sectors.set_choices(
                [s for s, _n in sorted(place.present.items(), key=lambda x: x[0])]
            )
            self.question = _combo(
                [("Answers no evidence question", None)]
                + [
                    (f"Q{i}: {q[:60]}{'…' if len(q) > 60 else ''}", i)
                    for i, q in enumerate(place.questions, 1)
                ],
                "Which of the roundtable's evidence questions it answers (optional)",
            )
            self.question.setObjectName("question")
            self.question.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            self.question.setMinimumContentsLength(20)
            self.question.setEnabled(bool(place.questions))
            self.fields = [self.priority, self.evidence_kind, self.themes, self.sectors]
            self.fields.append(self.question)
            self.attribution = QLabel()
            self.attribution.setObjectName("attribution")
            self.attribution.setWordWrap(True)
            self.themes.picked.connect(lambda names: self._user_set("themes", tuple(names)))
            self.sectors.picked.connect(lambda names: self._user_set("sectors", tuple(names)))
            for name, kind_of in (
                ("priority", Priority),
                ("evidence_kind", EvidenceKind),
                ("question", int),
            ):
                combo: QComboBox = getattr(self, name)
                key = "question_no" if name == "question" else name
                combo.activated.connect(
                    lambda _i, key=key, combo=combo, kind_of=kind_of: self._user_set(
                        key, _data(combo, kind_of)
                    )
                )
        if kind == NoteKind.ACTION:
            self.owner = QLineEdit(placeholderText=OWNER_PLACEHOLDER)
            self.owner.setObjectName("owner")
            self.owner.setToolTip("Who owns the action: an organisation or a role, never a name")
            self.due = QLineEdit(placeholderText="Due date, e.g. 30/6/2027")
            self.due.setObjectName("due")
            self.due.setMaximumWidth(190)
            self.action_status = _combo(
                [(f"Status: {s.label}", s) for s in ActionStatus], "Where the action stands"
            )
            self.fields = [self.owner, self.due, self.action_status]
            self.owner.textEdited.connect(lambda text: self._user_set("owner", text, typing=True))
            self.due.editingFinished.connect(self._due_finished)
            self.action_status.activated.connect(
                lambda _i: self._user_set("action_status", _data(self.action_status, ActionStatus))
            )
        if kind == NoteKind.NEED:
            # Two rows, so a narrow window never needs a horizontal scroll bar.
            self._field_rows(
                layout,
                [self.priority, self.evidence_kind, self.themes],
                [self.sectors, self.question],
            )
        elif kind == NoteKind.ACTION:
            self._field_rows(layout, [self.owner, QLabel("Due"), self.due, self.action_status])
        if kind == NoteKind.NEED:
            layout.addWidget(self.attribution)

        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.flag_box = QWidget()
        self.flag_layout = QVBoxLayout(self.flag_box)
        self.flag_layout.setContentsMargins(14, 0, 0, 0)
        self.flag_layout.setSpacing(2)
        self.flag_box.hide()
        self.conflict_box = QFrame()
        self.conflict_box.setObjectName("conflict")
        self.conflict_box.hide()
        layout.addWidget(self.problem)
        layout.addWidget(self.flag_box)
        layout.addWidget(self.conflict_box)

        self.editor.text_edited.connect(lambda text: self._user_set("text", text, typing=True))
        self.show_values()

    @staticmethod
    def _field_rows(layout: QVBoxLayout, *rows: list[QWidget]) -> None:
        for widgets in rows:
            row = QHBoxLayout()
            row.setContentsMargins(14, 0, 26, 0)
            row.setSpacing(6)
            stretched = False
            for widget in widgets:
                stretch = isinstance(widget, QLineEdit) or widget.objectName() == "question"
                stretched |= stretch
                row.addWidget(widget, 1 if stretch else 0)
            if not stretched:
                row.addStretch(1)
            layout.addLayout(row)

    # --- values ---------------------------------------------------------------------

    def value(self, name: str) -> Any:
        return self.values[name]

    def set_value(self, name: str, value: Any) -> None:
        """Show ``value`` in field ``name`` (an undo step, a colleague's edit)."""
        self.values[name] = value
        self.show_values()

    def _user_set(self, name: str, value: Any, *, typing: bool = False) -> None:
        old = self.values[name]
        if old == value:
            return
        self.values[name] = value
        if name in ("text", "acknowledged"):
            self.refresh_flags()
        if name == "sectors":
            self._show_attribution()
        self.edited.emit(self, name, old, value, typing)

    def show_values(self) -> None:
        values = self.values
        self.editor.set_text(values["text"])
        if self.kind == NoteKind.NEED:
            self.themes.set_checked(values["themes"])
            self.sectors.set_choices(
                sorted(set(self.place.present) | set(values["sectors"]), key=str.casefold)
            )
            self.sectors.set_checked(values["sectors"])
            for combo, value in (
                (self.priority, values["priority"]),
                (self.evidence_kind, values["evidence_kind"]),
                (self.question, values["question_no"]),
            ):
                index = combo.findData(_plain(value))
                if index < 0 and combo is self.question and value is not None:
                    combo.addItem(f"Q{value} (no longer in the list)", value)
                    index = combo.count() - 1
                combo.setCurrentIndex(max(index, 0))
            self._show_attribution()
        if self.kind == NoteKind.ACTION:
            if self.owner.text() != values["owner"]:
                self.owner.setText(values["owner"])
            due = values["due_on"]
            self.due.setText(format_date(due) if due else "")
            self.action_status.setCurrentIndex(
                max(self.action_status.findData(_plain(values["action_status"])), 0)
            )
        self.refresh_flags()

    def _due_finished(self) -> None:
        text = self.due.text().strip()
        if not text:
            day: dt.date | None = None
        else:
            try:
                day = parse_date(text)
            except ValidationError as exc:
                self.show_problem(f"Due date: {exc} Type it as day/month/year, e.g. 30/6/2027.")
                return
        self.show_problem("")
        self.due.setText(format_date(day) if day else "")
        self._user_set("due_on", day)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _show_attribution(self) -> None:
        sectors = self.values["sectors"]
        reason = attribute(sectors, self.place.present, place=None).reason if sectors else ""
        self.attribution.setText(reason)
        self.attribution.setVisible(bool(reason))

    # --- the guard ------------------------------------------------------------------

    def refresh_flags(self) -> None:
        """Flag every name in the text (run as each key is typed)."""
        mentions = self.place.guard.mentions(self.values["text"], self.values["acknowledged"])
        self.editor.highlighter.set_spans([(m.start, m.end) for m in mentions])
        if [(m.start, m.found) for m in mentions] == [(m.start, m.found) for m in self.mentions]:
            self.mentions = mentions
            return
        self.mentions = mentions
        while self.flag_layout.count():
            taken = self.flag_layout.takeAt(0)
            old = taken.widget() if taken is not None else None
            if old is not None:  # gone at once (its button may be the one being clicked)
                old.hide()
                old.setParent(None)
                old.deleteLater()
        for mention in mentions:
            self.flag_layout.addWidget(self._flag_row(mention))
        self.flag_box.setVisible(bool(mentions))

    def _flag_row(self, mention: Mention) -> QWidget:
        row = QWidget()
        row.setObjectName("flag")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        what = "names a participant" if mention.kind == "person" else "names an organisation"
        label = QLabel(f"Chatham House Rule: “{mention.found}” {what}.")
        label.setObjectName("flagText")
        label.setWordWrap(True)  # a long name never widens the window
        replace = QPushButton(f"Replace with “{mention.replacement}”")
        replace.setObjectName("replaceButton")
        replace.setToolTip("Put these words in place of the name (undoable)")
        acknowledge = QPushButton("Acknowledge (public source)")
        acknowledge.setObjectName("acknowledgeButton")
        acknowledge.setToolTip(
            f"Keep “{mention.found}” in this note: it names a public source (a published "
            "report, say), not what a participant said"
            if mention.kind == "organisation"
            else f"Stop flagging “{mention.found}” here (a published author, say). Summaries "
            f"still print “{mention.replacement}” in place of a participant's name."
        )
        for button in (replace, acknowledge):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        replace.clicked.connect(lambda: self.replace(mention))
        acknowledge.clicked.connect(lambda: self.acknowledge(mention))
        layout.addWidget(label, 1)
        layout.addWidget(replace)
        layout.addWidget(acknowledge)
        return row

    def replace(self, mention: Mention) -> None:
        from roundtable_app.core.discussion import replace

        text = self.values["text"]
        try:
            new = replace(text, mention)
        except ValueError:
            self.refresh_flags()  # typed since: flag again where the name is now
            return
        self.editor.set_text(new)
        self._user_set("text", new)

    def acknowledge(self, mention: Mention) -> None:
        self._user_set("acknowledged", self.values["acknowledged"] | {folded(mention.term)})

    # --- locking and conflicts ------------------------------------------------------

    def set_locked(self, locked: bool) -> None:
        """A final summary's notes are read-only."""
        self._locked = locked
        self.editor.setReadOnly(locked)
        self.remove_button.setVisible(not locked)
        for widget in self.fields:
            if isinstance(widget, QLineEdit):
                widget.setReadOnly(locked)
            else:
                widget.setEnabled(
                    not locked
                    and (
                        widget is not getattr(self, "question", None) or bool(self.place.questions)
                    )
                )
        self.flag_box.setEnabled(not locked)

    def show_conflict(self, message: str, mine: str, use_mine: Any) -> None:
        """A colleague's edit won: show what they wrote, and keep the user's text to copy."""
        old = self.conflict_box.layout()
        if old is not None:
            QWidget().setLayout(old)  # reparent the old layout away so it is deleted
        layout = QVBoxLayout(self.conflict_box)
        layout.setContentsMargins(14, 4, 4, 4)
        label = QLabel(f"{message} Your text, not saved, is below: copy it, or use it instead.")
        label.setObjectName("conflictText")
        label.setWordWrap(True)
        yours = QPlainTextEdit(mine)
        yours.setObjectName("yourText")
        yours.setReadOnly(True)
        yours.setMaximumHeight(70)
        buttons = QHBoxLayout()
        copy = QPushButton("Copy my text")
        use = QPushButton("Use my text")
        use.setObjectName("useMine")
        dismiss = QPushButton("Dismiss")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(mine))

        def use_it() -> None:
            self.conflict_box.hide()
            use_mine()

        use.clicked.connect(use_it)
        dismiss.clicked.connect(self.conflict_box.hide)
        for button in (copy, use, dismiss):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addWidget(label)
        layout.addWidget(yours)
        layout.addLayout(buttons)
        self.conflict_box.show()

    def tab_chain(self) -> list[QWidget]:
        """The item's widgets in the order Tab visits them."""
        return [self.editor, *self.fields]
