"""Export the directory to CSV from the window: choose a file, write it, say how it went.

The export of 100,000 people takes about two seconds, so it runs in the
background behind a small progress dialog with Cancel rather than freezing
the window; the file appears only once it is complete.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QMessageBox, QProgressDialog, QWidget

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.progress import Progress
from roundtable_app.services.transfer import SENSITIVE_WARNING, export_people_csv
from roundtable_app.ui import messages
from roundtable_app.ui import settings as keys
from roundtable_app.ui.common import save_file_name
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.workers import Task


def default_file_name(today: dt.date | None = None) -> str:
    return f"roundtable-people-{(today or dt.date.today()).isoformat()}.csv"


def ask_sensitive(parent: QWidget) -> bool | None:
    """Whether to include lived experience and needs: no unless ticked and confirmed.

    None when the user cancelled the export.
    """
    box = QMessageBox(parent)
    box.setWindowTitle("Export people")
    box.setIcon(QMessageBox.Icon.Question)
    box.setText("Export the directory to a CSV file?")
    box.setInformativeText(
        "Who has lived experience of modern slavery, everyone's access and dietary "
        "needs, the support workers some are contacted through and the team's notes are "
        "left out unless "
        "you include them. Chosen names (“Known as”) and how and when each consent was "
        "given are always exported."
    )
    include = QCheckBox("&Include lived experience, needs, support contacts and notes")
    box.setCheckBox(include)
    go = box.addButton("&Choose file…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(go)
    box.exec()
    if box.clickedButton() is not go:
        return None
    if not include.isChecked():
        return False
    sure = QMessageBox(parent)
    sure.setWindowTitle("Include sensitive details?")
    sure.setIcon(QMessageBox.Icon.Warning)
    sure.setText("Include lived experience and needs in the file?")
    sure.setInformativeText(SENSITIVE_WARNING)
    yes = sure.addButton("I&nclude them", QMessageBox.ButtonRole.AcceptRole)
    no = sure.addButton("&Leave them out", QMessageBox.ButtonRole.RejectRole)
    sure.setDefaultButton(no)
    sure.setEscapeButton(no)
    sure.exec()
    return sure.clickedButton() is yes


def export_people(
    ctx: AppContext, parent: QWidget, path: str | None = None, *, sensitive: bool = False
) -> Task | None:
    """Ask for a file (unless ``path`` is given) and export everyone to it as CSV.

    Asked for a file, it first asks whether to include lived experience and needs
    (left out unless the user ticks and confirms); given ``path``, ``sensitive``
    says. Returns the background task (tests wait on it), or ``None`` if the user
    chose no file. Success and failure are reported in a message box.
    """
    settings = ctx.settings
    if path is None:
        asked = ask_sensitive(parent)
        if asked is None:
            return None
        sensitive = asked
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
            return export_people_csv(session, target, sensitive=sensitive, progress=progress)

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
            + (
                "The file says who has lived experience and their needs: keep it "
                "encrypted and delete it when you no longer need it."
                if sensitive
                else "Lived experience and needs were left out. The file still holds "
                "personal data: keep it somewhere safe and delete it when done."
            ),
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
