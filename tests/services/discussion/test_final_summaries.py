"""Final summaries kept as they print, on both databases: what read-only members list and print.

A final revision keeps its summary with the privacy rules applied (names removed,
small sectors withheld, no participant list), so that a member who may not read
the notes can still print exactly what staff made final.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from roundtable_app.core.discussion import NoteKind, SummaryState
from roundtable_app.core.errors import NotFoundError
from roundtable_app.core.model import Attendance
from roundtable_app.services import discussion, roundtables
from roundtable_app.storage.models import DiscussionTable, Invitation, SummaryRevision

PAST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def held(db, make_person):  # type: ignore[no-untyped-def]
    """Three from Government and one academic (Ruth, the only one) attended, at Table 1."""
    people = [
        make_person(db, full_name="José Müller", sector="Government", may_be_named=True),
        make_person(db, full_name="Ana Silva", sector="Government"),
        make_person(db, full_name="Bo Chen", sector="Government"),
        make_person(db, full_name="Ruth Okafor", organisation="Unseen", sector="Academic research"),
    ]
    data = roundtables.RoundtableData(
        title="Supply chains", starts_at=PAST, ends_at=PAST + dt.timedelta(hours=2)
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, people)
        table = DiscussionTable(roundtable_id=rid, number=1, name="Table 1")
        s.add(table)
        s.flush()
        for inv in s.query(Invitation).filter_by(roundtable_id=rid):
            inv.attendance = Attendance.ATTENDED.value
            inv.table_id = table.id
        table_id = table.id
        later = roundtables.create_roundtable(
            s, roundtables.RoundtableData(title="Not yet final")
        ).id
        discussion.add_note(
            s, later, NoteKind.POINT, fields=discussion.NoteFields(text="A draft thought")
        )
    return db, rid, table_id


def _finalise(db, rid: int, revision: int) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        discussion.finalise(s, rid, revision)


def test_a_final_revision_keeps_its_summary_as_it_prints(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, table = held
    with db.transaction() as s:
        discussion.add_note(
            s,
            rid,
            NoteKind.POINT,
            table_id=table,
            fields=discussion.NoteFields(text="Trust matters", sectors=("Academic research",)),
        )
        discussion.add_note(
            s,
            rid,
            NoteKind.NEED,
            table_id=table,
            fields=discussion.NoteFields(
                text="Who audits the audits?", sectors=("Academic research", "Government")
            ),
        )
    _finalise(db, rid, 1)
    with db.reading() as s:
        listed = discussion.final_summaries(s)
        printed = discussion.final_summary(s, rid)
        expected = discussion.build_summary(s, rid)  # staff's print of the final summary
        stored = s.query(SummaryRevision).one().printed
    assert [(f.roundtable_id, f.title, f.revision) for f in listed] == [(rid, "Supply chains", 1)]
    assert listed[0].starts_at == PAST
    assert printed == expected  # exactly what staff print (no participant list either way)
    assert printed.state == SummaryState.FINAL and printed.revision == 1
    assert printed.participants is None
    # The sector with one person present is not said, though the notes themselves (the
    # revision's content, which read-only members never read) still hold it.
    assert "Academic research" not in stored and "Academic research" in s_content(db, rid)
    point = printed.points[0]
    assert (point.text, point.attribution) == ("Trust matters", "raised at Table 1")
    assert "Government" in printed.needs_by_theme[0].needs[0].attribution


def s_content(db, rid: int) -> str:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return json.dumps(discussion.revision_content(s, rid, 1), ensure_ascii=False)


def test_a_reopened_summary_lists_its_last_final_revision_never_the_draft(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = held
    with db.transaction() as s:
        note = discussion.add_note(
            s, rid, NoteKind.POINT, fields=discussion.NoteFields(text="As agreed")
        )
    _finalise(db, rid, 1)
    with db.transaction() as s:
        discussion.reopen(s, rid, 1)
        discussion.update_note(
            s, note.id, note.version, discussion.NoteFields(text="Draft wording")
        )
    with db.reading() as s:
        assert [f.revision for f in discussion.final_summaries(s)] == [1]
        assert discussion.final_summary(s, rid).points[0].text == "As agreed"
    _finalise(db, rid, 2)
    with db.reading() as s:
        assert [f.revision for f in discussion.final_summaries(s)] == [2]
        assert discussion.final_summary(s, rid).points[0].text == "Draft wording"


def test_no_final_summary_says_so(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = held
    with db.reading() as s:
        assert discussion.final_summaries(s) == []
        with pytest.raises(NotFoundError, match="'Supply chains' has not been made final"):
            discussion.final_summary(s, rid)
        with pytest.raises(NotFoundError, match="no roundtable 9999"):
            discussion.final_summary(s, 9999)


def test_revisions_made_final_before_are_kept_as_printed_by_fill(held) -> None:  # type: ignore[no-untyped-def]
    db, rid, _ = held
    with db.transaction() as s:
        discussion.add_note(s, rid, NoteKind.CHALLENGE, fields=discussion.NoteFields(text="Silos"))
    _finalise(db, rid, 1)
    with db.transaction() as s:
        before = s.query(SummaryRevision).one().printed
        s.query(SummaryRevision).update({"printed": None})  # as made by an older version
    with db.reading() as s:
        assert discussion.final_summaries(s) == []
    with db.transaction() as s:
        assert discussion.fill_printed(s) == 1
    with db.transaction() as s:
        assert discussion.fill_printed(s) == 0
        assert s.query(SummaryRevision).one().printed == before
