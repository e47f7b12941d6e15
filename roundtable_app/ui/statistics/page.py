"""The Statistics page: what the roundtables achieved, for a series, a period or one of them.

The history (every roundtable that took place, as arrays) is read once in the
background when the page is first shown, and again after a change; choosing
another series, period or roundtable counts it again off the GUI thread in a
few milliseconds, and only the latest choice is shown. Staff see exact numbers
here; the exports apply the "fewer than 3" rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QFont, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.model import Changes
from roundtable_app.core.progress import Progress
from roundtable_app.services import statistics
from roundtable_app.services.statistics import (
    DRIFT_MONTHS,
    DriftedPerson,
    Figures,
    History,
    Scope,
)
from roundtable_app.ui import settings as keys
from roundtable_app.ui.common import EmptyState
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.statistics.export import KINDS, export_figures
from roundtable_app.ui.statistics.models import (
    NeverCame,
)
from roundtable_app.ui.statistics.scope_bar import ScopeBar
from roundtable_app.ui.statistics.tabs import ANY_INTEREST, StatisticsTabs
from roundtable_app.ui.statistics.targets_dialog import TargetMixDialog
from roundtable_app.ui.workers import Task


class StatisticsPage(StatisticsTabs, QWidget):
    """Invited, accepted and attended, new connections, the sector mix and reach.

    Signals:
        history_loaded(): the roundtables that took place were read (again).
        figures_shown(Figures): the figures of the chosen scope are on screen.
        drifted_shown(int): the list of people not invited for a year is shown.
    """

    history_loaded = Signal()
    figures_shown = Signal(object)
    drifted_shown = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.history: History | None = None
        self.figures: Figures | None = None
        self.targets = statistics.parse_targets(ctx.settings.get(keys.STATISTICS_TARGET_MIX))
        self._dirty = True
        self._loading: Task | None = None
        self._asked = 0  # the latest count asked for; older results are dropped
        self._load_asked = 0
        self._drift_asked = 0
        self._drift_stale = True  # the list of who has not been invited needs reading
        self.last_export: Task | None = None

        self.scope_bar = ScopeBar(ctx.settings.get(keys.STATISTICS_PERIOD))
        self.scope_bar.scope_changed.connect(self.count)
        self.targets_button = QPushButton("Target &mix…")
        self.targets_button.setToolTip("The share of attendees the centre aims for, by sector")
        self.targets_button.clicked.connect(self.edit_targets)
        self.export_button = QToolButton()
        self.export_button.setText("Exp&ort")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_menu = QMenu(self.export_button)
        self.export_actions: dict[str, QAction] = {}
        for kind, label in (
            ("csv", "Figures as &CSV…"),
            ("xlsx", "Figures as &Excel workbook…"),
            ("pdf", "Attendance &report (PDF)…"),
        ):
            action = self.export_menu.addAction(label)
            action.triggered.connect(lambda _c=False, kind=kind: self.export(kind))
            self.export_actions[kind] = action
        self.export_button.setMenu(self.export_menu)
        self.export_button.setEnabled(False)

        bar = QHBoxLayout()
        bar.addWidget(self.scope_bar, 1)
        bar.addWidget(self.targets_button)
        bar.addWidget(self.export_button)

        self.notice = QLabel()
        self.notice.setObjectName("statisticsNotice")
        self.notice.setStyleSheet(
            "#statisticsNotice { background: #ecfdf3; border: 1px solid #abefc6;"
            " border-radius: 4px; padding: 6px 8px; }"
        )
        self.notice.setTextFormat(Qt.TextFormat.RichText)
        self.notice.setOpenExternalLinks(False)
        self.notice.linkActivated.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        self.notice.hide()

        self.title = QLabel()
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.subtitle = QLabel()
        self.subtitle.setStyleSheet("color: palette(placeholder-text);")

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # No mnemonics on the tabs (Ctrl+Tab moves between them): Alt+E is the Edit menu.
        self.tabs.addTab(self._overview_tab(), "Overview")
        self.tabs.addTab(self._connections_tab(), "New connections")
        self.tabs.addTab(self._mix_tab(), "Sector mix")
        self.reach_tab = self._reach_tab()
        self.tabs.addTab(self.reach_tab, "Reach")
        self.tabs.currentChanged.connect(self._reach_opened)

        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.title)
        body.addWidget(self.subtitle)
        body.addWidget(self.tabs, 1)
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(content)
        self.content = content
        self.empty.show_message("Counting…", "", [])

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.stack, 1)

        self.targets_action = QAction("Target &mix…", self)
        self.targets_action.setStatusTip("Set the share of attendees the centre aims for")
        self.targets_action.triggered.connect(self.edit_targets)
        ctx.changes_published.connect(self._on_changes)

    # --- the tabs --------------------------------------------------------------------

    # --- loading and counting ---------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.load()

    def _on_changes(self, changes: Changes) -> None:
        if (
            changes.roundtables
            or changes.all_roundtables
            or changes.people
            or changes.all_people
            or changes.sectors
            or changes.organisations
        ):
            self._dirty = True
            if self.isVisible():
                self.load()

    def load(self) -> Task:
        """Read the history again (in the background), then count the chosen scope."""
        self._dirty = False
        self._load_asked += 1
        asked = self._load_asked

        def work(_progress: Progress) -> tuple[History, list[str]]:
            with self.ctx.db.reading() as session:
                return statistics.load_history(session), statistics.interests(session)

        def done(result: tuple[History, list[str]]) -> None:
            if asked == self._load_asked:  # a later reading (a newer change) wins
                self._history_read(result)

        self._loading = self.ctx.run_in_background(
            work, parent=self, on_done=done, on_error=self._failed
        )
        return self._loading

    def _history_read(self, result: tuple[History, list[str]]) -> None:
        history, interests = result
        self.history = history
        chosen = self.interest_combo.currentText()
        self.interest_combo.blockSignals(True)
        self.interest_combo.clear()
        self.interest_combo.addItems([ANY_INTEREST, *interests])
        self.interest_combo.setCurrentIndex(max(self.interest_combo.findText(chosen), 0))
        self.interest_combo.blockSignals(False)
        self.scope_bar.set_history(history)
        self.history_loaded.emit()
        self.count(self.scope_bar.scope())
        # Who has not been invited for a year is read when the Reach tab is opened: over
        # a large directory it takes seconds, and it would slow the figures shown first.
        self._drift_stale = True
        self._reach_opened()

    def _failed(self, exc: BaseException) -> None:
        self.empty.show_message(
            "Cannot count the statistics",
            str(exc),
            [("Try again", lambda: None if self.load() else None)],
        )
        self.stack.setCurrentWidget(self.empty)

    def count(self, scope: Scope) -> Task | None:
        """Count ``scope`` off the GUI thread; only the latest request is shown."""
        history = self.history
        if history is None:
            return None
        self.ctx.settings.set(keys.STATISTICS_PERIOD, self.scope_bar.period)
        self._asked += 1
        asked = self._asked

        def work(_progress: Progress) -> tuple[Figures, list[NeverCame]]:
            figures = statistics.compute(history, scope)
            never = figures.reach.never_came
            with self.ctx.db.reading() as session:
                briefs = statistics.people_briefs(session, [pid for pid, _, _ in never])
            rows = [NeverCame(briefs[p], n, last) for p, n, last in never if p in briefs]
            return figures, rows

        def done(result: tuple[Figures, list[NeverCame]]) -> None:
            if asked == self._asked:
                self.show_figures(*result)

        return self.ctx.run_in_background(work, parent=self, on_done=done, on_error=self._failed)

    def _reach_opened(self, _index: int = -1) -> None:
        if self._drift_stale and self.tabs.currentWidget() is self.reach_tab:
            self.load_drifted()

    def load_drifted(self) -> Task | None:
        """List who has not been invited for a year (with the interest chosen)."""
        if self.history is None:
            return None
        self._drift_stale = False
        self._drift_asked += 1
        asked = self._drift_asked
        chosen = self.interest_combo.currentText()
        interest = None if chosen == ANY_INTEREST else chosen
        never = self.never_invited.isChecked()
        if not self.drift_model.rowCount():
            self.drift_title.setText(f"<b>Not invited for {DRIFT_MONTHS} months:</b> reading…")

        def work(_progress: Progress) -> list[DriftedPerson]:
            with self.ctx.db.reading() as session:
                return statistics.drifted(session, interest=interest, never_invited=never)

        def done(rows: list[DriftedPerson]) -> None:
            if asked == self._drift_asked:
                self.drift_model.set_rows(rows)
                who = f" interested in {interest.lower()}" if interest else ""
                self.drift_title.setText(
                    f"<b>Not invited for {DRIFT_MONTHS} months:</b> {len(rows):,} people{who} "
                    "who may be contacted"
                )
                self.drifted_shown.emit(len(rows))

        return self.ctx.run_in_background(work, parent=self, on_done=done, on_error=self._failed)

    # --- showing ----------------------------------------------------------------------

    def show_figures(self, figures: Figures, never: list[NeverCame]) -> None:
        self.figures = figures
        self.export_button.setEnabled(bool(figures.roundtables))
        if self.history is not None and not self.history.size:
            self.empty.show_message(
                "No roundtable has taken place yet",
                "The figures appear here once a roundtable has been held and its attendance "
                "recorded.",
                [],
            )
            self.stack.setCurrentWidget(self.empty)
            self.figures_shown.emit(figures)
            return
        self.stack.setCurrentWidget(self.content)
        self.title.setText(figures.label)
        self._show_overview(figures)
        self._show_connections(figures)
        self.mix_chart.show_buckets(figures.buckets, figures.sectors)
        self.target_chart.show_mix(figures.by_sector, self.targets)
        self._show_reach(figures, never)
        self.figures_shown.emit(figures)

    # --- actions ----------------------------------------------------------------------

    def _roundtable_activated(self, index: Any) -> None:
        row = self.roundtable_proxy.mapToSource(index).row()
        self.scope_bar.choose_roundtable(self.roundtable_model.row_at(row).roundtable_id)

    def edit_targets(self) -> None:
        """Target mix…: set the share of attendees the centre aims for, by sector."""
        sectors = [s for s in (self.history.sectors if self.history else ()) if s != "No sector"]
        dialog = TargetMixDialog(sectors or list(self.targets), self.targets, self)
        try:
            if dialog.exec() != TargetMixDialog.DialogCode.Accepted:
                return
            self.set_targets(dialog.targets())
        finally:
            dialog.deleteLater()

    def set_targets(self, targets: dict[str, int]) -> None:
        self.targets = {name: share for name, share in targets.items() if share > 0}
        self.ctx.settings.set(keys.STATISTICS_TARGET_MIX, statistics.format_targets(targets))
        self.sector_model.set_targets(self.targets)
        if self.figures is not None:
            self.target_chart.show_mix(self.figures.by_sector, self.targets)

    def export(self, kind: str, path: str | None = None) -> Task | None:
        """Export the figures on screen (``kind``: csv, xlsx or pdf), asking where."""
        if self.figures is None:
            return None

        def saved(target: Path) -> None:
            folder = QUrl.fromLocalFile(str(target.parent)).toString()
            what = KINDS[kind][0]
            self.notice.setText(
                f"Saved {what} to {target.name} "
                f"(<a href='{folder}'>open the folder</a>). Counts below 3 of "
                "lived-experience participants, or of a sector at one roundtable, print as "
                "“fewer than 3”."
            )
            self.notice.show()

        self.last_export = export_figures(
            self.ctx, self, self.figures, self.targets, kind, path=path, on_saved=saved
        )
        return self.last_export

    def menu_actions(self) -> list[QAction | None]:
        """The Edit menu on this page: the target mix."""
        return [self.targets_action]

    def status_text(self) -> str:
        """``38 roundtables · 812 attended`` (what the status bar says on this page)."""
        f = self.figures
        if f is None:
            return "Loading…"
        n = len(f.roundtables)
        return f"{n:,} roundtable{'s' * (n != 1)} · {f.totals.attended:,} attended"
