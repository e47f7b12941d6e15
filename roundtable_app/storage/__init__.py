"""SQLAlchemy models, the engine, Alembic migrations and the unit of work."""
