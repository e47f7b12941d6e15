"""Importing invitees' replies (.ics METHOD:REPLY or .eml carrying one), with a report.

File > Import replies… and files dropped on the window both end in
:func:`import_replies`: every file is applied in ONE transaction (undoable as one
command, "Import 5 replies"), then a result window lists what changed (person,
roundtable, old → new response), per file why anything else changed nothing
(refused or stale replies, people not invited, files that are not replies), and
the forwarded replies it holds until the user applies them.
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
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.services.invitations import (
    HeldReply,
    Problem,
    ReplyChange,
    ReplyIssue,
    ReplyReport,
)
from roundtable_app.ui import messages
from roundtable_app.ui import settings as keys
from roundtable_app.ui.common import open_file_names
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.invitations.commands import ImportRepliesCommand, replies_text
from roundtable_app.ui.invitations.held_replies import HeldRepliesPanel, held_text

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
    """What an import of replies changed, why the rest changed nothing, and what is held.

    Forwarded replies (sent by someone other than the invitee) are held in a list
    of their own; applying them is one more undoable step, which "Undo this
    import" takes back together with the import.
    """

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
        self.files = files
        #: This window's steps on the undo stack: the import, then each "Apply" of held replies.
        self.commands: list[ImportRepliesCommand] = [command] if command is not None else []
        #: The rows of the changes table, each with the step that made it.
        self._rows: list[tuple[ReplyChange, ImportRepliesCommand]] = []
        self._issues: list[ReplyIssue] = []
        self.setWindowTitle("Replies imported")
        self.setMinimumSize(720, 460)
        self.resize(960, 640 if report.held else 560)

        self.title = title = QLabel()
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        title.setObjectName("repliesTitle")
        title.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)

        self.changes_heading = _heading("Responses changed")
        layout.addWidget(self.changes_heading)
        self.changes = _table(
            ["Person", "Address", "Roundtable", "Response", "File"], "replyChanges"
        )
        layout.addWidget(self.changes, 2)
        self.no_changes = QLabel("No response changed.")
        self.no_changes.setObjectName("noChanges")
        layout.addWidget(self.no_changes)

        self.held = HeldRepliesPanel(report.held)
        self.held.apply_requested.connect(self.apply_held)
        layout.addWidget(self.held, 1)

        self.issues_heading = _heading("Changed nothing")
        layout.addWidget(self.issues_heading)
        self.issues = _table(["File", "Outcome", "Why"], "replyIssues")
        # The reasons are sentences to read in full: wrap them, and re-fit when widths change.
        self.issues.setWordWrap(True)
        self.issues.horizontalHeader().sectionResized.connect(
            lambda *_args: self.issues.resizeRowsToContents()
        )
        layout.addWidget(self.issues, 3)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.undo_button = buttons.addButton(
            "&Undo this import", QDialogButtonBox.ButtonRole.ResetRole
        )
        # Enter closes: an undo is never what a stray Enter should do.
        self.undo_button.setAutoDefault(False)
        self.close_button.setDefault(True)
        self.undo_button.clicked.connect(self.undo_import)
        layout.addWidget(buttons)

        self._add_changes(report.changes, command)
        self._add_issues(report.issues)
        self._show_state()
        # Edit > Undo / Redo may undo or redo this import too: say what is true now.
        ctx.undo_stack.indexChanged.connect(self._show_state)

    # --- filling the lists -----------------------------------------------------------------

    def _add_changes(
        self, changes: Sequence[ReplyChange], command: ImportRepliesCommand | None
    ) -> None:
        if command is None or not changes:
            return
        new = sorted(changes, key=lambda c: (c.roundtable_title, c.name))
        self._rows.extend((change, command) for change in new)
        table = self.changes
        first = table.rowCount()
        table.setRowCount(len(self._rows))
        for row, change in enumerate(new, start=first):
            source = change.source
            if change.forwarded_by:
                source = f"{source} (forwarded by {change.forwarded_by})"
            for column, text in enumerate(
                [change.name, change.email, change.roundtable_title, "", source]
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, column, item)
                if column == 3:  # its text now, so that the fit below makes room for it
                    self._show_response(item, change, undone=False)
        table.resizeColumnsToContents()
        for column, cap in enumerate((200, 240, 240, 170)):
            table.setColumnWidth(column, min(table.columnWidth(column) + 12, cap))

    def _add_issues(self, issues: Sequence[ReplyIssue]) -> None:
        self._issues.extend(issues)
        ordered = sorted(self._issues, key=lambda i: (_ORDER.index(i.kind), i.source))
        table = self.issues
        table.setRowCount(len(ordered))
        for row, issue in enumerate(ordered):
            for column, text in enumerate((issue.source, _KIND_LABELS[issue.kind], issue.message)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, column, item)
        table.resizeColumnsToContents()
        table.setColumnWidth(0, min(table.columnWidth(0) + 12, 240))
        table.setColumnWidth(1, min(table.columnWidth(1) + 12, 170))
        table.resizeRowsToContents()

    # --- held (forwarded) replies ----------------------------------------------------------

    def apply_held(self, held: list[HeldReply]) -> None:
        """Apply forwarded replies the user trusts, as one more undoable step."""
        try:
            command, report = ImportRepliesCommand.execute_held(self.ctx, held)
        except RoundtableError as exc:
            messages.show_error(
                self, "Cannot apply the forwarded replies", f"Nothing was changed: {exc}"
            )
            return
        self.held.remove(held)
        if command is not None:
            self.commands.append(command)
            self._add_changes(report.changes, command)
            self.ctx.undo_stack.push(command)
        self._add_issues(report.issues)
        self._show_state()
        if report.issues:
            self.issues.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- what is true now ------------------------------------------------------------------

    def _position(self, command: ImportRepliesCommand) -> int | None:
        """Where ``command`` is on the undo stack (None: not there)."""
        stack = self.ctx.undo_stack
        for index in range(stack.count()):
            if stack.command(index) is command:
                return index
        return None

    def _undone(self, command: ImportRepliesCommand) -> bool:
        position = self._position(command)
        return position is None or position >= self.ctx.undo_stack.index()

    def is_undone(self) -> bool:
        """True once everything this window applied has been undone (here or with Edit > Undo)."""
        return bool(self.commands) and all(self._undone(c) for c in self.commands)

    def _title(self) -> str:
        live = sum(1 for _change, command in self._rows if not self._undone(command))
        if self.is_undone():
            count = len(self._rows)
            back = (
                "1 response is back as it was"
                if count == 1
                else f"{count:,} responses are back as they were"
            )
            return f"Import undone: {back}"
        what = "1 response changed" if live == 1 else f"{live:,} responses changed"
        source = "1 file" if self.files == 1 else f"{self.files:,} files"
        held = f"; {held_text(len(self.held.held))} held" if self.held.held else ""
        return f"{what} from {source}{held}"

    def _show_state(self) -> None:
        self.title.setText(self._title())
        undone = self.is_undone()
        self.changes_heading.setText(
            "Responses put back as they were before the import" if undone else "Responses changed"
        )
        self.changes_heading.setVisible(bool(self._rows))
        self.changes.setVisible(bool(self._rows))
        self.no_changes.setVisible(not self._rows)
        self.changes.setEnabled(not undone)
        for row, (change, command) in enumerate(self._rows):
            item = self.changes.item(row, 3)
            if item is not None:
                self._show_response(item, change, undone=self._undone(command))
        self.issues_heading.setVisible(bool(self._issues))
        self.issues.setVisible(bool(self._issues))
        self.undo_button.setText("&Redo this import" if undone else "&Undo this import")
        self.undo_button.setVisible(bool(self._steps(redo=undone)))

    @staticmethod
    def _show_response(item: QTableWidgetItem, change: ReplyChange, *, undone: bool) -> None:
        """Show "no answer → accepted", or after an undo "back to no answer"."""
        old = _RESPONSE_LABELS.get(change.old.value, change.old.value)
        new = _RESPONSE_LABELS.get(change.new.value, change.new.value)
        text = f"back to {old}" if undone else f"{old} → {new}"
        item.setText(text)
        item.setToolTip(text)
        colour = None if undone else _RESPONSE_COLOURS.get(change.new.value)
        item.setForeground(QBrush(colour) if colour is not None else QBrush())

    def _steps(self, *, redo: bool) -> int:
        """How many undo (or redo) steps take this window's work back (or forward): 0 when
        other changes lie in between, and the stack must be walked step by step."""
        stack = self.ctx.undo_stack
        index = stack.index()
        if redo:
            positions = [self._position(c) for c in self.commands]
            if not positions or None in positions:
                return 0
            wanted = list(range(index, index + len(positions)))
        else:
            positions = [self._position(c) for c in self.commands if not self._undone(c)]
            wanted = list(range(index - len(positions), index))
        return len(positions) if sorted(p for p in positions if p is not None) == wanted else 0

    def undo_import(self) -> None:
        """Undo this import (when it is still the last thing done), or redo it after that."""
        stack = self.ctx.undo_stack
        redo = self.is_undone()
        steps = self._steps(redo=redo)
        for _step in range(steps):
            if redo:
                stack.redo()
            else:
                stack.undo()
        if steps:
            return
        messages.show_error(
            self,
            f"Cannot {'redo' if redo else 'undo'} the import here",
            "Other changes were made after this import; use Edit > Undo to go back step by step.",
        )


def choose_reply_files(ctx: AppContext, parent: QWidget | None) -> list[str]:
    """Ask for reply files (.ics / .eml); remembers the folder."""
    start = ctx.settings.get(keys.LAST_REPLIES_FOLDER) or str(Path.home())
    paths = open_file_names(parent, "Import replies", start, FILE_FILTER)
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
