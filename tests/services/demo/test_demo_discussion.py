"""The demo's discussions: what the summary, the guard and the register have to work on."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from roundtable_app.core.discussion import NoteKind, SummaryState, evidence_questions
from roundtable_app.core.model import RoundtableStatus
from roundtable_app.services import discussion
from roundtable_app.services.demo import generate_demo, words
from roundtable_app.storage.models import DiscussionNote, Roundtable
from roundtable_app.storage.unit_of_work import Database, open_database


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('talk') / 'd.db'}")
    generate_demo(database)
    yield database
    database.close()


def _held(session) -> list[Roundtable]:  # type: ignore[no-untyped-def]
    query = select(Roundtable).where(Roundtable.status == RoundtableStatus.HELD.value)
    return list(session.scalars(query.order_by(Roundtable.starts_at)))


def test_every_held_roundtable_has_questions_and_notes_of_every_kind(demo: Database) -> None:
    with demo.reading() as s:
        held = _held(s)
        asked = Counter(len(evidence_questions(rt.evidence_questions or "")) for rt in held)
        assert set(asked) <= {2, 3, 4} and len(asked) >= 2
        answered = 0
        for rt in held:
            notes = discussion.list_notes(s, rt.id)
            kinds = {n.kind for n in notes}
            assert {NoteKind.NEED, NoteKind.CHALLENGE, NoteKind.POINT} <= kinds, rt.title
            needs = [n for n in notes if n.kind == NoteKind.NEED]
            assert all(n.themes and n.priority and n.evidence_kind and n.table_id for n in needs)
            answered += sum(1 for n in needs if n.question_no is not None)
            assert all(
                n.question_no is None
                or 1 <= n.question_no <= len(evidence_questions(rt.evidence_questions))
                for n in needs
            )
        assert answered > len(held)


def test_the_same_need_reworded_comes_up_at_several_roundtables(demo: Database) -> None:
    with demo.reading() as s:
        texts = set(s.scalars(select(DiscussionNote.text)))
        roundtables_of = Counter(
            rt for (rt,) in s.execute(
                select(DiscussionNote.roundtable_id).where(
                    DiscussionNote.text.in_([t for pair in words.REWORDED_NEEDS for t in pair])
                )
            )
        )  # fmt: skip
    assert len(roundtables_of) >= 3
    assert any(a in texts and b in texts for a, b in words.REWORDED_NEEDS)


def test_the_latest_roundtable_names_a_participant_and_the_guard_flags_it(demo: Database) -> None:
    with demo.reading() as s:
        latest = _held(s)[-1]
        flags = discussion.note_flags(s, latest.id)
        assert flags
        mentions = [m for found in flags.values() for m in found]
        assert any(m.kind == "person" for m in mentions)
        assert discussion.summary_state(s, latest.id) == (SummaryState.DRAFT, 1)


def test_a_few_summaries_were_made_final_with_their_revisions(demo: Database) -> None:
    with demo.reading() as s:
        held = _held(s)
        states = [discussion.summary_state(s, rt.id) for rt in held[-4:-1]]
        assert states == [
            (SummaryState.FINAL, 2),
            (SummaryState.FINAL, 1),
            (SummaryState.DRAFT, 2),
        ]
        reopened = held[-4]
        kept = discussion.revisions(s, reopened.id)
        assert [r.number for r in kept] == [1, 2]
        assert all(r.finalised_by == "events.team" for r in kept)
        assert all(r.finalised_at > reopened.ends_at for r in kept)
        old, new = (discussion.revision_content(s, reopened.id, n) for n in (1, 2))
        assert any(
            "Clarified after the meeting" in line
            for line in discussion.compare(s, reopened.id, old, new)
        )
