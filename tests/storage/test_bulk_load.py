"""A large import on PostgreSQL checks its foreign keys once, after the load (issue 10's budget).

The constraints come back exactly as the migrations made them, a row that
breaks one still fails the whole transaction, and when the tables' locks
cannot be had in time the import goes the ordinary way instead of failing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from roundtable_app.services.transfer import import_file, writing
from roundtable_app.storage import bulk_load
from roundtable_app.storage.base import Base
from roundtable_app.storage.bulk_load import foreign_keys_checked_after
from roundtable_app.storage.models import Person, Theme, person_theme
from roundtable_app.storage.unit_of_work import Database, open_database

pytestmark = pytest.mark.postgres

FOREIGN_KEYS = text(
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE contype = 'f' ORDER BY 1, 2"
)


@pytest.fixture
def pg(postgres_url: str) -> Iterator[Database]:
    database = open_database(postgres_url)
    yield database
    database.close()


def _foreign_keys(db: Database) -> list[tuple[str, str, str]]:
    with db.reading() as session:
        return [tuple(row) for row in session.execute(FOREIGN_KEYS)]  # type: ignore[misc]


def _csv(tmp_path: Path, people: int) -> Path:
    lines = ["Full name,E-mail,Organisation,Sector,Interests"]
    lines += [
        f"Person {i},p{i}@example.org,Org {i % 7},Sector {i % 3},Theme A{i % 5}; Theme B{i % 4}"
        for i in range(people)
    ]
    path = tmp_path / "people.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _count(db: Database, what: object) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(what))  # type: ignore[arg-type]


def test_a_large_import_brings_back_the_same_foreign_keys(
    pg: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _foreign_keys(pg)
    monkeypatch.setattr(writing, "BULK_ROWS", 10)
    dropped: list[bool] = []

    def spy(session, tables):  # type: ignore[no-untyped-def]
        with foreign_keys_checked_after(session, tables) as done:
            dropped.append(done)
            yield done

    monkeypatch.setattr(writing, "foreign_keys_checked_after", contextmanager(spy))
    report = import_file(pg, _csv(tmp_path, 40))
    assert report.added == 40
    assert dropped == [True]
    assert _foreign_keys(pg) == before
    assert _count(pg, Person) == 40
    assert _count(pg, person_theme) == 80
    with pg.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_a_row_that_breaks_a_foreign_key_still_fails_the_whole_load(pg: Database) -> None:
    before = _foreign_keys(pg)
    with pytest.raises(IntegrityError), pg.transaction() as session:
        with foreign_keys_checked_after(session, ["person", "person_theme"]) as dropped:
            assert dropped
            session.execute(insert(person_theme).values(person_id=999, theme_id=999))
    assert _count(pg, person_theme) == 0
    assert _foreign_keys(pg) == before


def test_the_load_goes_the_ordinary_way_when_someone_holds_the_tables(
    pg: Database, postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A colleague's open transaction on the directory: no wait beyond LOCK_WAIT_MS, no error."""
    monkeypatch.setattr(writing, "BULK_ROWS", 10)
    monkeypatch.setattr(bulk_load, "LOCK_WAIT_MS", 100)
    before = _foreign_keys(pg)
    other = create_engine(postgres_url)
    try:
        with other.connect() as colleague:
            colleague.execute(select(func.count()).select_from(Theme))  # holds ACCESS SHARE
            with pg.transaction() as session:
                with foreign_keys_checked_after(session, ["person", "person_theme"]) as dropped:
                    assert not dropped
            report = import_file(pg, _csv(tmp_path, 40))
            colleague.rollback()
    finally:
        other.dispose()
    assert report.added == 40
    assert _count(pg, person_theme) == 80
    assert _foreign_keys(pg) == before
