"""Attendance: how a response arrived, walk-ins, and when each person checked in.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

from roundtable_app.storage.base import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

CHANNELS = "('reply', 'phone', 'email', 'in_person', 'other')"


@contextmanager
def _invitation() -> Iterator[BatchOperations]:
    """Batch mode: SQLite adds a CHECK constraint only by copying the table."""
    with warnings.catch_warnings():
        # Copying the table reflects the person table too, and SQLAlchemy cannot
        # reflect its lower(full_name) index; the copy does not need it.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        with op.batch_alter_table("invitation") as batch:
            yield batch


def upgrade() -> None:
    with _invitation() as batch:
        batch.add_column(sa.Column("response_channel", sa.String(length=16), nullable=True))
        batch.add_column(
            sa.Column("walk_in", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("checked_in_at", UTCDateTime(), nullable=True))
        batch.create_check_constraint(
            "response_channel_known",
            f"response_channel IS NULL OR response_channel IN {CHANNELS}",
        )


def downgrade() -> None:
    with _invitation() as batch:
        batch.drop_constraint("ck_invitation_response_channel_known", type_="check")
        batch.drop_column("checked_in_at")
        batch.drop_column("walk_in")
        batch.drop_column("response_channel")
