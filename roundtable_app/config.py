"""Where the data lives and which database to open.

Precedence: ``--database URL`` on the command line, then the environment
variable ``ROUNDTABLE_DATABASE_URL``, then the user's own SQLite file in the
platform's user data folder (created on first start).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

from roundtable_app import APP_ID

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


def resolve_database_url(cli_value: str | None = None) -> str:
    """The URL to open: a CLI value (URL or plain file path), the env var, or the default."""
    value = cli_value or os.environ.get(ENV_DATABASE_URL)
    if value:
        return value if "://" in value else sqlite_url(value)
    return sqlite_url(default_database_path())
