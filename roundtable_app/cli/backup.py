"""``roundtable-app backup`` and ``roundtable-app restore``: a copy of the database, and back.

``backup`` writes a SQLite database's copy with SQLite's online backup API (a
PostgreSQL database's with ``pg_dump -Fc``). ``restore`` checks the copy, keeps
the current database as a backup, puts the copy in its place and upgrades it
if it is older; without ``--yes`` it only says what it would replace.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from roundtable_app.core.errors import RoundtableError


def add_parsers(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    database_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """The ``backup`` and ``restore`` commands and their options."""
    backup = commands.add_parser(
        "backup",
        help="back up the database to a file",
        description=(
            "Copy the database while it may be in use: a SQLite database with SQLite's online "
            "backup (checked, owner-only), a PostgreSQL database with pg_dump -Fc. Without "
            "--out, the copy goes to the backups folder beside the database, where the app "
            "keeps the newest copies (14 by default)."
        ),
    )
    backup.add_argument(
        "--out", metavar="FILE", help="the file to write (default: the backups folder)"
    )
    database_option(backup)

    restore = commands.add_parser(
        "restore",
        help="replace the database with a backup",
        description=(
            "Replace a SQLite database with a backup, after checking that the backup is sound "
            "and not from a newer version of the app. The current database is kept as a "
            "backup first; an older backup is upgraded. For PostgreSQL, says how to restore "
            "with pg_restore."
        ),
    )
    restore.add_argument("file", metavar="FILE", help="the backup to restore")
    restore.add_argument(
        "--yes", action="store_true", help="really replace the database (else: say what would be)"
    )
    database_option(restore)


def _size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(size, 1) / 1000:.0f} kB"


def cmd_backup(args: argparse.Namespace) -> int:
    from roundtable_app.config import resolve_database_url
    from roundtable_app.services import backup
    from roundtable_app.storage.unit_of_work import open_database

    # Only an existing database: a mistyped path is an error, never a new empty file.
    db = open_database(resolve_database_url(args.database), create=False)
    try:
        where = backup.database_file(db) or db.url
        result = backup.back_up(db, Path(args.out) if args.out else None)
    finally:
        db.close()
    print(f"Backed up {where} to {result.path} ({_size(result.size)}).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from roundtable_app.config import resolve_database_url
    from roundtable_app.services import backup
    from roundtable_app.storage.engine import normalise_url, sqlite_path

    url = resolve_database_url(args.database)
    path = sqlite_path(normalise_url(url))
    if path is None:
        raise RoundtableError(backup.restore_instructions(url, args.file))
    path = path.resolve()
    if not args.yes:
        raise RoundtableError(
            f"restore would replace the database {path} with {args.file} (the current one is "
            "kept as a backup first); add --yes to do it."
        )
    result = backup.restore(path, args.file)
    # Opening upgrades an older backup's schema (with its own before-upgrade copy).
    from roundtable_app.storage.unit_of_work import open_database

    open_database(url).close()
    older = (
        f" (schema {result.restored.revision}, upgraded to this version's)"
        if result.restored.older
        else ""
    )
    kept = f"; the data it replaced is kept in {result.kept}" if result.kept else ""
    print(f"Restored {path} from {args.file}{older}{kept}.")
    if result.restored.erased_warning:
        print(result.restored.erased_warning)
    return 0
