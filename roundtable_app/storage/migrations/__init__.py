"""Alembic migrations; the schema is created by these, never by ``create_all``."""

#: The newest migration's revision. Opening a database already at this revision
#: needs no Alembic at all (importing it costs a noticeable part of the start);
#: a test checks that it names Alembic's head, so a new migration updates it.
HEAD = "0011"
