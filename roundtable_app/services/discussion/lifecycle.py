"""A summary's life: a draft becomes final and is locked; reopening starts a new revision.

Every final revision is kept as a snapshot of the notes (JSON). Staff list the
revisions, see what changed between two, and restore an older one as the new
draft (undoable: restoring returns the draft it replaced).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from roundtable_app.core.discussion import (
    ActionStatus,
    EvidenceKind,
    NeedStatus,
    NoteKind,
    SummaryState,
)
from roundtable_app.core.errors import ConflictError, NotFoundError, ValidationError
from roundtable_app.core.model import Priority
from roundtable_app.services import audit
from roundtable_app.services.audit import current_actor
from roundtable_app.services.discussion.flags import note_flags
from roundtable_app.services.discussion.notes import (
    Note,
    list_notes,
    require_draft,
    restore_note,
    summary_state,
)
from roundtable_app.services.discussion.printed import printed_json
from roundtable_app.services.discussion.summary import build_summary
from roundtable_app.storage.models import (
    DiscussionNote,
    DiscussionSummary,
    DiscussionTable,
    Roundtable,
    SummaryRevision,
)


@dataclass(frozen=True, slots=True)
class Revision:
    number: int
    finalised_at: dt.datetime
    finalised_by: str
    notes: int


def _snapshot(notes: list[Note]) -> list[dict[str, Any]]:
    return [
        {
            "id": n.id,
            "table_id": n.table_id,
            "kind": n.kind.value,
            "position": n.position,
            "text": n.text,
            "themes": list(n.themes),
            "sectors": list(n.sectors),
            "priority": n.priority.value if n.priority else None,
            "evidence_kind": n.evidence_kind.value if n.evidence_kind else None,
            "question_no": n.question_no,
            "owner": n.owner,
            "due_on": n.due_on.isoformat() if n.due_on else None,
            "action_status": n.action_status.value if n.action_status else None,
            "need_status": n.need_status.value if n.need_status else None,
            "acknowledged": sorted(n.acknowledged),
        }
        for n in notes
    ]


def _summary(session: Session, roundtable_id: int) -> DiscussionSummary:
    if session.get(Roundtable, roundtable_id) is None:
        raise NotFoundError(f"Roundtable {roundtable_id} no longer exists.")
    summary = session.get(DiscussionSummary, roundtable_id)
    if summary is None:
        summary = DiscussionSummary(roundtable_id=roundtable_id, state="draft", revision=1)
        session.add(summary)
        session.flush()
    return summary


def _flushed(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(
            "Someone else finalised or reopened this summary at the same moment; "
            "its state is shown as it is now.",
            cli="Someone else finalised or reopened this summary at the same moment; "
            "nothing was changed.",
        ) from None


def finalise_problem(session: Session, roundtable_id: int) -> str | None:
    """Why the draft cannot be made final now (a note still names someone), or ``None``."""
    flags = note_flags(session, roundtable_id)
    if not flags:
        return None
    found = sorted({m.found for mentions in flags.values() for m in mentions})
    shown = ", ".join(f"“{f}”" for f in found[:5]) + (" …" if len(found) > 5 else "")
    count = len(flags)
    return (
        f"{count} note{'s' if count != 1 else ''} still name{'s' if count == 1 else ''} "
        f"a participant or an organisation ({shown}). Replace each name, or acknowledge "
        "it if it is a public source, then make the summary final."
    )


def finalise(session: Session, roundtable_id: int, expected_revision: int) -> int:
    """Make the draft final and lock it; returns the revision's number.

    Refused while a note still names an invitee or their organisation without
    an acknowledgement, or when the summary is no longer the draft the user saw.
    """
    summary = _summary(session, roundtable_id)
    if summary.state == SummaryState.FINAL.value or summary.revision != expected_revision:
        raise ConflictError(
            f"The summary is now {summary.state} revision {summary.revision}: someone else "
            "changed it meanwhile.",
            cli=f"The summary is already {summary.state} revision {summary.revision}.",
        )
    problem = finalise_problem(session, roundtable_id)
    if problem is not None:
        raise ValidationError(problem, "summary")
    notes = list_notes(session, roundtable_id)
    # Kept as it prints, too: what read-only members may read instead of the notes.
    printed = build_summary(session, roundtable_id, notes=notes, final_revision=summary.revision)
    session.add(
        SummaryRevision(
            roundtable_id=roundtable_id,
            number=summary.revision,
            finalised_by=current_actor(),
            content=json.dumps(_snapshot(notes), ensure_ascii=False),
            printed=printed_json(printed),
        )
    )
    summary.state = SummaryState.FINAL.value
    _flushed(session)
    audit.record(session, "summary", roundtable_id, "finalised", f"revision {summary.revision}")
    return summary.revision


def reopen(session: Session, roundtable_id: int, expected_revision: int) -> int:
    """Unlock a final summary as a new draft revision; returns the new revision's number."""
    summary = _summary(session, roundtable_id)
    if summary.state != SummaryState.FINAL.value or summary.revision != expected_revision:
        raise ConflictError(
            f"The summary is now {summary.state} revision {summary.revision}: someone else "
            "changed it meanwhile.",
            cli=f"The summary is {summary.state} revision {summary.revision}; nothing to reopen.",
        )
    summary.state = SummaryState.DRAFT.value
    summary.revision += 1
    _flushed(session)
    audit.record(session, "summary", roundtable_id, "reopened", f"revision {summary.revision}")
    return summary.revision


def undo_finalise(session: Session, roundtable_id: int, revision: int) -> None:
    """Take back :func:`finalise` of ``revision`` (undo straight after): a draft again."""
    summary = _summary(session, roundtable_id)
    if summary.state != SummaryState.FINAL.value or summary.revision != revision:
        raise ConflictError("The summary changed since it was made final; nothing was undone.")
    session.execute(
        delete(SummaryRevision).where(
            SummaryRevision.roundtable_id == roundtable_id, SummaryRevision.number == revision
        )
    )
    summary.state = SummaryState.DRAFT.value
    _flushed(session)
    audit.record(session, "summary", roundtable_id, "finalise undone", f"revision {revision}")


def revisions(session: Session, roundtable_id: int) -> list[Revision]:
    """The final revisions of a roundtable's summary, oldest first."""
    rows = session.scalars(
        select(SummaryRevision)
        .where(SummaryRevision.roundtable_id == roundtable_id)
        .order_by(SummaryRevision.number)
    ).all()
    return [
        Revision(r.number, r.finalised_at, r.finalised_by, len(json.loads(r.content))) for r in rows
    ]


def revision_content(session: Session, roundtable_id: int, number: int) -> list[dict[str, Any]]:
    """The notes of final revision ``number``, as they were."""
    content = session.scalar(
        select(SummaryRevision.content).where(
            SummaryRevision.roundtable_id == roundtable_id, SummaryRevision.number == number
        )
    )
    if content is None:
        raise NotFoundError(f"There is no final revision {number} of this summary.")
    loaded: list[dict[str, Any]] = json.loads(content)
    return loaded


def revision_notes(session: Session, roundtable_id: int, number: int) -> list[Note]:
    """The notes of final revision ``number``, as notes (for printing it)."""
    content = revision_content(session, roundtable_id, number)
    return [_note_of(roundtable_id, item) for item in content]


def current_content(session: Session, roundtable_id: int) -> list[dict[str, Any]]:
    """The notes as they are now, in the shape of a revision."""
    return _snapshot(list_notes(session, roundtable_id))


def _lines(session: Session, roundtable_id: int, content: list[dict[str, Any]]) -> list[str]:
    names = dict(
        session.execute(
            select(DiscussionTable.id, DiscussionTable.name).where(
                DiscussionTable.roundtable_id == roundtable_id
            )
        ).all()
    )
    lines = []
    for note in content:
        where = names.get(note["table_id"]) or (
            "Whole room" if note["table_id"] is None else "A table no longer in the plan"
        )
        details = [
            value
            for value in (
                note["priority"],
                note["evidence_kind"],
                ", ".join(note["themes"]),
                ", ".join(note["sectors"]),
                note["owner"],
                note["due_on"],
                note["action_status"],
            )
            if value
        ]
        extra = f" [{'; '.join(details)}]" if details else ""
        lines.append(f"{where} · {NoteKind(note['kind']).label}: {note['text']}{extra}")
    return lines


def compare(
    session: Session, roundtable_id: int, old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> list[str]:
    """What changed from ``old`` to ``new``: lines starting "- " (gone) and "+ " (new)."""
    return [
        line
        for line in difflib.ndiff(
            _lines(session, roundtable_id, old), _lines(session, roundtable_id, new)
        )
        if line[:2] in ("- ", "+ ")
    ]


def replace_notes(
    session: Session, roundtable_id: int, content: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Make the draft's notes ``content``; returns the notes it replaced (for undo)."""
    require_draft(session, roundtable_id)
    notes = list_notes(session, roundtable_id)
    before = _snapshot(notes)
    # What the register did about a need since (its status, owner, reference and group)
    # is the centre's work, not what was said: a need that comes back keeps it.
    work = {n.id: n for n in notes if n.kind == NoteKind.NEED}
    session.execute(delete(DiscussionNote).where(DiscussionNote.roundtable_id == roundtable_id))
    for item in content:
        note = _note_of(roundtable_id, item)
        now = work.get(note.id)
        if now is not None:
            note = dataclasses.replace(
                note,
                need_status=now.need_status,
                centre_owner=now.centre_owner,
                answer_reference=now.answer_reference,
                group_id=now.group_id,
            )
        restore_note(session, note)
    session.flush()
    return before


def restore_revision(session: Session, roundtable_id: int, number: int) -> list[dict[str, Any]]:
    """Make final revision ``number`` the new draft; returns the replaced draft (for undo)."""
    state, revision = summary_state(session, roundtable_id)
    if state == SummaryState.FINAL:
        raise ValidationError(
            f"Revision {revision} is final; reopen it first, then restore revision {number} "
            "as the new draft.",
            "summary",
        )
    replaced = replace_notes(
        session, roundtable_id, revision_content(session, roundtable_id, number)
    )
    audit.record(session, "summary", roundtable_id, "restored", f"revision {number}")
    return replaced


def _note_of(roundtable_id: int, item: dict[str, Any]) -> Note:
    return Note(
        id=item.get("id", 0),  # revisions made before ids were kept have none
        roundtable_id=roundtable_id,
        table_id=item["table_id"],
        kind=NoteKind(item["kind"]),
        position=item["position"],
        text=item["text"],
        version=0,
        themes=tuple(item["themes"]),
        sectors=tuple(item["sectors"]),
        priority=Priority(item["priority"]) if item["priority"] else None,
        evidence_kind=EvidenceKind(item["evidence_kind"]) if item["evidence_kind"] else None,
        question_no=item["question_no"],
        owner=item["owner"],
        due_on=dt.date.fromisoformat(item["due_on"]) if item["due_on"] else None,
        action_status=ActionStatus(item["action_status"]) if item["action_status"] else None,
        need_status=NeedStatus(item["need_status"]) if item["need_status"] else None,
        acknowledged=frozenset(item["acknowledged"]),
    )
