"""The preview step of the import: the rows with their status, and the duplicate choice.

A widget only: the dialog fills it with a plan and reads back which rows are
ticked and whether duplicates are merged or skipped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.services.transfer import ImportPlan, RowStatus
from roundtable_app.ui.transfer.preview_model import ImportPreviewModel

#: Column widths in pixels: Row, Status, Name, E-mail, Details, Organisation (Interests stretches).
COLUMN_WIDTHS = (64, 140, 150, 210, 300, 200)


class PreviewPage(QWidget):
    """Summary line, tick-all buttons, the rows, and Merge / Skip for duplicates."""

    def __init__(self, on_duplicate: str = "merge", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.model = ImportPreviewModel(parent=self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        # Fixed row height: the view never measures 100,000 rows.
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.progress = QProgressBar()
        self.progress.hide()
        tick_all = QPushButton("Tick &all")
        untick_all = QPushButton("&Untick all")
        for button in (tick_all, untick_all):
            button.setAutoDefault(False)
        tick_all.clicked.connect(lambda: self.model.set_all_included(True))
        untick_all.clicked.connect(lambda: self.model.set_all_included(False))
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(tick_all)
        top.addWidget(untick_all)

        self.merge_radio = QRadioButton(
            "&Merge: fill in their blank fields and add interests (nothing is overwritten)"
        )
        self.skip_radio = QRadioButton("S&kip: leave the person in the directory as they are")
        group = QButtonGroup(self)
        group.addButton(self.merge_radio)
        group.addButton(self.skip_radio)
        (self.skip_radio if on_duplicate == "skip" else self.merge_radio).setChecked(True)
        duplicates = QVBoxLayout()
        duplicates.setSpacing(2)
        duplicates.addWidget(
            QLabel("When an e-mail is already in the directory, or twice in the file:")
        )
        duplicates.addWidget(self.merge_radio)
        duplicates.addWidget(self.skip_radio)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("color: #b42318;")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)
        layout.addLayout(duplicates)

    @property
    def on_duplicate(self) -> str:
        return "skip" if self.skip_radio.isChecked() else "merge"

    def show_plan(self, plan: ImportPlan) -> None:
        self.progress.hide()
        self.model.set_plan(plan)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.view.setColumnWidth(column, width)
        self.update_summary(plan)

    def update_summary(self, plan: ImportPlan) -> None:
        details = [
            (plan.count(RowStatus.EXISTS), "already in the directory"),
            (plan.count(RowStatus.DUPLICATE_IN_FILE), "repeated in the file"),
            (plan.count(RowStatus.PROBLEM), "with a problem"),
        ]
        extra = ", ".join(f"{n:,} {text}" for n, text in details if n)
        text = (
            f"<b>{self.model.included_count():,}</b> of {len(plan.rows):,} rows will be imported"
            + (f" ({extra})" if extra else "")
            + "."
        )
        if plan.blank_rows:
            text += f" {plan.blank_rows:,} blank rows are ignored."
        self.summary.setText(text)
