"""Two laptops at two doors check people in at the same moment, as two processes.

Both succeed, nobody is checked in twice, and the first time is the one kept,
on a SQLite file and on PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random

from roundtable_app.core.model import Attendance, Response
from roundtable_app.services import attendance, roundtables
from roundtable_app.storage.models import Invitation
from roundtable_app.storage.unit_of_work import Database, open_database

PEOPLE = 30


def _door(url: str, ids: list[int], seed: int, start, results) -> None:  # type: ignore[no-untyped-def]
    """One door: checks everyone in, in its own order, one transaction each."""
    db = open_database(url, migrate=False)
    order = list(ids)
    random.Random(seed).shuffle(order)
    done = []
    start.wait()
    try:
        for invitation_id in order:
            at = dt.datetime.now(dt.UTC)
            with db.transaction() as s:
                result = attendance.check_in(s, invitation_id, at)
            done.append((invitation_id, result.changed, result.checked_in_at.isoformat()))
        results.put((seed, done, None))
    except Exception as exc:  # reported to the test, which fails with it
        results.put((seed, done, f"{type(exc).__name__}: {exc}"))
    finally:
        db.close()


def _started_roundtable(db: Database, make_person) -> list[int]:  # type: ignore[no-untyped-def]
    people = [make_person(db, full_name=f"Guest {n}") for n in range(PEOPLE)]
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)
    data = roundtables.RoundtableData(
        title="Two doors", starts_at=start, ends_at=start + dt.timedelta(hours=3)
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, people)
        for inv in s.query(Invitation).filter_by(roundtable_id=rid):
            inv.response = Response.ACCEPTED.value
    with db.reading() as s:
        return [row.invitation_id for row in attendance.attendance_rows(s, rid)]


def test_two_doors_check_everyone_in_at_once(db, make_person) -> None:  # type: ignore[no-untyped-def]
    ids = _started_roundtable(db, make_person)
    url = db.engine.url.render_as_string(hide_password=False)
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Event()
    results = spawn.Queue()
    doors = [spawn.Process(target=_door, args=(url, ids, seed, start, results)) for seed in (1, 2)]
    for door in doors:
        door.start()
    start.set()
    reports = [results.get(timeout=120) for _ in doors]
    for door in doors:
        door.join(timeout=60)
    assert [error for _seed, _done, error in reports] == [None, None]  # both doors succeed
    firsts: dict[int, str] = {}
    for _seed, done, _error in reports:
        assert len(done) == PEOPLE
        for invitation_id, changed, at in done:
            if changed:
                assert invitation_id not in firsts, "checked in twice"
                firsts[invitation_id] = at
    assert sorted(firsts) == sorted(ids)  # each person checked in exactly once
    with db.reading() as s:
        rows = {r.invitation_id: r for r in attendance.attendance_rows(s, _rid(s, ids[0]))}
        counts = attendance.arrival_counts(s, _rid(s, ids[0]))
    for invitation_id, at in firsts.items():  # the first time is kept, and both doors saw it
        assert rows[invitation_id].attendance == Attendance.ATTENDED
        assert rows[invitation_id].checked_in_at == dt.datetime.fromisoformat(at)
    for _seed, done, _error in reports:
        assert all(at == firsts[i] for i, _changed, at in done)
    assert str(counts) == f"{PEOPLE} of {PEOPLE} expected have arrived"


def _rid(session, invitation_id: int) -> int:  # type: ignore[no-untyped-def]
    return session.get(Invitation, invitation_id).roundtable_id
