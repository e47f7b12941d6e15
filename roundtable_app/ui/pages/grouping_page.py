"""The Grouping page: seat a roundtable's invitees (or a directory filter) at tables.

Staff choose the pool, the table sizes and what matters more on the left; the
optimiser runs in the background (progress, Cancel, "Stop and keep the best so
far"); the tables appear side by side on the right, where people can be dragged
between tables, locked, and the others re-optimised. Every change to the shown
plan is an undoable command (:mod:`roundtable_app.ui.grouping_commands`); the
plan reaches the database only through "Save to roundtable".
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError, ValidationError
from roundtable_app.core.model import Changes
from roundtable_app.core.progress import Progress
from roundtable_app.services import grouping as gs
from roundtable_app.services import grouping_views
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.grouping_commands import (
    LockCommand,
    MoveSeatCommand,
    PlanCommand,
    PlanState,
)
from roundtable_app.ui.widgets.empty_state import EmptyState
from roundtable_app.ui.widgets.grouping_output import PlanOutputActions
from roundtable_app.ui.widgets.grouping_pool import PoolChooser
from roundtable_app.ui.widgets.grouping_settings import GroupingSettings
from roundtable_app.ui.widgets.grouping_tables import TablesView
from roundtable_app.ui.workers import Task, run_in_background

SIDE_WIDTH = 340
STYLE = """
QFrame#groupingMessage { background: #fdecea; border: 1px solid #f1b0a8; border-radius: 4px; }
QLabel#planSummary { font-size: 11pt; font-weight: 600; color: #2b3a46; }
QLabel#planNote { color: #46525c; }
QPushButton#runButton { font-weight: 600; padding: 6px 18px; }
"""


class GroupingPage(PlanOutputActions, QWidget):
    """The pool and settings on the left, the plan's tables on the right.

    Signals:
        plan_changed(): the plan shown changed (a run, a move, a lock, undo/redo, a load).
        run_finished(bool): an optimisation run ended; True if it produced a plan.
    """

    plan_changed = Signal()
    run_finished = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._state: PlanState | None = None
        self._filter_ids: list[int] = []
        self._saved_at: dt.datetime | None = None
        self._task: Task | None = None
        self._stale = True
        self._build()
        ctx.changes_published.connect(self._on_changes)

    # --- building --------------------------------------------------------------------

    def _build(self) -> None:
        self.setStyleSheet(STYLE)
        self.pool = PoolChooser(self.ctx)
        self.settings = GroupingSettings()
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("runButton")
        self.run_button.setToolTip("Seat everyone afresh with these settings")
        side_body = QWidget()
        side = QVBoxLayout(side_body)
        side.setContentsMargins(8, 8, 8, 8)
        side.addWidget(self.pool)
        side.addWidget(self.settings, 1)
        side.addWidget(self.run_button)
        side_scroll = QScrollArea()
        side_scroll.setWidget(side_body)
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side_scroll.setFixedWidth(SIDE_WIDTH)

        self.summary = QLabel("")
        self.summary.setObjectName("planSummary")
        self.summary.setWordWrap(True)
        self.note = QLabel("")
        self.note.setObjectName("planNote")
        self.note.setWordWrap(True)
        self.reoptimise_button = QPushButton("Re-optimise unlocked")
        self.reoptimise_button.setToolTip("Keep locked people at their tables; reseat the rest")
        self.save_button = QPushButton("Save to roundtable")
        self.export_button = QPushButton("Export CSV…")
        self.print_button = QPushButton("Print table plan…")
        actions = QHBoxLayout()
        actions.addWidget(self.note, 1)
        for button in (
            self.reoptimise_button,
            self.save_button,
            self.export_button,
            self.print_button,
        ):
            actions.addWidget(button)
        top = QVBoxLayout()
        top.setSpacing(2)
        top.addWidget(self.summary)
        top.addLayout(actions)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress_label = QLabel("")
        self.cancel_button = QPushButton("Cancel")
        self.stop_button = QPushButton("Stop and keep the best so far")
        self.run_bar = QWidget()
        bar = QHBoxLayout(self.run_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.progress_label)
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.stop_button)
        bar.addWidget(self.cancel_button)
        self.run_bar.setVisible(False)

        self.message = QFrame()
        self.message.setObjectName("groupingMessage")
        self.message_label = QLabel("")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton("Dismiss")
        close.clicked.connect(lambda: self.message.setVisible(False))
        message_layout = QHBoxLayout(self.message)
        message_layout.addWidget(self.message_label, 1)
        message_layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.message.setVisible(False)

        self.empty = EmptyState()
        self.tables = TablesView()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.tables)

        right = QVBoxLayout()
        right.setContentsMargins(4, 8, 8, 8)
        right.addLayout(top)
        right.addWidget(self.run_bar)
        right.addWidget(self.message)
        right.addWidget(self.stack, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(side_scroll)
        layout.addLayout(right, 1)

        self.pool.pool_changed.connect(self._pool_changed)
        self.settings.changed.connect(self._update_buttons)
        self.run_button.clicked.connect(self._run_clicked)
        self.reoptimise_button.clicked.connect(lambda: self.run(keep_locked=True))
        self.cancel_button.clicked.connect(self.cancel_run)
        self.stop_button.clicked.connect(self.stop_early)
        self.save_button.clicked.connect(self.save_to_roundtable)
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.print_button.clicked.connect(lambda: self.print_plan())
        self.tables.people_moved.connect(self.move_people)
        self.tables.lock_requested.connect(self.lock_people)

    # --- loading ---------------------------------------------------------------------

    def showEvent(self, event: object) -> None:  # type: ignore[override]
        super().showEvent(event)  # type: ignore[arg-type]
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Re-read the roundtables and directory; reload the pool if the choice changed."""
        self._stale = False
        before = self.pool.roundtable_id()
        self.pool.reload()
        if self._state is None or self.pool.roundtable_id() != before:
            self._pool_changed()

    def _on_changes(self, changes: Changes) -> None:
        if changes.roundtables or changes.all_roundtables or changes.all_people or changes.people:
            self._stale = True
            if self.isVisible() and not self.is_running:
                self.reload()

    def _pool_changed(self) -> None:
        """Load the chosen roundtable's pool (and its saved plan), or count the filter."""
        if self.is_running:
            return
        self.message.setVisible(False)
        self._saved_at = None
        rid = self.pool.roundtable_id()
        if self.pool.is_roundtable and rid is not None:
            try:
                with self.ctx.db.transaction() as session:
                    pool = gs.load_pool(session, rid)
                    saved = gs.load_saved_plan(session, rid, self.settings.preferences())
                    self._saved_at = grouping_views.saved_plan_at(session, rid)
            except RoundtableError as exc:
                self._show_message(str(exc))
                self._set_state(None)
                return
            plan = self._fit_saved(pool, saved) if saved else None
            self._set_state(PlanState(pool=pool, plan=plan))
        else:
            self._filter_ids = self.pool.filtered_ids()
            self._set_state(None)
        self.settings.set_people(self.people_count())

    @staticmethod
    def _fit_saved(pool: gs.Pool, saved: gs.Plan) -> gs.Plan | None:
        """The saved plan over the current pool (people since declined are left out)."""
        ids = {inv.person_id for inv in pool.invitees}
        tables = [[p for p in t if p in ids] for t in saved.tables]
        if not any(tables):
            return None
        return gs.plan_from_tables(pool, tables, saved.preferences)

    def people_count(self) -> int:
        if self._state is not None:
            return len(self._state.pool)
        return len(self._filter_ids)

    # --- the plan state (see grouping_commands.PlanHost) -------------------------------

    def plan_state(self) -> PlanState | None:
        return self._state

    @property
    def plan(self) -> gs.Plan | None:
        return self._state.plan if self._state else None

    def show_state(self, state: PlanState) -> None:
        """Show ``state`` (called by the undoable commands)."""
        self._set_state(state)

    def _set_state(self, state: PlanState | None) -> None:
        self._state = state
        plan = state.plan if state else None
        self.tables.show_plan(plan, state.locked if state else frozenset())
        self._update_summary()
        self._update_buttons()
        if plan is None:
            self._show_empty()
        else:
            self.stack.setCurrentWidget(self.tables)
        self.plan_changed.emit()

    def _empty_message(self, title: str, text: str, buttons: list) -> None:  # type: ignore[type-arg]
        """Show a message in the empty state unless it already shows it."""
        if (self.empty.title.text(), self.empty.message.text()) != (title, text):
            self.empty.show_message(title, text, buttons)

    def _show_empty(self) -> None:
        n = self.people_count()
        if n == 0 and not self.pool.roundtables and not self.pool.has_filter():
            self._empty_message(
                "Nobody to seat yet",
                "Invite people to a roundtable on the Roundtables page, or choose people "
                "from the directory with the filter on the left (a word, a sector or an "
                "interest).",
                [],
            )
        elif n < 2:
            self._empty_message(
                "Choose at least two people",
                "Pick a roundtable with invitees, or widen the filter on the left.",
                [],
            )
        else:
            self._empty_message(
                f"Seat {n:,} people at tables",
                "Choose the number of tables and what matters more on the left, then press "
                "Run. Each table will share interests, mix sectors and bring together people "
                "who have not met. Afterwards, drag people between tables, lock them where "
                "they are and re-optimise the rest, then save the plan to the roundtable, "
                "export it or print it.",
                [("Run", self._run_clicked)],
            )
        self.stack.setCurrentWidget(self.empty)

    def _update_summary(self) -> None:
        plan = self.plan
        if plan is None:
            self.summary.setText("Grouping")
            self.note.setText(self.settings.sizes_text() if self.people_count() >= 2 else "")
            return
        e = plan.explanation
        warn = len(e.warnings)
        parts = [
            f"{plan.people:,} people at {len(plan.tables)} tables",
            f"{e.new_pairings:,} of {e.pairs:,} pairings new",
            "no warnings" if not warn else f"{warn} warning{'s' if warn != 1 else ''}",
        ]
        self.summary.setText(" · ".join(parts))
        if plan.score is not None:
            note = f"Found in {plan.elapsed:.1f} s"
            self.note.setToolTip(f"{plan.iterations:,} search rounds, seed {plan.seed}")
            if plan.stopped_early:
                note += ", stopped early"
        elif self._saved_at is not None:
            local = self._saved_at.astimezone(ZoneInfo("Europe/London"))
            note = f"Saved plan from {local:%-d %b %Y, %H:%M}"
        else:
            note = "Edited by hand"
        locked = len(self._state.locked) if self._state else 0
        if locked:
            note += f" · {locked} locked"
        if self._state and plan.people < len(self._state.pool):
            note += f" · {len(self._state.pool) - plan.people} not seated: run to seat them"
        self.note.setText(note)

    def _update_buttons(self) -> None:
        running = self.is_running
        has_plan = self.plan is not None
        self.run_button.setEnabled(not running and self.people_count() >= 2)
        self.reoptimise_button.setEnabled(
            not running and has_plan and bool(self._state and self._state.locked)
        )
        self.save_button.setEnabled(
            not running and has_plan and self.pool.roundtable_id() is not None
        )
        self.save_button.setVisible(self.pool.is_roundtable)
        self.export_button.setEnabled(not running and has_plan)
        self.print_button.setEnabled(not running and has_plan)
        self.pool.setEnabled(not running)
        self.settings.setEnabled(not running)
        self.tables.setEnabled(not running)
        if self.plan is None:
            self._update_summary()

    def _show_message(self, text: str, title: str = "No plan with these settings") -> None:
        body = escape(text).replace("\n", "<br>")
        self.message_label.setText(f"<b>{escape(title)}</b><br>{body}")
        self.message.setVisible(True)

    # --- running ---------------------------------------------------------------------

    @property
    def is_running(self) -> bool:
        return self._task is not None

    def _run_clicked(self) -> None:
        self.run()

    def run(self, *, keep_locked: bool = False) -> Task | None:
        """Optimise in the background; with ``keep_locked``, locked people keep their tables."""
        if self.is_running:
            return None
        self.message.setVisible(False)
        try:
            state = self._state or self._filter_state()
        except RoundtableError as exc:
            self._show_message(str(exc))
            return None
        if state is None:
            return None
        locked: dict[int, int] = {}
        if keep_locked and state.plan is not None:
            where = {p: t for t, members in enumerate(state.plan.tables) for p in members}
            locked = {p: where[p] for p in state.locked if p in where}
        options: dict[str, Any] = {
            "preferences": self.settings.preferences(),
            **self.settings.size_request(),
            **self.settings.search_options(),
        }
        if keep_locked and state.plan is not None:
            options.pop("size", None)
            options["tables"] = len(state.plan.tables)
        before = state
        if self._state is None:
            self._state = before
        text = "Re-optimise unlocked people" if keep_locked else f"Group {len(state.pool)} people"

        def work(progress: Progress) -> gs.Plan:
            return gs.plan_groups(state.pool, locked=locked, progress=progress, **options)

        def done(plan: gs.Plan) -> None:
            self._end_run()
            command = PlanCommand.create(self, before, plan, text, keep_locked=keep_locked)
            self.ctx.undo_stack.push(command)
            self.run_finished.emit(True)

        self.progress.setValue(0)
        self.progress_label.setText("Searching…")
        self.run_bar.setVisible(True)
        self._task = run_in_background(
            work,
            parent=self,
            on_done=done,
            on_error=self._run_failed,
            on_progress=self._run_progressed,
            on_cancelled=self._run_cancelled,
        )
        self._update_buttons()
        return self._task

    def _filter_state(self) -> PlanState | None:
        if len(self._filter_ids) < 2:
            return None
        with self.ctx.db.transaction() as session:
            return PlanState(pool=gs.pool_from_people(session, self._filter_ids))

    def cancel_run(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def stop_early(self) -> None:
        if self._task is not None:
            self._task.stop_early()

    def _run_progressed(self, done: int, total: int, message: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        if message:
            self.progress_label.setText(message)

    def _end_run(self) -> None:
        self._task = None
        self.run_bar.setVisible(False)
        self._update_buttons()

    def _run_failed(self, exc: BaseException) -> None:
        self._end_run()
        if isinstance(exc, ValidationError):
            self._show_message(str(exc))
        else:
            self.ctx.report_error("Cannot group the invitees", str(exc))
        self.run_finished.emit(False)

    def _run_cancelled(self) -> None:
        self._end_run()
        self.run_finished.emit(False)

    # --- hand edits ------------------------------------------------------------------

    def move_people(self, person_ids: list[int], table: int) -> None:
        """Move people to ``table`` (0-based), undoably."""
        if self._state is None or self.is_running:
            return
        command = MoveSeatCommand.create(self, self._state, person_ids, table)
        if command is not None:
            self.ctx.undo_stack.push(command)

    def lock_people(self, person_ids: list[int], lock: bool) -> None:
        """Lock people at their tables (or unlock them), undoably."""
        if self._state is None or self.is_running:
            return
        command = LockCommand.create(self, self._state, person_ids, lock)
        if command is not None:
            self.ctx.undo_stack.push(command)
