"""Save, export and print for the Grouping page (a mixin of :class:`GroupingPage`),
and the one-line summary of the shown plan.

Split from :mod:`roundtable_app.ui.grouping.page`; the page provides
``ctx``, ``pool`` (the pool chooser), ``plan``, ``note`` and ``_saved_at``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QLabel, QWidget

from roundtable_app.core.errors import RoundtableError
from roundtable_app.services import grouping
from roundtable_app.services.temporary import temporary_folder
from roundtable_app.ui import messages
from roundtable_app.ui.common import save_file_name
from roundtable_app.ui.grouping.commands import SavePlanCommand
from roundtable_app.ui.settings import LAST_EXPORT_FOLDER

if TYPE_CHECKING:
    from roundtable_app.services.grouping import Plan
    from roundtable_app.ui.context import AppContext
    from roundtable_app.ui.grouping.pool import PoolChooser


def plan_summary(plan: Plan, broken_rules: int = 0) -> str:
    """E.g. "200 people at 20 tables · 812 of 900 pairings new · 2 warnings"."""
    e = plan.explanation
    warn = len(e.warnings) + broken_rules
    parts = [
        f"{plan.people:,} {'person' if plan.people == 1 else 'people'} at "
        f"{len(plan.tables)} table{'s' if len(plan.tables) != 1 else ''}",
        f"{e.new_pairings:,} of {e.pairs:,} pairings new",
        "no warnings" if not warn else f"{warn} warning{'s' if warn != 1 else ''}",
    ]
    return " · ".join(parts)


def plan_note(
    plan: Plan,
    saved_at: dt.datetime | None,
    pool_size: int,
    locked: int = 0,
    *,
    saved: bool = False,
    savable: bool = False,
    unseated: tuple[str, ...] = (),
) -> tuple[str, str]:
    """How the plan was found (or saved, or edited), and a tooltip with the details.

    ``saved``: the plan is the one stored on the roundtable (``saved_at``, when
    known); ``savable``: it could be (a roundtable's pool) but is not;
    ``unseated``: the names of the people in the pool the plan does not seat.
    """
    tips: list[str] = []
    if plan.score is not None:
        rounds = f"{plan.iterations:,} search rounds, seed {plan.seed}"
        tips.append(f"Found in {plan.elapsed:.1f} s: {rounds}")
    if saved:
        if saved_at is not None:
            local = saved_at.astimezone(ZoneInfo("Europe/London"))
            note = f"Saved plan from {local:%-d %b %Y, %H:%M}"
        else:
            note = "Saved plan"
    elif plan.score is not None:
        note = f"Found in {plan.elapsed:.1f} s"
        if plan.stopped_early:
            note += ", stopped early"
    else:
        note = "Edited by hand"
    if savable and not saved:
        note += " · not saved yet"
    if locked:
        note += f" · {locked} locked"
    missing = max(pool_size - plan.people, len(unseated))
    if missing:
        note += f" · {missing} not seated: run to seat them"
        if unseated:
            tips.append("Not seated: " + ", ".join(unseated))
    return note, "\n".join(tips)


class PlanOutputActions:
    """ "Save to roundtable", "Export CSV…" and "Print table plan…" on the shown plan."""

    ctx: AppContext
    pool: PoolChooser
    note: QLabel
    _saved_at: dt.datetime | None
    _saved: grouping.Arrangement | None
    plan: Any  # gs.Plan | None, a property of the page
    plan_state: Callable[[], Any]  # PlanState | None, a method of the page
    _update_summary: Callable[[], None]  # methods of the page
    _update_buttons: Callable[[], None]

    def _as_widget(self) -> QWidget:
        return cast(QWidget, self)

    def save_to_roundtable(self) -> bool:
        """Store the plan on the chosen roundtable (asking before replacing a saved plan)."""
        rid = self.pool.roundtable_id()
        plan = self.plan
        if rid is None or plan is None:
            return False
        with self.ctx.db.transaction() as session:
            replacing = grouping.saved_plan_at(session, rid) is not None
        if replacing and not messages.confirm(
            self._as_widget(),
            "Replace the saved table plan?",
            "This roundtable already has a saved table plan. Saving replaces it "
            "(you can undo this).",
            "Replace",
        ):
            return False
        state = self.plan_state()
        arrangement = state.arrangement() if state else grouping.Arrangement(plan)
        try:
            command = SavePlanCommand.execute(self.ctx, rid, arrangement)
        except RoundtableError as exc:
            messages.show_error(self._as_widget(), "Cannot save the table plan", str(exc))
            return False
        self._saved_at, self._saved = dt.datetime.now(dt.UTC), arrangement
        self.ctx.undo_stack.push(command)
        self._update_summary()  # "Saved plan from …"
        self._update_buttons()  # nothing left to save
        return True

    def _default_name(self, suffix: str) -> str:
        row = self.pool.roundtable_row()
        title = row.title if row else "Table plan"
        safe = "".join(c if c.isalnum() or c in " -_" else "" for c in title).strip()
        return f"{safe or 'Table plan'} - tables{suffix}"

    def export_csv(self, path: str | None = None) -> int:
        """Write the plan as CSV (asking where when ``path`` is None); return the rows."""
        plan = self.plan
        if plan is None:
            return 0
        if path is None:
            folder = self.ctx.settings.get(LAST_EXPORT_FOLDER)
            start = str(Path(folder) / self._default_name(".csv")) if folder else ""
            path = save_file_name(
                self._as_widget(),
                "Export table plan",
                start or self._default_name(".csv"),
                "CSV (*.csv)",
            )
            if not path:
                return 0
            self.ctx.settings.set(LAST_EXPORT_FOLDER, str(Path(path).parent))
        try:
            return grouping.export_plan_csv(plan, path)
        except RoundtableError as exc:
            messages.show_error(self._as_widget(), "Cannot export the table plan", str(exc))
            return 0

    def write_pdf(self, path: str | Path) -> Path:
        """Write the printable table plan to ``path``."""
        from roundtable_app.services.reports import write_table_plan_pdf

        assert self.plan is not None
        row = self.pool.roundtable_row()
        title = row.title if row else "Table plan"
        when = row.local_start if row else None
        write_table_plan_pdf(self.plan, title, path, when=when, venue=row.venue if row else None)
        return Path(path)

    def print_plan(self) -> bool:
        """Preview the table plan as a PDF (Print…, Save as…); False if it could not be made.

        The PDF lists participants' names, so it lives in a private temporary
        folder only while the preview is open, and is removed when it closes
        (or, after a crash, at the next start).
        """
        if self.plan is None:
            return False
        from roundtable_app.ui.common import PdfPreviewDialog

        try:
            with temporary_folder("table-plan") as folder:
                path = self.write_pdf(folder / (self._default_name(".pdf")))
                dialog = PdfPreviewDialog(path, "Table plan", self._as_widget())
                try:
                    dialog.exec()
                finally:
                    dialog.document.close()  # Windows cannot remove a file still open
                    dialog.deleteLater()
        except (RoundtableError, OSError) as exc:
            messages.show_error(self._as_widget(), "Cannot write the table plan", str(exc))
            return False
        return True
