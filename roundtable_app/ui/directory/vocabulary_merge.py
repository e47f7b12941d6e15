"""Choosing what to merge into: the one to keep, and what the merge will do.

Two or more entries selected: keep one of them (the most used by default).
One selected: merge it into any other entry, the closest name offered first.
The dialog only chooses; the Vocabulary dialog runs the undoable merge.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from roundtable_app.services.directory import VocabularyEntry, closest_names, people_text
from roundtable_app.ui.common import editable_combo


class MergeDialog(QDialog):
    """Pick the entry to keep; after ``exec()``, :meth:`into` and :meth:`sources` say what."""

    def __init__(
        self,
        selected: Sequence[VocabularyEntry],
        everything: Sequence[VocabularyEntry],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = selected[0].kind
        self._selected = list(selected)
        if len(selected) > 1:
            self.setWindowTitle(f"Merge {len(selected)} {self.kind.plural}")
            question = f"Merge these {len(selected)} {self.kind.plural} into one. Keep:"
            self._choices = sorted(selected, key=lambda e: (-e.people, e.name.lower()))
            self.combo = QComboBox()
            self.combo.addItems([self._label(e) for e in self._choices])
        else:
            only = selected[0]
            self.setWindowTitle(f"Merge “{only.name}”")
            question = (
                f"Merge the {self.kind.value} “{only.name}” ({people_text(only.people)}) into:"
            )
            self._choices = sorted(
                (e for e in everything if e.id != only.id), key=lambda e: e.name.lower()
            )
            self.combo = editable_combo(
                [e.name for e in self._choices], f"The {self.kind.value} to keep"
            )
            close = closest_names(only.name, [e.name for e in self._choices], limit=1)
            self.combo.setEditText(close[0] if close else "")
        label = QLabel(question)
        label.setWordWrap(True)
        label.setBuddy(self.combo)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.merge_button.setDefault(True)  # once in the dialog: Enter merges, Esc cancels
        self.setMinimumWidth(480)
        self.combo.currentTextChanged.connect(self._update)
        self.combo.currentIndexChanged.connect(self._update)
        self._update()

    @staticmethod
    def _label(entry: VocabularyEntry) -> str:
        return f"{entry.name} ({people_text(entry.people)})"

    def into(self) -> VocabularyEntry | None:
        """The entry to keep, or ``None`` while the typed name matches none."""
        if len(self._selected) > 1:
            index = self.combo.currentIndex()
            return self._choices[index] if 0 <= index < len(self._choices) else None
        typed = " ".join(self.combo.currentText().split()).lower()
        return next((e for e in self._choices if e.name.lower() == typed), None)

    def sources(self) -> list[VocabularyEntry]:
        """The entries that merge into :meth:`into` and then go."""
        kept = self.into()
        return [e for e in self._selected if kept is None or e.id != kept.id]

    def _update(self) -> None:
        kept = self.into()
        self.merge_button.setEnabled(kept is not None)
        if kept is None:
            typed = self.combo.currentText().strip()
            self.summary.setText(
                f"There is no {self.kind.value} called “{escape(typed)}”; choose one from the list."
                if typed
                else f"Choose the {self.kind.value} to keep."
            )
            return
        sources = self.sources()
        people = sum(e.people for e in sources)
        names = ", ".join(f"“{escape(e.name)}”" for e in sources)
        self.summary.setText(
            f"{people_text(people).capitalize()} will have “{escape(kept.name)}” instead of "
            f"{names}, which {'is' if len(sources) == 1 else 'are'} then deleted. "
            "Ctrl+Z undoes the merge."
        )
