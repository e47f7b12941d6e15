"""Review retention: who the team's rule would erase and why, then erase them on one confirmation.

Opened from Edit > Review retention… on the People page. The list (name,
address, last activity and what it was) is read on a worker thread; Erase…
asks once, saying what goes, what stays, that backups keep them until they
expire and that it cannot be undone (Cancel is the default). The erasures run
off the GUI thread with progress and Cancel between people, then the database
file is rewritten once; the undo history is cleared afterwards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Changes
from roundtable_app.core.progress import Progress
from roundtable_app.services import privacy
from roundtable_app.ui import messages
from roundtable_app.ui.common import EmptyState, ReadOnlyTableModel, style_list_table
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.settings import RETENTION_DIALOG_GEOMETRY, restore_geometry
from roundtable_app.ui.workers import Task


def _people(count: int) -> str:
    return f"{count:,} person" if count == 1 else f"{count:,} people"


def _years(count: int) -> str:
    return "1 year" if count == 1 else f"{count} years"


class CandidatesModel(ReadOnlyTableModel):
    """The people the rule would erase: name, address, last activity, what it was."""

    HEADERS = ("Name", "E-mail", "Last activity", "What it was")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.candidates: list[privacy.RetentionCandidate] = []

    def shown_rows(self) -> int:
        return len(self.candidates)

    def set_candidates(self, candidates: list[privacy.RetentionCandidate]) -> None:
        self.beginResetModel()
        self.candidates = candidates
        self.endResetModel()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        cell = self.cell(index)
        if cell is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        row, column = cell
        c = self.candidates[row]
        day = c.last_activity.astimezone().date()
        return (c.name, c.email, f"{day.day} {day:%b %Y}", c.reason)[column]


def confirmation(count: int, years: int) -> str:
    """The one question before erasing: what goes, what stays, backups, no undo."""
    return (
        f"Erase {_people(count)} with no invitation, attendance or change for {_years(years)}?\n\n"
        "What goes: their records in the directory (names, addresses, organisations, needs, "
        "notes, interests and consents), their seating rules, and their names in discussion "
        "notes.\n\n"
        "What stays: their past invitations, without their names, so that the statistics "
        "still add up.\n\n"
        "Backups made before today still hold them until those backups expire.\n\n"
        "This cannot be undone."
    )


class RetentionDialog(QDialog):
    """Review, then apply, the team's retention rule (see the module)."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        self.years: int | None = None
        self.task: Task | None = None
        self.erased_any = False
        self.setWindowTitle("Review retention")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.model = CandidatesModel(self)
        self.table = QTableView()
        self.table.setObjectName("retentionTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        style_list_table(self.table, {0: 200, 1: 230, 2: 110})
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.erase_button = QPushButton("Erase…")
        self.erase_button.setAutoDefault(False)
        self.erase_button.setEnabled(False)
        self.buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.cancel_button = QPushButton("Stop")
        self.cancel_button.setToolTip("Stop after the person being erased; those erased stay so")
        self.cancel_button.hide()
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button.setDefault(True)
        self.buttons.rejected.connect(self.reject)
        self.erase_button.clicked.connect(self.erase)
        self.cancel_button.clicked.connect(self.stop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        restore_geometry(self, ctx.settings, RETENTION_DIALOG_GEOMETRY, (760, 480))
        self.review()

    # --- the review ------------------------------------------------------------------

    def review(self) -> Task | None:
        """Read the rule and who it would erase (in the background); None when it is off."""
        with self.ctx.db.reading() as session:
            self.years = privacy.retention_years(session)
        self.erase_button.setEnabled(False)
        if self.years is None:
            self.intro.setText("")
            self.intro.hide()
            self.empty.show_message(
                "Retention is off",
                "Turn it on in Privacy settings to erase people who have had no invitation, "
                f"attendance or change for a number of years ({privacy.SUGGESTED_YEARS} is "
                "usual). It holds for everyone who uses this database.",
                [("Privacy settings…", self._open_settings)],
            )
            self.stack.setCurrentWidget(self.empty)
            return None
        years, today, db = self.years, self.today, self.ctx.db
        self.intro.show()
        self.intro.setText(
            f"The team keeps people for {_years(years)}: these people have had no invitation, "
            f"attendance or change in that time. Reading the directory…"
        )
        self.progress.setRange(0, 0)
        self.progress.show()

        def work(_progress: Progress) -> list[privacy.RetentionCandidate]:
            with db.reading() as session:
                return privacy.retention_review(session, years, today)

        self.task = self.ctx.run_in_background(
            work, parent=self, on_done=self._reviewed, on_error=self._failed
        )
        self._follow(self.task)
        return self.task

    def _follow(self, task: Task) -> None:
        task.ended.connect(lambda: self._ended(task))

    def _reviewed(self, candidates: list[privacy.RetentionCandidate]) -> None:
        self.model.set_candidates(candidates)
        count, years = len(candidates), self.years or 0
        if count:
            self.intro.setText(
                f"The team keeps people for {_years(years)}. {_people(count)} "
                f"{'has' if count == 1 else 'have'} had no invitation, attendance or change "
                "in that time, longest first. Nothing is erased until you confirm."
            )
            self.stack.setCurrentWidget(self.table)
        else:
            self.intro.setText(f"The team keeps people for {_years(years)}.")
            self.empty.show_message(
                "No one to erase",
                f"Everyone in the directory has had an invitation, attendance or change in the "
                f"last {'year' if years == 1 else _years(years)}.",
                [],
            )
            self.stack.setCurrentWidget(self.empty)
        self.erase_button.setText(f"Erase {_people(count)}…" if count else "Erase…")
        self.erase_button.setEnabled(count > 0)

    def _open_settings(self) -> None:
        from roundtable_app.ui.privacy.settings_dialog import PrivacySettingsDialog

        dialog = PrivacySettingsDialog(self.ctx, self)
        if dialog.exec():
            self.review()
        dialog.deleteLater()

    # --- erasing ---------------------------------------------------------------------

    def erase(self) -> Task | None:
        """Erase… : one confirmation, then the erasures in the background."""
        candidates, years = self.model.candidates, self.years
        if not candidates or years is None or self.task is not None:
            return None
        if not messages.confirm(
            self,
            "Erase people",
            confirmation(len(candidates), years),
            f"Erase {_people(len(candidates))}",
        ):
            return None
        ids = [c.person_id for c in candidates]
        today, db = self.today, self.ctx.db
        self.erase_button.setEnabled(False)
        self.close_button.setEnabled(False)
        self.cancel_button.show()
        self.progress.setRange(0, len(ids))
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText("Erasing…")

        def work(progress: Progress) -> privacy.RetentionResult:
            return privacy.apply_retention(db, ids, years, today, progress=progress)

        self.task = self.ctx.run_in_background(
            work,
            parent=self,
            on_done=self._erased,
            on_error=self._failed,
            on_progress=self._progressed,
        )
        self._follow(self.task)
        return self.task

    def _progressed(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(message)

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.status.setText("Stopping after the person being erased…")

    def _after_erasing(self) -> None:
        self.erased_any = True
        self.ctx.undo_stack.clear()  # an undo could otherwise bring someone back
        self.ctx.publish(Changes(all_people=True, all_roundtables=True))

    def _erased(self, result: privacy.RetentionResult) -> None:
        if result.erased:
            self._after_erasing()
        parts = [f"Erased {_people(result.erased)}"]
        if result.stopped:
            parts[0] += " before you stopped"
        if result.skipped:
            parts.append(
                f"{_people(result.skipped)} had become active meanwhile and "
                f"{'was' if result.skipped == 1 else 'were'} kept"
            )
        text = "; ".join(parts) + "."
        if result.erased:
            text += " The database file was rewritten, so no trace of them is left in it."
        self.task = None
        self.review()
        self.status.setText(text)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, privacy.ScrubError):
            self._after_erasing()  # erased, but the file could not be rewritten yet
        self.status.setText(
            str(error) if isinstance(error, RoundtableError) else f"Something went wrong: {error}"
        )

    def _ended(self, task: Task) -> None:
        if self.task is task:
            self.task = None
        if self.task is None:  # (a review started after erasing keeps its bar)
            self.progress.hide()
        self.cancel_button.hide()
        self.close_button.setEnabled(True)

    def reject(self) -> None:
        if self.task is not None and self.task.running:
            return  # erasing: Stop first (the window closes once it has stopped)
        super().reject()

    def done(self, result: int) -> None:
        self.ctx.settings.set(RETENTION_DIALOG_GEOMETRY, self.saveGeometry())
        super().done(result)
