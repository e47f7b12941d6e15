"""The register page's grouping steps: suggestions computed in the background, a group
confirmed or a suggestion dismissed, a group split or left; each one undoable step.

A mixin of :class:`~roundtable_app.ui.register.page.RegisterPage` (which holds the
widgets and the list): what the page does with the suggestions panel's and the
detail panel's requests about groups.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtWidgets import QWidget

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.progress import Progress
from roundtable_app.services import register
from roundtable_app.services.register import Entry, Suggestion
from roundtable_app.ui import messages
from roundtable_app.ui.register import commands
from roundtable_app.ui.workers import Task

if TYPE_CHECKING:
    from roundtable_app.ui.context import AppContext
    from roundtable_app.ui.register.suggestions import SuggestionsPanel


class GroupingSteps:
    """Suggest groupings, Group, Not the same, Split group and Remove from group."""

    ctx: AppContext
    suggestions: SuggestionsPanel
    suggesting: Task | None
    suggestions_shown: Any
    _current_key: str | None
    _own_group_change: bool
    load: Callable[[], Task]
    _update_actions: Callable[[], None]

    def _widget(self) -> QWidget:
        return cast("QWidget", self)  # the page: this is its mixin

    def _ungroup(self, step: str, do: Callable[[], None]) -> None:
        try:
            do()
        except RoundtableError as exc:
            messages.show_error(self._widget(), f"Cannot {step}", str(exc))
            self.load()

    def split(self, entry: Entry | None) -> None:
        """Split group: every need of the entry stands alone again (undoable)."""
        if entry is None or entry.group_id is None:
            return
        group_id = entry.group_id
        self._current_key = f"n{entry.needs[0].id}"
        self._ungroup("split the group", lambda: commands.split_group(self.ctx, group_id))

    def leave(self, entry: Entry, note_id: int) -> None:
        """Remove from group: the need ``note_id`` leaves the entry's group (undoable)."""
        if entry.group_id is None:
            return
        group_id = entry.group_id
        self._ungroup(
            "remove the need from its group",
            lambda: commands.leave_group(self.ctx, group_id, note_id),
        )

    # --- suggestions -----------------------------------------------------------------------

    def suggest(self) -> Task | None:
        """Suggest groupings: compare every need in the background (progress, Cancel)."""
        if self.suggesting is not None and self.suggesting.running:
            return self.suggesting
        self.suggestions.set_running(True)

        def work(progress: Progress) -> list[Suggestion]:
            with self.ctx.db.reading() as session:
                return register.suggest_groups(session, progress=progress)

        def done(found: list[Suggestion]) -> None:
            self.suggestions.set_running(False)
            self.suggestions.set_suggestions(found)
            self._update_actions()
            self.suggestions_shown.emit(len(found))

        def failed(exc: BaseException) -> None:
            self.suggestions.set_running(False)
            self._update_actions()
            messages.show_error(self._widget(), "Cannot suggest groupings", str(exc))

        def cancelled() -> None:
            self.suggestions.set_running(False)
            self._update_actions()

        self.suggesting = self.ctx.run_in_background(
            work,
            parent=self._widget(),
            on_done=done,
            on_error=failed,
            on_progress=self.suggestions.set_progress,
            on_cancelled=cancelled,
        )
        self._update_actions()
        return self.suggesting

    def _cancel_suggest(self) -> None:
        if self.suggesting is not None and self.suggesting.running:
            self.suggesting.cancel()

    def group(self, suggestion: Suggestion) -> bool:
        """Group: the suggestion's needs become one entry, which the list then selects."""
        self._own_group_change = True
        try:
            group_id = commands.confirm_group(self.ctx, [n.id for n in suggestion.needs])
        except RoundtableError as exc:
            messages.show_error(self._widget(), "Cannot group these needs", str(exc))
            self.load()
            return False
        finally:
            self._own_group_change = False
        self._current_key = f"g{group_id}"
        self.suggestions.drop(suggestion.key)
        return True

    def dismiss(self, suggestion: Suggestion) -> bool:
        """Not the same: the suggestion is not offered again (undoable)."""
        self._own_group_change = True
        try:
            commands.dismiss_suggestion(self.ctx, suggestion.key)
        except RoundtableError as exc:
            messages.show_error(self._widget(), "Cannot dismiss the suggestion", str(exc))
            return False
        finally:
            self._own_group_change = False
        self.suggestions.drop(suggestion.key)
        return True
