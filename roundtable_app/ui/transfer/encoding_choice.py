"""The choice shown when a file's lines mix encodings: how to read it, with a preview.

A file pasted together from a Windows list and a UTF-8 list has lines of
each; read in one encoding, the names of the other kind are garbled. The
import names the first line that does not fit and the user chooses here,
seeing both sample lines as each choice reads them, before anything is read
for good.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QButtonGroup, QGroupBox, QLabel, QRadioButton, QVBoxLayout, QWidget

from roundtable_app.services.transfer import MIXED, MixedEncodingError, encoding_label

_LABELS = {
    MIXED: "&Each line in its own encoding: UTF-8 where it is, Windows (cp1252) elsewhere",
    "utf-8": "Every line in &UTF-8",
    "cp1252": "Every line in &Windows (cp1252)",
}


def _label(encoding: str) -> str:
    return _LABELS.get(encoding, f"Every line in {encoding_label(encoding)}")


class EncodingChoice(QGroupBox):
    """One radio button per way of reading the file, each with the sample lines it gives.

    Signals:
        chosen(str): the user chose an encoding (``MIXED`` for each line its own).
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("How should this file be read?", parent)
        outer = QVBoxLayout(self)
        #: Which lines disagree; it stays while the user tries the choices.
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        outer.addWidget(self.explanation)
        self._layout = QVBoxLayout()
        outer.addLayout(self._layout)
        self._group = QButtonGroup(self)
        self._group.idClicked.connect(self._clicked)
        self._choices: list[str] = []
        self.buttons: dict[str, QRadioButton] = {}
        self.previews: dict[str, QLabel] = {}
        self.hide()

    def offer(self, error: MixedEncodingError) -> None:
        """Show the ways to read the file ``error`` is about; none is chosen yet."""
        self.clear()
        odd, other = error.odd, error.other
        self.explanation.setText(
            f"Line {odd.number} is in {encoding_label(odd.encoding)}, but line {other.number} "
            f"is in {encoding_label(other.encoding)}: the file mixes two encodings. Read in "
            "one encoding, the lines in the other would be garbled. Choose the way that "
            "shows every name right:"
        )
        first, second = error.samples()
        for index, encoding in enumerate(error.choices):
            button = QRadioButton(_label(encoding))
            preview = QLabel(
                "\n".join(
                    f"line {line.number}:  {line.shown_in(encoding)}" for line in (first, second)
                )
            )
            preview.setTextFormat(Qt.TextFormat.PlainText)  # the file's text, never markup
            preview.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            preview.setIndent(24)
            preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._group.addButton(button, index)
            self._layout.addWidget(button)
            self._layout.addWidget(preview)
            self.buttons[encoding] = button
            self.previews[encoding] = preview
            self._choices.append(encoding)
        self.show()

    def clear(self) -> None:
        for button in list(self._group.buttons()):
            self._group.removeButton(button)
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._choices = []
        self.buttons = {}
        self.previews = {}
        self.hide()

    def _clicked(self, index: int) -> None:
        self.chosen.emit(self._choices[index])
