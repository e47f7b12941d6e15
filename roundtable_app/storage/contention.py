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
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from roundtable_app.core.errors import StorageError

T = TypeVar("T")

#: Tries of one statement that keeps losing a deadlock before giving up with a message.
ATTEMPTS = 4
#: Rows per INSERT statement: two parameters a row, well under SQLite's limit.
CHUNK = 500
#: PostgreSQL's codes for "deadlock detected" and "could not serialize access".
RETRIED_SQLSTATES = frozenset({"40P01", "40001"})


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
    inserted: dict[str, int] = {}
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        if dialect == "postgresql":
            statement: Any = postgresql_insert(table).values(chunk).on_conflict_do_nothing()
        elif dialect == "sqlite":
            statement = sqlite_insert(table).values(chunk).on_conflict_do_nothing()
        else:  # pragma: no cover - the app supports SQLite and PostgreSQL
            raise StorageError(f"Databases of kind {dialect} are not supported.")
        statement = statement.returning(table.c[key], table.c.id)

        def insert(statement: Any = statement) -> list[Any]:
            return list(session.execute(statement))

        # SQLite has one writer at a time: no deadlock to retry, and no savepoint needed.
        found = retried(session, insert) if dialect == "postgresql" else insert()
        inserted.update((name, id_) for name, id_ in found)
    return inserted


def violates_unique(exc: IntegrityError, table: str, column: str) -> bool:
    """True when ``exc`` is a unique violation on ``table.column`` (both backends)."""
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    if diag is not None:  # psycopg: the constraint named by the naming convention
        return _sqlstate(exc) == "23505" and diag.constraint_name == f"uq_{table}_{column}"
    return f"UNIQUE constraint failed: {table}.{column}" in str(orig)
