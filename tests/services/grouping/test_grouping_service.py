"""Grouping a roundtable's invitees on real databases: pool, plan, save, load, export."""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
import uuid
from collections import Counter

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from roundtable_app.core.errors import NotFoundError, ValidationError
from roundtable_app.core.grouping import InfeasibleRulesError
from roundtable_app.core.grouping.scoring import Preferences
from roundtable_app.core.model import Attendance, Response, RoundtableStatus
from roundtable_app.services import grouping
from roundtable_app.services.demo import generate_demo
from roundtable_app.services.grouping import WITHHELD, export_plan_csv
from roundtable_app.services.reports import write_table_plan_pdf
from roundtable_app.storage.models import (
    AuditEntry,
    DiscussionTable,
    Invitation,
    Person,
    Roundtable,
)
from roundtable_app.storage.unit_of_work import Database

ALL_RULES = Preferences(
    lived_experience_min=1,
    lived_experience_required=True,
    sector_share=0.4,
)


def _new_roundtable(session, title: str = "Grouping test", status: str = "draft") -> int:
    roundtable = Roundtable(title=title, ical_uid=f"{uuid.uuid4()}@test", status=status)
    session.add(roundtable)
    session.flush()
    return roundtable.id


def _invite(session, roundtable_id: int, person_ids, **fields) -> None:
    for pid in person_ids:
        session.add(Invitation(roundtable_id=roundtable_id, person_id=pid, **fields))
    session.flush()


@pytest.fixture
def demo_roundtable(db: Database) -> int:
    """A demo network, plus a new roundtable with 40 invitees (2 declined, 1 apologised)."""
    generate_demo(db, people=300)
    with db.transaction() as session:
        rid = _new_roundtable(session)
        # Five lived-experience people among them, so the privacy rules are exercised.
        lived = select(Person.id).order_by(Person.id).limit(5)
        le = list(session.scalars(lived.where(Person.lived_experience.is_(True))))
        others = list(session.scalars(lived.where(Person.lived_experience.is_(False)).limit(38)))
        ids = sorted(le + others)
        _invite(session, rid, ids[:40])
        _invite(session, rid, ids[40:42], response=Response.DECLINED.value)
        _invite(session, rid, ids[42:], attendance=Attendance.APOLOGIES.value)
    return rid


def test_plan_save_and_load_round_trip(db: Database, demo_roundtable: int):
    rid = demo_roundtable
    with db.reading() as session:
        pool = grouping.load_pool(session, rid)
    assert len(pool) == 40  # the declined and the apologies are left out
    plan = grouping.plan_groups(
        pool, tables=5, preferences=ALL_RULES, seed=3, max_iterations=400, time_limit=60
    )
    seated = [pid for table in plan.tables for pid in table]
    assert sorted(seated) == sorted(inv.person_id for inv in pool.invitees)
    assert plan.sizes == (8, 8, 8, 8, 8)
    assert plan.score is not None and plan.iterations == 400
    le_tables = Counter(
        t for t, table in enumerate(plan.tables) for pid in table if pool.invitees[
            pool.index_of(pid)].lived_experience
    )  # fmt: skip
    assert set(le_tables) == set(range(5))  # required: one or more at every table
    # Same seed and iteration cap: the same plan.
    again = grouping.plan_groups(
        pool, tables=5, preferences=ALL_RULES, seed=3, max_iterations=400, time_limit=60
    )
    assert again.tables == plan.tables

    with db.transaction() as session:
        grouping.save_plan(session, rid, plan)
    with db.reading() as session:
        tables = session.execute(
            select(DiscussionTable.number, DiscussionTable.name)
            .where(DiscussionTable.roundtable_id == rid)
            .order_by(DiscussionTable.number)
        ).all()
        assert [tuple(t) for t in tables] == [(n, f"Table {n}") for n in range(1, 6)]
        unseated = session.scalars(
            select(Invitation.person_id).where(
                Invitation.roundtable_id == rid, Invitation.table_id.is_(None)
            )
        ).all()
        assert len(unseated) == 3
        loaded = grouping.load_saved_plan(session, rid, ALL_RULES)
        audit = session.scalars(
            select(AuditEntry.detail).where(
                AuditEntry.entity == "roundtable", AuditEntry.entity_id == rid
            )
        ).all()
    assert loaded is not None
    assert [sorted(t) for t in loaded.tables] == [sorted(t) for t in plan.tables]
    assert loaded.explanation.new_pairings == plan.explanation.new_pairings
    assert "5 tables, 40 people" in audit


def test_saving_again_replaces_the_tables(db: Database, demo_roundtable: int):
    rid = demo_roundtable
    with db.reading() as session:
        pool = grouping.load_pool(session, rid)
    first = grouping.plan_groups(pool, tables=5, max_iterations=100, time_limit=60)
    second = grouping.plan_groups(pool, tables=4, max_iterations=100, time_limit=60)
    with db.transaction() as session:
        grouping.save_plan(session, rid, first)
    with db.reading() as session:
        ids_before = dict(
            session.execute(
                select(DiscussionTable.number, DiscussionTable.id).where(
                    DiscussionTable.roundtable_id == rid
                )
            ).all()
        )
    with db.transaction() as session:
        grouping.save_plan(session, rid, second)
    with db.reading() as session:
        ids_after = dict(
            session.execute(
                select(DiscussionTable.number, DiscussionTable.id).where(
                    DiscussionTable.roundtable_id == rid
                )
            ).all()
        )
        per_table = session.execute(
            select(Invitation.table_id, func.count())
            .where(Invitation.roundtable_id == rid, Invitation.table_id.is_not(None))
            .group_by(Invitation.table_id)
        ).all()
    assert ids_after == {n: ids_before[n] for n in range(1, 5)}  # rows reused by number
    assert sorted(c for _, c in per_table) == [10, 10, 10, 10]


def test_past_tables_count_as_having_met(db: Database, make_person):
    a, b, c, d = (make_person(db) for _ in range(4))
    with db.transaction() as session:
        ended = dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC)

        def seat(status: str, members: dict[int, str]) -> None:
            rid = _new_roundtable(session, status=status)
            roundtable = session.get(Roundtable, rid)
            roundtable.starts_at, roundtable.ends_at = ended - dt.timedelta(hours=2), ended
            table = DiscussionTable(roundtable_id=rid, number=1, name="Table 1")
            session.add(table)
            session.flush()
            for pid, attendance in members.items():
                _invite(session, rid, [pid], table_id=table.id, attendance=attendance)

        seat(RoundtableStatus.HELD.value, {a: "attended", b: "attended", c: "attended"})
        seat(RoundtableStatus.HELD.value, {a: "attended", b: "unknown", d: "no_show"})
        seat(RoundtableStatus.CANCELLED.value, {c: "unknown", d: "unknown"})
        target = _new_roundtable(session)
        _invite(session, target, [a, b, c, d])
    with db.reading() as session:
        pool = grouping.load_pool(session, target)
        from_people = grouping.pool_from_people(session, [d, c, b, a])
    index = {inv.person_id: inv.index for inv in pool.invitees}

    def pair(x: int, y: int) -> tuple[int, int]:
        i, j = sorted((index[x], index[y]))
        return (i, j)

    # Only people recorded as attended sat together (issue 11): b's "unknown" at
    # the second roundtable is no meeting with a.
    assert dict(pool.past_pairs) == {pair(a, b): 1, pair(a, c): 1, pair(b, c): 1}
    assert dict(from_people.past_pairs) == dict(pool.past_pairs)
    assert [inv.person_id for inv in from_people.invitees] == sorted([a, b, c, d])


def test_errors_are_readable(db: Database, demo_roundtable: int, make_person):
    rid = demo_roundtable
    with db.reading() as session:
        with pytest.raises(NotFoundError, match="no roundtable 999999"):
            grouping.load_pool(session, 999999)
        pool = grouping.load_pool(session, rid)
        stranger_pool = grouping.pool_from_people(session, [make_person(db)])
    with pytest.raises(ValidationError, match="need at least 60 invitees"):
        grouping.plan_groups(pool, tables=30, max_iterations=10, time_limit=5)
    crowd = {inv.person_id: 0 for inv in pool.invitees[:12]}
    with pytest.raises(InfeasibleRulesError):
        grouping.plan_groups(pool, tables=4, locked=crowd, max_iterations=10, time_limit=5)
    assert len(stranger_pool) == 1
    plan = grouping.plan_groups(pool, tables=4, max_iterations=10, time_limit=5)
    outsider = grouping.plan_from_tables(
        stranger_pool, [[stranger_pool.invitees[0].person_id]], None
    )
    with db.transaction() as session:
        with pytest.raises(ValidationError, match="not invited"):
            grouping.save_plan(session, rid, outsider)
        with pytest.raises(NotFoundError):
            grouping.save_plan(session, 999999, plan)
        assert grouping.load_saved_plan(session, rid) is None


def test_csv_and_pdf_seat_everyone_and_never_say_lived_experience(
    db: Database, demo_roundtable: int, tmp_path
):
    rid = demo_roundtable
    with db.reading() as session:
        pool = grouping.load_pool(session, rid)
        title = session.get(Roundtable, rid).title
    plan = grouping.plan_groups(pool, tables=5, seed=2, max_iterations=200, time_limit=60)
    hidden = [inv for inv in pool.invitees if inv.lived_experience and not inv.may_be_named]
    assert hidden, "the demo roundtable should include unnamed lived-experience invitees"

    out = tmp_path / "plan.csv"
    assert export_plan_csv(plan, out) == 40
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["Table", "Name", "Organisation", "Sector", "Interests"]
    assert Counter(r["Table"] for r in rows) == {f"Table {n}": 8 for n in range(1, 6)}
    names = [r["Name"] for r in rows]
    assert names.count(WITHHELD) == len(hidden)
    assert not {inv.name for inv in hidden} & set(names)
    assert "lived experience" not in out.read_text(encoding="utf-8-sig").lower()

    pdf = tmp_path / "plan.pdf"
    write_table_plan_pdf(plan, title, pdf, when=dt.date(2027, 3, 10), venue="Oakhaven")
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    # NFKC: shaped Arabic copies out as the joined forms of its letters (ﻋﻠﻲ for علي).
    flat = " ".join(unicodedata.normalize("NFKC", text).split())
    for n in range(1, 6):
        assert f"Table {n}" in flat
    shown = [r["Name"] for r in rows if r["Name"] != WITHHELD]
    assert [name for name in shown if name not in flat] == []
    assert not any(inv.name in flat for inv in hidden)
    assert "lived experience" not in flat.lower()
    assert "Why together".upper() in flat and "Page 1 of" in flat


def test_plan_groups_honours_locks_rules_and_required_balance():
    """No database: a pool is plain data, as the grouping page holds it."""
    from roundtable_app.core.grouping.scoring import Invitee

    sectors = ["Government", "Civil society", "Academic research", "Business"]
    invitees = tuple(
        Invitee(
            index=i,
            person_id=1000 + i,
            name=f"Person {i}",
            sector=sectors[i % 4],
            organisation=f"Org {i % 6}" if i < 18 else None,
            interests=frozenset({f"theme {i % 5}", f"theme {i % 3 + 5}"}),
            lived_experience=i in (3, 7, 11, 15, 19, 23),
        )
        for i in range(24)
    )
    pool = grouping.Pool(invitees=invitees, past_pairs={(0, 4): 2, (1, 5): 1})
    prefs = Preferences(
        lived_experience_min=2,
        lived_experience_required=True,
        organisation_required=True,
        sector_required=True,
        sector_share=0.5,
    )
    plan = grouping.plan_groups(
        pool,
        tables=3,
        preferences=prefs,
        seed=5,
        max_iterations=300,
        time_limit=60,
        locked={1000: 2},
        together=[(1001, 1002)],
        apart=[(1020, 1021)],
    )
    table_of = {pid: t for t, members in enumerate(plan.tables) for pid in members}
    assert plan.sizes == (8, 8, 8)
    assert table_of[1000] == 2
    assert table_of[1001] == table_of[1002]
    assert table_of[1020] != table_of[1021]
    for members in plan.tables:
        orgs = [invitees[p - 1000].organisation for p in members]
        assert len([o for o in orgs if o]) == len({o for o in orgs if o})
        assert sum(invitees[p - 1000].lived_experience for p in members) >= 2
        assert max(Counter(invitees[p - 1000].sector for p in members).values()) <= 4
    assert not any("holds" in w for w in plan.explanation.warnings)
    with pytest.raises(ValidationError, match="not in this pool"):
        grouping.plan_groups(pool, tables=3, locked={42: 0}, max_iterations=5, time_limit=5)
    with pytest.raises(ValidationError, match="only 3 tables"):
        grouping.plan_groups(pool, tables=3, locked={1000: 3}, max_iterations=5, time_limit=5)


def test_a_required_sector_share_holds_even_where_shared_interests_pull_a_sector_together():
    from roundtable_app.core.grouping.scoring import Invitee

    # Six officials share a rare interest; the others share nothing with anyone.
    invitees = tuple(
        Invitee(
            index=i,
            person_id=2000 + i,
            name=f"Person {i}",
            sector="Government" if i < 6 else ["Business", "Academic research"][i % 2],
            interests=frozenset({"procurement law"} if i < 6 else {f"theme {i}"}),
        )
        for i in range(12)
    )
    pool = grouping.Pool(invitees=invitees, past_pairs={})
    only_interests = {
        "interests": 1.0,
        "new_pairings": 0.0,
        "sector_balance": 0.0,
        "sector_share": 0.5,
        "lived_experience_min": 0,
        "one_per_organisation": False,
    }

    def officials_per_table(required: bool) -> list[int]:
        prefs = Preferences(sector_required=required, **only_interests)
        plan = grouping.plan_groups(
            pool, tables=3, preferences=prefs, seed=3, max_iterations=200, time_limit=60
        )
        return sorted(sum(pid < 2006 for pid in members) for members in plan.tables)

    assert max(officials_per_table(False)) > 2  # as a preference it gives way to interests
    assert officials_per_table(True) == [2, 2, 2]  # required: at most half of a table of 4
    impossible = Preferences(sector_required=True, **{**only_interests, "sector_share": 0.25})
    with pytest.raises(ValidationError, match="6 people are from the sector Government"):
        grouping.plan_groups(pool, tables=3, preferences=impossible, max_iterations=5)


def test_locks_and_rules_are_saved_with_the_plan_and_replaced_by_the_next_save(
    db: Database, demo_roundtable: int
):
    from roundtable_app.services.grouping import SavedRules, load_rules, save_rules

    rid = demo_roundtable
    with db.reading() as session:
        pool = grouping.load_pool(session, rid)
    plan = grouping.plan_groups(pool, tables=5, seed=1, max_iterations=50, time_limit=60)
    a, b, c = plan.tables[0][0], plan.tables[1][0], plan.tables[2][0]
    rules = SavedRules(locked=frozenset({a}), together=((c, b), (b, c)), apart=((a, b),))
    with db.transaction() as session:
        grouping.save_plan(session, rid, plan)
        save_rules(session, rid, rules)
    with db.reading() as session:
        loaded = load_rules(session, rid)
    assert loaded.locked == {a}
    assert loaded.together == ((min(b, c), max(b, c)),)  # once, smaller id first
    assert loaded.apart == ((min(a, b), max(a, b)),)
    # Someone not invited: refused, and nothing of the save is kept.
    stranger = max(inv.person_id for inv in pool.invitees) + 10_000
    with pytest.raises(ValidationError, match="not invited"), db.transaction() as session:
        save_rules(session, rid, SavedRules(apart=((a, stranger),)))
    with db.reading() as session:
        assert load_rules(session, rid) == loaded
    with db.transaction() as session:
        save_rules(session, rid, SavedRules())
    with db.reading() as session:
        assert load_rules(session, rid) == SavedRules()


def test_an_arrangement_fits_a_pool_that_changed() -> None:
    from roundtable_app.core.grouping.scoring import Invitee

    def pool(*ids: int) -> grouping.Pool:
        return grouping.Pool(
            invitees=tuple(Invitee(index=i, person_id=p, name=f"P{p}") for i, p in enumerate(ids))
        )

    before = pool(1, 2, 3, 4)
    plan = grouping.plan_from_tables(before, [[1, 2], [3, 4]])
    rules = grouping.SavedRules(locked=frozenset({2, 3}), together=((1, 2),), apart=((2, 3),))
    after = pool(1, 3, 4, 5)  # 2 declined, 5 was invited
    fitted = grouping.fit_arrangement(after, grouping.Arrangement(plan, rules))
    assert fitted.plan is not None
    assert fitted.plan.tables == ((1,), (3, 4))  # 5 waits unseated for the next run
    assert fitted.rules == grouping.SavedRules(locked=frozenset({3}))
