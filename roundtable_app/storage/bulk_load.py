"""Loading many rows at once on PostgreSQL: foreign keys checked once, not row by row.

PostgreSQL checks a foreign key with a trigger per inserted row: for a
100,000-person import (and its 365,000 interest links) those checks take
about 7 s of the server's time, more than the rows themselves. Dropping the
constraints for the load and adding them back before the transaction ends
checks every row again, in one set-based query per constraint (about 0.2 s):
integrity is the same, and a row that breaks a constraint still fails the
whole transaction, which then rolls back (the drop with it).

The price is a lock. Dropping a foreign key takes an ACCESS EXCLUSIVE lock on
its table and on the table it refers to, held until the transaction ends: a
colleague reading the directory while a large import writes waits until the
import commits (a few seconds), instead of seeing the directory as before the
import. So only large loads do it (the caller decides), the locks are waited
for at most :data:`LOCK_WAIT_MS`, and when they cannot be had (someone keeps a
transaction open on one of the tables, the role does not own them, a
deadlock), nothing is dropped and the load goes the ordinary way, checked row
by row. SQLite checks foreign keys cheaply and cannot drop them: nothing is
done there.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

#: How long to wait for the tables' locks before loading the ordinary way instead.
LOCK_WAIT_MS = 2000

# Statements built by the server (format() quotes the names) from the constraints
# as they are, so that they come back exactly as the migrations made them.
_FOREIGN_KEYS = text(
    """
    SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
           format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                  pg_get_constraintdef(c.oid)),
           c.conrelid::regclass::text,
           c.confrelid::regclass::text
    FROM pg_constraint AS c
    WHERE c.contype = 'f'
      AND c.conrelid IN (
          SELECT to_regclass(quote_ident(t)) FROM unnest(CAST(:tables AS text[])) AS t
      )
    ORDER BY c.conname
    """
)


@contextmanager
def foreign_keys_checked_after(session: Session, tables: Sequence[str]) -> Iterator[bool]:
    """Load into ``tables`` with their foreign keys checked once, after the block.

    Yields ``True`` when the constraints were dropped (they are added back,
    and so checked, when the block ends without error), ``False`` when the
    block should load as usual (not PostgreSQL, or the locks were not granted
    in time, or the role may not alter the tables): then nothing was changed.
    """
    if session.get_bind().dialect.name != "postgresql":
        yield False
        return
    found = session.execute(_FOREIGN_KEYS, {"tables": list(tables)}).all()
    if not found:
        yield False
        return
    locked = sorted({name for _drop, _add, own, refers in found for name in (own, refers)})
    wait = text("SELECT set_config('lock_timeout', :wait, true)")  # like SET LOCAL
    before = session.scalar(text("SELECT current_setting('lock_timeout')"))
    savepoint = session.begin_nested()
    try:
        session.execute(wait, {"wait": f"{LOCK_WAIT_MS}ms"})
        # All the locks at once, in name order, before anything is dropped.
        session.execute(text(f"LOCK TABLE {', '.join(locked)} IN ACCESS EXCLUSIVE MODE"))
        for drop, _add, _own, _refers in found:
            session.execute(text(drop))
        session.execute(wait, {"wait": before})
    except DBAPIError:
        # Lock not granted in time, not the tables' owner, or a deadlock: the
        # savepoint takes back what was done, and the load checks row by row.
        savepoint.rollback()
        yield False
        return
    savepoint.commit()
    yield True
    for _drop, add, _own, _refers in found:
        session.execute(text(add))
