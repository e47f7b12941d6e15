"""Locks and keep-together / keep-apart rules saved with a seating plan.

``invitation.seat_locked``: staff locked this invitee at their table; a
re-optimisation keeps them there. ``seating_rule``: pairs of people to keep
together or apart at a roundtable's tables (smaller person id first).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (with a constant default) works on SQLite too; batch mode
    # would reflect the person table and warn about its expression index.
    op.add_column(
        "invitation",
        sa.Column("seat_locked", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "seating_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roundtable_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("person_a_id", sa.Integer(), nullable=False),
        sa.Column("person_b_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('together', 'apart')", name=op.f("ck_seating_rule_kind_known")
        ),
        sa.CheckConstraint("person_a_id < person_b_id", name=op.f("ck_seating_rule_pair_ordered")),
        sa.ForeignKeyConstraint(
            ["roundtable_id"],
            ["roundtable.id"],
            name=op.f("fk_seating_rule_roundtable_id_roundtable"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_a_id"],
            ["person.id"],
            name=op.f("fk_seating_rule_person_a_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_b_id"],
            ["person.id"],
            name=op.f("fk_seating_rule_person_b_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seating_rule")),
        sa.UniqueConstraint(
            "roundtable_id", "kind", "person_a_id", "person_b_id", name="uq_seating_rule_pair"
        ),
    )
    op.create_index("ix_seating_rule_roundtable_id", "seating_rule", ["roundtable_id"])


def downgrade() -> None:
    op.drop_index("ix_seating_rule_roundtable_id", table_name="seating_rule")
    op.drop_table("seating_rule")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_column("seat_locked")
