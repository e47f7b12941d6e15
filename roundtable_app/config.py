"""Where the data lives and which database to open.

Precedence: ``--database URL`` on the command line, then the environment
variable ``ROUNDTABLE_DATABASE_URL``, then the user's own SQLite file in the
platform's user data folder (created on first start).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from platformdirs import user_data_path

from roundtable_app import APP_ID
from roundtable_app.core.errors import RoundtableError

ENV_DATABASE_URL = "ROUNDTABLE_DATABASE_URL"
DEFAULT_TIME_ZONE = "Europe/London"


def data_dir() -> Path:
    """The per-user data folder (AppData, ~/Library/Application Support, ~/.local/share)."""
    return user_data_path(APP_ID, appauthor=False)


def default_database_path() -> Path:
    return data_dir() / "roundtable.db"


def demo_database_path() -> Path:
    """The demo database lives apart from the user's real data."""
    return data_dir() / "demo" / "roundtable-demo.db"


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path).expanduser().resolve()}"


#: The URL schemes the app opens: SQLite, and PostgreSQL through psycopg 3.
SQLITE_SCHEMES = frozenset({"sqlite", "sqlite+pysqlite"})
POSTGRES_SCHEMES = frozenset({"postgresql", "postgres", "postgresql+psycopg"})
URL_FORMS = (
    "a SQLite file path (team.db), sqlite:///path/to/team.db, "
    "or postgresql://user:password@host/database"
)


def resolve_database_url(cli_value: str | None = None) -> str:
    """The URL to open: a CLI value (URL or plain file path), the env var, or the default.

    Raises :class:`RoundtableError` naming the forms accepted when the value is
    not one of them (``notaurl://x``, ``mysql://…``, ``sqlite://`` without a file).
    """
    if cli_value:
        return check_database_url(cli_value)
    value = os.environ.get(ENV_DATABASE_URL)
    if value:
        return check_database_url(value, source=f"${ENV_DATABASE_URL}")
    return sqlite_url(default_database_path())


def check_database_url(value: str, *, source: str = "") -> str:
    """``value`` as a URL the app can open (a plain path becomes a SQLite URL), or raise."""
    if "://" not in value:
        return sqlite_url(value)
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    problem = ""
    if scheme in SQLITE_SCHEMES:
        path = parts.path.removeprefix("/")
        if parts.netloc or not path or path == ":memory:":
            problem = "a SQLite URL needs a file: three slashes, then its path"
    elif scheme in POSTGRES_SCHEMES:
        try:
            parts.port  # noqa: B018 (raises on a port that is not a number)
        except ValueError:
            problem = "its port is not a number"
    else:
        problem = "the app opens only SQLite files and PostgreSQL databases"
    if not problem:
        return value
    shown = _without_password(value)
    where = f"{source} ({shown})" if source else shown
    raise RoundtableError(f"{where} is not a database address: {problem}. Give {URL_FORMS}.")


def _without_password(value: str) -> str:
    """The URL to show in a message: never the password."""
    parts = urlsplit(value)
    if parts.password is None:
        return value
    userinfo, _, host = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return parts._replace(netloc=f"{user}:***@{host}").geturl()
