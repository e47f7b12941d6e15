"""The revisions of a roundtable's summary: every final revision, what changed between
two of them (or since one, in the draft), and restoring one as the new draft."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.discussion import SummaryState
from roundtable_app.core.errors import RoundtableError
from roundtable_app.services import discussion
from roundtable_app.ui import messages
from roundtable_app.ui.context import AppContext

CURRENT = 0  # the draft (or final revision) as it is now, in the "compare with" list


class RevisionsDialog(QDialog):
    """List the final revisions, compare two, restore one as the new draft."""

    def __init__(
        self,
        ctx: AppContext,
        roundtable_id: int,
        restore: Callable[[int], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.roundtable_id = roundtable_id
        self.restore = restore
        self.setWindowTitle("Revisions of the summary")
        self.resize(820, 540)
        self.list = QListWidget()
        self.list.setObjectName("revisionList")
        self.other = QComboBox()
        self.other.setObjectName("compareWith")
        self.changes = QTextBrowser()
        self.changes.setObjectName("changes")
        self.restore_button = QPushButton("Restore as the new draft")
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setToolTip(
            "Replace the draft's notes with this revision's (undoable with Ctrl+Z)"
        )
        self.empty = QLabel(
            "No final revision yet. Make the summary final (Summary > Make final…) to keep a "
            "revision; every final revision is listed here."
        )
        self.empty.setWordWrap(True)
        self.empty.setObjectName("hint")
        compare = QHBoxLayout()
        compare.addWidget(QLabel("What changed from the selected revision to"))
        compare.addWidget(self.other, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        # Enter closes: replacing the draft's notes is never a stray key away.
        self.restore_button.setAutoDefault(False)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addLayout(compare)
        layout.addWidget(self.changes, 2)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(lambda _r: self._compare())
        self.other.activated.connect(lambda _i: self._compare())
        self.restore_button.clicked.connect(self._restore)
        self._load()

    def _load(self) -> None:
        rid = self.roundtable_id
        try:
            with self.ctx.db.reading() as session:
                self.revisions = discussion.revisions(session, rid)
                self.state, self.revision = discussion.summary_state(session, rid)
        except RoundtableError as exc:
            messages.show_error(self, "Cannot list the revisions", str(exc))
            self.revisions = []
            self.state, self.revision = SummaryState.DRAFT, 1
        self.list.clear()
        self.other.clear()
        now = "the draft now" if self.state == SummaryState.DRAFT else "the summary now"
        self.other.addItem(f"{now.capitalize()} (revision {self.revision})", CURRENT)
        for revision in reversed(self.revisions):
            when = revision.finalised_at.astimezone().strftime("%d %b %Y %H:%M")
            by = f" by {revision.finalised_by}" if revision.finalised_by else ""
            item = QListWidgetItem(
                f"Revision {revision.number} — final {when}{by} · {revision.notes} notes"
            )
            item.setData(Qt.ItemDataRole.UserRole, revision.number)
            self.list.addItem(item)
            self.other.addItem(f"Revision {revision.number}", revision.number)
        self.empty.setVisible(not self.revisions)
        self.restore_button.setEnabled(bool(self.revisions))
        if self.revisions:
            self.list.setCurrentRow(0)
        else:
            self.changes.clear()

    def selected(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _content(self, session: Any, number: int) -> list[dict[str, Any]]:
        rid = self.roundtable_id
        if number == CURRENT:
            return discussion.current_content(session, rid)
        return discussion.revision_content(session, rid, number)

    def _compare(self) -> None:
        number = self.selected()
        if number is None:
            return
        other = self.other.currentData()
        try:
            with self.ctx.db.reading() as session:
                lines = discussion.compare(
                    session,
                    self.roundtable_id,
                    self._content(session, number),
                    self._content(session, other),
                )
        except RoundtableError as exc:
            self.changes.setPlainText(str(exc))
            return
        to = self.other.currentText().lower()
        if not lines:
            self.changes.setHtml(f"<p>No change from revision {number} to {html.escape(to)}.</p>")
            return
        rows = []
        for line in lines:
            gone = line.startswith("- ")
            colour, sign = ("#a93226", "Removed") if gone else ("#1e7b34", "Added")
            rows.append(
                f"<p style='margin:2px 0'><span style='color:{colour};font-weight:600'>"
                f"{sign}:</span> {html.escape(line[2:])}</p>"
            )
        self.changes.setHtml("".join(rows))

    def _restore(self) -> None:
        number = self.selected()
        if number is None:
            return
        if self.restore(number):
            self._load()
