"""Restoring a SQLite database from a backup, after checking the backup.

A backup is restored only if it is a SQLite file that passes SQLite's full
``integrity_check`` and has a schema revision this version of the app knows
(an older one is upgraded when the database is next opened, as any older
database is; a newer one would be unreadable, so it is refused). The current
database is first kept as a backup of its own, then the backup is written
into it in one transaction (:func:`~roundtable_app.storage.sqlite_copies.restore_into`).
The caller closes its connections before, and reopens the database after.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.progress import Progress
from roundtable_app.services.backup.copies import BEFORE_RESTORE
from roundtable_app.storage.engine import known_revisions
from roundtable_app.storage.migrations import HEAD
from roundtable_app.storage.sqlite_copies import (
    check_file,
    copy_database,
    copy_name,
    erased_since,
    private_backups_folder,
    restore_into,
)


@dataclass(frozen=True)
class BackupCheck:
    """A backup that may be restored: its schema revision, whether it is older, and how
    many of the people in it were erased from the database since (restoring brings
    them back)."""

    path: Path
    revision: str
    older: bool
    erased: int = 0

    @property
    def erased_warning(self) -> str:
        """What to tell the user about the erased people in the backup ("" if none)."""
        if not self.erased:
            return ""
        who = "1 person" if self.erased == 1 else f"{self.erased} people"
        return (
            f"The backup holds {who} erased since it was made: restoring brings them back, "
            "so erase them again afterwards."
        )


@dataclass(frozen=True)
class RestoreResult:
    """A restore done: what was restored, and where the replaced database was kept."""

    restored: BackupCheck
    kept: Path | None


def check_backup(backup: str | Path, *, database: Path | None = None) -> BackupCheck:
    """Check that ``backup`` can be restored; raise a message saying why not.

    Reads the whole file (SQLite's ``integrity_check``): seconds for a large one.
    """
    backup = Path(backup)
    refused = f"{backup.name} cannot be restored"
    if database is not None and _same_file(backup, database):
        raise RoundtableError(f"{refused}: it is the database itself. Choose a backup.")
    if not backup.is_file():
        raise RoundtableError(f"{refused}: there is no such file ({backup}).")
    found = check_file(backup)
    if found.revision is None:
        raise RoundtableError(f"{refused}: {found.problem}. Nothing was changed; choose another.")
    known = known_revisions()
    if found.revision not in known:
        raise RoundtableError(
            f"{refused}: it was made by a newer version of Roundtable (schema {found.revision}; "
            f"this version knows schemas up to {HEAD}). Nothing was changed; update Roundtable "
            "first, or choose an older backup."
        )
    erased = erased_since(database, backup) if database is not None and database.is_file() else 0
    return BackupCheck(backup, found.revision, found.revision != known[-1], erased)


def restore(
    database: str | Path,
    backup: str | Path,
    *,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> RestoreResult:
    """Replace the SQLite ``database`` with ``backup``, keeping the current one as a backup.

    Raises :class:`~roundtable_app.core.errors.RoundtableError` (nothing
    changed) when the backup is damaged, not a Roundtable database, or newer
    than this app, or when the database cannot be written.
    """
    progress = progress or Progress()
    database = Path(database).resolve()
    progress.update(0, 3, "Checking the backup…")
    checked = check_backup(backup, database=database)
    kept = None
    if database.is_file():
        progress.update(1, 3, "Keeping the current database as a backup…")
        kept = private_backups_folder(database) / copy_name(
            database, BEFORE_RESTORE, now or dt.datetime.now()
        )
        # Kept as it is, even damaged (the reason for restoring, perhaps): no check.
        copy_database(database, kept, check=lambda _conn: "ok")
    else:
        database.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))
    progress.update(2, 3, "Restoring…")
    restore_into(database, checked.path)
    progress.update(3, 3, "Done")
    return RestoreResult(checked, kept)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
