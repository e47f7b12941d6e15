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
def role_prefix(postgres_url: str) -> Iterator[str]:
    """A prefix for team roles (storage/roles) on the test server; they go again after the test.

    Roles belong to the whole server, so each test has its own.
    """
    prefix = f"rt{uuid.uuid4().hex[:8]}"
    yield prefix
    schema = make_url(postgres_url).query["options"].split("=", 1)[1]  # type: ignore[union-attr]
    _remove_roles(postgres_base_url(), prefix, schema)


def _remove_roles(url: str, prefix: str, schema: str) -> None:
    """Take the roles and their views away again (roles belong to the whole server)."""
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    groups = [f"{prefix}_{role}" for role in ("staff", "checkin", "readonly")]
    with engine.begin() as conn:
        members = conn.execute(
            text(
                "SELECT u.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                "JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = ANY(:groups)"
            ),
            {"groups": groups},
        ).scalars()
        members = sorted(set(members))
        for name in groups[1:]:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        existing = set(
            conn.execute(
                text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"),
                {"names": groups},
            ).scalars()
        )
        quoted = ", ".join(f'"{g}"' for g in groups if g in existing)
        if quoted:
            conn.exec_driver_sql(f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM {quoted}')
            conn.exec_driver_sql(f'REVOKE ALL ON ALL SEQUENCES IN SCHEMA "{schema}" FROM {quoted}')
            conn.exec_driver_sql(f'REVOKE ALL ON SCHEMA "{schema}" FROM {quoted}')
        if groups[0] in existing:
            for kind in ("TABLES", "SEQUENCES"):
                conn.exec_driver_sql(
                    f'ALTER DEFAULT PRIVILEGES IN SCHEMA "{schema}" '
                    f'REVOKE ALL ON {kind} FROM "{groups[0]}"'
                )
        for name in [*members, *sorted(existing)]:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{name}"')
    engine.dispose()


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
