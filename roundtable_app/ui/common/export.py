"""Writing an export in the background once the user has chosen where: the shared part.

Each page asks for the file itself (with its own kinds and default name), starting
in :func:`export_folder`; :func:`write_export` then gives the file its suffix,
remembers its folder for next time, writes it off the GUI thread, and says what
went wrong if it could not be written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.progress import Progress
from roundtable_app.ui import messages
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.settings import LAST_EXPORT_FOLDER
from roundtable_app.ui.workers import Task


def export_folder(ctx: AppContext) -> Path:
    """Where the file chooser starts: the folder of the last export, else the home folder."""
    return Path(ctx.settings.get(LAST_EXPORT_FOLDER) or str(Path.home()))


def write_export(
    ctx: AppContext,
    parent: QWidget,
    path: str,
    suffix: str,
    what: str,
    write: Callable[[Progress, Path], Path],
    on_saved: Callable[[Path], None] | None = None,
) -> Task:
    """Write ``what`` to ``path`` (given ``suffix`` if it lacks it) with ``write`` in the
    background; ``on_saved`` gets the file. Returns the task (tests wait on it)."""
    if not path.lower().endswith(suffix):
        path += suffix
    target = Path(path)
    ctx.settings.set(LAST_EXPORT_FOLDER, str(target.parent))

    def failed(exc: BaseException) -> None:
        text = str(exc) if isinstance(exc, RoundtableError) else f"The export failed: {exc}."
        messages.show_error(parent, f"Cannot export {what}", text)

    return ctx.run_in_background(
        lambda progress: write(progress, target), parent=parent, on_done=on_saved, on_error=failed
    )
