"""File dialogs and path completion that never open the files they list.

Qt's file dialogs and ``QFileSystemModel`` work out each listed file's type
(for its icon and the Type column) and, when the name does not settle it,
open the file to read its first bytes. On Linux and macOS, closing any file
descriptor of a file drops every lock this process holds on it (POSIX
locks). Listing the folder that holds the SQLite database thus silently
dropped the window's locks on the database, its ``-wal`` and its ``-shm``:
another process (a second window, a command-line import) then believed it was
alone, deleted the write-ahead log on closing, and everything this window
saved afterwards went into a deleted file and was lost.

So every file chooser of the app goes through here: types and icons come
from the name alone, and on POSIX systems the dialog is Qt's own (a native
dialog may run in this process and read the files itself).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QFileInfo, QMimeDatabase
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QFileDialog,
    QFileIconProvider,
    QFileSystemModel,
    QWidget,
)

#: Where closing a file drops the process's locks on it (everywhere but Windows).
POSIX_LOCKS = os.name == "posix"


class NameOnlyIconProvider(QFileIconProvider):
    """Types and icons from the file's name, never from reading the file."""

    def __init__(self) -> None:
        super().__init__()
        self._mime = QMimeDatabase()

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        mime = self._mime.mimeTypeForFile(info, QMimeDatabase.MatchMode.MatchExtension)
        return mime.comment() if not mime.isDefault() else "File"

    def icon(self, what: object) -> QIcon:
        if not isinstance(what, QFileInfo):
            return super().icon(what)  # type: ignore[call-overload]
        kind = (
            QFileIconProvider.IconType.Folder if what.isDir() else QFileIconProvider.IconType.File
        )
        generic = super().icon(kind)
        if what.isDir():
            return generic
        mime = self._mime.mimeTypeForFile(what, QMimeDatabase.MatchMode.MatchExtension)
        return QIcon.fromTheme(mime.iconName(), QIcon.fromTheme(mime.genericIconName(), generic))


_provider: NameOnlyIconProvider | None = None


def icon_provider() -> NameOnlyIconProvider:
    """The app's one provider (a dialog or model does not own the provider it is given)."""
    global _provider
    if _provider is None:
        _provider = NameOnlyIconProvider()
    return _provider


def _run(
    parent: QWidget | None,
    caption: str,
    start: str,
    file_filter: str,
    mode: QFileDialog.FileMode,
    accept: QFileDialog.AcceptMode = QFileDialog.AcceptMode.AcceptOpen,
) -> list[str]:
    dialog = QFileDialog(parent, caption, start, file_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, POSIX_LOCKS)
    dialog.setIconProvider(icon_provider())
    dialog.setFileMode(mode)
    dialog.setAcceptMode(accept)
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return []
        return dialog.selectedFiles()
    finally:
        dialog.deleteLater()


def open_file_name(parent: QWidget | None, caption: str, start: str, file_filter: str) -> str:
    """One existing file chosen by the user, or ``""``."""
    chosen = _run(parent, caption, start, file_filter, QFileDialog.FileMode.ExistingFile)
    return chosen[0] if chosen else ""


def open_file_names(
    parent: QWidget | None, caption: str, start: str, file_filter: str
) -> list[str]:
    """Existing files chosen by the user (none if cancelled)."""
    return _run(parent, caption, start, file_filter, QFileDialog.FileMode.ExistingFiles)


def save_file_name(parent: QWidget | None, caption: str, start: str, file_filter: str) -> str:
    """Where to save, chosen by the user (asked before overwriting), or ``""``."""
    chosen = _run(
        parent,
        caption,
        start,
        file_filter,
        QFileDialog.FileMode.AnyFile,
        QFileDialog.AcceptMode.AcceptSave,
    )
    return chosen[0] if chosen else ""


def existing_directory(parent: QWidget | None, caption: str, start: str) -> str:
    """A folder chosen by the user, or ``""``."""
    chosen = _run(parent, caption, start, "", QFileDialog.FileMode.Directory)
    return chosen[0] if chosen else ""


def path_completer(parent: QWidget) -> QCompleter:
    """Completion of typed paths from the file system, without reading the files."""
    completer = QCompleter(parent)
    files = QFileSystemModel(completer)
    files.setIconProvider(icon_provider())
    files.setRootPath("")
    completer.setModel(files)
    return completer
