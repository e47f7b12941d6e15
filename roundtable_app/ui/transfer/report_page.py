"""The import dialog's last page: what was imported and every row that was not."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget


class ReportPage(QWidget):
    """A bold one-line summary, the full report, and a Copy button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        font = QFont(self.summary.font())
        font.setBold(True)
        self.summary.setFont(font)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.copy_button = QPushButton("&Copy report")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.text, 1)

    def show_report(self, summary: str, text: str, *, error: bool = False) -> None:
        self.summary.setText(summary)
        self.summary.setStyleSheet("color: #b42318;" if error else "")
        self.text.setPlainText(text)
        self.text.setVisible(bool(text))
        self.copy_button.setText("&Copy report")
        self.copy_button.setVisible(bool(text))

    def copy(self) -> None:
        """Put the summary and the report on the clipboard, to paste in an e-mail."""
        QGuiApplication.clipboard().setText(
            "\n".join(filter(None, [self.summary.text(), self.text.toPlainText()]))
        )
        self.copy_button.setText("Copied")
