"""Preview a PDF the app wrote, then print it or save a copy."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.services.files import write_atomically
from roundtable_app.ui import messages
from roundtable_app.ui.common.file_dialogs import save_file_name

RENDER_DPI = 300


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Render every page of ``document`` onto ``printer``; return the pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be started.")
    try:
        area = printer.pageLayout().paintRectPixels(printer.resolution())
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            scale = min(area.width() / points.width(), area.height() / points.height())
            size = QSize(int(points.width() * scale), int(points.height() * scale))
            image = document.render(page, size)
            painter.drawImage(QRect(QPointF(0, 0).toPoint(), size), image)
    finally:
        painter.end()
    return document.pageCount()


class PdfPreviewDialog(QDialog):
    """Shows ``path`` page by page, with Print… and Save as… buttons."""

    def __init__(self, path: str | Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.setWindowTitle(title)
        self.resize(820, 900)
        self.document = QPdfDocument(self)
        self.document.load(str(self.path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton("Print…")
        self.save_button = QPushButton("Save as…")
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(lambda: self.save_as())
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.print_button.setDefault(True)
        self.print_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def print_document(self) -> None:
        """Ask for a printer and print every page."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            print_pdf(self.document, printer)
        except OSError as exc:
            messages.show_error(self, "Cannot print", str(exc))

    def _copy_to(self, tmp: str) -> None:
        shutil.copyfile(self.path, tmp)

    def save_as(self, target: str | None = None) -> Path | None:
        """Copy the PDF to ``target`` (asking where when None); return where it went."""
        if target is None:
            target = save_file_name(self, "Save table plan", self.path.name, "PDF files (*.pdf)")
            if not target:
                return None
        if not target.lower().endswith(".pdf"):
            target += ".pdf"
        try:
            # Like every output: owner-only, and never a half-copied file at ``target``.
            write_atomically(target, self._copy_to, "PDF")
        except RoundtableError as exc:
            messages.show_error(self, "Cannot save the table plan", str(exc))
            return None
        return Path(target)
