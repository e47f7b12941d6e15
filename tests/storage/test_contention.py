"""Writing while others write, on SQLite and PostgreSQL: names created twice, savepoints,
and messages instead of driver errors."""

from __future__ import annotations

import random
import threading

import pytest
from sqlalchemy import func, insert, select

from roundtable_app.core.errors import StorageError
from roundtable_app.storage.contention import insert_missing
from roundtable_app.storage.models import Theme
from roundtable_app.storage.unit_of_work import Database

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
