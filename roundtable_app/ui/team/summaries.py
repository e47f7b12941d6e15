"""The final summaries a read-only member may preview, print and save (issue 13, section 6).

Each is the latest final revision of a roundtable's summary, as it printed when
staff made it final (names removed, small sectors withheld, no participant
list): :func:`~roundtable_app.services.discussion.final_summaries`. The notes,
a draft, and who made a summary final are for staff: the role cannot read them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.dates import format_date
from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Changes
from roundtable_app.services import discussion, reports
from roundtable_app.ui import messages
from roundtable_app.ui.common import (
    LEFT,
    EmptyState,
    Index,
    OtherFormat,
    ReadOnlyTableModel,
    preview_pdf,
    save_file_name,
    style_list_table,
)
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.settings import CENTRE_LOGO, CENTRE_NAME

ABOUT = (
    "Final summaries, as staff made them final: held under the Chatham House Rule, with "
    "names removed and small sectors withheld. A summary being revised shows its last "
    "final version; drafts and the notes are for staff only."
)


def _day(when: dt.datetime | None, zone: str) -> str:
    if when is None:
        return "Date to be set"
    try:
        local = when.astimezone(ZoneInfo(zone))
    except (KeyError, ValueError):
        local = when
    return format_date(local.date())


class SummariesModel(ReadOnlyTableModel):
    """One row per roundtable with a final summary: its title, date, revision, when final."""

    HEADERS = ("Roundtable", "Date", "Revision", "Made final")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[discussion.FinalSummary] = []

    def set_rows(self, rows: list[discussion.FinalSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def shown_rows(self) -> int:
        return len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        row = self.rows[cell[0]]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.title,
                _day(row.starts_at, row.time_zone),
                f"Final, revision {row.revision}",
                _day(row.finalised_at, row.time_zone),
            )[cell[1]]
        if role == Qt.ItemDataRole.ToolTipRole and cell[1] == 0:
            return f"{row.title}: Enter to preview, print or save"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT
        return None


class _SummaryTable(QTableView):
    """Enter opens the selected summary (a table view would only move on)."""

    activated_row = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated_row.emit()
            return
        super().keyPressEvent(event)


class SummariesPanel(QWidget):
    """The list of final summaries, with Preview… (print, save as PDF or Word) and Save as…."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("finalSummaries")
        self._loaded = False
        self.model = SummariesModel(self)
        self.table = _SummaryTable()
        self.table.setObjectName("finalSummariesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        style_list_table(self.table, {0: 420, 1: 150, 2: 140})
        self.table.doubleClicked.connect(lambda _index: self.preview())
        self.table.activated_row.connect(self.preview)

        about = QLabel(ABOUT)
        about.setWordWrap(True)
        about.setObjectName("finalSummariesAbout")
        self.preview_button = QPushButton("&Preview…")
        self.preview_button.setToolTip("Show the summary, to print it or save it (Enter)")
        self.save_button = QPushButton("&Save as…")
        self.save_button.setToolTip("Save the summary as a PDF or a Word document")
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(lambda: self.save_as())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.preview_button)

        listing = QWidget()
        list_layout = QVBoxLayout(listing)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(about)
        list_layout.addWidget(self.table, 1)
        list_layout.addLayout(buttons)
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(listing)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        ctx.changes_published.connect(self._changed)
        self._enable()

    # -- loading ---------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._loaded:
            self.reload()

    def _changed(self, changes: Changes) -> None:
        if self._loaded and changes.all_roundtables:
            self.reload()

    def reload(self) -> None:
        """Read the list again, keeping the selected roundtable if it is still there."""
        chosen = self.selected_id()
        try:
            with self.ctx.db.reading() as session:
                rows = discussion.final_summaries(session)
        except RoundtableError as exc:
            messages.show_error(self, "Cannot list the summaries", str(exc))
            rows = []
        self._loaded = True
        self.model.set_rows(rows)
        if not rows:
            self.empty.show_message(
                "No final summaries yet",
                "A roundtable's summary appears here once staff make it final. Drafts "
                "and the discussion notes are for staff only.",
                [("Check again", self.reload)],
            )
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentIndex(0)
            ids = [r.roundtable_id for r in rows]
            self.table.selectRow(ids.index(chosen) if chosen in ids else 0)
        self._enable()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or not 0 <= rows[0].row() < len(self.model.rows):
            return None
        return self.model.rows[rows[0].row()].roundtable_id

    def _enable(self) -> None:
        chosen = self.selected_id() is not None
        self.preview_button.setEnabled(chosen)
        self.save_button.setEnabled(chosen)
        self.preview_button.setDefault(chosen)

    def focus_list(self) -> None:
        """Focus the list (View > Summaries)."""
        if self.model.rows:
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if self.selected_id() is None:
                self.table.selectRow(0)

    # -- printing --------------------------------------------------------------------------

    def _content(self) -> discussion.SummaryContent | None:
        rid = self.selected_id()
        if rid is None:
            return None
        try:
            with self.ctx.db.reading() as session:
                return discussion.final_summary(session, rid)
        except RoundtableError as exc:
            messages.show_error(self, "Cannot print the summary", str(exc))
            self.reload()
            return None

    def _branding(self) -> reports.Branding:
        logo = self.ctx.settings.get(CENTRE_LOGO)
        return reports.Branding(self.ctx.settings.get(CENTRE_NAME), Path(logo) if logo else None)

    def preview(self) -> bool:
        """Preview the selected summary (Print…, Save as PDF or Word); False if none shown."""
        content = self._content()
        if content is None:
            return False
        branding = self._branding()
        word = OtherFormat(
            "Word documents",
            ".docx",
            lambda tmp: reports.write_summary_docx(content, tmp, branding),
        )
        return preview_pdf(
            self,
            lambda path: reports.write_summary_pdf(content, path, branding),
            reports.summary_file_name(content),
            f"Summary: {content.title}",
            "summary",
            others=(word,),
        )

    def save_as(self, target: str | None = None) -> Path | None:
        """Save the selected summary as PDF, or Word for a name ending in .docx."""
        content = self._content()
        if content is None:
            return None
        if target is None:
            start = str(Path.home() / reports.summary_file_name(content))
            target = save_file_name(
                self,
                "Save summary",
                start,
                "PDF files (*.pdf);;Word documents (*.docx)",
            )
            if not target:
                return None
        if not target.lower().endswith((".pdf", ".docx")):
            target += ".pdf"
        try:
            if target.lower().endswith(".docx"):
                reports.write_summary_docx(content, target, self._branding())
            else:
                reports.write_summary_pdf(content, target, self._branding())
        except RoundtableError as exc:
            messages.show_error(self, "Cannot save the summary", str(exc))
            return None
        return Path(target)


__all__ = ["SummariesModel", "SummariesPanel"]
