"""Importing invitees' replies (.ics METHOD:REPLY or .eml carrying one), with a report.

File > Import replies… and files dropped on the window both end in
:func:`import_replies`: every file is applied in ONE transaction (undoable as one
command, "Import 5 replies"), then a result window lists what changed (person,
roundtable, old → new response) and, per file, why anything else changed
nothing: stale replies, people not invited, files that are not replies.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.services.invitations import Problem, ReplyChange, ReplyReport
from roundtable_app.ui import messages
from roundtable_app.ui import settings as keys
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.invitations.commands import ImportRepliesCommand, replies_text

REPLY_SUFFIXES = (".ics", ".eml")
FILE_FILTER = "Calendar replies (*.ics *.eml);;All files (*)"
_KIND_LABELS = {
    Problem.ALREADY_APPLIED: "Already applied",
    Problem.STALE: "Ignored: older reply",
    Problem.REFUSED: "Refused",
    Problem.NOT_SENT: "Invitation not sent",
    Problem.CANCELLED: "Roundtable cancelled",
    Problem.NOT_INVITED: "Not invited",
    Problem.WITHDRAWN: "Withdrawn",
    Problem.UNKNOWN_EVENT: "Unknown roundtable",
    Problem.NOT_A_REPLY: "Not a reply",
    Problem.MALFORMED: "Unreadable file",
    Problem.UNSUPPORTED: "Answer not used",
    None: "No change",
}
# Refused (possibly forged) replies first: they are what the user most needs to see.
_ORDER = [
    Problem.REFUSED,
    None,
    Problem.ALREADY_APPLIED,
    Problem.STALE,
    Problem.CANCELLED,
    Problem.NOT_SENT,
    Problem.NOT_INVITED,
    Problem.WITHDRAWN,
    Problem.UNKNOWN_EVENT,
    Problem.UNSUPPORTED,
    Problem.NOT_A_REPLY,
    Problem.MALFORMED,
]
_RESPONSE_LABELS = {
    "needs_action": "no answer",
    "accepted": "accepted",
    "declined": "declined",
    "tentative": "tentative",
}
_RESPONSE_COLOURS = {
    "accepted": QColor("#067647"),
    "declined": QColor("#b42318"),
    "tentative": QColor("#b54708"),
}


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


class RepliesResultDialog(QDialog):
    """What an import of replies changed, and why the rest changed nothing."""

    def __init__(
        self,
        ctx: AppContext,
        report: ReplyReport,
        files: int,
        command: ImportRepliesCommand | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report = report
        self.command = command
        self._sorted_changes: list[ReplyChange] = []
        self.setWindowTitle("Replies imported")
        self.setMinimumSize(720, 460)
        self.resize(960, 560)

        self.files = files
        self.title = title = QLabel(self._title(report, files))
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        title.setObjectName("repliesTitle")
        title.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)

        self.changes_heading = _heading("Responses changed")
        if report.changes:
            layout.addWidget(self.changes_heading)
            self.changes = _table(
                ["Person", "Address", "Roundtable", "Response", "File"], "replyChanges"
            )
            self._fill_changes()
            layout.addWidget(self.changes, 3)
        else:
            self.changes = _table(
                ["Person", "Address", "Roundtable", "Response", "File"], "replyChanges"
            )
            note = QLabel("No response changed.")
            note.setObjectName("noChanges")
            layout.addWidget(note)
        self.issues = _table(["File", "Outcome", "Why"], "replyIssues")
        if report.issues:
            layout.addWidget(_heading("Not applied"))
            self._fill_issues()
            layout.addWidget(self.issues, 2)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.undo_button = buttons.addButton(
            "&Undo this import", QDialogButtonBox.ButtonRole.ResetRole
        )
        # Enter closes: an undo is never what a stray Enter should do.
        self.undo_button.setAutoDefault(False)
        self.close_button.setDefault(True)
        self.undo_button.setVisible(command is not None)
        self.undo_button.clicked.connect(self.undo_import)
        layout.addWidget(buttons)
        # Edit > Undo / Redo may undo or redo this import too: say what is true now.
        ctx.undo_stack.indexChanged.connect(self._show_state)

    @staticmethod
    def _title(report: ReplyReport, files: int) -> str:
        changed = len(report.changes)
        what = "1 response changed" if changed == 1 else f"{changed:,} responses changed"
        source = "1 file" if files == 1 else f"{files:,} files"
        return f"{what} from {source}"

    def _fill_changes(self) -> None:
        changes = sorted(self.report.changes, key=lambda c: (c.roundtable_title, c.name))
        self._sorted_changes = changes
        self.changes.setRowCount(len(changes))
        for row, change in enumerate(changes):
            cells = [change.name, change.email, change.roundtable_title, "", change.source]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.changes.setItem(row, column, item)
        self._show_responses(undone=False)
        self.changes.resizeColumnsToContents()
        for column, cap in enumerate((200, 240, 240, 170)):
            self.changes.setColumnWidth(column, min(self.changes.columnWidth(column) + 12, cap))

    def _show_responses(self, *, undone: bool) -> None:
        """Each row's response: "no answer → accepted", or after an undo "back to no answer"."""
        for row, change in enumerate(self._sorted_changes):
            old = _RESPONSE_LABELS.get(change.old.value, change.old.value)
            new = _RESPONSE_LABELS.get(change.new.value, change.new.value)
            item = self.changes.item(row, 3)
            if item is None:
                continue
            text = f"back to {old}" if undone else f"{old} → {new}"
            item.setText(text)
            item.setToolTip(text)
            colour = None if undone else _RESPONSE_COLOURS.get(change.new.value)
            item.setForeground(QBrush(colour) if colour is not None else QBrush())

    def _fill_issues(self) -> None:
        issues = sorted(self.report.issues, key=lambda i: (_ORDER.index(i.kind), i.source))
        self.issues.setRowCount(len(issues))
        for row, issue in enumerate(issues):
            for column, text in enumerate((issue.source, _KIND_LABELS[issue.kind], issue.message)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.issues.setItem(row, column, item)
        self.issues.resizeColumnsToContents()
        self.issues.setColumnWidth(0, min(self.issues.columnWidth(0) + 12, 240))
        self.issues.setColumnWidth(1, min(self.issues.columnWidth(1) + 12, 170))

    def _position(self) -> int | None:
        """Where this import's command is on the undo stack (None: not there)."""
        stack = self.ctx.undo_stack
        for index in range(stack.count()):
            if stack.command(index) is self.command:
                return index
        return None

    def is_undone(self) -> bool:
        """True once this import has been undone (here or with Edit > Undo)."""
        position = self._position()
        return self.command is not None and (
            position is None or position >= self.ctx.undo_stack.index()
        )

    def _show_state(self) -> None:
        if self.command is None:
            return
        position = self._position()
        undone = self.is_undone()
        changed = len(self.report.changes)
        if undone:
            back = (
                "1 response is back as it was"
                if changed == 1
                else (f"{changed:,} responses are back as they were")
            )
            self.title.setText(f"Import undone: {back}")
            self.changes_heading.setText("Responses put back as they were before the import")
        else:
            self.title.setText(self._title(self.report, self.files))
            self.changes_heading.setText("Responses changed")
        self.changes.setEnabled(not undone)
        if self.report.changes:
            self._show_responses(undone=undone)
        redoable = undone and position is not None and position == self.ctx.undo_stack.index()
        self.undo_button.setText("&Redo this import" if undone else "&Undo this import")
        self.undo_button.setVisible(not undone or redoable)

    def undo_import(self) -> None:
        """Undo this import (when it is still the last thing done), or redo it after that."""
        stack = self.ctx.undo_stack
        position = self._position()
        if position is not None and position == stack.index() - 1:
            stack.undo()
            return
        if position is not None and position == stack.index() and self.is_undone():
            stack.redo()
            return
        messages.show_error(
            self,
            "Cannot undo the import here",
            "Other changes were made after this import; use Edit > Undo to go back step by step.",
        )


def choose_reply_files(ctx: AppContext, parent: QWidget | None) -> list[str]:
    """Ask for reply files (.ics / .eml); remembers the folder."""
    start = ctx.settings.get(keys.LAST_REPLIES_FOLDER) or str(Path.home())
    paths, _filter = QFileDialog.getOpenFileNames(parent, "Import replies", start, FILE_FILTER)
    if paths:
        ctx.settings.set(keys.LAST_REPLIES_FOLDER, str(Path(paths[0]).parent))
    return list(paths)


def import_replies(
    ctx: AppContext, paths: Sequence[str] | None, parent: QWidget | None
) -> RepliesResultDialog | None:
    """Apply reply files (asking for them when ``paths`` is None) and show the result.

    The import is one undoable command; the result window is not modal, so the
    user can look at the invitee lists while it is open. Returns it (None when
    no file was chosen or the import failed, which is then shown as an error).
    """
    chosen = list(paths) if paths else choose_reply_files(ctx, parent)
    if not chosen:
        return None
    files = [Path(p) for p in chosen]
    try:
        command, report = ImportRepliesCommand.execute(ctx, files)
    except RoundtableError as exc:
        messages.show_error(parent, "Cannot import the replies", f"Nothing was changed: {exc}")
        return None
    if command is not None:
        ctx.undo_stack.push(command)
    dialog = RepliesResultDialog(ctx, report, len(files), command, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


__all__ = ["REPLY_SUFFIXES", "RepliesResultDialog", "import_replies", "replies_text"]
