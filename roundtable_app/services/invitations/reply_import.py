"""Importing reply files as one undoable step: apply them, and what undo and redo put back.

The window (File > Import replies, files dropped on it) and the command line
(``roundtable-app replies``) both call :func:`import_replies`; the window keeps
the result to undo the whole import with :func:`restore_responses`, and applies
the forwarded replies the user chooses to trust with :func:`import_held_replies`,
undoable the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from roundtable_app.core.model import Response
from roundtable_app.services.invitations.replies import (
    HeldReply,
    ReplyChange,
    ReplyReport,
    apply_held_replies,
    apply_reply_files,
)
from roundtable_app.storage.models import Invitation

CHUNK = 500  # ids per IN (...) clause: well under SQLite's parameter limit


@dataclass(frozen=True)
class ImportedReplies:
    """What an import of reply files did, and how to take it back and forward again.

    ``undo`` puts each changed response back as it was before the import;
    ``redo`` puts it back as the import left it.
    """

    report: ReplyReport
    redo: tuple[ReplyChange, ...]

    @property
    def undo(self) -> tuple[ReplyChange, ...]:
        return self.report.changes


def _as_left(session: Session, changes: Collection[ReplyChange]) -> tuple[ReplyChange, ...]:
    """``changes`` turned round: "old" is the response, SEQUENCE and DTSTAMP they left."""
    ids = sorted({c.invitation_id for c in changes})
    left: dict[int, tuple[Response, int | None, dt.datetime | None, str | None]] = {}
    for start in range(0, len(ids), CHUNK):
        query = select(
            Invitation.id,
            Invitation.response,
            Invitation.reply_sequence,
            Invitation.reply_stamp,
            Invitation.response_channel,
        ).where(Invitation.id.in_(ids[start : start + CHUNK]))
        for inv_id, response, sequence, stamp, channel in session.execute(query):
            left[inv_id] = (Response(response), sequence, stamp, channel)
    return tuple(
        replace(
            change,
            old=left[change.invitation_id][0],
            old_sequence=left[change.invitation_id][1],
            old_stamp=left[change.invitation_id][2],
            old_channel=left[change.invitation_id][3],
        )
        for change in changes
        if change.invitation_id in left
    )


def import_replies(
    session: Session, paths: Iterable[Path], *, accept_forwarded: bool = False
) -> ImportedReplies:
    """Apply every reply file in the caller's transaction; the result can be undone.

    Forwarded replies are held in ``report.held`` unless ``accept_forwarded``.
    """
    report = apply_reply_files(session, paths, accept_forwarded=accept_forwarded)
    return ImportedReplies(report, _as_left(session, report.changes))


def import_held_replies(session: Session, held: Iterable[HeldReply]) -> ImportedReplies:
    """Apply held (forwarded) replies the user trusts; the result can be undone."""
    report = apply_held_replies(session, held)
    return ImportedReplies(report, _as_left(session, report.changes))


def restore_responses(session: Session, changes: Iterable[ReplyChange]) -> None:
    """Set each change's invitation back to ``change.old`` (with its SEQUENCE and DTSTAMP)."""
    for change in changes:
        inv = session.get(Invitation, change.invitation_id)
        if inv is not None:
            inv.response = change.old.value
            inv.response_channel = change.old_channel
            inv.reply_sequence = change.old_sequence
            inv.reply_stamp = change.old_stamp
    session.flush()
