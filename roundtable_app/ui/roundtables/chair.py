"""Pick one person from the directory by typing part of their name or e-mail address."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLineEdit, QWidget

from roundtable_app.services.roundtables import PersonChoice


class PersonPicker(QWidget):
    """A line with a completer over "Name <email>" (fast at 100,000 people).

    Signals:
        person_changed(): the chosen person changed (or was cleared).
    """

    person_changed = Signal()

    def __init__(self, people: Sequence[PersonChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._by_label = {p.label.casefold(): p.id for p in people}
        by_name: dict[str, list[int]] = {}
        for p in people:
            by_name.setdefault(p.name.casefold(), []).append(p.id)
        # A bare name counts only when it is unambiguous.
        self._by_name = {name: ids[0] for name, ids in by_name.items() if len(ids) == 1}
        self._labels = {p.id: p.label for p in people}
        self._current: int | None = None
        self.line = QLineEdit(placeholderText="Type a name or e-mail address")
        self.line.setClearButtonEnabled(True)
        completer = QCompleter(QStringListModel([p.label for p in people], self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(12)
        self.line.setCompleter(completer)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        self.line.textChanged.connect(self._on_text)

    def person_id(self) -> int | None:
        """The chosen person's id, or None (empty, or text matching no one)."""
        return self._current

    def is_unknown(self) -> bool:
        """True when something is typed that matches no one in the directory."""
        return bool(self.line.text().strip()) and self._current is None

    def set_person_id(self, person_id: int | None) -> None:
        """Show ``person_id`` (None clears the line)."""
        self.line.setText(self._labels.get(person_id, "") if person_id is not None else "")
        self.line.setCursorPosition(0)

    def _on_text(self, text: str) -> None:
        key = " ".join(text.split()).casefold()
        found = self._by_label.get(key) if key else None
        if found is None and key:
            found = self._by_name.get(key)
        if found != self._current:
            self._current = found
            self.person_changed.emit()
