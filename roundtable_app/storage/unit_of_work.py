"""One database, and one short transaction per user action.

Data functions receive a ``Session`` and never commit: the caller (a CLI
command, a UI action, a test) opens ``db.transaction()``, which commits when
the block ends and rolls back if it raises. Each thread uses its own session.
A database that cannot be reached or written (locked, disk full, server gone)
raises :class:`~roundtable_app.core.errors.StorageError` with a message for
the user, so front ends need not know SQLAlchemy's exceptions. A long bulk
write (an import) uses ``db.bulk_transaction(progress)``, which first waits,
with progress and Cancel, while another one is writing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from roundtable_app.core.errors import MissingDatabaseError, StorageError
from roundtable_app.core.progress import Progress
from roundtable_app.storage.contention import is_retryable, wait_for_turn
from roundtable_app.storage.engine import (
    UpgradeResult,
    create_db_engine,
    current_revision,
    normalise_url,
    sqlite_path,
    upgrade,
)

__all__ = ["Database", "Session", "open_database"]


class Database:
    """An open database: its engine and a session factory."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.upgrade_result: UpgradeResult | None = None

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end of the block, or rolled back."""
        try:
            with self._sessions.begin() as session:
                yield session
        except OperationalError as exc:
            raise _unavailable(exc) from exc
        except self.engine.dialect.loaded_dbapi.Error as exc:
            # The bulk paths (COPY, executemany) use the driver's own cursor, whose
            # errors SQLAlchemy never saw: give them the same messages.
            wrapped = DBAPIError.instance(None, None, exc, self.engine.dialect.loaded_dbapi.Error)
            if isinstance(wrapped, OperationalError):
                raise _unavailable(wrapped) from exc
            if isinstance(wrapped, IntegrityError):
                raise StorageError(
                    "Someone else saved a clashing change (the same e-mail address, say) at "
                    "the same moment, so nothing was changed. Try again."
                ) from exc
            raise wrapped from exc

    @contextmanager
    def bulk_transaction(
        self, progress: Progress | None = None, *, patience: float | None = None
    ) -> Iterator[Session]:
        """A :meth:`transaction` that starts once no other bulk writer is writing.

        While another import writes, "Another import is writing to this
        database; waiting…" is reported through ``progress`` (whose Cancel
        stops the wait); after ``patience`` seconds (never, if ``None``) the
        wait ends with :class:`~roundtable_app.core.errors.DatabaseBusyError`.
        """
        with self.transaction() as session:
            wait_for_turn(session, progress or Progress(), patience)
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only; anything written is rolled back."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def _unavailable(exc: OperationalError) -> StorageError:
    lines = str(exc.orig).strip().splitlines() or ["unknown error"]
    reason = lines[0].rstrip(". ")
    if reason == "database is locked":
        # SQLite waited its busy timeout: a long writer, in practice an import, holds the file.
        return StorageError(
            "The database is busy: another import is probably writing to it, so nothing was "
            "changed. Try again when it has finished."
        )
    if is_retryable(exc):
        return StorageError(
            "Someone else was changing the same records at the same moment, so nothing was "
            "changed. Try again."
        )
    return StorageError(
        f"The database could not be read or written ({reason}); nothing was changed. "
        "Check that it is reachable and has space, then try again."
    )


def open_database(url: str, *, migrate: bool = True, create: bool = True) -> Database:
    """Open ``url``, creating and upgrading the schema unless ``migrate`` is false.

    With ``create=False`` only a database that already exists is opened (and
    upgraded): no SQLite file or folder is made, and a database without the app's
    schema raises :class:`MissingDatabaseError` (commands that read, say).
    """
    path = None if create else sqlite_path(normalise_url(url))
    if path is not None and not path.is_file():
        raise MissingDatabaseError(str(path))
    db = Database(create_db_engine(url))
    try:
        if not create and not _has_schema(db):
            raise MissingDatabaseError(str(path) if path is not None else db.url)
        if migrate:
            db.upgrade_result = upgrade(db.engine)
    except BaseException:
        db.close()
        raise
    return db


def _has_schema(db: Database) -> bool:
    try:
        return current_revision(db.engine) is not None
    except DBAPIError as exc:  # not a database file, a server that cannot be reached
        lines = str(exc.orig).strip().splitlines() or ["unknown error"]
        check = (
            "Check that it is a Roundtable database file."
            if db.dialect == "sqlite"
            else "Check the user name, password, host and database name, and that the "
            "server is running."
        )
        raise StorageError(
            f"The database at {db.url} could not be opened: {lines[0].rstrip('. ')}. {check}"
        ) from exc
