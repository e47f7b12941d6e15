"""Backups and restore: a copy now, a copy each day, the newest kept, and a checked restore.

SQLite databases are copied with SQLite's online backup API into the
``backups`` folder beside the database, owner-only, and restored only from a
copy that passes SQLite's integrity check and has a schema this app knows.
PostgreSQL databases are dumped with ``pg_dump``; restoring one is left to the
server's administrator, with the command to run.
"""

from roundtable_app.services.backup.copies import (
    BEFORE_RESTORE,
    DAILY,
    DEFAULT_KEEP,
    MANUAL,
    back_up,
    daily_backup,
    database_file,
    has_daily_copy,
    list_copies,
    prune,
)
from roundtable_app.services.backup.postgres import restore_instructions
from roundtable_app.services.backup.restore import (
    BackupCheck,
    RestoreResult,
    check_backup,
    restore,
)
from roundtable_app.services.backup.result import BackupResult
from roundtable_app.storage.sqlite_copies import CopyFile, backups_folder, check_file

__all__ = [
    "BEFORE_RESTORE",
    "DAILY",
    "DEFAULT_KEEP",
    "MANUAL",
    "BackupCheck",
    "BackupResult",
    "CopyFile",
    "RestoreResult",
    "back_up",
    "backups_folder",
    "check_backup",
    "check_file",
    "daily_backup",
    "database_file",
    "has_daily_copy",
    "list_copies",
    "prune",
    "restore",
    "restore_instructions",
]
