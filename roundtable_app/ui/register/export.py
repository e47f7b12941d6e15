"""Exporting the register the filters show: a PDF to print, CSV, or an Excel workbook.

The file is chosen first; the register is then read and written in the
background (5,000 needs take a few seconds as a PDF) while the page stays
usable. The outputs hold what the page shows: names removed, credit only to
sectors that may be named (``services.register``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from roundtable_app.core.progress import Progress
from roundtable_app.services import register
from roundtable_app.services.register import RegisterFilter
from roundtable_app.ui.common import export_folder, save_file_name, write_export
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.workers import Task

#: kind: (what it is, file suffix, file dialog filter)
KINDS: dict[str, tuple[str, str, str]] = {
    "pdf": ("the register as a PDF", ".pdf", "PDF files (*.pdf)"),
    "csv": ("the register as CSV", ".csv", "CSV files (*.csv)"),
    "xlsx": ("the register as an Excel workbook", ".xlsx", "Excel workbooks (*.xlsx)"),
}


def default_name(kind: str, today: dt.date | None = None) -> str:
    return f"evidence-needs-register-{(today or dt.date.today()).isoformat()}{KINDS[kind][1]}"


def export_register(
    ctx: AppContext,
    parent: QWidget,
    criteria: RegisterFilter,
    kind: str,
    *,
    path: str | None = None,
    on_saved: Callable[[Path], None] | None = None,
) -> Task | None:
    """Ask for a file (unless ``path`` is given) and write the register there in the background.

    Returns the task (tests wait on it), or None if no file was chosen.
    """
    what, suffix, filter_ = KINDS[kind]
    if path is None:
        start = export_folder(ctx) / default_name(kind)
        path = save_file_name(parent, f"Export {what}", str(start), filter_)
        if not path:
            return None

    def work(progress: Progress, target: Path) -> Path:
        progress.update(0, 2, "Reading the register")
        with ctx.db.reading() as session:
            content = register.build_register(session, criteria)
        progress.update(1, 2, f"Writing {target.name}")
        register.write_register(content, target)
        return target

    return write_export(ctx, parent, path, suffix, what, work, on_saved)
