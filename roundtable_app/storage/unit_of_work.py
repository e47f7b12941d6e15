"""One database, and one short transaction per user action.

Data functions receive a ``Session`` and never commit: the caller (a CLI
command, a UI action, a test) opens ``db.transaction()``, which commits when
the block ends and rolls back if it raises. Each thread uses its own session.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from roundtable_app.storage.engine import UpgradeResult, create_db_engine, upgrade


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
        with self._sessions.begin() as session:
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


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open ``url``, creating and upgrading the schema unless ``migrate`` is false."""
    db = Database(create_db_engine(url))
    if migrate:
        db.upgrade_result = upgrade(db.engine)
    return db
