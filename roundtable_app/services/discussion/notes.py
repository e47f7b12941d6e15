"""Discussion notes: read a roundtable's notes by table and section, add, edit, remove.

Every edit names the version the user saw and raises ConflictError when a
colleague changed the note meanwhile; every edit returns what undo needs.
Notes cannot be changed while the roundtable's summary is final (reopening it
starts a new revision). Functions take the caller's session and never commit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from roundtable_app.core.discussion import (
    ActionStatus,
    EvidenceKind,
    NeedStatus,
    NoteKind,
    SummaryState,
    bulleted_lines,
)
from roundtable_app.core.errors import ConflictError, NotFoundError, ValidationError
from roundtable_app.core.model import Priority
from roundtable_app.core.validation import check_text
from roundtable_app.services import audit
from roundtable_app.storage.models import (
    DiscussionNote,
    DiscussionSummary,
    DiscussionTable,
    NeedGroup,
    Roundtable,
    Sector,
    Theme,
)

MAX_TEXT = 5000
_NOTES: Any = DiscussionNote.__table__
MAX_OWNER = 200


@dataclass(frozen=True, slots=True)
class Note:
    """One note as the discussion view and the outputs read it."""

    id: int
    roundtable_id: int
    table_id: int | None
    kind: NoteKind
    position: int
    text: str
    version: int
    themes: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    priority: Priority | None = None
    evidence_kind: EvidenceKind | None = None
    question_no: int | None = None
    owner: str = ""
    due_on: dt.date | None = None
    action_status: ActionStatus | None = None
    need_status: NeedStatus | None = None
    acknowledged: frozenset[str] = frozenset()
    #: The register's work on a need: kept so that undoing its removal loses nothing.
    centre_owner: str = ""
    answer_reference: str = ""
    group_id: int | None = None


@dataclass(frozen=True, slots=True)
class NoteFields:
    """What a note holds besides its place: the fields an edit may change.

    ``None`` in an edit means "leave as it is"; to clear a date or question,
    use :data:`CLEAR`.
    """

    text: str | None = None
    themes: tuple[str, ...] | None = None
    sectors: tuple[str, ...] | None = None
    priority: Priority | None = None
    evidence_kind: EvidenceKind | None = None
    question_no: int | None = None
    owner: str | None = None
    due_on: dt.date | None = None
    action_status: ActionStatus | None = None
    acknowledged: frozenset[str] | None = None
    clear: frozenset[str] = field(default_factory=frozenset)  # "due_on", "question_no"


def _note(model: DiscussionNote) -> Note:
    return Note(
        id=model.id,
        roundtable_id=model.roundtable_id,
        table_id=model.table_id,
        kind=NoteKind(model.kind),
        position=model.position,
        text=model.text,
        version=model.version,
        themes=tuple(sorted(t.name for t in model.themes)),
        sectors=tuple(sorted(s.name for s in model.sectors)),
        priority=Priority(model.priority) if model.priority else None,
        evidence_kind=EvidenceKind(model.evidence_kind) if model.evidence_kind else None,
        question_no=model.question_no,
        owner=model.owner,
        due_on=model.due_on,
        action_status=ActionStatus(model.action_status) if model.action_status else None,
        need_status=NeedStatus(model.need_status) if model.need_status else None,
        acknowledged=frozenset(filter(None, model.acknowledged.split("\n"))),
        centre_owner=model.centre_owner,
        answer_reference=model.answer_reference,
        group_id=model.group_id,
    )


def list_notes(session: Session, roundtable_id: int) -> list[Note]:
    """Every note of a roundtable: by table (whole room first), then section, then position."""
    _roundtable(session, roundtable_id)
    numbers = dict(
        session.execute(
            select(DiscussionTable.id, DiscussionTable.number).where(
                DiscussionTable.roundtable_id == roundtable_id
            )
        ).all()
    )
    models = session.scalars(
        select(DiscussionNote)
        .where(DiscussionNote.roundtable_id == roundtable_id)
        .options(selectinload(DiscussionNote.themes), selectinload(DiscussionNote.sectors))
    ).all()
    order = {kind: i for i, kind in enumerate(NoteKind)}
    notes = [_note(m) for m in models]
    notes.sort(
        key=lambda n: (
            -1 if n.table_id is None else numbers.get(n.table_id, 0),
            order[n.kind],
            n.position,
            n.id,
        )
    )
    return notes


def summary_state(session: Session, roundtable_id: int) -> tuple[SummaryState, int]:
    """The summary's state and the number of the revision being written or shown."""
    summary = session.get(DiscussionSummary, roundtable_id)
    if summary is None:
        return SummaryState.DRAFT, 1
    return SummaryState(summary.state), summary.revision


def _roundtable(session: Session, roundtable_id: int) -> Roundtable:
    roundtable = session.get(Roundtable, roundtable_id)
    if roundtable is None:
        raise NotFoundError(f"Roundtable {roundtable_id} no longer exists.")
    return roundtable


def require_draft(session: Session, roundtable_id: int) -> None:
    """Refuse a change to the notes of a final summary."""
    state, revision = summary_state(session, roundtable_id)
    if state == SummaryState.FINAL:
        title = _roundtable(session, roundtable_id).title
        raise ValidationError(
            f"The summary of “{title}” is final (revision {revision}), so its notes are "
            "locked. Reopen it to make changes: that starts revision "
            f"{revision + 1}, and revision {revision} is kept.",
            "summary",
        )


def _check_table(session: Session, roundtable_id: int, table_id: int | None) -> None:
    if table_id is None:
        return
    table = session.get(DiscussionTable, table_id)
    if table is None or table.roundtable_id != roundtable_id:
        raise ValidationError(
            "That table is no longer in the roundtable's plan; choose another table.", "table"
        )


def _named(session: Session, model: Any, names: Sequence[str]) -> list[Any]:
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if not wanted:
        return []
    found = {
        row.name.casefold(): row
        for row in session.scalars(
            select(model).where(func.lower(model.name).in_([n.casefold() for n in wanted]))
        )
    }
    missing = [n for n in wanted if n.casefold() not in found]
    if missing:
        what = "interest" if model is Theme else "sector"
        raise ValidationError(
            f"No {what} is called {', '.join(f'“{n}”' for n in missing)}; pick one from "
            f"the list (Edit > Vocabulary adds a new {what}).",
            "themes" if model is Theme else "sectors",
        )
    return [found[n.casefold()] for n in wanted]


def _existing(session: Session, model: Any, names: Sequence[str]) -> tuple[str, ...]:
    if not names:
        return ()
    found = set(session.scalars(select(model.name).where(model.name.in_(names))))
    return tuple(n for n in names if n in found)


def _apply(session: Session, model: DiscussionNote, fields: NoteFields) -> None:
    kind = NoteKind(model.kind)
    if fields.text is not None:
        check_text(fields.text, "the note", "text")
        if len(fields.text) > MAX_TEXT:
            raise ValidationError(
                f"A note holds at most {MAX_TEXT:,} characters; split this one into several.",
                "text",
            )
        model.text = fields.text
    if fields.themes is not None:
        model.themes = _named(session, Theme, fields.themes)
    if kind == NoteKind.NEED:
        if fields.sectors is not None:
            model.sectors = _named(session, Sector, fields.sectors)
        if fields.priority is not None:
            model.priority = fields.priority.value
        if fields.evidence_kind is not None:
            model.evidence_kind = fields.evidence_kind.value
        if "question_no" in fields.clear:
            model.question_no = None
        elif fields.question_no is not None:
            if fields.question_no < 1:
                raise ValidationError("Evidence questions are numbered from 1.", "question_no")
            model.question_no = fields.question_no
    if kind == NoteKind.ACTION:
        if fields.owner is not None:
            check_text(fields.owner, "the owner", "owner")
            if len(fields.owner) > MAX_OWNER:
                raise ValidationError(
                    f"An owner is at most {MAX_OWNER} characters: an organisation or a role.",
                    "owner",
                )
            model.owner = fields.owner.strip()
        if "due_on" in fields.clear:
            model.due_on = None
        elif fields.due_on is not None:
            model.due_on = fields.due_on
        if fields.action_status is not None:
            model.action_status = fields.action_status.value
    if fields.acknowledged is not None:
        model.acknowledged = "\n".join(sorted(fields.acknowledged))


def add_note(
    session: Session,
    roundtable_id: int,
    kind: NoteKind,
    *,
    table_id: int | None = None,
    after: int | None = None,
    fields: NoteFields = NoteFields(),  # noqa: B008 - frozen, never changed
) -> Note:
    """Add a note to a table's section (at the end, or just after note ``after``)."""
    _roundtable(session, roundtable_id)
    require_draft(session, roundtable_id)
    _check_table(session, roundtable_id, table_id)
    position = _position_after(session, roundtable_id, kind, table_id, after)
    model = DiscussionNote(
        roundtable_id=roundtable_id,
        table_id=table_id,
        kind=kind.value,
        position=position,
        text="",
        priority=Priority.MEDIUM.value if kind == NoteKind.NEED else None,
        need_status=NeedStatus.OPEN.value if kind == NoteKind.NEED else None,
        action_status=ActionStatus.OPEN.value if kind == NoteKind.ACTION else None,
        answer_reference="",
        centre_owner="",
        owner="",
        acknowledged="",
    )
    _apply(session, model, fields)  # checked before it is added: a refusal leaves nothing
    session.add(model)
    session.flush()
    audit.record(session, "discussion_note", model.id, "added", kind.value)
    return _note(model)


def add_lines(
    session: Session,
    roundtable_id: int,
    kind: NoteKind,
    text: str,
    *,
    table_id: int | None = None,
    after: int | None = None,
) -> list[Note]:
    """A pasted list: one note per line, bullets and numbers removed, in order."""
    added: list[Note] = []
    for line in bulleted_lines(text):
        note = add_note(
            session,
            roundtable_id,
            kind,
            table_id=table_id,
            after=added[-1].id if added else after,
            fields=NoteFields(text=line),
        )
        added.append(note)
    return added


def _position_after(
    session: Session, roundtable_id: int, kind: NoteKind, table_id: int | None, after: int | None
) -> int:
    section = select(DiscussionNote).where(
        DiscussionNote.roundtable_id == roundtable_id,
        DiscussionNote.kind == kind.value,
        DiscussionNote.table_id.is_(None)
        if table_id is None
        else DiscussionNote.table_id == table_id,
    )
    notes = session.scalars(section.order_by(DiscussionNote.position, DiscussionNote.id)).all()
    if after is None or not notes:
        return (notes[-1].position + 1) if notes else 1
    index = next((i for i, n in enumerate(notes) if n.id == after), len(notes) - 1)
    position = notes[index].position + 1
    # Make room: later notes move down one place. A place is not an edit of the note,
    # so its version stays (a colleague editing it is not refused).
    moved = [n.id for n in notes[index + 1 :] if n.position >= position]
    if moved:
        session.execute(
            update(_NOTES).where(_NOTES.c.id.in_(moved)).values(position=_NOTES.c.position + 1)
        )
        for later in notes[index + 1 :]:
            session.expire(later, ["position"])
    return position


def _editable(session: Session, note_id: int, expected_version: int) -> DiscussionNote:
    model = session.get(DiscussionNote, note_id)
    if model is None:
        raise ConflictError(
            "This note was removed by someone else meanwhile; the list shows the notes as "
            "they are now.",
            cli=f"Note {note_id} no longer exists.",
        )
    require_draft(session, model.roundtable_id)
    if model.version != expected_version:
        raise ConflictError(
            "Someone else changed this note meanwhile; their text is shown now. "
            "Make your change again if it is still needed.",
            cli=f"Note {note_id} was changed by someone else meanwhile; nothing was changed.",
        )
    return model


def _flushed(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(
            "Someone else changed this note at the same moment; their text is shown now. "
            "Make your change again if it is still needed.",
            cli="A note was changed by someone else at the same moment; nothing was changed.",
        ) from None


def update_note(session: Session, note_id: int, expected_version: int, fields: NoteFields) -> Note:
    """Change a note the user saw at ``expected_version``; returns it as it now is."""
    model = _editable(session, note_id, expected_version)
    _apply(session, model, fields)
    _flushed(session)
    audit.record(session, "discussion_note", note_id, "changed")
    return _note(model)


def fields_of(note: Note) -> NoteFields:
    """Every field of ``note``, for undoing an edit or restoring a removed note."""
    return NoteFields(
        text=note.text,
        themes=note.themes,
        sectors=note.sectors,
        priority=note.priority,
        evidence_kind=note.evidence_kind,
        question_no=note.question_no,
        owner=note.owner,
        due_on=note.due_on,
        action_status=note.action_status,
        acknowledged=note.acknowledged,
        clear=frozenset(
            name
            for name, value in (("due_on", note.due_on), ("question_no", note.question_no))
            if value is None
        ),
    )


def remove_note(session: Session, note_id: int, expected_version: int) -> Note:
    """Remove a note; returns it as it was, for :func:`restore_note` (undo)."""
    model = _editable(session, note_id, expected_version)
    removed = _note(model)
    session.delete(model)
    _flushed(session)
    audit.record(session, "discussion_note", note_id, "removed")
    return removed


def restore_note(session: Session, note: Note) -> Note:
    """Put a removed note back where it was (undo), under its old id, with the register's
    status, owner, reference and group (if the group is still there)."""
    _roundtable(session, note.roundtable_id)
    require_draft(session, note.roundtable_id)
    if note.table_id is not None and session.get(DiscussionTable, note.table_id) is None:
        note = dataclasses.replace(note, table_id=None)
    # A theme or sector merged or deleted since is left out rather than refusing the note.
    note = dataclasses.replace(
        note,
        themes=_existing(session, Theme, note.themes),
        sectors=_existing(session, Sector, note.sectors),
    )
    model = DiscussionNote(
        # Its old id if still free (the register's undo then still finds it).
        id=note.id if note.id and session.get(DiscussionNote, note.id) is None else None,
        roundtable_id=note.roundtable_id,
        table_id=note.table_id,
        kind=note.kind.value,
        position=note.position,
        text="",
        need_status=note.need_status.value if note.need_status else None,
        answer_reference=note.answer_reference,
        centre_owner=note.centre_owner,
        group_id=(
            note.group_id
            if note.group_id is not None and session.get(NeedGroup, note.group_id) is not None
            else None
        ),
        owner="",
        acknowledged="",
    )
    _apply(session, model, fields_of(note))
    session.add(model)
    session.flush()
    audit.record(session, "discussion_note", model.id, "restored")
    return _note(model)


@dataclass(frozen=True, slots=True)
class NoteTable:
    """A table of the saved plan, as the discussion view names its tab."""

    id: int
    number: int
    name: str

    @property
    def label(self) -> str:
        return self.name or f"Table {self.number}"


def note_tables(session: Session, roundtable_id: int) -> list[NoteTable]:
    """The tables of the roundtable's saved plan, by number (none: notes are for the room)."""
    _roundtable(session, roundtable_id)
    return [
        NoteTable(id_, number, name or "")
        for id_, number, name in session.execute(
            select(DiscussionTable.id, DiscussionTable.number, DiscussionTable.name)
            .where(DiscussionTable.roundtable_id == roundtable_id)
            .order_by(DiscussionTable.number)
        )
    ]


def table_numbered(session: Session, roundtable_id: int, number: int) -> NoteTable:
    """The table with this number, or a ValidationError naming the numbers there are."""
    tables = note_tables(session, roundtable_id)
    for table in tables:
        if table.number == number:
            return table
    there = ", ".join(str(t.number) for t in tables)
    raise ValidationError(
        f"This roundtable has no table {number}; "
        + (f"its tables are {there}." if there else "it has no saved seating plan yet."),
        "table",
    )
