"""An index on lower(full_name): the directory's first screen, in name order, at once.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_person_full_name_lower", "person", [sa.text("lower(full_name)")])


def downgrade() -> None:
    op.drop_index("ix_person_full_name_lower", table_name="person")
