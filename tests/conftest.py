"""Shared fixtures: real databases (a SQLite file and the PostgreSQL server) and factories.

Qt runs headless: the platform is set here, before anything imports Qt.
PostgreSQL tests use the server named by ``ROUNDTABLE_TEST_POSTGRES_URL``; each
test gets a schema of its own, dropped afterwards. Under CI (``CI`` set) a
missing server is a failure, never a skip.
"""

from __future__ import annotations

import gc
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Nothing a test does may touch the user's own settings or data folders.
_sandbox = __import__("tempfile").mkdtemp(prefix="roundtable-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_sandbox, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_sandbox, "data")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pytest  # noqa: E402
from sqlalchemy import create_engine, make_url, text  # noqa: E402

from roundtable_app.core.model import PersonData  # noqa: E402
from roundtable_app.storage.unit_of_work import Database, open_database  # noqa: E402

POSTGRES_ENV = "ROUNDTABLE_TEST_POSTGRES_URL"


def postgres_base_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} is not set: in CI the PostgreSQL tests must run.")
        pytest.skip(f"{POSTGRES_ENV} is not set; start PostgreSQL to run this test")
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose connections use a fresh, empty schema on the test server."""
    base = postgres_base_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(base).set(drivername="postgresql+psycopg"))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).set(drivername="postgresql+psycopg")
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'roundtable.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_url(request: pytest.FixtureRequest) -> str:
    """Runs a storage test once on a SQLite file and once on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def db(any_url: str) -> Iterator[Database]:
    """A freshly migrated database, on each backend."""
    database = open_database(any_url)
    yield database
    database.close()


@pytest.fixture
def sqlite_db(sqlite_url: str) -> Iterator[Database]:
    database = open_database(sqlite_url)
    yield database
    database.close()


@pytest.fixture
def make_person(request: pytest.FixtureRequest) -> Callable[..., int]:
    """Return a callable that stores a person in a database and gives back their id."""
    counter = iter(range(1, 1_000_000))

    def make(database: Database, **fields: object) -> int:
        from roundtable_app.services import directory

        n = next(counter)
        values: dict[str, object] = {
            "full_name": f"Person {n}",
            "email": f"person{n}@example.org",
        }
        values.update(fields)
        with database.transaction() as session:
            return directory.create_person(session, PersonData(**values)).id  # type: ignore[arg-type]

    return make


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Collect the widgets tests left to Python while the QApplication still exists.

    Left to the interpreter's own teardown, they may be destroyed after the
    application object, which Qt does not survive.
    """
    gc.collect()
