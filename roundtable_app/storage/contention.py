"""Writing while others write: insert-or-ignore, retries, unique violations, waiting one's turn.

Two staff, or two processes, may create the same sector or save the same new
e-mail address at the same moment. These helpers turn such races into
ordinary outcomes instead of raw database errors:

- :func:`insert_missing` inserts names that may have just been inserted by
  someone else (``ON CONFLICT DO NOTHING``), in a stable order, so that two
  transactions lock the same rows in the same order and never deadlock each
  other; on PostgreSQL a deadlock or serialisation failure (with a third
  party) is retried a few times from a savepoint.
- :func:`violates_unique` tells a unique violation on one column (a
  duplicate e-mail) from any other integrity error.
- :func:`wait_for_turn` starts a long bulk transaction (an import) only once
  no other bulk writer is writing, reporting "waiting…" through the caller's
  progress handle, so the window can show it with Cancel and the command line
  can give up after a bounded time.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import Table, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from roundtable_app.core.errors import DatabaseBusyError, StorageError
from roundtable_app.core.progress import Progress
from roundtable_app.storage.engine import BUSY_TIMEOUT_MS

T = TypeVar("T")

#: Tries of one statement that keeps losing a deadlock before giving up with a message.
ATTEMPTS = 4
#: PostgreSQL's codes for "deadlock detected" and "could not serialize access".
RETRIED_SQLSTATES = frozenset({"40P01", "40001"})
#: What a bulk writer shows while another one is writing.
WAITING_MESSAGE = "Another import is writing to this database; waiting…"
#: How long one try to take SQLite's write lock waits before reporting "waiting…" (and Cancel).
POLL_SECONDS = 0.25
#: The first try waits this long: an ordinary save holds the lock far less, an import far more.
FIRST_TRY_MS = 1000
_BULK_LOCK = text(
    "SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '.roundtable_app.bulk_write'))"
)


def _sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", exc)
    return getattr(orig, "sqlstate", None)


def is_retryable(exc: BaseException) -> bool:
    """True for a deadlock or serialisation failure, which the same work may retry."""
    return _sqlstate(exc) in RETRIED_SQLSTATES


def retried(session: Session, work: Callable[[], T], *, attempts: int = ATTEMPTS) -> T:
    """``work()`` in a savepoint, retried when it loses a deadlock or a serialisation race.

    Only the savepoint is rolled back, so what the transaction did before is
    kept. After ``attempts`` lost races, :class:`StorageError` says what to do.
    """
    for attempt in range(1, attempts + 1):
        savepoint = session.begin_nested()
        try:
            result = work()
        except DBAPIError as exc:
            savepoint.rollback()
            if not is_retryable(exc):
                raise
            if attempt == attempts:
                raise StorageError(
                    "Someone else was changing the same records at the same moment, "
                    f"{attempts} times in a row; nothing was changed. Try again."
                ) from exc
            time.sleep(0.05 * attempt)  # let the other transaction finish
        else:
            savepoint.commit()
            return result
    raise AssertionError("unreachable")  # pragma: no cover


def insert_missing(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *, key: str = "name"
) -> dict[str, int]:
    """Insert the ``rows`` whose ``key`` is not stored yet; ``{key: id}`` of those inserted here.

    A row that someone else inserted meanwhile (committed, or committed while
    this waited for it) is skipped instead of failing. Rows go in sorted by
    ``key``, so two transactions inserting overlapping names take their locks
    in the same order and one simply waits for the other.
    """
    if not rows:
        return {}
    dialect = session.get_bind().dialect.name
    ordered = sorted(rows, key=itemgetter(key))
    if dialect == "postgresql":
        statement: Any = _insert_from_arrays(table, ordered).on_conflict_do_nothing()
        parameters: Any = None
    elif dialect == "sqlite":
        # One executemany: SQLAlchemy sends it as a few multi-row INSERTs, in this order.
        statement = sqlite_insert(table).on_conflict_do_nothing()
        parameters = ordered
    else:  # pragma: no cover - the app supports SQLite and PostgreSQL
        raise StorageError(f"Databases of kind {dialect} are not supported.")
    statement = statement.returning(table.c[key], table.c.id)

    def insert() -> dict[str, int]:
        return {name: id_ for name, id_ in session.execute(statement, parameters)}

    # SQLite has one writer at a time: no deadlock to retry, and no savepoint needed.
    return retried(session, insert) if dialect == "postgresql" else insert()


def _insert_from_arrays(table: Table, ordered: Sequence[dict[str, Any]]) -> Any:
    """PostgreSQL: one ``INSERT … SELECT … FROM unnest(arrays) ORDER BY`` for all the rows.

    One statement with one array per column, inserted in the given order: for
    the 15,000 organisations of a large import, a tenth of the time of
    multi-row VALUES statements, which psycopg must parse and the server plan
    batch by batch.
    """
    columns = list(ordered[0])
    arrays = [
        bindparam(f"{name}_values", [row[name] for row in ordered], type_=ARRAY(table.c[name].type))
        for name in columns
    ]
    source = (
        func.unnest(*arrays)
        .table_valued(*columns, with_ordinality="position")
        .render_derived(name="given")
    )
    query = select(*(source.c[name] for name in columns)).order_by(source.c.position)
    return postgresql_insert(table).from_select(columns, query)


def violates_unique(exc: IntegrityError, table: str, column: str) -> bool:
    """True when ``exc`` is a unique violation on ``table.column`` (both backends)."""
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    if diag is not None:  # psycopg: the constraint named by the naming convention
        return _sqlstate(exc) == "23505" and diag.constraint_name == f"uq_{table}_{column}"
    return f"UNIQUE constraint failed: {table}.{column}" in str(orig)


# --- waiting for one's turn to write -----------------------------------------------------


def _is_locked(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def wait_for_turn(session: Session, progress: Progress, patience: float | None) -> None:
    """Start the session's transaction once no other bulk writer is writing.

    SQLite: take the file's write lock now (``BEGIN IMMEDIATE``), so everything
    the transaction reads is what it will write over, and nothing it writes can
    later find the file locked. PostgreSQL: take this database's bulk-write
    lock (an advisory lock held until commit or rollback); other staff's edits
    go on meanwhile. While waiting, :data:`WAITING_MESSAGE` is reported through
    ``progress`` about four times a second (which raises ``Cancelled`` once the
    user pressed Cancel); after ``patience`` seconds, :class:`DatabaseBusyError`.
    """
    dialect = session.get_bind().dialect.name
    started = time.monotonic()
    if dialect == "sqlite":
        _begin_immediate(session, progress, patience, started)
    elif dialect == "postgresql":
        # Per schema, so that databases sharing a server (tests, too) never wait for each other.
        while not session.scalar(_BULK_LOCK):
            _waited(progress, patience, started)
            time.sleep(POLL_SECONDS)


def _waited(progress: Progress, patience: float | None, started: float) -> None:
    waited = time.monotonic() - started
    if patience is not None and waited >= patience:
        raise DatabaseBusyError(waited)
    progress.update(0, 0, WAITING_MESSAGE)


def _begin_immediate(
    session: Session, progress: Progress, patience: float | None, started: float
) -> None:
    dbapi: Any = session.connection().connection.dbapi_connection
    if dbapi.in_transaction:
        return  # already written in this transaction, so the lock is held
    timeout = FIRST_TRY_MS
    try:
        while True:
            dbapi.execute(f"PRAGMA busy_timeout = {timeout}")
            try:
                dbapi.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _is_locked(exc):
                    raise StorageError(
                        f"The database could not be written ({exc}); nothing was changed. "
                        "Check that the disk has space and that you may write to the file."
                    ) from exc
            _waited(progress, patience, started)
            timeout = int(POLL_SECONDS * 1000)
    finally:
        dbapi.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
