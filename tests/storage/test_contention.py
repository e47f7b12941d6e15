"""Writing while others write, on SQLite and PostgreSQL: names created twice, savepoints,
waiting behind another import with Cancel, and messages instead of driver errors."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import func, insert, select

from roundtable_app.core.errors import Cancelled, DatabaseBusyError, StorageError
from roundtable_app.core.progress import Progress
from roundtable_app.storage import engine as storage_engine
from roundtable_app.storage.contention import WAITING_MESSAGE, insert_missing
from roundtable_app.storage.models import Theme
from roundtable_app.storage.unit_of_work import Database, open_database

THEME = Theme.__table__


def _themes(db: Database) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(Theme.name).order_by(Theme.name)))


def test_a_savepoint_first_in_a_transaction_does_not_commit_it_early(db: Database) -> None:
    """SQLite's driver let a first SAVEPOINT open the transaction, so releasing it committed."""
    with pytest.raises(RuntimeError), db.transaction() as session:
        with session.begin_nested():
            session.execute(insert(Theme).values(name="Saved in a savepoint"))
        raise RuntimeError("the rest of the user's action fails")
    assert _themes(db) == []


def test_inserting_names_that_exist_skips_them(db: Database) -> None:
    with db.transaction() as session:
        session.execute(insert(Theme).values(name="Policing"))
    with db.transaction() as session:
        created = insert_missing(session, THEME, [{"name": "Data"}, {"name": "Policing"}])
    assert list(created) == ["Data"]
    assert _themes(db) == ["Data", "Policing"]


def test_two_transactions_creating_the_same_names_in_any_order_both_succeed(
    db: Database,
) -> None:
    """Same names in opposite orders: sorted inserts mean one waits, nobody deadlocks."""
    names = [f"Theme {i:03d}" for i in range(300)]
    start = threading.Barrier(2)
    created: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def create(seed: int) -> None:
        rows = [{"name": n} for n in names]
        random.Random(seed).shuffle(rows)
        start.wait()
        try:
            with db.transaction() as session:
                created.append(insert_missing(session, THEME, rows))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(seed,)) for seed in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _themes(db) == names
    assert sum(len(c) for c in created) == len(names)  # each created once, by one of them


# --- waiting behind another import -------------------------------------------------------


class OtherImport:
    """Another bulk writer on its own thread: it writes a theme and holds on until released."""

    def __init__(self, db: Database) -> None:
        self.release = threading.Event()
        self._holding = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(db,))
        self._thread.start()
        assert self._holding.wait(30)

    def _run(self, db: Database) -> None:
        with db.bulk_transaction() as session:
            session.execute(insert(Theme).values(name="From the other import"))
            self._holding.set()
            self.release.wait(30)

    def finish(self) -> None:
        self.release.set()
        self._thread.join()


@pytest.fixture
def other_import(db: Database) -> Iterator[OtherImport]:
    other = OtherImport(db)
    yield other
    other.finish()


def test_a_bulk_write_waits_for_another_and_says_so_until_cancelled(
    db: Database, other_import: OtherImport
) -> None:
    said: list[str] = []

    def press_cancel_when_told(_done: int, _total: int, message: str) -> None:
        said.append(message)
        progress.cancel()

    progress = Progress(press_cancel_when_told)
    with pytest.raises(Cancelled), db.bulk_transaction(progress) as session:
        session.execute(insert(Theme).values(name="Mine"))
    assert said == [WAITING_MESSAGE]
    other_import.finish()
    assert _themes(db) == ["From the other import"]


def test_a_bulk_write_starts_once_the_other_has_finished_and_sees_its_rows(
    db: Database, other_import: OtherImport
) -> None:
    said: list[str] = []

    def other_finishes_while_we_wait(_done: int, _total: int, message: str) -> None:
        said.append(message)
        other_import.release.set()

    with db.bulk_transaction(Progress(other_finishes_while_we_wait)) as session:
        seen = list(session.scalars(select(Theme.name)))
        session.execute(insert(Theme).values(name="Mine"))
    assert said and set(said) == {WAITING_MESSAGE}
    assert seen == ["From the other import"]
    assert _themes(db) == ["From the other import", "Mine"]


def test_a_bulk_write_gives_up_after_its_patience_with_a_message(
    db: Database, other_import: OtherImport
) -> None:
    with pytest.raises(DatabaseBusyError) as caught:
        with db.bulk_transaction(patience=0.5) as session:
            session.execute(insert(Theme).values(name="Mine"))
    assert str(caught.value).startswith("Another import is writing to this database; after")
    assert "Try again when it has finished" in str(caught.value)
    assert caught.value.for_cli.startswith("another import is writing to this database; waited")


def test_an_ordinary_save_behind_an_import_says_the_database_is_busy(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past SQLite's busy timeout a save gets a message about the import, not about disks."""
    monkeypatch.setattr(storage_engine, "BUSY_TIMEOUT_MS", 200)
    db = open_database(sqlite_url)
    other = OtherImport(db)
    try:
        with pytest.raises(StorageError) as caught, db.transaction() as session:
            session.execute(insert(Theme).values(name="A colleague's new theme"))
    finally:
        other.finish()
        db.close()
    assert str(caught.value) == (
        "The database is busy: another import is probably writing to it, so nothing was "
        "changed. Try again when it has finished."
    )


def test_an_error_from_the_drivers_own_cursor_is_a_message(db: Database) -> None:
    """The bulk paths write through the driver's cursor (COPY, executemany)."""
    with pytest.raises(StorageError, match="at the same moment, so nothing was changed"):
        with db.transaction() as session:
            dbapi = session.connection().connection.dbapi_connection
            assert dbapi is not None
            cursor = dbapi.cursor()
            cursor.execute("INSERT INTO theme (name) VALUES ('Twice')")
            cursor.execute("INSERT INTO theme (name) VALUES ('Twice')")
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Theme)) == 0
