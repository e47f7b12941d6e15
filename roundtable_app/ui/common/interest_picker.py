"""Pick a person's interests from the existing themes, or add a new one on the spot."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.validation import clean_name
from roundtable_app.ui.common.escape import filter_box


class InterestPicker(QWidget):
    """A filterable, checkable list of themes with a line to create a new one.

    Signals:
        interests_changed(): an interest was ticked, unticked or added.
    """

    interests_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_edit = QLineEdit(placeholderText="Filter interests")
        self.filter_edit.setClearButtonEnabled(True)
        filter_box(self.filter_edit)  # Escape clears it and closes nothing
        self.list = QListWidget()
        self.list.setUniformItemSizes(True)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.new_edit = QLineEdit(placeholderText="A new interest, e.g. Maritime labour")
        self.add_button = QPushButton("Add")
        self.add_button.setEnabled(False)

        new_row = QHBoxLayout()
        new_row.addWidget(self.new_edit, 1)
        new_row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.summary)
        layout.addLayout(new_row)

        self.filter_edit.textChanged.connect(self._apply_filter)
        self.list.itemChanged.connect(self._on_item_changed)
        self.new_edit.textChanged.connect(
            lambda text: self.add_button.setEnabled(bool(clean_name(text)))
        )
        self.new_edit.installEventFilter(self)
        self.add_button.clicked.connect(self.add_new)
        #: Interests never listed (kept as ticked or not): see :meth:`withhold`.
        self._withheld: Callable[[str], bool] = lambda _name: False
        self._update_summary()

    def withhold(self, withheld: Callable[[str], bool]) -> None:
        """Never list the interests ``withheld`` says (they stay ticked or not, as they
        were): while sensitive details are hidden, one that says lived experience."""
        self._withheld = withheld
        self._apply_filter(self.filter_edit.text())
        self._update_summary()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the "new interest" line adds it; it must not also press the
        dialog's default button and save the form half-done."""
        if (
            watched is self.new_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and clean_name(self.new_edit.text())
        ):
            self.add_new()
            return True
        return super().eventFilter(watched, event)

    def set_available(self, names: Iterable[str]) -> None:
        """Offer ``names`` (the existing themes), keeping what is ticked."""
        ticked = set(self.checked())
        self.list.blockSignals(True)
        self.list.clear()
        for name in names:
            self._add_item(name, name in ticked)
        self.list.blockSignals(False)
        self._update_summary()

    def set_checked(self, names: Iterable[str]) -> None:
        """Tick exactly ``names``, adding any that are not offered yet."""
        wanted = {n.lower(): n for n in names}
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            item = self.list.item(i)
            hit = wanted.pop(item.text().lower(), None)
            item.setCheckState(Qt.CheckState.Checked if hit else Qt.CheckState.Unchecked)
        for name in wanted.values():
            self._add_item(name, True)
        self.list.blockSignals(False)
        self._update_summary()

    def checked(self) -> tuple[str, ...]:
        """The ticked interests, in list order."""
        return tuple(
            self.list.item(i).text()
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        )

    def add_new(self) -> None:
        """Tick the interest typed in the "New interest" line (joining an existing one)."""
        name = clean_name(self.new_edit.text())
        if not name:
            return
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.text().lower() == name.lower():
                item.setCheckState(Qt.CheckState.Checked)
                self.list.scrollToItem(item)
                break
        else:
            item = self._add_item(name, True)
            self.list.scrollToItem(item)
            self.interests_changed.emit()
        self.new_edit.clear()
        self._update_summary()

    def _add_item(self, name: str, checked: bool) -> QListWidgetItem:
        item = QListWidgetItem(name, self.list)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        needle = self.filter_edit.text().strip().lower()
        item.setHidden(self._hidden(name, needle))
        return item

    def _hidden(self, name: str, needle: str) -> bool:
        return (bool(needle) and needle not in name.lower()) or self._withheld(name)

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(self._hidden(item.text(), needle))

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        self._update_summary()
        self.interests_changed.emit()

    def _update_summary(self) -> None:
        count = sum(not self._withheld(name) for name in self.checked())
        self.summary.setText(
            "No interests ticked"
            if count == 0
            else f"{count} interest{'s' if count != 1 else ''} ticked"
        )
