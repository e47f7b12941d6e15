"""Save, export and print for the Grouping page (a mixin of :class:`GroupingPage`).

Split from :mod:`roundtable_app.ui.pages.grouping_page`; the page provides
``ctx``, ``pool`` (the pool chooser), ``plan``, ``note`` and ``_saved_at``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from roundtable_app.core.errors import RoundtableError
from roundtable_app.services import grouping_io, grouping_views
from roundtable_app.ui import messages
from roundtable_app.ui.grouping_commands import SavePlanCommand
from roundtable_app.ui.settings import LAST_EXPORT_FOLDER

if TYPE_CHECKING:
    from roundtable_app.ui.context import AppContext
    from roundtable_app.ui.widgets.grouping_pool import PoolChooser


class PlanOutputActions:
    """ "Save to roundtable", "Export CSV…" and "Print table plan…" on the shown plan."""

    ctx: AppContext
    pool: PoolChooser
    note: QLabel
    _saved_at: dt.datetime | None
    plan: Any  # gs.Plan | None, a property of the page

    def _as_widget(self) -> QWidget:
        return cast(QWidget, self)

    def save_to_roundtable(self) -> bool:
        """Store the plan on the chosen roundtable (asking before replacing a saved plan)."""
        rid = self.pool.roundtable_id()
        plan = self.plan
        if rid is None or plan is None:
            return False
        with self.ctx.db.transaction() as session:
            replacing = grouping_views.saved_plan_at(session, rid) is not None
        if replacing and not messages.confirm(
            self._as_widget(),
            "Replace the saved table plan?",
            "This roundtable already has a saved table plan. Saving replaces it "
            "(you can undo this).",
            "Replace",
        ):
            return False
        try:
            command = SavePlanCommand.execute(self.ctx, rid, plan)
        except RoundtableError as exc:
            messages.show_error(self._as_widget(), "Cannot save the table plan", str(exc))
            return False
        self.ctx.undo_stack.push(command)
        self._saved_at = dt.datetime.now(dt.UTC)
        self.note.setText(f"Saved to the roundtable · {len(plan.tables)} tables")
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
            path, _ = QFileDialog.getSaveFileName(
                self._as_widget(),
                "Export table plan",
                start or self._default_name(".csv"),
                "CSV (*.csv)",
            )
            if not path:
                return 0
            self.ctx.settings.set(LAST_EXPORT_FOLDER, str(Path(path).parent))
        try:
            return grouping_io.export_plan_csv(plan, path)
        except RoundtableError as exc:
            messages.show_error(self._as_widget(), "Cannot export the table plan", str(exc))
            return 0

    def write_pdf(self, path: str | Path) -> Path:
        """Write the printable table plan to ``path``."""
        from roundtable_app.services.table_plan_pdf import write_table_plan_pdf

        assert self.plan is not None
        row = self.pool.roundtable_row()
        title = row.title if row else "Table plan"
        when = row.local_start if row else None
        write_table_plan_pdf(self.plan, title, path, when=when, venue=row.venue if row else None)
        return Path(path)

    def print_plan(self, *, preview: bool = True) -> Path | None:
        """Write the table plan PDF to a temporary file and preview it (Print, Save as…)."""
        if self.plan is None:
            return None
        folder = Path(tempfile.mkdtemp(prefix="roundtable-plan-"))
        try:
            path = self.write_pdf(folder / (self._default_name(".pdf")))
        except (RoundtableError, OSError) as exc:
            messages.show_error(self._as_widget(), "Cannot write the table plan", str(exc))
            return None
        if preview:
            from roundtable_app.ui.dialogs.pdf_preview_dialog import PdfPreviewDialog

            dialog = PdfPreviewDialog(path, "Table plan", self._as_widget())
            dialog.exec()
            dialog.deleteLater()
        return path
