"""Export everything held on this person (their right of access): a ZIP chosen by the user.

The copy (a readable PDF and a JSON file) is gathered and written off the GUI
thread; the user is then told where it is, and that it holds their sensitive data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from roundtable_app.core.progress import Progress
from roundtable_app.services import privacy
from roundtable_app.ui import messages
from roundtable_app.ui.common import export_folder, save_file_name, write_export
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.workers import Task


def default_name(name: str) -> str:
    """ "Everything held on Amina Yusuf.zip", without characters a file name cannot hold."""
    return re.sub(r'[\\/:*?"<>|]+', " ", f"Everything held on {name}").strip() + ".zip"


def export_person(
    ctx: AppContext,
    parent: QWidget,
    person_id: int,
    name: str,
    *,
    path: str | None = None,
    on_saved: Callable[[Path], None] | None = None,
) -> Task | None:
    """Ask where (unless ``path`` is given), then write the copy in the background.

    Returns the task (tests wait on it), or None if no file was chosen.
    """
    if path is None:
        start = export_folder(ctx) / default_name(name)
        path = save_file_name(
            parent, f"Export everything held on {name}", str(start), "ZIP archive (*.zip)"
        )
        if not path:
            return None

    def work(progress: Progress, target: Path) -> Path:
        progress.update(0, 2, f"Gathering everything held on {name}")
        with ctx.db.reading() as session:
            content = privacy.subject_access(session, person_id)
        progress.update(1, 2, f"Writing {target.name}")
        privacy.write_subject_access(content, target)
        return target

    def saved(written: Path) -> None:
        if on_saved is not None:
            on_saved(written)
            return
        messages.show_info(
            parent,
            "Exported",
            f"Everything held on {name} is in {written}: a PDF to read and a JSON file. "
            "It holds their sensitive details: send it to them safely, and delete your copy "
            "once it is sent.",
        )

    return write_export(ctx, parent, path, ".zip", "everything held on them", work, saved)
