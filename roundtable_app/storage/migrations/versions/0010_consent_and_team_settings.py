"""Consent with when and how, chosen display names, contact through a support worker,
and settings shared by the whole team (issue 13).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from roundtable_app.storage.base import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("contact_consent_at", UTCDateTime(), nullable=True))
        batch.add_column(
            sa.Column("contact_consent_how", sa.String(16), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("named_consent_at", UTCDateTime(), nullable=True))
        batch.add_column(
            sa.Column("named_consent_how", sa.String(16), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("display_name", sa.String(200), nullable=True))
        batch.add_column(sa.Column("contact_via", sa.String(200), nullable=True))
        batch.add_column(sa.Column("contact_via_email", sa.String(320), nullable=True))
    op.create_table(
        "team_setting",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_team_setting")),
    )


def downgrade() -> None:
    op.drop_table("team_setting")
    with op.batch_alter_table("person") as batch:
        for column in (
            "contact_via_email",
            "contact_via",
            "display_name",
            "named_consent_how",
            "named_consent_at",
            "contact_consent_how",
            "contact_consent_at",
        ):
            batch.drop_column(column)
