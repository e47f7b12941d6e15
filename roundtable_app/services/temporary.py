"""Private temporary folders for files that must not outlive their use.

A printed table plan is a PDF of participants' names: it is written to a
folder of its own under ``<system temp>/roundtable_app-<user id>`` (owner-only),
and removed as soon as printing is done. If the app crashes meanwhile, the next
start removes it (:func:`remove_leftovers`). Each folder holds a ``.lock``
that its process keeps locked while the folder is in use, so one copy of the
app starting never removes a folder another running copy is still showing.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from platformdirs import user_cache_path

from roundtable_app import APP_ID
from roundtable_app.core.errors import RoundtableError

LOCK_NAME = ".lock"
#: A folder this young without its lock is still being set up by its process.
SETTING_UP_S = 60.0


def _candidate_roots() -> list[Path]:
    """Where the app's temporary folders live: the system's temp folder, else the user's cache."""
    owner = f"-{os.getuid()}" if hasattr(os, "getuid") else ""
    return [
        Path(tempfile.gettempdir()) / f"{APP_ID}{owner}",
        user_cache_path(APP_ID, appauthor=False) / "temporary",
    ]


def _is_private(folder: Path) -> bool:
    """True for a real folder (not a link) that only this user can enter."""
    try:
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode):
            return False  # a file, or a link that could lead anywhere
        if hasattr(os, "getuid"):
            if info.st_uid != os.getuid():
                return False  # someone else's, on a shared /tmp: never write there
            if info.st_mode & 0o077:
                os.chmod(folder, 0o700)
    except OSError:
        return False
    return True


def temporary_root() -> Path:
    """The app's private temporary folder, created owner-only on first use.

    On a shared ``/tmp`` a folder of that name belonging to someone else is
    never used; the user's cache folder is used instead.
    """
    for root in _candidate_roots():
        try:
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            continue
        if _is_private(root):
            return root
    tried = " and ".join(str(root) for root in _candidate_roots())
    raise RoundtableError(
        f"No private temporary folder could be made (tried {tried}). "
        "Check that you may write to your temporary and cache folders and that the disk has "
        "space, then try again."
    )


def _lock(folder: Path) -> BinaryIO:
    """Open and lock ``folder``'s lock file; it stays locked while the handle is open."""
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    handle = os.fdopen(fd, "r+b")  # held open on purpose, until the folder goes
    if sys.platform != "win32":
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    # On Windows the open handle itself keeps the lock file from being deleted.
    return handle


def _in_use(folder: Path) -> bool:
    """True while the process that made ``folder`` still holds it."""
    lock = folder / LOCK_NAME
    if sys.platform == "win32":
        if not lock.exists():
            return _setting_up(folder)
        try:
            lock.unlink()  # fails while its owner has it open
        except FileNotFoundError:
            return False
        except OSError:
            return True
        return False
    import fcntl

    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return _setting_up(folder)
    except OSError:
        return True  # cannot tell: leave it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing also releases the lock just taken
    return False


def _setting_up(folder: Path) -> bool:
    try:
        return time.time() - folder.stat().st_mtime < SETTING_UP_S
    except OSError:
        return False


@contextmanager
def temporary_folder(label: str) -> Iterator[Path]:
    """A new private folder for the block, removed with all it holds when the block ends.

    ``label`` ("table-plan") starts its name, to tell what it was for. Raises
    :class:`RoundtableError` when no such folder can be made.
    """
    root = temporary_root()
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{label}-", dir=root))
        lock = _lock(folder)
    except OSError as exc:
        raise RoundtableError(
            f"A temporary folder could not be made in {root}: {exc.strerror or exc}. "
            "Check that the disk has space, then try again."
        ) from exc
    try:
        yield folder
    finally:
        lock.close()
        shutil.rmtree(folder, ignore_errors=True)


def remove_leftovers() -> int:
    """Remove the temporary folders of copies of the app that are no longer running.

    Called at start: what a crash left behind (a table plan PDF, say) goes then.
    Folders still in use by another running copy stay. Returns how many were removed;
    never raises (a folder that cannot be removed now is tried again next time).
    """
    removed = 0
    for root in _candidate_roots():
        if not _is_private(root):
            continue
        try:
            folders = [p for p in root.iterdir() if p.is_dir() and not p.is_symlink()]
        except OSError:
            continue
        for folder in folders:
            if _in_use(folder):
                continue
            shutil.rmtree(folder, ignore_errors=True)
            removed += not folder.exists()
    return removed
