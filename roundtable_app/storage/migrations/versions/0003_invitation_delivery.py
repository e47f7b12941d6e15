"""Invitation delivery state: withdrawn invitees and what was last sent.

``withdrawn_at``: the invitee was removed after an invitation had been sent; the
row stays so that a CANCEL can be sent to them (and the removal undone).
``sent_method``: whether ``sent_sequence`` was a REQUEST or a CANCEL, so the app
knows who still needs a cancellation.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("sent_method", sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_invitation_sent_method_known"),
            "sent_method IS NULL OR sent_method IN ('request', 'cancel')",
        )
    # Everything sent before this revision was an invitation (REQUEST).
    op.execute("UPDATE invitation SET sent_method = 'request' WHERE sent_sequence IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_invitation_sent_method_known"), type_="check")
        batch_op.drop_column("sent_method")
        batch_op.drop_column("withdrawn_at")
