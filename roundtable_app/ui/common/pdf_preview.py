"""Preview a PDF the app wrote, then print it or save a copy.

:func:`preview_pdf` writes a report into a private temporary folder, shows it,
and removes it when the preview closes: a printed report lists people's names,
and must not be left behind in the temporary folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.services.files import write_atomically
from roundtable_app.services.temporary import temporary_folder
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


@dataclass(frozen=True, slots=True)
class OtherFormat:
    """Another format Save as… offers beside PDF: chosen by the name's ending.

    ``label`` ("Word documents"), ``suffix`` (".docx"), and ``write(tmp)``, which
    writes that format to a temporary path (moved into place atomically).
    """

    label: str
    suffix: str
    write: Callable[[str], None]


class PdfPreviewDialog(QDialog):
    """Shows ``path`` page by page, with Print… and Save as… buttons.

    ``what`` ("table plan") names the document in the Save dialog and in errors;
    ``others`` are further formats Save as… offers (a name ending in their suffix).
    """

    def __init__(
        self,
        path: str | Path,
        title: str,
        parent: QWidget | None = None,
        *,
        what: str = "table plan",
        others: Sequence[OtherFormat] = (),
    ) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.what = what
        self.others = tuple(others)
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
            # In the home folder, as the other Save dialogs (not wherever the app was started).
            start = str(Path.home() / self.path.name)
            kinds = ";;".join(
                ["PDF files (*.pdf)", *(f"{o.label} (*{o.suffix})" for o in self.others)]
            )
            target = save_file_name(self, f"Save {self.what}", start, kinds)
            if not target:
                return None
        other = next((o for o in self.others if target.lower().endswith(o.suffix)), None)
        if other is None and not target.lower().endswith(".pdf"):
            target += ".pdf"
        try:
            # Like every output: owner-only, and never a half-copied file at ``target``.
            if other is not None:
                write_atomically(target, other.write, self.what)
            else:
                write_atomically(target, self._copy_to, "PDF")
        except RoundtableError as exc:
            messages.show_error(self, f"Cannot save the {self.what}", str(exc))
            return None
        return Path(target)


def preview_pdf(
    parent: QWidget | None,
    write: Callable[[Path], object],
    file_name: str,
    title: str,
    what: str,
    others: Sequence[OtherFormat] = (),
) -> bool:
    """Write a PDF with ``write(path)`` and preview it (Print…, Save as…) until closed.

    The file (``file_name``: what Save as… offers) lives in a private temporary
    folder only while the preview is open, and is removed when it closes (or,
    after a crash, at the next start). Returns False, having said why, if the
    PDF could not be written. ``others``: formats Save as… offers beside PDF.
    """
    try:
        with temporary_folder(what.replace(" ", "-")) as folder:
            path = folder / file_name
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                write(path)
            finally:
                QApplication.restoreOverrideCursor()
            dialog = PdfPreviewDialog(path, title, parent, what=what, others=others)
            try:
                dialog.exec()
            finally:
                dialog.document.close()  # Windows cannot remove a file still open
                dialog.deleteLater()
    except (RoundtableError, OSError) as exc:
        messages.show_error(parent, f"Cannot write the {what}", str(exc))
        return False
    return True
