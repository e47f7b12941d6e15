"""File > Back up now…: a copy of the data, made in the background, and where it went.

The copy starts as the dialog opens (a worker thread, with a busy bar); the
dialog then says where the copy is, with a button that shows the folder, and
lets the user choose how many copies the backups folder keeps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.services import backup
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.settings import BACKUP_KEEP, Settings


def size_text(size: int) -> str:
    """A file size as people read it: "62.2 MB", "328 kB"."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(size, 1000) / 1000:.0f} kB"


def keep_box(settings: Settings) -> QSpinBox:
    """How many copies the backups folder keeps (a setting, saved as it changes)."""
    box = QSpinBox()
    box.setRange(1, 365)
    box.setValue(max(1, settings.get(BACKUP_KEEP)))
    box.setSuffix(" copies")
    box.setAccessibleName("How many copies to keep")
    box.setToolTip(
        "The app makes a copy on the first start of each day. Older copies than these, "
        "including those made before upgrades and restores, are removed."
    )
    box.valueChanged.connect(lambda value: settings.set(BACKUP_KEEP, value))
    return box


class BackupDialog(QDialog):
    """Back up now: runs the backup as it opens and shows where the copy went.

    Attributes for tests: ``backup_result`` (the :class:`BackupResult`) or ``error``
    (its message) once the work has ended.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.backup_result: backup.BackupResult | None = None
        self.error = ""
        self.setWindowTitle("Back up now")
        self.setMinimumWidth(520)
        self.database = backup.database_file(ctx.db)

        self.status = QLabel("Copying your data…")
        self.status.setObjectName("backupStatus")
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: the copy is one step
        self.bar.setTextVisible(False)
        self.where = QLabel()
        self.where.setObjectName("backupWhere")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where.hide()
        self.note = QLabel(
            "The backups folder keeps the newest copies: one is made on the first start of "
            "each day, and one each time you back up now. To keep a copy for longer, copy it "
            "to another place."
        )
        self.note.setObjectName("backupNote")
        self.note.setWordWrap(True)
        self.note.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.where)
        layout.addSpacing(6)
        layout.addWidget(self.note)
        self.keep: QSpinBox | None = None
        if self.database is not None:
            row = QHBoxLayout()
            label = QLabel("&Keep the newest")
            self.keep = keep_box(ctx.settings)
            label.setBuddy(self.keep)
            row.addWidget(label)
            row.addWidget(self.keep)
            row.addWidget(QLabel("in the backups folder"))
            row.addStretch(1)
            layout.addLayout(row)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.show_button = QPushButton("&Show folder")
        self.show_button.setEnabled(False)
        self.show_button.clicked.connect(self.show_folder)
        self.buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        layout.addWidget(self.buttons)
        self.close_button.setDefault(True)  # once in the dialog, which then knows it

        self.task = ctx.run_in_background(
            self._work, parent=self, on_done=self._done, on_error=self._failed
        )

    @property
    def running(self) -> bool:
        return self.task.running

    def _work(self, progress: Any) -> backup.BackupResult:
        result = backup.back_up(self.ctx.db, progress=progress)
        if self.database is not None:
            backup.prune(self.database, self.ctx.settings.get(BACKUP_KEEP))
        return result

    def _done(self, result: backup.BackupResult) -> None:
        self.backup_result = result
        self.bar.hide()
        self.status.setText(f"Your data was backed up ({size_text(result.size)}) to:")
        self.where.setText(str(result.path))
        self.where.show()
        self.note.setVisible(self.database is not None)
        self.show_button.setEnabled(True)
        self.show_button.setFocus()
        self.adjustSize()  # the wrapped lines need their height

    def _failed(self, exc: BaseException) -> None:
        self.error = str(exc)
        self.bar.hide()
        self.status.setText("The backup was not made.")
        self.where.setStyleSheet("color: #b42318;")
        self.where.setText(self.error)
        self.where.show()
        self.close_button.setFocus()
        self.adjustSize()

    def show_folder(self) -> None:
        """Open the folder that holds the copy in the file manager."""
        if self.backup_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.backup_result.path).parent)))
