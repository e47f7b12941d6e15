"""Exporting the figures on screen: CSV, an Excel workbook, or the PDF attendance report.

The file is chosen first, then written in the background (a report of
thousands of roundtables takes a few seconds) while the page stays usable;
the page says where it went. The exports print small numbers as "fewer than 3"
and hold no names (``services.statistics``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtWidgets import QWidget

from roundtable_app.core.progress import Progress
from roundtable_app.services import reports, statistics
from roundtable_app.services.statistics import Figures
from roundtable_app.ui.common import export_folder, save_file_name, write_export
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.workers import Task

#: kind: (what it is, file suffix, file dialog filter)
KINDS: dict[str, tuple[str, str, str]] = {
    "csv": ("the figures as CSV", ".csv", "CSV files (*.csv)"),
    "xlsx": ("the figures as an Excel workbook", ".xlsx", "Excel workbooks (*.xlsx)"),
    "pdf": ("the attendance report", ".pdf", "PDF files (*.pdf)"),
}


def default_name(kind: str, today: dt.date | None = None) -> str:
    stem = "attendance-report" if kind == "pdf" else "roundtable-statistics"
    return f"{stem}-{(today or dt.date.today()).isoformat()}{KINDS[kind][1]}"


def _write(kind: str, figures: Figures, path: Path, targets: Mapping[str, int]) -> Path:
    if kind == "pdf":
        reports.write_attendance_report_pdf(figures, path, targets=targets)
    else:
        statistics.write_statistics(figures, path, targets=targets)
    return path


def export_figures(
    ctx: AppContext,
    parent: QWidget,
    figures: Figures,
    targets: Mapping[str, int],
    kind: str,
    *,
    path: str | None = None,
    on_saved: Callable[[Path], None] | None = None,
) -> Task | None:
    """Ask for a file (unless ``path`` is given) and write ``kind`` there in the background.

    Returns the task (tests wait on it), or None if no file was chosen.
    """
    what, suffix, filter_ = KINDS[kind]
    if path is None:
        start = export_folder(ctx) / default_name(kind)
        path = save_file_name(parent, f"Export {what}", str(start), filter_)
        if not path:
            return None

    def work(_progress: Progress, target: Path) -> Path:
        return _write(kind, figures, target, targets)

    return write_export(ctx, parent, path, suffix, what, work, on_saved)
