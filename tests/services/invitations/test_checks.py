"""What the Send invitations dialog (and the CLI) says before anything is sent."""

from __future__ import annotations

import datetime as dt

from roundtable_app.core.model import Format, RoundtableStatus
from roundtable_app.services import invitations, roundtables
from roundtable_app.services.invitations import Check, Method
from roundtable_app.services.roundtables import RoundtableData

START = dt.datetime(2027, 3, 3, 10, tzinfo=dt.UTC)


def make(db, **fields: object) -> int:  # type: ignore[no-untyped-def]
    values: dict[str, object] = dict(
        title="Survivor support", starts_at=START, ends_at=START + dt.timedelta(hours=2)
    )
    values.update(fields)
    with db.transaction() as s:
        return roundtables.create_roundtable(s, RoundtableData(**values)).id  # type: ignore[arg-type]


def checks(db, rt_id: int, method: Method | None = Method.REQUEST) -> list[Check]:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return [c.check for c in invitations.preflight(s, rt_id, method)]


def set_status(db, rt_id: int, status: RoundtableStatus) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        info = roundtables.get_roundtable(s, rt_id)
        roundtables.set_status(s, rt_id, status, info.version, now=START + dt.timedelta(days=1))


def test_a_ready_roundtable_has_nothing_to_say(db):
    rt = make(db, venue="Room 1")
    set_status(db, rt, RoundtableStatus.SCHEDULED)
    assert checks(db, rt) == []


def test_draft_no_date_no_venue_and_hybrid(db):
    assert checks(db, make(db, venue="Room 1")) == [Check.DRAFT]
    assert checks(db, make(db, starts_at=None, ends_at=None, venue="Room 1")) == [Check.NO_DATE]
    assert checks(db, make(db)) == [Check.DRAFT, Check.NO_VENUE]
    online = make(db, format=Format.ONLINE, online_link="https://meet.example/x")
    assert checks(db, online) == [Check.DRAFT]
    hybrid = make(db, format=Format.HYBRID, online_link="https://meet.example/x")
    with db.reading() as s:
        [_, no_venue] = invitations.preflight(s, hybrid, Method.REQUEST)
    assert "hybrid but has no venue: calendars will show only the joining link" in no_venue.text


def test_held_and_cancelled_block_invitations_not_cancellations(db):
    held = make(db, venue="Room 1")
    set_status(db, held, RoundtableStatus.SCHEDULED)
    set_status(db, held, RoundtableStatus.HELD)
    assert checks(db, held) == [Check.HELD]
    assert checks(db, held, Method.CANCEL) == []
    gone = make(db, venue="Room 1")
    set_status(db, gone, RoundtableStatus.CANCELLED)
    assert checks(db, gone) == [Check.CANCELLED]
    assert checks(db, gone, Method.CANCEL) == []


def test_a_chair_who_is_not_invited(db, make_person):
    chair = make_person(db, full_name="Grace Okafor")
    rt = make(db, venue="Room 1", chair_id=chair)
    set_status(db, rt, RoundtableStatus.SCHEDULED)
    with db.reading() as s:
        [found] = invitations.preflight(s, rt, Method.REQUEST)
    assert found.check == Check.CHAIR and found.fixable and found.name == "Grace Okafor"
    assert not found.blocking
