"""The preview step of the import: the rows with their status, the new names, and
the duplicate choice.

A widget only: the dialog fills it with a plan and reads back which rows are
ticked and whether duplicates are merged or skipped. Under the rows it lists
the sectors, interests and organisations the import would create, with how
many people each, so a typo or a wrongly matched column is caught before it
becomes a name in every list.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.services.directory import VocabularyKind, people_text
from roundtable_app.services.transfer import ImportPlan, NewName, RowStatus, summary_of_new
from roundtable_app.ui.transfer.preview_model import (
    DETAILS,
    NEW_VALUE_COLOUR,
    ImportPreviewModel,
)

#: Column widths in pixels: Row, Status, Name, E-mail, Details, Organisation, Sector
#: (Interests stretches). Details grows to fit the longest reason (see ``show_plan``).
COLUMN_WIDTHS = (64, 100, 140, 200, 260, 170, 130)
MAX_DETAILS_WIDTH = 640
#: New names listed per kind; the rest are counted.
SHOWN = 12


def new_names_html(new: list[NewName], excluded: frozenset[int]) -> str:
    """One line per kind: each new name, how many people have it, what it is close to."""
    lines = []
    for kind in (VocabularyKind.SECTOR, VocabularyKind.INTEREST, VocabularyKind.ORGANISATION):
        items = [(n, p) for n in new if n.kind is kind and (p := n.people(excluded))]
        if not items:
            continue
        parts = []
        for name, people in items[:SHOWN]:
            close = f"; close to “{escape(name.closest[0])}”" if name.closest else ""
            parts.append(f"<b>{escape(name.name)}</b> ({people_text(people)}{close})")
        if len(items) > SHOWN:
            parts.append(f"and {len(items) - SHOWN:,} more")
        label = kind.label if len(items) == 1 else kind.plural.capitalize()
        lines.append(f"{label}: {', '.join(parts)}")
    return "<br>".join(lines)


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

        self.new_names = QLabel()
        self.new_names.setObjectName("newNames")
        self.new_names.setWordWrap(True)
        self.new_names.setTextFormat(Qt.TextFormat.RichText)
        self.new_names.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.new_names_box = QScrollArea()
        self.new_names_box.setWidget(self.new_names)
        self.new_names_box.setWidgetResizable(True)
        self.new_names_box.setFrameShape(QFrame.Shape.NoFrame)
        self.new_names_box.setMaximumHeight(self.fontMetrics().lineSpacing() * 8 + 8)
        self.new_names_box.hide()

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
        layout.addWidget(self.new_names_box)
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
        self.view.setColumnWidth(DETAILS, self._details_width(plan))
        self.update_summary(plan)

    def _details_width(self, plan: ImportPlan) -> int:
        """Wide enough for the longest reason (so it is not cut off), within reason."""
        longest = sorted({r.reason for r in plan.rows if r.reason}, key=len)[-20:]
        metrics = self.view.fontMetrics()
        needed = max((metrics.horizontalAdvance(text) for text in longest), default=0) + 24
        return min(max(COLUMN_WIDTHS[DETAILS], needed), MAX_DETAILS_WIDTH)

    def update_summary(self, plan: ImportPlan) -> None:
        details = [
            (plan.count(RowStatus.EXISTS), "already in the directory"),
            (plan.count(RowStatus.DUPLICATE_IN_FILE), "repeated in the file"),
            (plan.count(RowStatus.PROBLEM), "with a problem"),
        ]
        extra = ", ".join(f"{n:,} {text}" for n, text in details if n)
        rows = "row" if len(plan.rows) == 1 else "rows"
        text = (
            f"<b>{self.model.included_count():,}</b> of {len(plan.rows):,} {rows} will be "
            "imported" + (f" ({extra})" if extra else "") + "."
        )
        excluded = self.model.excluded_rows
        new = summary_of_new(plan.new_names, excluded)
        if new:
            colour = NEW_VALUE_COLOUR.name()
            text += f' <span style="color: {colour}">{new} will be created (listed below).</span>'
        if plan.blank_rows == 1:
            text += " 1 blank row is ignored."
        elif plan.blank_rows:
            text += f" {plan.blank_rows:,} blank rows are ignored."
        self.summary.setText(text)
        self._show_new_names(plan, excluded)

    def _show_new_names(self, plan: ImportPlan, excluded: frozenset[int]) -> None:
        listed = new_names_html(list(plan.new_names), excluded)
        self.new_names_box.setVisible(bool(listed))
        if listed:
            colour = NEW_VALUE_COLOUR.name()
            self.new_names.setText(
                f'<span style="color: {colour}"><b>New sectors, interests and organisations '
                "that will be created.</b></span> Not what you meant? Go <i>Back</i> to choose "
                "other columns, or fix the file and choose it again.<br>" + listed
            )
