"""What one demo generation run shares: the random stream, id counters, and what each step made.

The directory steps (:mod:`.generator`) and the roundtable steps
(:mod:`.events`) both build on :class:`DemoWorld`: each step reads what the
steps before it made (declared here) and draws from the same seeded random
source, in the same order.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from roundtable_app.core.progress import Progress

#: "Now" for the demo world. Fixed so that output never depends on the day it is made.
ANCHOR = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
MAX_PAST_ROUNDTABLES = 2000
#: ``--roundtables`` may ask for a longer history than the default ever makes.
MAX_HISTORY = 20_000
#: The default held roundtable invites 8 to 40 people, about this many on average.
MEAN_INVITEES = 19.7


def table_of(model: type[Any]) -> Table:
    """The Core table of a mapped class (typed as a ``Table`` for mypy)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class DemoWorld:
    """One generation run: the random stream, id counters and rows written so far."""

    # Made by the directory steps, read by the roundtable steps.
    sector_names: list[str]
    sector_ids: list[int]
    sector_index: dict[str, int]
    theme_ids: list[int]
    theme_cum: list[float]
    theme_members: list[list[int]]
    person_ids: list[int]
    person_sector: bytearray
    person_lived: bytearray
    person_contact: bytearray
    first_person: int

    def __init__(
        self,
        session: Session,
        people: int,
        seed: int,
        progress: Progress,
        anchor: dt.datetime,
        *,
        roundtables: int | None = None,
        invitees: int | None = None,
    ) -> None:
        self.session = session
        self.anchor = anchor
        self.n_people = people
        self.seed = seed
        self.rng = random.Random(seed)
        #: Who came, when they arrived, walk-ins, how answers came: a stream of their
        #: own, so that everything else a seed makes stays as it was without them.
        self.history = random.Random(f"attendance {seed}")
        #: What was said (question numbers, key points, reworded needs): a stream of its own.
        self.talk = random.Random(f"discussion {seed}")
        #: Rows queued for the next write, by table name.
        self.pending: dict[str, list[dict[str, Any]]] = {}
        #: Held roundtables (id, when they ended), oldest first.
        self.held: list[tuple[int, dt.datetime]] = []
        #: Scales held roundtables' sizes to about this many invitees (None: 8 to 40).
        self.invitees = invitees
        self.progress = progress
        self.filled: list[Table] = []
        self.counts: dict[str, int] = {}
        self._next_id: dict[str, int] = {}
        self.n_past = (
            roundtables
            if roundtables is not None
            else max(12, min(people // 10, MAX_PAST_ROUNDTABLES))
        )
        self.n_upcoming = self.rng.randint(3, 5)
        self.total = people + self.n_past + self.n_upcoming + 1

    def _new_id(self, table: Table) -> int:
        if table.name not in self._next_id:
            last = self.session.scalar(select(func.max(table.c.id))) or 0
            self._next_id[table.name] = last + 1
        value = self._next_id[table.name]
        self._next_id[table.name] = value + 1
        return value

    def _write(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        self.session.execute(insert(table), rows)
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
        if "id" in table.c and table not in self.filled:
            self.filled.append(table)

    def _add(self, table: Table, **row: Any) -> dict[str, Any]:
        """Queue a row for the next flush, with a new id if the table has one."""
        if "id" in table.c:
            row["id"] = self._new_id(table)
        self.pending.setdefault(table.name, []).append(row)
        return row

    def _pick(self, cum: Sequence[float]) -> int:
        return bisect.bisect_right(cum, self.rng.random() * cum[-1])
