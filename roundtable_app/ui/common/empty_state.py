"""A friendly message with buttons, shown in place of an empty table."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    """A centred title, an explanation and a row of buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.title = QLabel()
        self.title.setObjectName("emptyTitle")
        self.title.setProperty("alignment", "AlignCenter")  # no Qt enums before first paint
        self.title.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("emptyMessage")
        self.message.setProperty("alignment", "AlignCenter")
        self.message.setWordWrap(True)
        self._buttons = QHBoxLayout()
        self._buttons.setSpacing(8)
        self._buttons.addStretch(1)
        self._buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addSpacing(4)
        layout.addWidget(self.message)
        layout.addSpacing(16)
        layout.addLayout(self._buttons)
        layout.addStretch(3)
        self.buttons: dict[str, QPushButton] = {}

    def show_message(
        self, title: str, message: str, buttons: list[tuple[str, Callable[[], None]]]
    ) -> None:
        """Show ``title`` and ``message`` with ``buttons`` as (label, slot) pairs."""
        self.title.setText(title)
        self.message.setText(message)
        self.message.setVisible(bool(message))
        for button in self.buttons.values():
            self._buttons.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        for position, (label, slot) in enumerate(buttons, start=1):
            button = QPushButton(label)
            button.setDefault(position == 1)
            button.clicked.connect(slot)
            self._buttons.insertWidget(position, button)
            self.buttons[label] = button
