"""Backing up a database now, once a day, and keeping only the newest copies.

SQLite databases are copied with SQLite's online backup API into the
``backups`` folder beside the database (for the default database, the data
folder's ``backups``), owner-only, named with the date, time and kind of copy
(:mod:`roundtable_app.storage.sqlite_copies`). PostgreSQL databases are
dumped with ``pg_dump`` (:mod:`.postgres`).

Retention keeps the newest ``keep`` copies of a database in its backups
folder, whatever made them (the daily copy, Back up now, a restore or an
upgrade), and removes the rest: an erased person is gone from every copy once
the copies older than the erasure have expired. A copy saved elsewhere
(``backup --out FILE``) is the user's own and never removed.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.progress import Progress
from roundtable_app.services.backup.result import BackupResult
from roundtable_app.storage.engine import sqlite_path
from roundtable_app.storage.sqlite_copies import (
    CopyFile,
    copy_database,
    copy_name,
    find_copies,
    private_backups_folder,
    remove_stale_temporaries,
)
from roundtable_app.storage.unit_of_work import Database

#: How many copies are kept unless the user chose another number.
DEFAULT_KEEP = 14
#: Kinds of copy, in their file names.
DAILY = "daily"
MANUAL = "manual"
BEFORE_RESTORE = "before-restore"


def database_file(db: Database) -> Path | None:
    """The SQLite file behind ``db``, or ``None`` for a PostgreSQL database."""
    if db.dialect != "sqlite":
        return None
    path = sqlite_path(str(db.engine.url))
    if path is None:
        raise RoundtableError("This database lives in memory only; there is no file to back up.")
    return path.resolve()


def back_up(
    db: Database,
    out: str | Path | None = None,
    *,
    kind: str = MANUAL,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> BackupResult:
    """Back up ``db`` to ``out``, or (``None``) to its backups folder; return where.

    Raises :class:`~roundtable_app.core.errors.RoundtableError` with a message
    saying what to do when it cannot (a full disk, no ``pg_dump``); nothing is
    left half-written, and the database is untouched.
    """
    progress = progress or Progress()
    when = now or dt.datetime.now()
    path = database_file(db)
    if path is None:
        from roundtable_app.services.backup.postgres import dump

        return dump(db, Path(out) if out is not None else None, kind=kind, when=when)
    if not path.is_file():
        raise RoundtableError(f"There is no database at {path} to back up.")
    target = (
        Path(out) if out is not None else private_backups_folder(path) / copy_name(path, kind, when)
    )
    if target.resolve() == path:
        raise RoundtableError(f"{target} is the database itself; choose another file.")
    progress.update(0, 1, f"Copying {path.name}…")
    size = copy_database(path, target)
    progress.update(1, 1, "Done")
    return BackupResult(target, size)


def list_copies(db: Database) -> list[CopyFile]:
    """The copies of ``db`` the app made (newest first); none for PostgreSQL."""
    path = database_file(db)
    return find_copies(path) if path is not None else []


def prune(database: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` copies of ``database``; return what went.

    Before-upgrade copies count like any other. ``keep`` is at least 1. A copy
    half-written when the app was stopped (a day old or more) goes too.
    """
    remove_stale_temporaries(database)
    removed: list[Path] = []
    for copy in find_copies(database)[max(keep, 1) :]:
        try:
            os.unlink(copy.path)
        except FileNotFoundError:
            continue
        except OSError:
            continue  # held open by another program: it goes next time
        removed.append(copy.path)
    return removed


def has_daily_copy(database: Path, day: dt.date) -> bool:
    """True if a daily copy of ``database`` was made on ``day``."""
    return any(c.kind == DAILY and c.made.date() == day for c in find_copies(database))


def daily_backup(
    db: Database, keep: int = DEFAULT_KEEP, *, now: dt.datetime | None = None
) -> BackupResult | None:
    """Back up a SQLite ``db`` if no daily copy was made today, then keep the newest ``keep``.

    Returns the new copy, or ``None`` when there was one already today (or the
    database is not a SQLite file: a server's backups are its administrator's).
    """
    when = now or dt.datetime.now()
    path = database_file(db)
    if path is None or not path.is_file():
        return None
    result = None
    if not has_daily_copy(path, when.date()):
        result = back_up(db, kind=DAILY, now=when)
    prune(path, keep)
    return result
