"""Copies of a SQLite database file: making one, checking one, and restoring one.

Every copy is made with SQLite's online backup API, never by copying bytes:
the API reads a consistent snapshot (the write-ahead log included) while the
app keeps working, and writes through SQLite's own locks. A copy is written to
a temporary file in the target folder, made self-contained (rollback journal,
so no ``-wal`` file belongs to it), checked, flushed to the disk and only
then renamed into place: a full disk or a crash leaves no half-written copy.

Restoring writes the copy *into* the database file through the same API, in
one transaction: other connections (a second window, a command) keep their
locks and see the old data or the restored data, never a mix, and a write
that fails part-way (a full disk) is rolled back by SQLite. Renaming a file
over a database that is open, or whose ``-wal`` file is still there, would
instead corrupt it.

Names are ``<database stem>-<YYYY-MM-DD>-<HHMMSS>-<kind>.db`` in a
``backups`` folder beside the database (see :func:`backups_folder`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from roundtable_app.core.errors import StorageError

SQLITE_MAGIC = b"SQLite format 3\x00"
BACKUPS_FOLDER = "backups"
_STAMP = "%Y-%m-%d-%H%M%S"
#: ``roundtable-2026-12-07-134501-daily.db``: the stem, the moment, the kind.
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{4}-\d\d-\d\d-\d{6})-(?P<kind>[a-z0-9-]+)\.db$")
#: Before-upgrade copies that earlier versions wrote beside the database.
_LEGACY = re.compile(
    r"^(?P<stem>.+)\.(?P<kind>before-upgrade-[^-]+)-(?P<stamp>\d{8}-\d{6})\..+\.bak$"
)

Check = Callable[[sqlite3.Connection], str]


def backups_folder(database: Path) -> Path:
    """Where the copies of ``database`` live: a ``backups`` folder beside it.

    For the default database that is the data folder's ``backups``. A database
    opened from elsewhere keeps its copies beside it, so the copies of two
    databases never mix and a restore offers only copies of the one in use.
    """
    return database.parent / BACKUPS_FOLDER


def private_backups_folder(database: Path) -> Path:
    """:func:`backups_folder`, created if need be, and only its owner may enter it."""
    folder = backups_folder(database)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if os.name == "posix" and folder.stat().st_mode & 0o077:
            os.chmod(folder, 0o700)  # made by hand, or by an earlier version
    except OSError as exc:
        raise StorageError(
            f"The backups folder {folder} could not be made: {_reason(exc)}. Check that you "
            f"may write to {database.parent} and that the disk has space."
        ) from exc
    return folder


def copy_name(database: Path, kind: str, when: dt.datetime) -> str:
    """The file name of a copy of ``database`` of ``kind`` ("daily") made at ``when``."""
    return f"{database.stem}-{when.strftime(_STAMP)}-{kind}.db"


@dataclass(frozen=True)
class CopyFile:
    """A copy of a database found on disk: where, when it was made, and of what kind."""

    path: Path
    made: dt.datetime
    kind: str


def find_copies(database: Path) -> list[CopyFile]:
    """The copies of ``database`` in its backups folder and beside it, newest first.

    Beside it are before-upgrade copies written by earlier versions of the app.
    """
    found: list[CopyFile] = []
    folder = backups_folder(database)
    for where, pattern, stamp in (
        (folder, _NAME, _STAMP),
        (database.parent, _LEGACY, "%Y%m%d-%H%M%S"),
    ):
        try:
            names = os.listdir(where)
        except OSError:
            continue
        for name in names:
            match = pattern.match(name)
            if match is None or match["stem"] != database.stem:
                continue
            try:
                made = dt.datetime.strptime(match["stamp"], stamp)
            except ValueError:
                continue
            found.append(CopyFile(where / name, made, match["kind"]))
    found.sort(key=lambda c: (c.made, c.path.name), reverse=True)
    return found


def quick_check(conn: sqlite3.Connection) -> str:
    """SQLite's ``quick_check``: every page and record well formed ("ok" if so).

    It skips what ``integrity_check`` adds (that each index matches its table),
    which on a large database takes several times as long; a fresh copy's pages
    are the live database's own, written by SQLite.
    """
    return str(conn.execute("PRAGMA quick_check(1)").fetchone()[0])


def integrity_check(conn: sqlite3.Connection) -> str:
    """SQLite's full ``integrity_check`` ("ok", or the first problem found)."""
    return str(conn.execute("PRAGMA integrity_check(1)").fetchone()[0])


def copy_database(source: Path, target: Path, *, check: Check = quick_check) -> int:
    """Copy the database ``source`` to ``target`` (owner-only); return its size in bytes.

    Raises :class:`StorageError` naming the problem (a full disk, a folder one
    may not write to, a damaged source); ``target`` is then as it was.
    """
    folder = target.parent
    tmp_name: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        # mkstemp creates the file owner-only (0600), and SQLite keeps the mode.
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=5)
        try:
            dst = sqlite3.connect(tmp_name)
            try:
                src.backup(dst)
                # One file, no -wal beside it: a copy can be moved, mailed or opened read-only.
                dst.execute("PRAGMA journal_mode = DELETE")
                outcome = check(dst)
            finally:
                dst.close()
        finally:
            src.close()
        if outcome != "ok":
            raise StorageError(
                f"The copy of {source} failed its check ({outcome}), so it was not kept. "
                "The database may be damaged: restore it from an earlier backup."
            )
        with open(tmp_name, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o600)
        os.replace(tmp_name, target)
        tmp_name = None
        _sync_folder(folder)
        return target.stat().st_size
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(
            f"The backup could not be written to {target}: {_reason(exc)}. The database itself "
            "is unchanged. Check that the disk has space and that you may write to "
            f"{folder}, then try again."
        ) from exc
    finally:
        if tmp_name is not None:
            for suffix in ("", "-journal", "-wal", "-shm"):
                try:
                    os.unlink(tmp_name + suffix)
                except OSError:
                    pass


def remove_stale_temporaries(database: Path, older_than_s: float = 24 * 3600) -> None:
    """Remove half-written copies a crash left in the backups folder (a day old or more)."""
    folder = backups_folder(database)
    prefix = f".{database.stem}-"
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return
    limit = dt.datetime.now().timestamp() - older_than_s
    for name in names:
        try:
            if (folder / name).stat().st_mtime < limit:
                os.unlink(folder / name)
        except OSError:
            continue


@dataclass(frozen=True)
class FileCheck:
    """What :func:`check_file` found: the schema revision, or why the file is unusable."""

    revision: str | None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def check_file(path: Path, *, check: Check = integrity_check) -> FileCheck:
    """Whether ``path`` is a sound SQLite database with the app's schema, and its revision.

    Nothing is written to ``path`` (it is opened read-only).
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        return FileCheck(None, f"it cannot be read ({_reason(exc)})")
    if head != SQLITE_MAGIC:
        return FileCheck(None, "it is not a SQLite database file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            outcome = check(conn)
            if outcome != "ok":
                return FileCheck(None, f"it is damaged (SQLite's check says: {outcome})")
            has_version = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            if has_version is None:
                return FileCheck(None, "it is not a Roundtable database (it has no schema version)")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return FileCheck(None, f"it is damaged or not a database ({_reason(exc)})")
    if row is None:
        return FileCheck(None, "it is not a Roundtable database (its schema version is empty)")
    return FileCheck(str(row[0]))


def erased_since(database: Path, copy: Path) -> int:
    """How many people in ``copy`` were erased from ``database`` since (0 if unknown).

    Restoring such a copy brings them back. Read from the erasures the
    database's audit records ("person #N erased"); both files are only read.
    """
    try:
        conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            conn.execute("ATTACH DATABASE ? AS current", (f"file:{database}?mode=ro",))
            row = conn.execute(
                "SELECT count(*) FROM main.person WHERE id IN (SELECT entity_id FROM "
                "current.audit_entry WHERE entity = 'person' AND action = 'erased')"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # no database yet, or one without the tables: nobody to warn about
    return int(row[0])


def restore_into(database: Path, copy: Path) -> None:
    """Write the database ``copy`` into ``database``, in one transaction.

    Raises :class:`StorageError` if it cannot (a full disk, a database another
    program keeps busy); ``database`` is then unchanged.
    """
    try:
        src = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(database, timeout=5)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(
            f"{database} could not be restored from {copy}: {_reason(exc)}. The database is "
            "unchanged. Check that the disk has space and that no other program is using the "
            "database, then try again."
        ) from exc


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no folder handles)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: SQLite's names for a write the disk refused (full, or a file size limit).
_WRITE_FAILED = ("SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC", "SQLITE_IOERR_TRUNCATE")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    lines = str(exc).strip().splitlines() or ["unknown error"]
    reason = lines[0].rstrip(". ")
    if getattr(exc, "sqlite_errorname", "") in _WRITE_FAILED:
        return f"the disk is full or refused the write (SQLite says: {reason})"
    return reason
