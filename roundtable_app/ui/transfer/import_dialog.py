"""The import wizard: choose a file, match its columns, preview, import, report.

Reading and checking a large file and writing it to the database run in the
background with a progress bar; Cancel rolls the import back, so the
directory is exactly as before. Problems (a bad file, bad rows) are shown in
the dialog itself, never as a crash. After a successful import ``report`` is
set and ``people_imported`` is emitted with it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.progress import Progress
from roundtable_app.services import transfer
from roundtable_app.services.transfer import sheet_names
from roundtable_app.ui import settings as keys
from roundtable_app.ui.common import asks_before_discarding, open_file_name
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.settings import restore_geometry
from roundtable_app.ui.transfer.file_page import FilePage, error_label
from roundtable_app.ui.transfer.mapping_page import MappingTable
from roundtable_app.ui.transfer.preview_page import PreviewPage
from roundtable_app.ui.transfer.report_page import ReportPage
from roundtable_app.ui.workers import Task

FILE, MAPPING, PREVIEW, RUNNING, REPORT = range(5)
_TITLES = {
    FILE: (
        "Step 1 of 4: Choose a file",
        "CSV or Excel (.xlsx) files, as saved by Excel, "
        "Outlook, Mailchimp or your CRM. You can also drop a file on this window.",
    ),
    MAPPING: (
        "Step 2 of 4: Match the columns",
        "Choose what each column of your file holds. Columns set to “Don’t import” are left out.",
    ),
    PREVIEW: (
        "Step 3 of 4: Check the rows",
        "Untick rows you do not want. Rows with a "
        "problem are not imported; they are listed in the report with the reason.",
    ),
    RUNNING: (
        "Step 4 of 4: Importing",
        "You can cancel: nothing is changed until the import has finished.",
    ),
    REPORT: ("Import finished", ""),
}
FILE_FILTER = "Spreadsheets (*.csv *.tsv *.txt *.xlsx);;All files (*)"


@asks_before_discarding(
    state=lambda d: (
        d.page in (MAPPING, PREVIEW)
        and (d.mapping_table.mapping(), d.preview_model.excluded_rows, d.merge_radio.isChecked())
    )
)
class ImportDialog(QDialog):
    """Import people from a CSV or Excel file into the window's database."""

    people_imported = Signal(object)

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, path: str | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.report: transfer.ImportReport | None = None
        self.table: transfer.SourceTable | None = None
        self.plan: transfer.ImportPlan | None = None
        self.task: Task | None = None
        self._settings = ctx.settings
        self.setWindowTitle("Import people")
        self.setAcceptDrops(True)
        self.setMinimumSize(760, 520)

        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._file_page())
        self.pages.addWidget(self._mapping_page())
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._running_page())
        self.pages.addWidget(self._report_page())

        self.back_button = QPushButton("< &Back")
        self.next_button = QPushButton("&Next >")
        self.cancel_button = QPushButton("Cancel")
        self.back_button.clicked.connect(self._back)
        self.next_button.clicked.connect(self._next)
        self.cancel_button.clicked.connect(self._cancel_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.cancel_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        self.next_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(6)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)

        restore_geometry(self, self._settings, keys.IMPORT_DIALOG_GEOMETRY, (1080, 680))
        self._show_page(FILE)
        if path:
            self.set_path(path)

    # -- pages ---------------------------------------------------------------------------

    def _file_page(self) -> QWidget:
        page = FilePage(self)
        self.file_page = page
        self.path_edit = page.path_edit
        self.sheet_combo = page.sheet_combo
        self.detected = page.detected
        self.file_error = page.error
        self.encoding_choice = page.encoding_choice
        self.encoding_choice.chosen.connect(self._encoding_chosen)
        page.browse_button.clicked.connect(self.browse)
        page.path_entered.connect(self.set_path)
        self.sheet_combo.currentTextChanged.connect(self._sheet_chosen)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        self.mapping_table = MappingTable()
        self.mapping_table.mapping_changed.connect(self._mapping_changed)
        self.mapping_error = error_label()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.mapping_table, 1)
        layout.addWidget(self.mapping_error)
        return page

    def _preview_page(self) -> QWidget:
        page = PreviewPage(self._settings.get(keys.IMPORT_ON_DUPLICATE), parent=self)
        self.preview_page = page
        self.preview_summary = page.summary
        self.preview_model = page.model
        self.preview_view = page.view
        self.preview_progress = page.progress
        self.preview_error = page.error
        self.merge_radio = page.merge_radio
        self.skip_radio = page.skip_radio
        page.model.selection_changed.connect(self._update_preview_summary)
        return page

    def _running_page(self) -> QWidget:
        page = QWidget()
        self.run_label = QLabel("Starting…")
        self.run_progress = QProgressBar()
        self.run_progress.setRange(0, 0)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.run_label)
        layout.addWidget(self.run_progress)
        layout.addStretch(2)
        return page

    def _report_page(self) -> QWidget:
        page = ReportPage(self)
        self.report_page = page
        self.report_summary = page.summary
        self.report_text = page.text
        self.copy_button = page.copy_button
        return page

    # -- navigation ----------------------------------------------------------------------

    @property
    def page(self) -> int:
        return self.pages.currentIndex()

    def _show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        title, subtitle = _TITLES[page]
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self.subtitle.setVisible(bool(subtitle))
        self.back_button.setVisible(page in (MAPPING, PREVIEW))
        self.next_button.setVisible(page in (FILE, MAPPING, PREVIEW))
        self.next_button.setText("&Import" if page == PREVIEW else "&Next >")
        self.cancel_button.setText("Close" if page == REPORT else "Cancel")
        self._update_next()

    def _update_next(self) -> None:
        page = self.page
        if page == FILE:
            ok = self.table is not None
        elif page == MAPPING:
            ok = self.mapping_error.isHidden()
        elif page == PREVIEW:
            ok = self.plan is not None and self.preview_model.included_count() > 0
        else:
            ok = False
        self.next_button.setEnabled(ok)

    def _back(self) -> None:
        if self.page in (MAPPING, PREVIEW):
            self._show_page(self.page - 1)

    def _next(self) -> None:
        if not self.next_button.isEnabled():
            return
        if self.page == FILE:
            self._show_page(MAPPING)
        elif self.page == MAPPING:
            self._build_plan()
        elif self.page == PREVIEW:
            self.start_import()

    def _cancel_clicked(self) -> None:
        if self.task is not None and self.task.running and self.page != RUNNING:
            # Still checking the rows: nothing was written, so just stop and close.
            self.task.cancel()
            super().reject()
            return
        if self.task is not None and self.task.running:
            self.run_label.setText("Cancelling… the directory is being put back as it was.")
            self.cancel_button.setEnabled(False)
            self.task.cancel()
            return
        if self.page == REPORT and self.report is not None:
            self.accept()
        else:
            self.reject()

    def reject(self) -> None:
        if self.task is not None and self.task.running:
            self._cancel_clicked()  # Esc or the window's close button while running
            return
        super().reject()

    def done(self, result: int) -> None:
        self._settings.set(keys.IMPORT_DIALOG_GEOMETRY, self.saveGeometry())
        super().done(result)

    # -- step 1: the file ------------------------------------------------------------------

    def browse(self) -> None:
        folder = self._settings.get(keys.LAST_IMPORT_FOLDER) or str(Path.home())
        path = open_file_name(self, "Choose a file to import", folder, FILE_FILTER)
        if path:
            self.set_path(path)

    def set_path(self, path: str, sheet: str | None = None, encoding: str | None = None) -> None:
        """Read ``path`` (as if chosen in the file dialog) and show what was detected.

        ``encoding`` is the user's choice for a file whose lines mix encodings;
        without it the encoding is detected, and a mix is offered as a choice.
        """
        self.file_page.read_path = path
        if encoding is None:
            self.encoding_choice.clear()
        self.path_edit.setText(path)
        self._settings.set(keys.LAST_IMPORT_FOLDER, str(Path(path).parent))
        if sheet is None:
            names = sheet_names(path)
            self.sheet_combo.blockSignals(True)
            self.sheet_combo.clear()
            self.sheet_combo.addItems(names)
            self.sheet_combo.blockSignals(False)
            self.file_page.set_sheet_visible(len(names) > 1)
        self.table = None
        self.plan = None
        # A 100,000-row file takes a second or two to read: show that we are busy.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.table = transfer.read_table(path, sheet=sheet, encoding=encoding)
        except transfer.MixedEncodingError as exc:
            # A question, not a failure: the choice explains it (no red line).
            self.file_error.hide()
            self.detected.setText("—")
            self.encoding_choice.offer(exc)
        except Exception as exc:  # a file we did not foresee must not crash the window
            self._show_error(self.file_error, _message(exc))
            self.detected.setText("—")
        else:
            self.file_error.hide()
            self.detected.setText(self.table.describe())
            self.mapping_table.set_table(
                self.table,
                transfer.guess_mapping(self.table.headers),
                transfer.duplicate_columns(self.table.headers),
            )
        finally:
            QApplication.restoreOverrideCursor()
        self._update_next()

    def _encoding_chosen(self, encoding: str) -> None:
        if self.path_edit.text():
            self.set_path(self.file_page.read_path or self.path_edit.text(), encoding=encoding)

    def _sheet_chosen(self, name: str) -> None:
        if name and self.path_edit.text():
            self.set_path(self.path_edit.text(), sheet=name)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if self.page == FILE and len(urls) == 1 and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            self.set_path(urls[0].toLocalFile())
            event.acceptProposedAction()

    # -- step 2: the mapping ---------------------------------------------------------------

    def _mapping_changed(self) -> None:
        unresolved = self.mapping_table.unresolved()
        try:
            if unresolved:  # before "no name column": choosing between them may fix that
                raise RoundtableError(" ".join(clash.message() for clash in unresolved))
            transfer.check_mapping(self.mapping_table.mapping())
        except RoundtableError as exc:
            self._show_error(self.mapping_error, str(exc))
        else:
            self.mapping_error.hide()
        self.plan = None
        self._update_next()

    # -- step 3: the preview ---------------------------------------------------------------

    def _build_plan(self) -> None:
        table = self.table
        assert table is not None
        mapping = self.mapping_table.mapping()
        db = self.db

        def work(progress: Progress) -> transfer.ImportPlan:
            with db.reading() as session:
                existing = transfer.find_existing_emails(
                    session, transfer.candidate_email_keys(table, mapping)
                )
                known = transfer.find_known_names(session)
            return transfer.prepare(
                table, mapping, existing_emails=existing, known=known, progress=progress
            )

        self._show_page(PREVIEW)
        self.preview_model.set_plan(transfer.ImportPlan(table.path.name, [], frozenset()))
        self.preview_summary.setText("Checking the rows…")
        self.preview_error.hide()
        self.preview_progress.setRange(0, 0)
        self.preview_progress.show()
        self.back_button.setEnabled(False)
        self.task = self.ctx.run_in_background(
            work,
            parent=self,
            on_done=self._plan_ready,
            on_error=self._plan_failed,
            on_progress=lambda d, t, _m: self._set_progress(self.preview_progress, d, t),
        )

    def _plan_ready(self, plan: transfer.ImportPlan) -> None:
        self.plan = plan
        self.back_button.setEnabled(True)
        self.preview_page.show_plan(plan)
        self._update_next()

    def _plan_failed(self, exc: BaseException) -> None:
        self.preview_progress.hide()
        self.back_button.setEnabled(True)
        self.preview_summary.setText("")
        self._show_error(self.preview_error, _message(exc))
        self._update_next()

    def _update_preview_summary(self) -> None:
        if self.plan is not None:
            self.preview_page.update_summary(self.plan)
        self._update_next()

    # -- step 4: importing ---------------------------------------------------------------------

    def start_import(self) -> None:
        plan = self.plan
        assert plan is not None
        on_duplicate = self.preview_page.on_duplicate
        self._settings.set(keys.IMPORT_ON_DUPLICATE, on_duplicate)
        excluded = self.preview_model.excluded_rows
        db = self.db

        def work(progress: Progress) -> transfer.ImportReport:
            # Behind another import writing to the same database, this waits with the
            # running page saying so ("waiting…"), and Cancel still works.
            with db.bulk_transaction(progress) as session:
                return transfer.apply_import(
                    session,
                    plan,
                    on_duplicate=on_duplicate,  # type: ignore[arg-type]
                    skip_bad_rows=True,  # bad rows cannot be ticked; they go to the report
                    progress=progress,
                    excluded_rows=excluded,
                )

        self._show_page(RUNNING)
        self.run_label.setText(f"Importing {self.preview_model.included_count():,} rows…")
        self.run_progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.task = self.ctx.run_in_background(
            work,
            parent=self,
            on_done=self._import_done,
            on_error=self._import_failed,
            on_progress=self._import_progress,
            on_cancelled=self._import_cancelled,
        )

    def _import_progress(self, done: int, total: int, message: str) -> None:
        self._set_progress(self.run_progress, done, total)
        if message and self.cancel_button.isEnabled():
            self.run_label.setText(message)

    def _import_done(self, report: transfer.ImportReport) -> None:
        self.report = report
        summary = " ".join(filter(None, [report.summary(), report.created_summary()]))
        self._show_report("The import has finished.", summary, report.text())
        self.people_imported.emit(report)

    def _import_failed(self, exc: BaseException) -> None:
        self._show_report(
            "The import failed.",
            "Nothing was changed in the directory.",
            _message(exc),
            error=True,
        )

    def _import_cancelled(self) -> None:
        self._show_report("The import was cancelled.", "Nothing was changed in the directory.", "")

    def _show_report(self, title: str, summary: str, text: str, error: bool = False) -> None:
        self.cancel_button.setEnabled(True)
        self._show_page(REPORT)
        self.title.setText(title)
        self.report_page.show_report(summary, text, error=error)
        self.cancel_button.setText("Close")
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()

    def copy_report(self) -> None:
        self.report_page.copy()

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _set_progress(bar: QProgressBar, done: int, total: int) -> None:
        if total > 0:
            bar.setRange(0, total)
            bar.setValue(min(done, total))

    def _show_error(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.show()
        self._update_next()


def _message(exc: BaseException) -> str:
    if isinstance(exc, RoundtableError):
        return str(exc)
    return (
        f"Something went wrong: {exc}. Nothing was changed. If it happens again, "
        "send this message to whoever looks after Roundtable."
    )
