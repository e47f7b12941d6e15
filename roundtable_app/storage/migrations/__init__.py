"""Alembic migrations; the schema is created by these, never by ``create_all``."""
