"""Opening a database: engine settings, first-start creation and upgrades.

SQLite gets foreign keys, WAL and a busy timeout on every connection, and its
file is readable by its owner only; a savepoint there first takes the write
lock (see :func:`_begin_before_savepoint`). Before Alembic upgrades an existing
database, a backup copy is written to its backups folder. Alembic is imported only when a
database needs creating or upgrading: the usual start, on a database that is
up to date, reads its revision with one query.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError

from roundtable_app.core.errors import StorageError
from roundtable_app.storage.migrations import HEAD
from roundtable_app.storage.sqlite_copies import copy_database, copy_name, private_backups_folder

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000


def normalise_url(url: str) -> str:
    """Pick the psycopg 3 driver for plain ``postgresql://`` URLs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or ``None`` for other databases and ``:memory:``."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _prepare_sqlite_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Create it owner-only before SQLite does, so it is never world-readable.
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    if os.name == "posix":
        os.chmod(path, 0o600)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous = NORMAL")
    # Deleted content is overwritten with zeros, whatever the library's default: an
    # erased person's data does not linger in free pages (see storage/scrub.py).
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.close()


def _begin_before_savepoint(conn: Connection, _name: str | None) -> None:
    """Open SQLite's transaction, with the write lock, before a savepoint.

    Python's sqlite3 begins a transaction only before its first write, so a
    SAVEPOINT that came first would open the transaction itself, and
    releasing it would COMMIT everything done so far. A transaction with a
    savepoint is about to write (a save that may clash), so it takes the
    write lock at once (waiting the busy timeout for it): a write after a
    read could otherwise find the file changed and fail without waiting.
    """
    dbapi: Any = conn.connection.dbapi_connection
    if dbapi is not None and not dbapi.in_transaction:
        # Through SQLAlchemy, so that a file still locked after the wait raises its
        # OperationalError (which the unit of work turns into a message), not sqlite3's.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    engine = create_engine(url, **kwargs)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "savepoint", _begin_before_savepoint)
    return engine


def create_db_engine(url: str) -> Engine:
    """An engine for ``url`` with this app's connection settings."""
    url = normalise_url(url)
    path = sqlite_path(url)
    if path is not None:
        _prepare_sqlite_file(path)
        return _sqlite_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    engine = create_engine(url, pool_pre_ping=True)
    # A team member's connection reads their role's views (storage/roles).
    event.listen(engine, "connect", _on_postgres_connect)
    return engine


def _on_postgres_connect(dbapi_connection: Any, record: Any) -> None:
    # Imported here: the roles' views need every model, which a SQLite start reads later.
    from roundtable_app.storage.roles import on_connect

    on_connect(dbapi_connection, record)


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The newest migration, as Alembic reads it from the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision, or ``None`` for a database without one (new)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


@dataclass(frozen=True)
class UpgradeResult:
    """What :func:`upgrade` did: from which revision, and where the backup is."""

    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def backup_sqlite(engine: Engine, label: str) -> Path | None:
    """Copy a SQLite database into its backups folder with SQLite's online backup.

    The copy is named like every other (:mod:`.sqlite_copies`), of kind ``label``
    ("before-upgrade-0007"), and expires under the same rule as the daily copies.
    """
    path = sqlite_path(str(engine.url))
    if path is None or not path.exists():
        return None
    target = private_backups_folder(path) / copy_name(path, label, dt.datetime.now())
    copy_database(path, target)
    return target


def known_revisions() -> list[str]:
    """Every schema revision this version of the app has a migration for, oldest first."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_alembic_config())
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]


def _before_upgrade(conn: Connection) -> list[str]:
    """On PostgreSQL, the team roles' views out of the migration's way (storage/roles)."""
    if conn.dialect.name != "postgresql":
        return []
    from roundtable_app.storage.roles import before_upgrade

    return before_upgrade(conn)


def upgrade(engine: Engine, revision: str = "head", *, backup: bool = True) -> UpgradeResult:
    """Create or upgrade the schema; back up an existing older SQLite database first."""
    try:
        before = current_revision(engine)
        target = HEAD if revision == "head" else revision
        backup_path = None
        if before is not None and before != target and backup:
            backup_path = backup_sqlite(engine, f"before-upgrade-{before}")
        if before != target:
            from alembic import command

            cfg = _alembic_config()
            with engine.begin() as conn:
                team = _before_upgrade(conn) if before is not None else []
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, target)
                if team:
                    from roundtable_app.storage.roles import after_upgrade

                    after_upgrade(conn, team)
        return UpgradeResult(before, target, backup_path)
    except (OperationalError, DBAPIError) as exc:
        lines = str(exc.orig).strip().splitlines() or ["unknown error"]
        reason = lines[0].rstrip(". ")
        raise StorageError(
            f"The database at {engine.url.render_as_string(hide_password=True)} could not be "
            f"opened or upgraded: {reason}. Check the address, that the server is running, "
            "and that you may write to it."
        ) from exc
