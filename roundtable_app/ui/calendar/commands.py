"""Undoable calendar edits: moving a roundtable, importing invitees' replies.

Same pattern as :mod:`roundtable_app.ui.directory.commands`: ``execute`` does the work in
one transaction and raises if it fails; the command pushed on the undo stack
does nothing on its first ``redo``; later undos and redos run one transaction
each and publish what changed. When an undo can no longer be done (someone else
changed the roundtable meanwhile) the command reports why and drops out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from roundtable_app.core.model import Changes
from roundtable_app.services.invitations import replies
from roundtable_app.services.invitations.replies import ReplyChange, ReplyReport
from roundtable_app.services.roundtables import calendar as calendar_views
from roundtable_app.services.roundtables import scheduling
from roundtable_app.ui.common.commands import ServiceCommand
from roundtable_app.ui.context import AppContext


class _CalendarCommand(ServiceCommand):
    def __init__(self, ctx: AppContext, text: str) -> None:
        super().__init__(ctx, text, refresh_on_error=Changes(all_roundtables=True))


class RescheduleCommand(_CalendarCommand):
    """Move a roundtable to a new start (same duration); undo moves it back.

    ``needs_update`` is how many invitees were sent the old time and now need the
    update (0 when nothing had been sent).
    """

    def __init__(
        self,
        ctx: AppContext,
        roundtable_id: int,
        title: str,
        before: dt.datetime,
        after: dt.datetime,
        version: int,
        needs_update: int,
    ) -> None:
        super().__init__(ctx, f"Move “{title}”")
        self.roundtable_id = roundtable_id
        self.before = before
        self.after = after
        self.version = version
        self.needs_update = needs_update

    @classmethod
    def execute(
        cls, ctx: AppContext, roundtable_id: int, new_start: dt.datetime, expected_version: int
    ) -> RescheduleCommand:
        """Reschedule in one transaction; raises ConflictError if someone else saved first."""
        with ctx.db.transaction() as session:
            edit = scheduling.reschedule(session, roundtable_id, new_start, expected_version)
            waiting = calendar_views.needing_update(session, roundtable_id)
        before = edit.before.data.starts_at
        assert before is not None  # reschedule refuses roundtables without a time
        command = cls(
            ctx,
            roundtable_id,
            edit.after.data.title,
            before,
            new_start,
            edit.after.version,
            waiting if edit.sequence_raised else 0,
        )
        ctx.publish(Changes(roundtables=frozenset({roundtable_id})))
        return command

    def _move(self, start: dt.datetime) -> Changes:
        with self.ctx.db.transaction() as session:
            edit = scheduling.reschedule(session, self.roundtable_id, start, self.version)
        self.version = edit.after.version
        return Changes(roundtables=frozenset({self.roundtable_id}))

    def _undo(self) -> Changes:
        return self._move(self.before)

    def _redo(self) -> Changes:
        return self._move(self.after)


def replies_text(count: int) -> str:
    return "1 reply" if count == 1 else f"{count:,} replies"


class ImportRepliesCommand(_CalendarCommand):
    """Apply reply files; undo puts every changed response back as it was."""

    def __init__(
        self, ctx: AppContext, changes: Sequence[ReplyChange], redo_changes: Sequence[ReplyChange]
    ) -> None:
        super().__init__(ctx, f"Import {replies_text(len(changes))}")
        self.changes = tuple(changes)
        # The same changes "undone" towards the imported state (redo).
        self.redo_changes = tuple(redo_changes)

    @classmethod
    def execute(
        cls, ctx: AppContext, paths: Sequence[Path]
    ) -> tuple[ImportRepliesCommand | None, ReplyReport]:
        """Apply the files in one transaction; the command is None when nothing changed."""
        with ctx.db.transaction() as session:
            report = replies.apply_reply_files(session, paths)
            states = calendar_views.reply_states(session, [c.invitation_id for c in report.changes])
        ctx.publish(Changes(all_roundtables=True))
        if not report.changes:
            return None, report
        redo = [
            replace(
                change,
                old=states[change.invitation_id].response,
                old_sequence=states[change.invitation_id].sequence,
                old_stamp=states[change.invitation_id].stamp,
            )
            for change in report.changes
            if change.invitation_id in states
        ]
        return cls(ctx, report.changes, redo), report

    def _undo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            replies.undo_changes(session, self.changes)
        return Changes(all_roundtables=True)

    def _redo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            replies.undo_changes(session, self.redo_changes)
        return Changes(all_roundtables=True)
