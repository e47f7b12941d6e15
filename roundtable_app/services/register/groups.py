"""Needs raised at different roundtables that staff confirm are one: grouping, and back.

A group never holds two needs of the same roundtable (one roundtable raising
a need twice is one voice, not two). Confirming a group gives every member
the status, owner and reference of the member furthest along (answered over
being researched over open), so the group reads as one need; undoing it puts
each member back as it was. Grouping is not an edit of what a need says, so
it does not change the needs' versions: a note-taker's edit is not refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from roundtable_app.core.discussion import NeedStatus
from roundtable_app.core.errors import ConflictError, ValidationError
from roundtable_app.services import audit
from roundtable_app.services.register.edits import (
    NeedChange,
    change_needs,
    need_model,
    state_of,
)
from roundtable_app.storage.models import DiscussionNote, NeedGroup, Roundtable

_NOTES: Any = DiscussionNote.__table__
_PROGRESS = {NeedStatus.OPEN: 0, NeedStatus.RESEARCHING: 1, NeedStatus.ANSWERED: 2}


@dataclass(frozen=True, slots=True)
class GroupChange:
    """What confirming a group did, for :func:`undo_group`."""

    group_id: int
    created: bool
    joined: tuple[int, ...]
    statuses: tuple[NeedChange, ...]


def _members(session: Session, group_id: int) -> list[int]:
    return list(
        session.scalars(
            select(DiscussionNote.id)
            .where(DiscussionNote.group_id == group_id)
            .order_by(DiscussionNote.id)
        )
    )


def confirm_group(session: Session, note_ids: Sequence[int]) -> GroupChange:
    """Group the needs ``note_ids`` (and the groups they are in) as one need."""
    models = [need_model(session, i) for i in dict.fromkeys(note_ids)]
    groups = sorted({m.group_id for m in models if m.group_id is not None})
    if len(groups) > 1:
        raise ValidationError(
            "These needs are already in two different groups; split one of the groups first.",
            "group",
        )
    group_id = groups[0] if groups else None
    everyone = {m.id: m for m in models}
    if group_id is not None:
        for member in _members(session, group_id):
            everyone.setdefault(member, need_model(session, member))
    joined = tuple(m.id for m in models if m.group_id is None)
    if len(everyone) < 2 or not joined:
        raise ValidationError("A group needs at least two evidence needs.", "group")
    roundtables: dict[int, int] = {}
    for model in everyone.values():
        if model.roundtable_id in roundtables:
            title = session.get(Roundtable, model.roundtable_id)
            raise ValidationError(
                f"Two of these needs were raised at the same roundtable"
                f"{f' (“{title.title}”)' if title else ''}; a group joins needs raised at "
                "different roundtables. Leave one of them out.",
                "group",
            )
        roundtables[model.roundtable_id] = model.id
    created = group_id is None
    if group_id is None:
        group = NeedGroup()
        session.add(group)
        session.flush()
        group_id = group.id
    # The member furthest along speaks for the group: its status, owner and reference.
    lead = max(
        everyone.values(),
        key=lambda m: (_PROGRESS[state_of(m).status or NeedStatus.OPEN], -m.id),
    )
    target = state_of(lead)
    statuses = change_needs(
        session,
        [NeedChange(m.id, m.version, target) for m in everyone.values() if state_of(m) != target],
    )
    session.execute(update(_NOTES).where(_NOTES.c.id.in_(joined)).values(group_id=group_id))
    for model in everyone.values():
        session.expire(model, ["group_id"])
    audit.record(session, "need_group", group_id, "grouped", ",".join(map(str, joined)))
    return GroupChange(group_id, created, joined, tuple(statuses))


def undo_group(session: Session, change: GroupChange) -> None:
    """Undo :func:`confirm_group`: the needs it joined leave, each as it was."""
    present = set(_members(session, change.group_id))
    if not set(change.joined) <= present:
        raise ConflictError(
            "Someone else changed this group meanwhile; the register shows it as it is now.",
            cli=f"Group {change.group_id} was changed by someone else meanwhile.",
        )
    change_needs(session, change.statuses)
    _leave(session, change.joined)
    if change.created or len(present) - len(change.joined) < 2:
        _dissolve(session, change.group_id)
    audit.record(session, "need_group", change.group_id, "ungrouped")


def _leave(session: Session, note_ids: Sequence[int]) -> None:
    session.execute(update(_NOTES).where(_NOTES.c.id.in_(list(note_ids))).values(group_id=None))
    for model in session.identity_map.values():
        if isinstance(model, DiscussionNote) and model.id in note_ids:
            session.expire(model, ["group_id"])


def _dissolve(session: Session, group_id: int) -> None:
    _leave(session, _members(session, group_id))
    session.execute(delete(NeedGroup).where(NeedGroup.id == group_id))


def split_group(session: Session, group_id: int) -> list[int]:
    """Dissolve a group: its needs stand alone again. Returns them (undo: confirm them)."""
    members = _members(session, group_id)
    if not members:
        raise ConflictError(
            "This group was split by someone else meanwhile; the register shows it as it is now.",
            cli=f"Group {group_id} no longer exists.",
        )
    _dissolve(session, group_id)
    audit.record(session, "need_group", group_id, "split")
    return members


def leave_group(session: Session, note_id: int) -> list[int]:
    """Take one need out of its group; a group left with one need is dissolved.

    Returns the group's needs before (undo: :func:`confirm_group` on them).
    """
    model = need_model(session, note_id)
    if model.group_id is None:
        raise ConflictError(
            "This need is no longer in a group; the register shows it as it is now.",
            cli=f"Evidence need {note_id} is not in a group.",
        )
    group_id = model.group_id
    members = _members(session, group_id)
    if len(members) <= 2:
        _dissolve(session, group_id)
    else:
        _leave(session, [note_id])
    audit.record(session, "need_group", group_id, "left", str(note_id))
    return members


def group_count(session: Session) -> int:
    """How many groups there are (for tests and the page's status line)."""
    return session.scalar(select(func.count()).select_from(NeedGroup)) or 0
