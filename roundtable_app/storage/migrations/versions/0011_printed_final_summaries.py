"""A final revision keeps its summary as printed (names removed, small sectors withheld),
which read-only team members may read without the notes (issue 13, section 6).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("summary_revision") as batch:
        batch.add_column(sa.Column("printed", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("summary_revision") as batch:
        batch.drop_column("printed")
