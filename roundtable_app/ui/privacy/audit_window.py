"""The audit trail window: every entry, newest first, filtered, and exported to CSV or Excel.

Filters: the staff member, the kind of record, the action, a date range (local
days, both included) and text found in the name, action or fields. The list
reads a page of entries at a time as it scrolls (a count says how many match),
so it opens at once on a trail of 100,000 entries. Export… writes what the
filters let through, off the GUI thread, with progress and Cancel.

One window per main window: asking again brings it to the front.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.progress import Progress
from roundtable_app.services import privacy
from roundtable_app.ui.common import (
    EmptyState,
    export_folder,
    filter_box,
    save_file_name,
    style_list_table,
    write_export,
)
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.privacy.audit_model import DETAIL, RECORD, WHAT, WHEN, WHO, AuditModel
from roundtable_app.ui.settings import AUDIT_HEADER_STATE, AUDIT_WINDOW_GEOMETRY, restore_geometry
from roundtable_app.ui.workers import Task

TEXT_DELAY_MS = 250  # filter once typing pauses
NO_DATE = QDate(2000, 1, 1)  # the date boxes' "Any"
ANY = ""


def _date_box(tip: str) -> QDateEdit:
    box = QDateEdit()
    box.setCalendarPopup(True)
    box.setDisplayFormat("d MMM yyyy")
    box.setMinimumDate(NO_DATE)
    box.setSpecialValueText("Any")  # shown at the minimum: no limit
    box.setDate(NO_DATE)
    box.setToolTip(tip)
    return box


def _day(box: QDateEdit) -> dt.date | None:
    date = box.date()
    return None if date == NO_DATE else dt.date(date.year(), date.month(), date.day())


class AuditWindow(QDialog):
    """The whole audit trail (see the module)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.export_task: Task | None = None
        self.setWindowTitle("Audit trail")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._build()
        self._fill_choices()
        self._connect()
        restore_geometry(self, ctx.settings, AUDIT_WINDOW_GEOMETRY, (1120, 640))
        header = ctx.settings.get(AUDIT_HEADER_STATE)
        if not header.isEmpty():
            self.table.horizontalHeader().restoreState(header)
        self.reload()

    # --- building --------------------------------------------------------------------

    def _build(self) -> None:
        self.actor_combo = QComboBox()
        self.entity_combo = QComboBox()
        self.action_combo = QComboBox()
        for combo in (self.actor_combo, self.entity_combo, self.action_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)
        self.from_date = _date_box("The first day listed (Any: from the start)")
        self.to_date = _date_box("The last day listed (Any: up to now)")
        self.text_edit = QLineEdit(placeholderText="Find in names, actions and fields")
        self.text_edit.setClearButtonEnabled(True)
        self.text_edit.setMinimumWidth(200)
        filter_box(self.text_edit)
        self.clear_button = QPushButton("Clear filters")
        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.actor_combo)
        filters.addWidget(self.entity_combo)
        filters.addWidget(self.action_combo)
        filters.addWidget(QLabel("From"))
        filters.addWidget(self.from_date)
        filters.addWidget(QLabel("to"))
        filters.addWidget(self.to_date)
        filters.addWidget(self.text_edit, 1)
        filters.addWidget(self.clear_button)

        self.model = AuditModel(self)
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        style_list_table(self.table, {WHEN: 140, WHO: 150, RECORD: 150, WHAT: 170, DETAIL: 200})
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        self.count_label = QLabel()
        self.count_label.setObjectName("auditCount")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(240)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel export")
        self.cancel_button.hide()
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Write the entries listed to a CSV file or Excel workbook")
        self.close_button = QPushButton("Close")
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(filters)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

    def _fill_choices(self) -> None:
        with self.ctx.db.reading() as session:
            choices = privacy.audit_choices(session)
        for combo, first, values, label in (
            (self.actor_combo, "All staff", choices.actors, str),
            (self.entity_combo, "All records", choices.entities, privacy.kind_label),
            (self.action_combo, "All actions", choices.actions, str),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, ANY)
            for value in values:
                combo.addItem(label(value), value)
            found = combo.findData(current) if current else 0
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    def _connect(self) -> None:
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(TEXT_DELAY_MS)
        self._text_timer.timeout.connect(self.reload)
        self.text_edit.textChanged.connect(lambda _t: self._text_timer.start())
        # Enter in the search box searches at once; it presses no button ("Clear filters"
        # was the dialog's automatic default and undid the search: found in review).
        self.text_edit.returnPressed.connect(self._search_now)
        for button in (self.clear_button, self.export_button, self.close_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        for combo in (self.actor_combo, self.entity_combo, self.action_combo):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        for box in (self.from_date, self.to_date):
            box.dateChanged.connect(lambda _d: self.reload())
        self.clear_button.clicked.connect(self.clear_filters)
        self.export_button.clicked.connect(lambda: self.export())
        self.cancel_button.clicked.connect(self.cancel_export)
        self.close_button.clicked.connect(self.close)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.focus_text)
        refresh = QShortcut(QKeySequence("F5"), self)
        refresh.activated.connect(self.refresh)

    def focus_text(self) -> None:
        """Ctrl+F: to the text filter."""
        self.text_edit.setFocus()
        self.text_edit.selectAll()

    # --- reading ---------------------------------------------------------------------

    def filters(self) -> privacy.AuditFilter:
        """What the filter bar asks for (dates as local days, both included)."""
        first, last = _day(self.from_date), _day(self.to_date)
        if first is not None and last is not None and last < first:
            first, last = last, first  # read a reversed range the way it was meant
        since, before = privacy.day_range(first, last)
        return privacy.AuditFilter(
            actor=self.actor_combo.currentData() or ANY,
            entity=self.entity_combo.currentData() or ANY,
            action=self.action_combo.currentData() or ANY,
            since=since,
            before=before,
            text=self.text_edit.text().strip(),
        )

    def _search_now(self) -> None:
        self._text_timer.stop()
        self.reload()

    def reload(self) -> None:
        """List the entries the filters let through, from the newest."""
        filters = self.filters()
        db = self.ctx.db

        def page(before_id: int | None) -> list[privacy.AuditRecord]:
            with db.reading() as session:
                return privacy.audit_page(session, filters, before_id=before_id)

        with db.reading() as session:
            total = privacy.count_audit(session, filters)
        self.model.set_source(page)
        self.total = total
        filtered = filters != privacy.AuditFilter()
        self.count_text = (
            f"{total:,} entr{'y' if total == 1 else 'ies'}"
            + (" match the filters" if filtered else " in the audit trail")
            + (", newest first" if total > 1 else "")
        )
        self.count_label.setText(self.count_text)
        self.export_button.setEnabled(total > 0 and self.export_task is None)
        self.clear_button.setEnabled(filtered)
        if total:
            self.stack.setCurrentWidget(self.table)
        elif filtered:
            self.empty.show_message(
                "No entries match these filters",
                "Widen the dates, or clear the filters to see the whole trail.",
                [("Clear filters", self.clear_filters)],
            )
            self.stack.setCurrentWidget(self.empty)
        else:
            self.empty.show_message(
                "Nothing recorded yet",
                "Each change staff make is listed here: who made it, when, and which fields "
                "changed, never what they held.",
                [],
            )
            self.stack.setCurrentWidget(self.empty)

    def refresh(self) -> None:
        """F5: read the names and actions offered, and the entries, again."""
        self._fill_choices()
        self.reload()

    def clear_filters(self) -> None:
        for widget in (self.actor_combo, self.entity_combo, self.action_combo):
            widget.blockSignals(True)
            widget.setCurrentIndex(0)
            widget.blockSignals(False)
        for box in (self.from_date, self.to_date):
            box.blockSignals(True)
            box.setDate(NO_DATE)
            box.blockSignals(False)
        self.text_edit.blockSignals(True)
        self.text_edit.clear()
        self.text_edit.blockSignals(False)
        self.reload()

    # --- exporting -------------------------------------------------------------------

    def export(self, path: str | None = None) -> Task | None:
        """Export… : the entries listed, to a CSV file or an Excel workbook (by its name)."""
        if path is None:
            start = export_folder(self.ctx) / f"Audit trail {dt.date.today():%Y-%m-%d}.csv"
            path = save_file_name(
                self,
                "Export the audit trail",
                str(start),
                "CSV file (*.csv);;Excel workbook (*.xlsx)",
            )
            if not path:
                return None
        suffix = ".xlsx" if path.lower().endswith(".xlsx") else ".csv"
        filters, db = self.filters(), self.ctx.db

        def work(progress: Progress, target: Path) -> Path:
            with db.reading() as session:
                privacy.write_audit(session, target, filters, progress=progress)
            return target

        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.export_button.setEnabled(False)
        task = write_export(self.ctx, self, path, suffix, "the audit trail", work, self._saved)
        task.progressed.connect(self._progressed)
        task.ended.connect(self._export_ended)
        self.export_task = task
        return task

    def _progressed(self, done: int, total: int, _message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def cancel_export(self) -> None:
        if self.export_task is not None:
            self.export_task.cancel()

    def _export_ended(self) -> None:
        self.export_task = None
        self.progress.hide()
        self.cancel_button.hide()
        self.export_button.setEnabled(self.total > 0)

    def _saved(self, written: Path) -> None:
        self.count_label.setText(f"{self.count_text} · exported to {written}")

    # --- closing ---------------------------------------------------------------------

    def done(self, result: int) -> None:
        """Close, Escape and the title bar's close all end here."""
        self.cancel_export()
        self.ctx.settings.set(AUDIT_WINDOW_GEOMETRY, self.saveGeometry())
        self.ctx.settings.set(AUDIT_HEADER_STATE, self.table.horizontalHeader().saveState())
        super().done(result)


def show_audit_window(ctx: AppContext, parent: QWidget) -> AuditWindow:
    """Open the audit trail window, or bring the one already open to the front."""
    window = parent.window().findChild(AuditWindow, "auditWindow")  # from either page
    if window is None or not window.isVisible():
        # A child of the page: a restore from backup closes the pages, and it with them.
        window = AuditWindow(ctx, parent)
        window.setObjectName("auditWindow")
    window.show()
    window.raise_()
    window.activateWindow()
    return window
