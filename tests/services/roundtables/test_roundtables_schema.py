"""Migration 0003 (invitation delivery state) matches the models on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from roundtable_app.storage.base import Base


def test_migrated_schema_matches_the_models(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_invitation_has_the_delivery_columns(db):
    columns = {c["name"] for c in inspect(db.engine).get_columns("invitation")}
    assert {"withdrawn_at", "sent_method"} <= columns
    checks = {c["name"] for c in inspect(db.engine).get_check_constraints("invitation")}
    assert "ck_invitation_sent_method_known" in checks
