"""The centre's work on a need: its status, owner and the research that answered it.

Every edit names the version of each need the user saw and raises
ConflictError when a colleague changed one meanwhile (nothing is changed
then); it returns the edits that undo it. The register edits a need whatever
the state of its roundtable's summary: the summary records what was said,
the register what the centre did about it since.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from roundtable_app.core.discussion import NeedStatus, NoteKind
from roundtable_app.core.errors import ConflictError, ValidationError
from roundtable_app.core.validation import check_text
from roundtable_app.services import audit
from roundtable_app.storage.models import DiscussionNote

MAX_OWNER = 200
MAX_REFERENCE = 2000


@dataclass(frozen=True, slots=True)
class NeedEdit:
    """What the register changes about a need; ``None`` leaves a field as it is."""

    status: NeedStatus | None = None
    centre_owner: str | None = None
    answer_reference: str | None = None


@dataclass(frozen=True, slots=True)
class NeedChange:
    """An edit of one need the user saw at ``version``."""

    id: int
    version: int
    edit: NeedEdit


def need_model(session: Session, note_id: int, version: int | None = None) -> DiscussionNote:
    """The stored need, or ConflictError if it is gone or (given ``version``) changed."""
    model = session.get(DiscussionNote, note_id)
    if model is None or model.kind != NoteKind.NEED.value:
        raise ConflictError(
            "An evidence need was removed from its roundtable's notes meanwhile; the register "
            "shows the needs as they are now.",
            cli=f"Evidence need {note_id} no longer exists.",
        )
    if version is not None and model.version != version:
        raise ConflictError(
            "Someone else changed this evidence need meanwhile; the register shows it as it "
            "is now. Make your change again if it is still needed.",
            cli=f"Evidence need {note_id} was changed by someone else meanwhile; nothing was "
            "changed.",
        )
    return model


def state_of(model: DiscussionNote) -> NeedEdit:
    """Every register field of a stored need: the edit that puts it back."""
    return NeedEdit(
        NeedStatus(model.need_status) if model.need_status else NeedStatus.OPEN,
        model.centre_owner,
        model.answer_reference,
    )


def _apply(model: DiscussionNote, edit: NeedEdit) -> None:
    if edit.centre_owner is not None:
        check_text(edit.centre_owner, "the owner", "centre_owner")
        if len(edit.centre_owner) > MAX_OWNER:
            raise ValidationError(
                f"An owner is at most {MAX_OWNER} characters: a person or team in the centre.",
                "centre_owner",
            )
        model.centre_owner = edit.centre_owner.strip()
    if edit.answer_reference is not None:
        check_text(edit.answer_reference, "the reference", "answer_reference")
        if len(edit.answer_reference) > MAX_REFERENCE:
            raise ValidationError(
                f"A reference is at most {MAX_REFERENCE:,} characters: a title, DOI or link.",
                "answer_reference",
            )
        model.answer_reference = edit.answer_reference.strip()
    if edit.status is not None:
        model.need_status = edit.status.value
    if model.need_status == NeedStatus.ANSWERED.value and not model.answer_reference:
        raise ValidationError(
            "An answered need names the research that answered it: give its title, DOI or "
            "link as the reference.",
            "answer_reference",
        )


def change_needs(session: Session, changes: Sequence[NeedChange]) -> list[NeedChange]:
    """Make ``changes`` (all or none); returns the changes that undo them."""
    undo = []
    models = [(need_model(session, c.id, c.version), c.edit) for c in changes]
    for model, edit in models:
        before = state_of(model)
        _apply(model, edit)
        undo.append((model, before))
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(
            "Someone else changed this evidence need at the same moment; the register shows "
            "it as it is now. Make your change again if it is still needed.",
            cli="An evidence need was changed by someone else at the same moment; nothing was "
            "changed.",
        ) from None
    for model, _ in undo:
        audit.record(session, "discussion_note", model.id, "changed", "register")
    return [NeedChange(model.id, model.version, before) for model, before in undo]


def update_needs(
    session: Session, seen: Sequence[tuple[int, int]], edit: NeedEdit
) -> list[NeedChange]:
    """Give every need in ``seen`` (id, version the user saw) the same edit; returns undo."""
    return change_needs(session, [NeedChange(id_, version, edit) for id_, version in seen])
