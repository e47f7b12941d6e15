"""What a summary prints, with the privacy rules: names removed, small sectors withheld."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable_app.core.discussion import EvidenceKind, NoteKind
from roundtable_app.core.model import Attendance, Priority
from roundtable_app.services import discussion, roundtables
from roundtable_app.storage.models import DiscussionTable, Invitation

PAST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
EARLIER = dt.datetime(2025, 3, 2, 10, 0, tzinfo=dt.UTC)


def _held(db, people, *, start=PAST, tables=None, questions=""):  # type: ignore[no-untyped-def]
    data = roundtables.RoundtableData(
        title="Supply chains",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        purpose="To learn what evidence is missing.",
        evidence_questions=questions,
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, people)
        ids = []
        for number in sorted(set((tables or {}).values())):
            t = DiscussionTable(roundtable_id=rid, number=number, name=f"Table {number}")
            s.add(t)
            s.flush()
            ids.append((number, t.id))
        table_id = dict(ids)
        for inv in s.query(Invitation).filter_by(roundtable_id=rid):
            inv.attendance = Attendance.ATTENDED.value
            if tables and inv.person_id in tables:
                inv.table_id = table_id[tables[inv.person_id]]
    return rid, table_id


@pytest.fixture
def room(db, make_person):  # type: ignore[no-untyped-def]
    gov = [
        make_person(db, full_name="José Müller", organisation="Salvation Army", sector="Government",
                    may_be_named=True),
        make_person(db, full_name="Ana Silva", sector="Government", may_be_named=True),
        make_person(db, full_name="Bo Chen", sector="Government"),
    ]  # fmt: skip
    ruth = make_person(
        db, full_name="Ruth Okafor", sector="Academic research", lived_experience=True
    )
    tables = {gov[0]: 1, gov[1]: 1, gov[2]: 1, ruth: 1}
    rid, table_ids = _held(db, [*gov, ruth], tables=tables, questions="1. How many?\n2. Where?")
    return rid, table_ids[1], gov, ruth


def test_names_are_removed_small_sectors_withheld_and_counts_folded(db, room):  # type: ignore[no-untyped-def]
    rid, table, gov, ruth = room
    with db.transaction() as s:
        discussion.add_note(
            s, rid, NoteKind.NEED, table_id=table,
            fields=discussion.NoteFields(
                text="Ruth Okafor asked how many are exploited",
                sectors=("Government", "Academic research"),
                priority=Priority.HIGH, evidence_kind=EvidenceKind.PREVALENCE, question_no=1,
            ),
        )  # fmt: skip
        discussion.add_note(
            s, rid, NoteKind.CHALLENGE, table_id=table,
            fields=discussion.NoteFields(
                text="The salvation army lacks data", sectors=("Academic research",)
            ),
        )  # fmt: skip
        discussion.add_note(
            s, rid, NoteKind.POINT, fields=discussion.NoteFields(text="Trust takes time")
        )
    with db.reading() as s:
        content = discussion.build_summary(s, rid)
        with_people = discussion.build_summary(s, rid, with_participants=True)
    (block,) = content.needs_by_theme
    (need,) = block.needs
    assert need.text == "A participant asked how many are exploited"
    assert need.attribution == "raised by Government and others at Table 1"
    assert need.details == ("High priority", "Prevalence and scale")
    assert [q.needs for q in content.questions] == [(need,), ()]
    (challenge,) = content.challenges
    assert challenge.text == "An organisation in Government lacks data"
    assert challenge.attribution == "raised at Table 1"  # one academic: not named
    assert [p.text for p in content.points] == ["Trust takes time"]
    assert content.took_part == 4
    assert [(c.sector, c.count) for c in content.sectors] == [
        ("Government", 3),
        ("Other sectors", "fewer than 3"),
    ]
    assert content.lived_experience == "fewer than 3"
    assert content.new_connections == 6  # four people at one table, none had met
    assert content.participants is None
    assert with_people.participants == (("José Müller", "Salvation Army"), ("Ana Silva", ""))
    assert content.draft and content.revision == 1


def test_pairs_who_sat_together_before_are_not_new_connections(db, make_person):  # type: ignore[no-untyped-def]
    a, b, c = (make_person(db) for _ in range(3))
    _held(db, [a, b], start=EARLIER, tables={a: 1, b: 1})
    rid, _ = _held(db, [a, b, c], tables={a: 1, b: 1, c: 1})
    with db.reading() as s:
        assert discussion.build_summary(s, rid).new_connections == 2  # a–c and b–c
