"""A small history built with the services, whose figures are worked out by hand.

People (sector; * lived experience): Ann and Ben (Academic research), Cat*
and Gus (Civil society), Dan (Government), Eve* (Lived experience), Fay
(Business), Hal (Funder, never invited); Gus may not be contacted. Organisations: Ann and Ben at Uni
North, Cat and Gus at Hope Trust, Fay at Acme Ltd.

=====  ==========  =============  =====================================  ==================
 rt     day         series         answer → attendance                    tables
=====  ==========  =============  =====================================  ==================
 1      2026-02-10  Supply chains  Ann acc → came, Ben acc → no-show,     1: Ann Cat Ben
                                   Cat acc → came, Dan declined,           2: Eve
                                   Eve tentative → apologies,
                                   Fay declined
 2      2026-03-15  Supply chains  Ann, Ben, Cat, Eve acc → came,         1: Ann Cat Eve
                                   Fay no answer; Gus walked in           2: Ben Gus
 3      2026-05-20  (none)         Ann acc → came, Ben acc → apologies,   1: Ann Dan Ben Fay
                                   Dan acc → came, Fay acc → no-show
 4      2026-06-01  (none)         Ann, Cat acc; nothing recorded         1: Ann Cat
 5      2030-01-15  (none)         Ben: still to come
=====  ==========  =============  =====================================  ==================

New connections: rt 1 Ann–Cat; rt 2 Ann–Eve, Cat–Eve, Ben–Gus (Ann–Cat met
before); rt 3 Ann–Dan (Ben and Fay did not come): 1 + 3 + 1 = 5 of 6 pairs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from roundtable_app.core.model import Attendance, PersonData, Response, ResponseChannel
from roundtable_app.services import attendance, directory, grouping, roundtables
from roundtable_app.storage.models import Roundtable
from roundtable_app.storage.unit_of_work import Database

DAYS = {
    1: dt.datetime(2026, 2, 10, 10, 0, tzinfo=dt.UTC),
    2: dt.datetime(2026, 3, 15, 14, 0, tzinfo=dt.UTC),
    3: dt.datetime(2026, 5, 20, 9, 30, tzinfo=dt.UTC),
    4: dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC),
    5: dt.datetime(2030, 1, 15, 10, 0, tzinfo=dt.UTC),
}
#: After every roundtable but the one still to come.
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@dataclass
class Fixture:
    db: Database
    people: dict[str, int]
    rts: dict[int, int]
    series_id: int
    now: dt.datetime = NOW


PEOPLE = {
    "Ann": ("Ann Archer", "Academic research", "Uni North", False, ("Forced labour",)),
    "Ben": ("Ben Brook", "Academic research", "Uni North", False, ()),
    "Cat": ("Cat Cole", "Civil society", "Hope Trust", True, ()),
    "Dan": ("Dan Dale", "Government", None, False, ("Forced labour",)),
    "Eve": ("Eve Ezra", "Lived experience", None, True, ()),
    "Fay": ("Fay Fox", "Business", "Acme Ltd", False, ()),
    "Gus": ("Gus Gray", "Civil society", "Hope Trust", False, ()),
    "Hal": ("Hal Hume", "Funder", None, False, ("Forced labour",)),
}

ACC, DEC, TEN = Response.ACCEPTED, Response.DECLINED, Response.TENTATIVE
ATT, NOS, APO = Attendance.ATTENDED, Attendance.NO_SHOW, Attendance.APOLOGIES

PLAN = {
    # rt: (series, {person: (answer, attendance)}, tables)
    1: (
        "Supply chains",
        {
            "Ann": (ACC, ATT),
            "Ben": (ACC, NOS),
            "Cat": (ACC, ATT),
            "Dan": (DEC, None),
            "Eve": (TEN, APO),
            "Fay": (DEC, None),
        },
        [["Ann", "Cat", "Ben"], ["Eve"]],
    ),
    2: (
        "Supply chains",
        {
            "Ann": (ACC, ATT),
            "Ben": (ACC, ATT),
            "Cat": (ACC, ATT),
            "Eve": (ACC, ATT),
            "Fay": (None, None),
        },
        [["Ann", "Cat", "Eve"], ["Ben"]],
    ),
    3: (
        None,
        {"Ann": (ACC, ATT), "Ben": (ACC, APO), "Dan": (ACC, ATT), "Fay": (ACC, NOS)},
        [["Ann", "Dan", "Ben", "Fay"]],
    ),
    4: (None, {"Ann": (ACC, None), "Cat": (ACC, None)}, [["Ann", "Cat"]]),
    5: (None, {"Ben": (None, None)}, []),
}


def build(db: Database) -> Fixture:
    people: dict[str, int] = {}
    with db.transaction() as s:
        for key, (name, sector, org, lived, themes) in PEOPLE.items():
            data = PersonData(
                full_name=name,
                email=f"{key.lower()}@example.org",
                organisation=org,
                sector=sector,
                lived_experience=lived,
                interests=themes,
                may_contact=key != "Gus",
            )
            people[key] = directory.create_person(s, data).id
    rts: dict[int, int] = {}
    for n, (series, answers, tables) in PLAN.items():
        start = DAYS[n]
        data = roundtables.RoundtableData(
            title=f"Roundtable {n}",
            series=series,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
        )
        with db.transaction() as s:
            rid = rts[n] = roundtables.create_roundtable(s, data).id
            roundtables.add_invitees(s, rid, [people[k] for k in answers])
            if tables:
                pool = grouping.pool_from_people(s, [people[k] for k in answers])
                plan = grouping.plan_from_tables(pool, [[people[k] for k in t] for t in tables])
                grouping.save_plan(s, rid, plan)
        with db.transaction() as s:
            rows = {r.person_id: r for r in attendance.attendance_rows(s, rid)}
            for key, (answer, came) in answers.items():
                row = rows[people[key]]
                if answer is not None:
                    attendance.record_response(
                        s, row.invitation_id, (row.response, None), answer, ResponseChannel.EMAIL
                    )
                if came is not None:
                    attendance.mark(s, [row.invitation_id], came)
            if n == 2:
                attendance.add_walk_in(s, rid, people["Gus"], table=2)
    with db.reading() as s:
        first = s.get(Roundtable, rts[1])
        assert first is not None and first.series_id is not None
        series_id = first.series_id
    return Fixture(db, people, rts, series_id)


@pytest.fixture
def history_db(db: Database) -> Fixture:
    """The history above, on each backend."""
    return build(db)
