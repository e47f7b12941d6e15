"""Alembic environment: runs on the connection that ``storage.engine`` hands it."""

from __future__ import annotations

from alembic import context

import roundtable_app.storage.models  # noqa: F401  (registers every table)
from roundtable_app.storage.base import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("migrations run only through roundtable_app.storage.engine")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables safely.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
