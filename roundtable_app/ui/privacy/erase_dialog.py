"""Erase this person: what goes, what stays, that it cannot be undone; then the erasure.

The dialog reads what erasing would do (``privacy.erasure_preview``) and asks
for an explicit tick before Erase can be pressed; Cancel is the default and
Escape cancels. The erasure and the rewriting of the database files run off
the GUI thread; the undo history is cleared after it (an undo could otherwise
bring the person's data back).
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Changes
from roundtable_app.core.progress import Progress
from roundtable_app.services import privacy
from roundtable_app.ui.context import AppContext


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def describe(preview: privacy.ErasurePreview) -> str:
    """The dialog's text (rich text): what goes, what stays, what it cannot do."""
    goes = ["their record in the directory: name, address, organisation, needs and notes"]
    goes.append("their interests and consents")
    if preview.seating_rules:
        goes.append(_plural(preview.seating_rules, "seating rule") + " with them")
    if preview.mentions:
        goes.append(
            f"their name in {_plural(preview.mentions, 'discussion note')} "
            "(replaced by “a participant”)"
        )
    if preview.chaired:
        goes.append(
            f"their name as chair of {_plural(preview.chaired, 'roundtable')} "
            "(the roundtables stay)"
        )
    items = "".join(f"<li>{escape(g)}</li>" for g in goes)
    return (
        f"<p>Erasing <b>{escape(preview.name)}</b> &lt;{escape(preview.email)}&gt; removes:"
        f"</p><ul>{items}</ul>"
        f"<p><b>What stays:</b> {escape(preview.stays())}.</p>"
        "<p><b>Backups</b> made before today still hold them until they expire.</p>"
        "<p><b>This cannot be undone.</b> Afterwards the database file is rewritten so "
        "that no trace of them is left in it, and the Undo history is cleared.</p>"
    )


class EraseDialog(QDialog):
    """Confirm, then erase one person (see the module)."""

    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        self.erased = False
        with ctx.db.reading() as session:
            self.preview = privacy.erasure_preview(session, person_id)
        self.setWindowTitle(f"Erase {self.preview.name}?")
        self.text = QLabel(describe(self.preview))
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.understood = QCheckBox("I understand that this cannot be undone")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = self.buttons.addButton(
            "Erase for good", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.erase_button.setEnabled(False)
        self.erase_button.setAutoDefault(False)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        self.understood.toggled.connect(self.erase_button.setEnabled)
        self.erase_button.clicked.connect(self.erase)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.understood)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def erase(self) -> None:
        if not self.understood.isChecked():
            return
        self.erase_button.setEnabled(False)
        self.understood.setEnabled(False)
        self.progress.show()
        self.status.setText("Erasing, then rewriting the database file…")
        db, person_id = self.ctx.db, self.person_id

        def work(_progress: Progress) -> Any:
            with db.transaction() as session:
                privacy.erase_person(session, person_id)
            privacy.clean_up(db)

        self.ctx.run_in_background(work, parent=self, on_done=self._done, on_error=self._failed)

    def _finish(self) -> None:
        self.erased = True
        self.ctx.undo_stack.clear()
        self.ctx.publish(Changes(all_people=True, all_roundtables=True))

    def _done(self, _result: object) -> None:
        self._finish()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.progress.hide()
        if isinstance(error, privacy.ScrubError):
            # Erased, but the file could not be rewritten yet: say so and what to do.
            self._finish()
        text = (
            str(error)
            if isinstance(error, RoundtableError)
            else f"The person could not be erased ({error}); nothing was changed."
        )
        self.status.setText(text)
        self.buttons.clear()
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        close.clicked.connect(self.accept if self.erased else self.reject)
