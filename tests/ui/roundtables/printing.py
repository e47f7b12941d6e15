"""Helpers of the printing journeys: click a row as a user does, list what was written,
and answer the Save dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from roundtable_app.ui.roundtables.page import RoundtablesPage


def click_row(qtbot, page: RoundtablesPage, row: int) -> str:  # type: ignore[no-untyped-def]
    index = page.model.index(row, 0)
    page.table.scrollTo(index)
    qtbot.mouseClick(
        page.table.viewport(), Qt.MouseButton.LeftButton, pos=page.table.visualRect(index).center()
    )
    return page.model.row_at(row).title


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def in_file_dialog(handle: Callable[[QFileDialog], None]) -> None:
    """Handle the Save dialog once it is the active modal window."""

    def step() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(10, step)
            return
        try:
            handle(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, step)
