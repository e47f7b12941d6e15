"""An index on invitation.table_id: who sat at the same table, found without a scan.

"Which pairs have met before" joins invitations on their table; without this
index SQLite scanned every invitation for each one, about a second for one
roundtable's invitee mix on 10,000 people (0.07 s with it).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_invitation_table_id", "invitation", ["table_id"])


def downgrade() -> None:
    op.drop_index("ix_invitation_table_id", table_name="invitation")
