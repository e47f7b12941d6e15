"""Running the optimiser for the Grouping page (a mixin of :class:`GroupingPage`).

Split from :mod:`roundtable_app.ui.grouping.page`. A run goes in the
background with a progress bar, Cancel and "Stop and keep the best so far";
while it goes no Run control is enabled, and its result arrives as one
undoable :class:`~roundtable_app.ui.grouping.commands.PlanCommand`. The page
provides the widgets and state named below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.progress import Progress
from roundtable_app.services import grouping
from roundtable_app.ui.grouping.commands import PlanCommand, PlanState
from roundtable_app.ui.workers import Task

if TYPE_CHECKING:
    from PySide6.QtCore import QObject, SignalInstance
    from PySide6.QtWidgets import QLabel, QProgressBar, QWidget

    from roundtable_app.ui.context import AppContext
    from roundtable_app.ui.grouping.settings_panel import GroupingSettings


class PlanRunActions:
    """Run, re-optimise, cancel and stop early (see the module docstring)."""

    ctx: AppContext
    settings: GroupingSettings
    message: QWidget
    progress: QProgressBar
    progress_label: QLabel
    run_bar: QWidget
    run_finished: SignalInstance
    _task: Task | None
    _state: PlanState | None
    _filter_ids: list[int]

    # provided by the page
    @property
    def is_loading(self) -> bool:
        raise NotImplementedError

    @property
    def plan(self) -> grouping.Plan | None:
        raise NotImplementedError

    def plan_state(self) -> PlanState | None:
        raise NotImplementedError

    def show_state(self, state: PlanState) -> None:
        raise NotImplementedError

    def people_count(self) -> int:
        raise NotImplementedError

    def _update_buttons(self) -> None:
        raise NotImplementedError

    def _show_empty(self) -> None:
        raise NotImplementedError

    def _show_message(self, text: str, title: str = "No plan with these settings") -> None:
        raise NotImplementedError

    @property
    def is_running(self) -> bool:
        return self._task is not None

    def _run_clicked(self) -> None:
        self.run()

    def run(self, *, keep_locked: bool = False) -> Task | None:
        """Optimise in the background; with ``keep_locked``, locked people keep their tables."""
        if self.is_running or self.is_loading:
            return None
        self.message.setVisible(False)
        state = self._state
        if state is None and len(self._filter_ids) < 2:
            return None
        filter_ids = list(self._filter_ids)
        options: dict[str, Any] = {
            "preferences": self.settings.preferences(),
            **self.settings.size_request(),
            **self.settings.search_options(),
        }
        if keep_locked and state is not None and state.plan is not None:
            options.pop("size", None)
            options["tables"] = len(state.plan.tables)
        n = self.people_count()
        text = "Re-optimise unlocked people" if keep_locked else f"Group {n} people"

        def work(progress: Progress) -> tuple[PlanState, grouping.Plan]:
            before = state
            if before is None:  # a directory filter: read its people here, off the GUI thread
                with self.ctx.db.transaction() as session:
                    before = PlanState(pool=grouping.pool_from_people(session, filter_ids))
            arrangement = before.arrangement(keep_locked=keep_locked)
            plan = grouping.replan(before.pool, arrangement, progress=progress, **options)
            return before, plan

        def done(result: tuple[PlanState, grouping.Plan]) -> None:
            before, plan = result
            self._end_run()
            if self._state is None:
                self._state = before
            command = PlanCommand.create(self, before, plan, text, keep_locked=keep_locked)
            self.ctx.undo_stack.push(command)
            self.run_finished.emit(True)

        self.progress.setValue(0)
        self.progress_label.setText("Searching…")
        self.run_bar.setVisible(True)
        self._task = self.ctx.run_in_background(
            work,
            parent=cast("QObject", self),
            on_done=done,
            on_error=self._run_failed,
            on_progress=self._run_progressed,
            on_cancelled=self._run_cancelled,
        )
        self._update_buttons()
        if self.plan is None:
            self._show_empty()  # "Seating …", without a Run to press again
        return self._task

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
        if self.plan is None:  # cancelled or failed: offer Run again
            self._show_empty()

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
