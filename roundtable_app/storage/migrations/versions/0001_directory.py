"""The directory: sectors, organisations, themes and people.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


# Frozen here, not imported: a migration must not change when the app's code does.
DEFAULT_SECTORS = (
    "Academic research",
    "Civil society",
    "Government",
    "Parliament",
    "Business",
    "Law enforcement",
    "Frontline practice",
    "Lived experience",
    "Funder",
)


def upgrade() -> None:
    op.create_table(
        "sector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sector")),
        sa.UniqueConstraint("name", name=op.f("uq_sector_name")),
    )

    op.create_table(
        "theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme")),
        sa.UniqueConstraint("name", name=op.f("uq_theme_name")),
    )

    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sector_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["sector_id"],
            ["sector.id"],
            name=op.f("fk_organisation_sector_id_sector"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("name", name=op.f("uq_organisation_name")),
    )

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("email_key", sa.String(length=320), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("sector_id", sa.Integer(), nullable=True),
        sa.Column("lived_experience", sa.Boolean(), nullable=False),
        sa.Column("may_contact", sa.Boolean(), nullable=False),
        sa.Column("may_be_named", sa.Boolean(), nullable=False),
        sa.Column("accessibility_needs", sa.Text(), nullable=False),
        sa.Column("dietary_needs", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("email_key = lower(email_key)", name=op.f("ck_person_email_key_lower")),
        sa.CheckConstraint("length(full_name) > 0", name=op.f("ck_person_full_name_not_blank")),
        sa.CheckConstraint("version > 0", name=op.f("ck_person_version_positive")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_person_organisation_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sector_id"],
            ["sector.id"],
            name=op.f("fk_person_sector_id_sector"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("email_key", name=op.f("uq_person_email_key")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_person_sector_id"), ["sector_id"], unique=False)

    op.create_table(
        "person_theme",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_theme_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
            name=op.f("fk_person_theme_theme_id_theme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "theme_id", name=op.f("pk_person_theme")),
    )
    with op.batch_alter_table("person_theme", schema=None) as batch_op:
        batch_op.create_index("ix_person_theme_theme_id", ["theme_id"], unique=False)

    # A new database starts with the sectors the centre works with.
    sector = sa.table("sector", sa.column("name", sa.String), sa.column("sort_order", sa.Integer))
    op.bulk_insert(
        sector,
        [{"name": name, "sort_order": i} for i, name in enumerate(DEFAULT_SECTORS)],
    )


def downgrade() -> None:
    op.drop_table("person_theme")
    op.drop_table("person")
    op.drop_table("organisation")
    op.drop_table("theme")
    op.drop_table("sector")
