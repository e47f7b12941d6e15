"""Roundtables, series, tables, invitations, discussion records and the audit trail.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("entity", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series")),
        sa.UniqueConstraint("name", name=op.f("uq_series_name")),
    )

    op.create_table(
        "roundtable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("evidence_questions", sa.Text(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=False),
        sa.Column("venue_address", sa.Text(), nullable=False),
        sa.Column("online_link", sa.String(length=500), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("chair_id", sa.Integer(), nullable=True),
        sa.Column("accessibility_contact", sa.String(length=320), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("ical_uid", sa.String(length=255), nullable=False),
        sa.Column("ical_sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "format IN ('in_person', 'online', 'hybrid')", name=op.f("ck_roundtable_format_known")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'scheduled', 'held', 'cancelled')",
            name=op.f("ck_roundtable_status_known"),
        ),
        sa.CheckConstraint(
            "capacity IS NULL OR capacity > 0", name=op.f("ck_roundtable_capacity_positive")
        ),
        sa.CheckConstraint("ical_sequence >= 0", name=op.f("ck_roundtable_sequence_not_negative")),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_roundtable_title_not_blank")),
        sa.CheckConstraint(
            "starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at",
            name=op.f("ck_roundtable_ends_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["chair_id"],
            ["person.id"],
            name=op.f("fk_roundtable_chair_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["series.id"],
            name=op.f("fk_roundtable_series_id_series"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roundtable")),
        sa.UniqueConstraint("ical_uid", name=op.f("uq_roundtable_ical_uid")),
    )
    with op.batch_alter_table("roundtable", schema=None) as batch_op:
        batch_op.create_index("ix_roundtable_starts_at", ["starts_at"], unique=False)

    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roundtable_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(description) > 0", name=op.f("ck_action_description_not_blank")),
        sa.ForeignKeyConstraint(
            ["roundtable_id"],
            ["roundtable.id"],
            name=op.f("fk_action_roundtable_id_roundtable"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_roundtable_id"), ["roundtable_id"], unique=False
        )

    op.create_table(
        "discussion_table",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roundtable_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.CheckConstraint("number > 0", name=op.f("ck_discussion_table_number_positive")),
        sa.ForeignKeyConstraint(
            ["roundtable_id"],
            ["roundtable.id"],
            name=op.f("fk_discussion_table_roundtable_id_roundtable"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_table")),
        sa.UniqueConstraint(
            "roundtable_id", "number", name="uq_discussion_table_roundtable_number"
        ),
    )

    op.create_table(
        "roundtable_theme",
        sa.Column("roundtable_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["roundtable_id"],
            ["roundtable.id"],
            name=op.f("fk_roundtable_theme_roundtable_id_roundtable"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
            name=op.f("fk_roundtable_theme_theme_id_theme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("roundtable_id", "theme_id", name=op.f("pk_roundtable_theme")),
    )

    op.create_table(
        "evidence_need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roundtable_id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=True),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("evidence_kind", sa.String(length=100), nullable=False),
        sa.Column("raised_by_sector_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "priority IN ('high', 'medium', 'low')", name=op.f("ck_evidence_need_priority_known")
        ),
        sa.CheckConstraint(
            "length(statement) > 0", name=op.f("ck_evidence_need_statement_not_blank")
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_sector_id"],
            ["sector.id"],
            name=op.f("fk_evidence_need_raised_by_sector_id_sector"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["roundtable_id"],
            ["roundtable.id"],
            name=op.f("fk_evidence_need_roundtable_id_roundtable"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["discussion_table.id"],
            name=op.f("fk_evidence_need_table_id_discussion_table"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
            name=op.f("fk_evidence_need_theme_id_theme"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_need")),
    )
    with op.batch_alter_table("evidence_need", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_need_roundtable_id"), ["roundtable_id"], unique=False
        )

    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roundtable_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("response", sa.String(length=16), nullable=False),
        sa.Column("attendance", sa.String(length=16), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=True),
        sa.Column("sector_id", sa.Integer(), nullable=True),
        sa.Column("lived_experience", sa.Boolean(), nullable=False),
        sa.Column("sent_sequence", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reply_stamp", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reply_sequence", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "attendance IN ('unknown', 'attended', 'no_show', 'apologies')",
            name=op.f("ck_invitation_attendance_known"),
        ),
        sa.CheckConstraint(
            "response IN ('needs_action', 'accepted', 'declined', 'tentative')",
            name=op.f("ck_invitation_response_known"),
        ),
        sa.CheckConstraint(
            "role IN ('participant', 'chair', 'speaker', 'note_taker', 'observer')",
            name=op.f("ck_invitation_role_known"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_invitation_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["roundtable_id"],
            ["roundtable.id"],
            name=op.f("fk_invitation_roundtable_id_roundtable"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sector_id"],
            ["sector.id"],
            name=op.f("fk_invitation_sector_id_sector"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["discussion_table.id"],
            name=op.f("fk_invitation_table_id_discussion_table"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("roundtable_id", "person_id", name="uq_invitation_roundtable_person"),
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index("ix_invitation_person_id", ["person_id"], unique=False)

    op.create_table(
        "shared_challenge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roundtable_id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=True),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "length(statement) > 0", name=op.f("ck_shared_challenge_statement_not_blank")
        ),
        sa.ForeignKeyConstraint(
            ["roundtable_id"],
            ["roundtable.id"],
            name=op.f("fk_shared_challenge_roundtable_id_roundtable"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["discussion_table.id"],
            name=op.f("fk_shared_challenge_table_id_discussion_table"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
            name=op.f("fk_shared_challenge_theme_id_theme"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shared_challenge")),
    )
    with op.batch_alter_table("shared_challenge", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shared_challenge_roundtable_id"), ["roundtable_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("shared_challenge")
    op.drop_table("invitation")
    op.drop_table("evidence_need")
    op.drop_table("roundtable_theme")
    op.drop_table("discussion_table")
    op.drop_table("action")
    op.drop_table("roundtable")
    op.drop_table("series")
    op.drop_table("audit_entry")
