"""File > Restore from backup…: choose a copy, have it checked, confirm, and the window reopens.

The copies of the database in its backups folder are listed with when they
were made, why, their size and schema; "Choose a file…" takes any other file.
Restore… checks the chosen file first (in the background: SQLite's whole
integrity check), says why a damaged or newer one cannot be restored, and asks
before replacing the data, saying that the current data is kept as a backup.
The main window then does the restore (:meth:`MainWindow.restore_from_backup`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.services import backup
from roundtable_app.storage.migrations import HEAD
from roundtable_app.ui import messages
from roundtable_app.ui.backup.backup_dialog import size_text
from roundtable_app.ui.common import open_file_name, style_list_table
from roundtable_app.ui.context import AppContext

KINDS = {
    backup.DAILY: "Daily",
    backup.MANUAL: "Back up now",
    backup.BEFORE_RESTORE: "Before a restore",
}
HEADERS = ("Made", "Why", "Size", "Schema")


def kind_text(kind: str) -> str:
    if kind.startswith("before-upgrade"):
        return "Before an upgrade"
    return KINDS.get(kind, kind.replace("-", " ").capitalize())


def schema_text(path: Path) -> str:
    """The schema of a copy as the list shows it (read without the whole check)."""
    found = backup.check_file(path, check=lambda _conn: "ok")
    if found.revision is None:
        return "cannot be read"
    if found.revision == HEAD:
        return f"{found.revision} (this version)"
    if found.revision > HEAD:
        return f"{found.revision} (newer: cannot restore)"
    return f"{found.revision} (older: upgraded)"


class RestoreDialog(QDialog):
    """Choose a backup; after :meth:`exec`, ``chosen`` is the checked backup, or ``None``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.chosen: backup.BackupCheck | None = None
        self.setWindowTitle("Restore from backup")
        self.resize(640, 420)
        database = backup.database_file(ctx.db)
        assert database is not None, "restore is for SQLite databases"
        self.database = database
        self.copies = backup.list_copies(ctx.db)

        intro = QLabel(
            f"Choose the copy to restore. All the data in {database.name} is replaced by the "
            "copy's; the data there now is first kept as a backup of its own, so you can go "
            "back to it."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self.copies), len(HEADERS))
        self.table.setObjectName("backupList")
        self.table.setAccessibleName("Backups")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        for row, copy in enumerate(self.copies):
            try:
                size = size_text(copy.path.stat().st_size)
            except OSError:
                size = "?"
            cells = (
                copy.made.strftime("%a %d %b %Y, %H:%M"),
                kind_text(copy.kind),
                size,
                schema_text(copy.path),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        metrics = self.table.fontMetrics()
        style_list_table(
            self.table,
            {
                0: metrics.horizontalAdvance("Wed 30 Sep 2026, 23:59") + 24,
                1: metrics.horizontalAdvance("Before an upgrade") + 24,
                2: metrics.horizontalAdvance("999.9 MB") + 24,
            },
        )
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())

        self.empty = QLabel(
            f"There are no backups of {database.name} in {backup.backups_folder(database)} yet. "
            "Choose a file instead."
        )
        self.empty.setWordWrap(True)
        self.empty.setVisible(not self.copies)

        self.status = QLabel()
        self.status.setObjectName("restoreStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.hide()

        self.buttons = QDialogButtonBox()
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.setEnabled(False)
        self.file_button = QPushButton("Choose a &file…")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.clicked.connect(self.restore_selected)
        self.file_button.clicked.connect(self.choose_file)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.buttons)
        # Set once the buttons are in the dialog (before, QDialog would not know them).
        if self.copies:
            self.restore_button.setDefault(True)
            self.table.selectRow(0)
        else:
            self.table.hide()
            self.file_button.setDefault(True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # After QDialog's own choice (its default button): the list first, for the arrows.
        (self.table if self.copies else self.file_button).setFocus()

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))
        self.status.hide()

    def selected_path(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        return self.copies[rows[0].row()].path if rows else None

    def restore_selected(self) -> None:
        """Restore… (or Enter, or a double click): check the copy selected, then confirm."""
        path = self.selected_path()
        if path is not None and not self.bar.isVisible():
            self.check(path)

    def choose_file(self) -> None:
        """Choose a file…: any backup, checked like the listed ones."""
        path = open_file_name(
            self,
            "Choose a backup to restore",
            str(backup.backups_folder(self.database)),
            "Roundtable backups (*.db *.bak *.sqlite);;All files (*)",
        )
        if path:
            self.check(Path(path))

    def check(self, path: Path) -> None:
        """Check ``path`` in the background; then confirm, or say why it cannot be restored."""
        self._busy(True, f"Checking {path.name}…")

        def work(_progress: Any) -> backup.BackupCheck:
            return backup.check_backup(path, database=self.database)

        self.ctx.run_in_background(work, parent=self, on_done=self._checked, on_error=self._refused)

    def _busy(self, busy: bool, text: str = "") -> None:
        self.bar.setVisible(busy)
        self.status.setStyleSheet("")
        self.status.setText(text)
        self.status.setVisible(bool(text))
        for widget in (self.table, self.restore_button, self.file_button):
            widget.setEnabled(not busy)
        if not busy:
            # Disabled, the list lost the focus to Cancel, where Enter would close the dialog.
            (self.table if self.copies else self.file_button).setFocus()

    def _refused(self, exc: BaseException) -> None:
        self._busy(False)
        self.status.setStyleSheet("color: #b42318;")
        self.status.setText(str(exc))
        self.status.show()
        self._selection_changed_keep_status()

    def _selection_changed_keep_status(self) -> None:
        self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def _checked(self, checked: backup.BackupCheck) -> None:
        self._busy(False)
        self._selection_changed_keep_status()
        made = next(
            (
                c.made.strftime("%A %d %B %Y at %H:%M")
                for c in self.copies
                if c.path == checked.path
            ),
            None,
        )
        what = f"the backup made on {made}" if made else str(checked.path)
        older = (
            "\n\nThe backup is from an earlier version of Roundtable; it is upgraded as it opens."
            if checked.older
            else ""
        )
        erased = f"\n\n{checked.erased_warning}" if checked.erased else ""
        text = (
            f"All the data in {self.database} will be replaced by {what}.\n\n"
            "What is there now (including any changes made since that backup) is kept as a "
            f"backup in {backup.backups_folder(self.database)}, so you can go back to it."
            f"{older}{erased}"
        )
        if messages.confirm(self, "Restore from backup?", text, "&Restore"):
            self.chosen = checked
            self.accept()
