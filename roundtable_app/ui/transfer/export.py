"""Export the directory to CSV from the window: choose a file, write it, say how it went.

The export of 100,000 people takes about two seconds, so it runs in the
background behind a small progress dialog with Cancel rather than freezing
the window; the file appears only once it is complete.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.progress import Progress
from roundtable_app.services.transfer import export_people_csv
from roundtable_app.ui import messages
from roundtable_app.ui import settings as keys
from roundtable_app.ui.common import save_file_name
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.workers import Task


def default_file_name(today: dt.date | None = None) -> str:
    return f"roundtable-people-{(today or dt.date.today()).isoformat()}.csv"


def export_people(ctx: AppContext, parent: QWidget, path: str | None = None) -> Task | None:
    """Ask for a file (unless ``path`` is given) and export everyone to it as CSV.

    Returns the background task (tests wait on it), or ``None`` if the user
    chose no file. Success and failure are reported in a message box.
    """
    settings = ctx.settings
    if path is None:
        folder = settings.get(keys.LAST_EXPORT_FOLDER) or str(Path.home())
        path = save_file_name(
            parent,
            "Export people to CSV",
            str(Path(folder) / default_file_name()),
            "CSV files (*.csv)",
        )
        if not path:
            return None
        if not path.lower().endswith(".csv"):
            path += ".csv"
    settings.set(keys.LAST_EXPORT_FOLDER, str(Path(path).parent))
    target = Path(path)

    dialog = QProgressDialog("Exporting people…", "Cancel", 0, 0, parent)
    dialog.setWindowTitle("Export people")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)  # only shown if the export is not instant

    def work(progress: Progress) -> int:
        with ctx.db.reading() as session:
            return export_people_csv(session, target, progress=progress)

    def on_progress(done: int, total: int, _message: str) -> None:
        if total:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))

    def on_done(count: int) -> None:
        dialog.reset()
        QMessageBox.information(
            parent,
            "Export people",
            f"Exported {count:,} {'person' if count == 1 else 'people'} to {target}.\n\n"
            "The file holds personal data (including lived experience and consent): "
            "keep it somewhere safe and delete it when you no longer need it.",
        )

    def on_error(exc: BaseException) -> None:
        dialog.reset()
        message = str(exc) if isinstance(exc, RoundtableError) else f"The export failed: {exc}."
        messages.show_error(parent, "Export people", message)

    def on_cancelled() -> None:
        dialog.reset()

    task = ctx.run_in_background(
        work,
        parent=parent,
        on_done=on_done,
        on_error=on_error,
        on_progress=on_progress,
        on_cancelled=on_cancelled,
    )
    dialog.canceled.connect(task.cancel)
    return task
