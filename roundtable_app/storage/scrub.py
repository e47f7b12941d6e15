"""Erased data physically gone from the database's files, not only from its tables.

A deleted row's bytes stay in the file until they are overwritten: in SQLite's
free pages and write-ahead log, in PostgreSQL's old row versions and index
entries. After an erasure is committed, :func:`scrub` rewrites what held them:

- SQLite: the app's connections set ``secure_delete`` (deleted content is
  zeroed where it lay); then the write-ahead log is checkpointed and truncated,
  the file is rebuilt with ``VACUUM`` (no free pages), and the log written by
  the rebuild is checkpointed and truncated too.
- PostgreSQL: ``VACUUM FULL`` rewrites each table named, and its indexes, into
  new files; the old files are emptied when it commits. It must keep a deleted
  row that a transaction begun before the deletion may still see, so it first
  waits (up to ``wait`` seconds) for the transactions of other sessions of the
  database that began before the clean-up; if some are still open it rewrites
  the files anyway and says the clean-up must be repeated.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from roundtable_app.core.errors import RoundtableError


class ScrubError(RoundtableError):
    """The data is erased from the tables, but the files could not be rewritten now."""


_OLDER_TRANSACTIONS = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND pid <> pg_backend_pid() AND (backend_xmin IS NOT NULL OR backend_xid IS NOT NULL) "
    "AND xact_start < %(since)s"
)


def scrub(engine: Engine, tables: Sequence[str], *, wait: float = 10.0) -> None:
    """Rewrite the database files so that deleted rows of ``tables`` are gone from them.

    Raises :class:`ScrubError` when another program holds the database (SQLite
    cannot rebuild a file someone is reading; PostgreSQL waits for them, up to
    the lock timeout).
    """
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                connection.exec_driver_sql("VACUUM")
                busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()[0]
                if busy:
                    raise ScrubError(_BUSY)
            else:
                since = connection.exec_driver_sql("SELECT now()").scalar()
                deadline = time.monotonic() + wait
                older = connection.exec_driver_sql(_OLDER_TRANSACTIONS, {"since": since}).scalar()
                while older and time.monotonic() < deadline:
                    time.sleep(0.2)
                    older = connection.exec_driver_sql(
                        _OLDER_TRANSACTIONS, {"since": since}
                    ).scalar()
                connection.exec_driver_sql("SET lock_timeout = '30s'")
                if not _owns(connection, tables):
                    # VACUUM only warns and skips a table another role owns (a team
                    # member's login, storage/roles): the bytes would stay, silently.
                    raise ScrubError(_NOT_OWNER)
                for table in tables:
                    connection.exec_driver_sql(f'VACUUM (FULL) "{table}"')
                if older:
                    raise ScrubError(_HELD)
    except DBAPIError as exc:
        raise ScrubError(f"{_BUSY} ({exc.orig})") from exc


def _owns(connection: Connection, tables: Sequence[str]) -> bool:
    """Whether the connection's user may VACUUM FULL every table (owns it, or is superuser)."""
    return bool(
        connection.execute(
            text(
                "SELECT coalesce(bool_and(pg_has_role(current_user, c.relowner, 'USAGE')), true) "
                "FROM pg_class c WHERE c.oid = ANY(CAST(:tables AS regclass[]))"
            ),
            {"tables": [f'"{table}"' for table in tables]},
        ).scalar()
    )


_NOT_OWNER = (
    "The person's data is erased from the database, but on this server only the owner of "
    "the database's tables may rewrite their files. Ask whoever administers it to run "
    "'roundtable-app person scrub' with the owner's login, so that no trace is left in the "
    "files"
)

_HELD = (
    "The person's data is erased from the database, but another member of staff's "
    "session was in the middle of a transaction that began before the erasure, so the "
    "server had to keep a copy of it in its files for now. Run 'roundtable-app person "
    "scrub' once the others have finished, so that no trace is "
    "left in the files"
)

_BUSY = (
    "The person's data is erased from the database, but its file could not be rewritten "
    "yet, because another window or member of staff is using the database. Close the "
    "other windows, then run 'roundtable-app person scrub', so that no trace is left in "
    "the file"
)
