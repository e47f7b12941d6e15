"""Undoable calendar edits: moving a roundtable to another day or time.

Same pattern as every :class:`~roundtable_app.ui.common.ServiceCommand`:
``execute`` does the work in one transaction and raises if it fails; the
command pushed on the undo stack does nothing on its first ``redo``; later
undos and redos run one transaction each and publish what changed. When an
undo can no longer be done (someone else changed the roundtable meanwhile) the
command reports why and drops out.
"""

from __future__ import annotations

import datetime as dt

from roundtable_app.core.model import Changes
from roundtable_app.services import roundtables
from roundtable_app.ui.common import ServiceCommand
from roundtable_app.ui.context import AppContext


class RescheduleCommand(ServiceCommand):
    """Move a roundtable to a new start (same duration); undo moves it back.

    ``move`` says what followed from the move: who needs the update, clashes,
    a weekend.
    """

    def __init__(self, ctx: AppContext, move: roundtables.Move) -> None:
        super().__init__(
            ctx, f"Move “{move.after.data.title}”", refresh_on_error=Changes(all_roundtables=True)
        )
        self.move = move
        self.roundtable_id = move.after.id
        before, after = move.before.data.starts_at, move.after.data.starts_at
        assert before is not None and after is not None  # only roundtables with a time move
        self.before = before
        self.after = after
        self.version = move.after.version

    @classmethod
    def execute(
        cls, ctx: AppContext, roundtable_id: int, new_start: dt.datetime, expected_version: int
    ) -> RescheduleCommand:
        """Reschedule in one transaction; raises ConflictError if someone else saved first."""
        with ctx.db.transaction() as session:
            move = roundtables.move_roundtable(session, roundtable_id, new_start, expected_version)
        ctx.publish(Changes(roundtables=frozenset({roundtable_id})))
        return cls(ctx, move)

    def _move(self, start: dt.datetime) -> Changes:
        with self.ctx.db.transaction() as session:
            edit = roundtables.reschedule(session, self.roundtable_id, start, self.version)
        self.version = edit.after.version
        return Changes(roundtables=frozenset({self.roundtable_id}))

    def _undo(self) -> Changes:
        return self._move(self.before)

    def _redo(self) -> Changes:
        return self._move(self.after)
