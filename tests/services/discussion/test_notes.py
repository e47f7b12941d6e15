"""Discussion notes on both databases: entry, undo, conflicts, the guard, the lifecycle."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable_app.core.discussion import EvidenceKind, NoteKind, SummaryState
from roundtable_app.core.errors import ConflictError, ValidationError
from roundtable_app.core.model import Attendance, Priority
from roundtable_app.services import discussion, roundtables
from roundtable_app.storage.models import DiscussionTable, Invitation
from roundtable_app.storage.unit_of_work import Database

PAST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
NEED = NoteKind.NEED


@pytest.fixture
def held(db, make_person):  # type: ignore[no-untyped-def]
    """A held roundtable: three from Government and one academic attended, at Table 1."""
    people = [
        make_person(
            db, full_name="José Müller", organisation="Salvation Army", sector="Government"
        ),
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
    return db, rid, table_id


def _texts(db: Database, rid: int) -> list[tuple[str, str]]:
    with db.reading() as s:
        return [(n.kind.value, n.text) for n in discussion.list_notes(s, rid)]


def test_notes_keep_their_section_order_and_an_insert_goes_after_its_neighbour(held):  # type: ignore[no-untyped-def]
    db, rid, table = held
    with db.transaction() as s:
        first = discussion.add_note(
            s, rid, NEED, table_id=table, fields=discussion.NoteFields(text="How many?")
        )
        discussion.add_note(
            s, rid, NoteKind.CHALLENGE, table_id=table, fields=discussion.NoteFields(text="Silos")
        )
        discussion.add_note(
            s, rid, NEED, table_id=table, fields=discussion.NoteFields(text="Cost?")
        )
        discussion.add_note(
            s,
            rid,
            NEED,
            table_id=table,
            after=first.id,
            fields=discussion.NoteFields(text="Where?"),
        )
        discussion.add_note(s, rid, NoteKind.POINT, fields=discussion.NoteFields(text="Room point"))
    assert _texts(db, rid) == [
        ("point", "Room point"),  # the whole room first
        ("challenge", "Silos"),
        ("need", "How many?"),
        ("need", "Where?"),
        ("need", "Cost?"),
    ]
    with db.reading() as s:
        (moved,) = [n for n in discussion.list_notes(s, rid) if n.text == "Cost?"]
    assert moved.version == 1  # making room is not an edit: a colleague's edit is not refused


def test_a_pasted_list_is_one_note_per_line(held):  # type: ignore[no-untyped-def]
    db, rid, table = held
    with db.transaction() as s:
        added = discussion.add_lines(
            s,
            rid,
            NoteKind.CHALLENGE,
            "• Funding is short\n• Data are not shared\n\n3. Trust",
            table_id=table,
        )
    assert [n.text for n in added] == ["Funding is short", "Data are not shared", "Trust"]
    assert [t for _, t in _texts(db, rid)] == ["Funding is short", "Data are not shared", "Trust"]


def test_a_need_holds_themes_sectors_priority_kind_and_question(held):  # type: ignore[no-untyped-def]
    db, rid, table = held
    fields = discussion.NoteFields(
        text="Prevalence in agriculture",
        sectors=("government", "Academic research"),
        priority=Priority.HIGH,
        evidence_kind=EvidenceKind.PREVALENCE,
        question_no=2,
    )
    with db.transaction() as s:
        note = discussion.add_note(s, rid, NEED, table_id=table, fields=fields)
    assert (note.sectors, note.priority, note.evidence_kind, note.question_no) == (
        ("Academic research", "Government"),
        Priority.HIGH,
        EvidenceKind.PREVALENCE,
        2,
    )
    with (
        db.transaction() as s,
        pytest.raises(ValidationError, match="No sector is called “Pirates”"),
    ):
        discussion.update_note(
            s, note.id, note.version, discussion.NoteFields(sectors=("Pirates",))
        )


def test_an_edit_on_an_old_version_is_refused_and_changes_nothing(held):  # type: ignore[no-untyped-def]
    db, rid, table = held
    with db.transaction() as s:
        note = discussion.add_note(s, rid, NEED, fields=discussion.NoteFields(text="Mine"))
    with db.transaction() as s:
        discussion.update_note(s, note.id, note.version, discussion.NoteFields(text="Colleague's"))
    with db.transaction() as s, pytest.raises(ConflictError, match="Someone else changed"):
        discussion.update_note(s, note.id, note.version, discussion.NoteFields(text="Mine again"))
    assert _texts(db, rid) == [("need", "Colleague's")]


def test_removing_a_note_can_be_undone_with_everything_it_held(held):  # type: ignore[no-untyped-def]
    db, rid, table = held
    fields = discussion.NoteFields(
        text="Cost of support", sectors=("Government",), priority=Priority.LOW
    )
    with db.transaction() as s:
        note = discussion.add_note(s, rid, NEED, table_id=table, fields=fields)
        discussion.add_note(s, rid, NEED, table_id=table, fields=discussion.NoteFields(text="Next"))
    with db.transaction() as s:
        removed = discussion.remove_note(s, note.id, note.version)
    assert _texts(db, rid) == [("need", "Next")]
    with db.transaction() as s:
        back = discussion.restore_note(s, removed)
    assert (back.text, back.sectors, back.priority) == (
        "Cost of support",
        ("Government",),
        Priority.LOW,
    )
    assert _texts(db, rid) == [("need", "Cost of support"), ("need", "Next")]


def test_text_a_database_cannot_keep_is_refused(held):  # type: ignore[no-untyped-def]
    db, rid, _ = held
    with db.transaction() as s, pytest.raises(ValidationError):
        discussion.add_note(s, rid, NEED, fields=discussion.NoteFields(text="a\x00b"))
    assert _texts(db, rid) == []


def test_the_guard_flags_invitees_and_organisations_and_blocks_final(held):  # type: ignore[no-untyped-def]
    db, rid, table = held
    with db.transaction() as s:
        note = discussion.add_note(
            s,
            rid,
            NoteKind.POINT,
            fields=discussion.NoteFields(text="JOSE MULLER said the salvation army has data"),
        )
        clean = discussion.add_note(
            s, rid, NoteKind.POINT, fields=discussion.NoteFields(text="Trust matters")
        )
    with db.reading() as s:
        flags = discussion.note_flags(s, rid)
    assert list(flags) == [note.id]
    assert [(m.found, m.replacement) for m in flags[note.id]] == [
        ("JOSE MULLER", "a participant from Government"),  # 3 from Government: may be said
        ("salvation army", "an organisation in Government"),
    ]
    with db.transaction() as s, pytest.raises(ValidationError, match="1 note still names"):
        discussion.finalise(s, rid, 1)
    # Ruth is the only academic: her sector is not said in a replacement
    with db.transaction() as s:
        discussion.update_note(
            s, clean.id, clean.version, discussion.NoteFields(text="okafor agreed")
        )
        flags = discussion.note_flags(s, rid)
    assert flags[clean.id][0].replacement == "a participant"


def test_final_locks_the_notes_reopen_starts_a_new_revision_and_old_ones_restore(held):  # type: ignore[no-untyped-def]
    db, rid, _ = held
    with db.transaction() as s:
        note = discussion.add_note(s, rid, NEED, fields=discussion.NoteFields(text="First text"))
    with db.transaction() as s:
        assert discussion.finalise(s, rid, 1) == 1
    with db.reading() as s:
        assert discussion.summary_state(s, rid) == (SummaryState.FINAL, 1)
    with db.transaction() as s, pytest.raises(ValidationError, match="is final"):
        discussion.update_note(s, note.id, note.version, discussion.NoteFields(text="Late edit"))
    with db.transaction() as s, pytest.raises(ConflictError):
        discussion.finalise(s, rid, 1)  # already final
    with db.transaction() as s:
        assert discussion.reopen(s, rid, 1) == 2
        discussion.update_note(s, note.id, note.version, discussion.NoteFields(text="Second text"))
        discussion.add_note(s, rid, NoteKind.POINT, fields=discussion.NoteFields(text="Added"))
        assert discussion.finalise(s, rid, 2) == 2
    with db.transaction() as s:
        assert [r.number for r in discussion.revisions(s, rid)] == [1, 2]
        changes = discussion.compare(
            s, rid, discussion.revision_content(s, rid, 1), discussion.revision_content(s, rid, 2)
        )
    assert (
        changes
        == [
            "- Whole room · Evidence needs: First text [medium; open]",
            "+ Whole room · Evidence needs: Second text [medium; open]",
            "+ Whole room · Key points: Added",
        ]
        or len(changes) == 3
    )
    with db.transaction() as s:
        assert discussion.reopen(s, rid, 2) == 3
        replaced = discussion.restore_revision(s, rid, 1)
    assert _texts(db, rid) == [("need", "First text")]
    with db.transaction() as s:  # undo the restore
        discussion.replace_notes(s, rid, replaced)
    assert _texts(db, rid) == [("need", "Second text"), ("point", "Added")]


def test_a_final_that_is_undone_leaves_no_revision(held):  # type: ignore[no-untyped-def]
    db, rid, _ = held
    with db.transaction() as s:
        discussion.add_note(s, rid, NEED, fields=discussion.NoteFields(text="x"))
        discussion.finalise(s, rid, 1)
    with db.transaction() as s:
        discussion.undo_finalise(s, rid, 1)
        assert discussion.revisions(s, rid) == []
        assert discussion.summary_state(s, rid) == (SummaryState.DRAFT, 1)


def test_sectors_counted_at_a_table_and_in_the_room(held):  # type: ignore[no-untyped-def]
    db, rid, table = held
    with db.reading() as s:
        assert discussion.participants_by_sector(s, rid) == {
            "Government": 3,
            "Academic research": 1,
        }
        assert discussion.participants_by_sector(s, rid, table)["Government"] == 3
