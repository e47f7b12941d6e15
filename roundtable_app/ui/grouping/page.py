"""The Grouping page: seat a roundtable's invitees (or a directory filter) at tables.

Staff choose the pool, the table sizes and what matters more on the left; the
optimiser runs in the background (progress, Cancel, "Stop and keep the best so
far"); the tables appear side by side on the right, where people can be dragged
between tables, locked, kept together or apart, and the others re-optimised.
Every change to the shown plan is an undoable command
(:mod:`roundtable_app.ui.grouping.commands`); the plan reaches the database
only through "Save to roundtable". The pool is read off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import sys
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QProcess, Qt, Signal
from PySide6.QtGui import QKeySequence, QShowEvent
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

from roundtable_app.core.model import Changes
from roundtable_app.core.progress import Progress
from roundtable_app.services import grouping
from roundtable_app.ui.common import EmptyState
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.grouping.commands import PlanState
from roundtable_app.ui.grouping.output import PlanOutputActions, plan_note, plan_summary
from roundtable_app.ui.grouping.pool import (
    PoolChoices,
    PoolChooser,
    empty_message,
)
from roundtable_app.ui.grouping.rules import PlanEditActions, RulesPanel, broken_rules
from roundtable_app.ui.grouping.running import PlanRunActions
from roundtable_app.ui.grouping.settings_panel import GroupingSettings
from roundtable_app.ui.grouping.tables import TablesView
from roundtable_app.ui.workers import Task

if TYPE_CHECKING:
    from roundtable_app.storage.unit_of_work import Session

SIDE_WIDTH = 340
STYLE = """
QFrame#groupingMessage { background: #fdecea; border: 1px solid #f1b0a8; border-radius: 4px; }
QLabel#planSummary { font-size: 11pt; font-weight: 600; color: #2b3a46; }
QLabel#planNote { color: #46525c; }
QPushButton#runButton { font-weight: 600; padding: 6px 18px; }
"""


class GroupingPage(PlanRunActions, PlanOutputActions, PlanEditActions, QWidget):
    """The pool and settings on the left, the plan's tables on the right.

    Signals:
        plan_changed(): the plan shown changed (a run, a move, a lock, undo/redo, a load).
        run_finished(bool): an optimisation run ended; True if it produced a plan.
        pool_loaded(): the chosen pool has been read (or failed to load).
    """

    plan_changed = Signal()
    run_finished = Signal(bool)
    pool_loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._state: PlanState | None = None
        self._filter_ids: list[int] = []
        self._saved_at: dt.datetime | None = None
        self._saved: grouping.Arrangement | None = None  # as stored on the roundtable
        self._kept: dict[object, PlanState] = {}  # each pool's last state, this session
        self._task: Task | None = None
        self._loads = 0  # background reads in flight
        self._tickets = {"choices": 0, "pool": 0}  # only the latest read of each is shown
        self._stale = True
        self._build()
        ctx.changes_published.connect(self._on_changes)

    # --- building --------------------------------------------------------------------

    def _build(self) -> None:
        self.setStyleSheet(STYLE)
        self.pool = PoolChooser(self.ctx)
        self.settings = GroupingSettings()
        self.rules = RulesPanel()
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("runButton")
        self.run_button.setToolTip("Seat everyone afresh with these settings (Ctrl+Enter)")
        self.run_button.setShortcut(QKeySequence("Ctrl+Return"))  # only while shown
        side_body = QWidget()
        side = QVBoxLayout(side_body)
        side.setContentsMargins(0, 8, 4, 8)
        side.addWidget(self.pool)
        side.addWidget(self.rules)  # the rules belong to this pool
        side.addWidget(self.settings)
        side.addStretch(1)
        side_scroll = QScrollArea()
        side_scroll.setWidget(side_body)
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side_column = QWidget()  # Run stays in view below the scrolling settings
        side_column.setFixedWidth(SIDE_WIDTH)
        column = QVBoxLayout(side_column)
        column.setContentsMargins(8, 0, 8, 8)
        column.addWidget(side_scroll, 1)
        column.addWidget(self.run_button)

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
        layout.addWidget(side_column)
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
        self.tables.rule_requested.connect(self.add_rule)
        self.rules.remove_requested.connect(self.remove_rule)

    # --- loading ---------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.ctx.first_time("grouping.warm_up"):
            start_warm_up()
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Re-read the roundtables and directory (in the background), then the pool."""
        self._stale = False
        before = self.pool.roundtable_id()

        def done(choices: PoolChoices) -> None:
            self.pool.apply(choices)
            if self._state is None or self.pool.roundtable_id() != before:
                self._pool_changed()
            else:
                self._pool_changed(refresh=True)

        self._load("choices", self.pool.fetch, done)

    def _on_changes(self, changes: Changes) -> None:
        if changes.roundtables or changes.all_roundtables or changes.all_people or changes.people:
            self._stale = True
            if self.isVisible() and not self.is_running:
                self.reload()

    @property
    def is_loading(self) -> bool:
        return self._loads > 0

    def _load(self, key: str, fetch: Any, done: Any) -> None:
        """Run ``fetch(session)`` in the background; ``done(result)`` if the latest ``key``."""
        self._loads += 1
        self._tickets[key] += 1
        ticket = self._tickets[key]

        def work(_progress: Progress) -> Any:
            with self.ctx.db.transaction() as session:
                return fetch(session)

        def finished(result: Any) -> None:
            self._loads -= 1
            if ticket == self._tickets[key]:
                done(result)
            self._update_buttons()

        def failed(exc: BaseException) -> None:
            self._loads -= 1
            if ticket == self._tickets[key]:
                self._show_message(str(exc), "Cannot read the people to seat")
                self._set_state(None)
                self._load_ended()

        self._update_buttons()
        if self.stack.currentWidget() is self.empty or self._state is None:
            self._empty_message("Loading…", "Reading the people to seat.", [])
            self.stack.setCurrentWidget(self.empty)
        self.ctx.run_in_background(work, parent=self, on_done=finished, on_error=failed)

    def _load_ended(self) -> None:
        self._update_buttons()
        if self.plan is None:
            self._show_empty()
        self.pool_loaded.emit()

    def _pool_key(self) -> object:
        rid = self.pool.roundtable_id()
        return ("roundtable", rid) if rid is not None else "filter"

    def _pool_changed(self, *, refresh: bool = False) -> None:
        """Load the chosen roundtable's pool (and its saved plan), or count the filter.

        A pool shown earlier this session comes back as it was left (plan,
        locks, rules, and its undo history), fitted to whoever is in the pool
        now; ``refresh`` re-reads the shown roundtable's pool after a change
        elsewhere (invitees added or declined) without clearing the page.
        """
        if self.is_running:
            return
        key = self._pool_key()
        rid = self.pool.roundtable_id()
        if not refresh:
            self.message.setVisible(False)
            self._saved_at, self._saved = None, None
        if self.pool.is_roundtable and rid is not None:
            prefs = self.settings.preferences()

            Loaded = tuple[grouping.Pool, grouping.Arrangement]

            def fetch(session: Session) -> Loaded:
                pool = grouping.load_pool(session, rid)
                return pool, grouping.load_arrangement(session, rid, pool, prefs)

            def done(result: Loaded) -> None:
                pool, saved = result
                self._saved_at, self._saved = saved.saved_at, saved
                state = self._resumed(key, pool) or PlanState.of(pool, saved)
                if state is not self._state:
                    self._set_state(state)
                plan = state.plan
                self.settings.set_people(len(pool), key, len(plan.tables) if plan else None)
                self._load_ended()

            if not refresh:
                self._set_state(None)
            self._load("pool", fetch, done)
        else:
            self._tickets["pool"] += 1  # a roundtable still loading is no longer wanted
            self._filter_ids = self.pool.filtered_ids()
            kept = self._kept.get(key)
            ids = sorted(self._filter_ids)
            same = kept is not None and [inv.person_id for inv in kept.pool.invitees] == ids
            self._set_state(kept if same else None)
            self.settings.set_people(self.people_count(), key)
            self._load_ended()

    def _resumed(self, key: object, pool: grouping.Pool) -> PlanState | None:
        """The state ``key``'s pool was left in this session, over ``pool`` (None: none)."""
        kept = self._kept.get(key)
        if kept is None or kept.plan is None:
            return None
        if kept.pool.invitees == pool.invitees and kept.pool.past_pairs == pool.past_pairs:
            return kept  # the very same state: its undo commands still apply
        return PlanState.of(pool, grouping.fit_arrangement(pool, kept.arrangement()))

    def people_count(self) -> int:
        if self._state is not None:
            return len(self._state.pool)
        return len(self._filter_ids)

    # --- the plan state (see commands.PlanHost) -------------------------------

    def plan_state(self) -> PlanState | None:
        return self._state

    @property
    def plan(self) -> grouping.Plan | None:
        return self._state.plan if self._state else None

    def show_state(self, state: PlanState) -> None:
        """Show ``state`` (called by the undoable commands)."""
        self._set_state(state)

    def _set_state(self, state: PlanState | None) -> None:
        self._state = state
        if state is not None:
            self._kept[self._pool_key()] = state
        plan = state.plan if state else None
        self.tables.show_plan(plan, state.locked if state else frozenset(), broken_rules(state))
        self.rules.show_state(state)
        self._update_summary()
        self._update_buttons()
        if plan is None:
            self._show_empty()
        else:
            self.stack.setCurrentWidget(self.tables)
        self.plan_changed.emit()

    def _empty_message(self, title: str, text: str, buttons: list) -> None:
        """Show a message in the empty state unless it already shows it."""
        if (self.empty.title.text(), self.empty.message.text()) != (title, text):
            self.empty.show_message(title, text, buttons)

    def _show_empty(self) -> None:
        if self.is_running:  # no Run to press: the bar above offers Stop and Cancel
            tables = self.settings.table_count()
            where = f"{tables} table{'s' if tables != 1 else ''}" if tables else "tables"
            self._empty_message(
                f"Seating {self.people_count():,} people at {where}…",
                "The tables appear here when the search ends. Press “Stop and keep the "
                "best so far” to see them sooner, or Cancel.",
                [],
            )
        else:
            title, text, can_run = empty_message(self.people_count(), self.pool)
            self._empty_message(title, text, [("Run", self._run_clicked)] if can_run else [])
        self.stack.setCurrentWidget(self.empty)

    def _update_summary(self) -> None:
        state = self._state
        if state is None or state.plan is None:
            self.summary.setText("Grouping")
            self.note.setText(self.settings.sizes_text() if self.people_count() >= 2 else "")
            return
        broken = {w for warnings in broken_rules(state).values() for w in warnings}
        self.summary.setText(plan_summary(state.plan, len(broken)))
        plan = state.plan
        seated = {p for members in plan.tables for p in members}
        note, tip = plan_note(
            plan,
            self._saved_at,
            len(state.pool),
            len(state.locked),
            saved=self.is_saved(),
            savable=self.pool.roundtable_id() is not None,
            unseated=tuple(i.name for i in state.pool.invitees if i.person_id not in seated),
        )
        self.note.setText(note)
        self.note.setToolTip(tip)

    def _update_buttons(self) -> None:
        running = self.is_running or self.is_loading
        has_plan = self.plan is not None
        self.run_button.setEnabled(not running and self.people_count() >= 2)
        for button in self.empty.buttons.values():  # the centre Run, when there is one
            button.setEnabled(not running)
        self.reoptimise_button.setEnabled(
            not running and has_plan and bool(self._state and self._state.locked)
        )
        saved = self.is_saved()
        self.save_button.setEnabled(
            not running and has_plan and self.pool.roundtable_id() is not None and not saved
        )
        self.save_button.setToolTip(
            "This plan is saved on the roundtable"
            if saved
            else "Store these tables, with the locks and rules, on the roundtable"
        )
        self.save_button.setVisible(self.pool.is_roundtable)
        self.export_button.setEnabled(not running and has_plan)
        self.print_button.setEnabled(not running and has_plan)
        self.pool.setEnabled(not self.is_running)
        self.settings.setEnabled(not running)
        self.rules.setEnabled(not running)  # its ✕ buttons edit the plan
        self.tables.setEnabled(not running)
        if self.plan is None:
            self._update_summary()

    def is_saved(self) -> bool:
        """Whether the shown plan, its locks and rules are what the roundtable has stored."""
        state, saved = self._state, self._saved
        if state is None or state.plan is None or saved is None or saved.plan is None:
            return False
        shown = state.arrangement()
        return _same_tables(state.plan, saved.plan) and _same_rules(shown.rules, saved.rules)

    def _show_message(self, text: str, title: str = "No plan with these settings") -> None:
        body = escape(text).replace("\n", "<br>")
        self.message_label.setText(f"<b>{escape(title)}</b><br>{body}")
        self.message.setVisible(True)


def _same_tables(a: grouping.Plan, b: grouping.Plan) -> bool:
    """Whether two plans seat the same people together at the same numbered tables."""
    return [sorted(t) for t in a.tables] == [sorted(t) for t in b.tables]


def _same_rules(a: grouping.SavedRules, b: grouping.SavedRules) -> bool:
    return (a.locked, set(a.together), set(a.apart)) == (b.locked, set(b.together), set(b.apart))


def start_warm_up() -> None:
    """Load the compiled search in a separate process (once per session: see showEvent).

    The very first search after installing compiles it (a few seconds that
    would otherwise freeze the window); done in another process while staff
    choose the pool, the first Run finds it ready.
    """
    QProcess.startDetached(sys.executable, ["-m", "roundtable_app.core.grouping.warm_up"])
