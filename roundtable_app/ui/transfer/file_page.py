"""The first step of the import: which file (typed, pasted, chosen or dropped) and sheet.

A file whose lines mix encodings shows the ways to read it (see
:mod:`.encoding_choice`) until the user has chosen one.

The path field is editable, as it looks: a typed or pasted path is read when
the user presses Enter or leaves the field, with completion from the file
system. Enter on a path already read goes on to the next step.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.ui.common import path_completer
from roundtable_app.ui.transfer.encoding_choice import EncodingChoice


def error_label() -> QLabel:
    """A hidden, selectable red line for what went wrong on a step."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet("color: #b42318;")
    label.hide()
    return label


class FilePage(QWidget):
    """Path field, Choose file…, sheet, what was detected and what went wrong.

    Signals:
        path_entered(str): the user typed or pasted a path that was not read yet.
    """

    path_entered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The path last read, so that leaving the field does not read it again.
        self.read_path = ""
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("Type or paste the path of a file, or choose it")
        self.path_edit.setAccessibleName("File to import")
        self.path_edit.setClearButtonEnabled(True)
        # Never a plain QFileSystemModel: it opens files to guess their type (see file_dialogs).
        self.path_edit.setCompleter(path_completer(self))
        self.path_edit.editingFinished.connect(self._typed)
        self.path_edit.installEventFilter(self)
        self.browse_button = QPushButton("&Choose file…")
        self.browse_button.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName("Sheet")
        self.sheet_label = QLabel("&Sheet:")
        self.sheet_label.setBuddy(self.sheet_combo)
        self.detected = QLabel()
        self.detected.setWordWrap(True)
        self.error = error_label()
        self.encoding_choice = EncodingChoice()
        hint = QLabel(
            "The first row with text is taken as the column headers. Headers such as "
            "“E-mail Address”, “First Name” and “Last Name”, “Full name”, “Organisation” or "
            "“Company”, “Job Title”, “Interests” or “Tags” are recognised; you can correct "
            "the choice in the next step."
        )
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        form = QFormLayout()
        file_label = QLabel("&File:")
        file_label.setBuddy(self.path_edit)  # Alt+F: the path field
        form.addRow(file_label, row)
        form.addRow(self.sheet_label, self.sheet_combo)
        form.addRow("Detected:", self.detected)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.encoding_choice)
        layout.addSpacing(12)
        layout.addWidget(hint)
        layout.addStretch(1)
        self.set_sheet_visible(False)

    def set_sheet_visible(self, visible: bool) -> None:
        self.sheet_combo.setVisible(visible)
        self.sheet_label.setVisible(visible)

    def _typed_path(self) -> str:
        return self.path_edit.text().strip().strip('"')  # "Copy as path" adds quotes

    def _typed(self) -> bool:
        """Read a typed path that is new; True if it was read now."""
        path = self._typed_path()
        if path and path != self.read_path:
            self.path_entered.emit(path)
            return True
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter on a new path reads it and stays here (to check it, or pick a sheet);
        # Enter on the path already read goes on, through the dialog's default button.
        if (
            watched is self.path_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            return self._typed()
        return super().eventFilter(watched, event)
