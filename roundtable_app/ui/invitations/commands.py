"""Undoable invitation edits: importing invitees' replies (and applying the forwarded ones the
user trusts), inviting the chair.

``execute`` does the work in one transaction; the command pushed on the undo
stack does nothing on its first ``redo``; undo puts back what was there
before, redo does it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from roundtable_app.core.model import Changes
from roundtable_app.services import invitations, roundtables
from roundtable_app.ui.common import ServiceCommand
from roundtable_app.ui.context import AppContext


def replies_text(count: int) -> str:
    return "1 reply" if count == 1 else f"{count:,} replies"


class ImportRepliesCommand(ServiceCommand):
    """Apply reply files; undo puts every changed response back as it was."""

    def __init__(
        self, ctx: AppContext, imported: invitations.ImportedReplies, text: str | None = None
    ) -> None:
        count = len(imported.report.changes)
        super().__init__(
            ctx,
            text or f"Import {replies_text(count)}",
            refresh_on_error=Changes(all_roundtables=True),
        )
        self.imported = imported

    @classmethod
    def execute(
        cls, ctx: AppContext, paths: Sequence[Path]
    ) -> tuple[ImportRepliesCommand | None, invitations.ReplyReport]:
        """Apply the files in one transaction; the command is None when nothing changed."""
        with ctx.db.transaction() as session:
            imported = invitations.import_replies(session, paths)
        ctx.publish(Changes(all_roundtables=True))
        if not imported.report.changes:
            return None, imported.report
        return cls(ctx, imported), imported.report

    @classmethod
    def execute_held(
        cls, ctx: AppContext, held: Sequence[invitations.HeldReply]
    ) -> tuple[ImportRepliesCommand | None, invitations.ReplyReport]:
        """Apply held (forwarded) replies the user trusts; None when nothing changed."""
        with ctx.db.transaction() as session:
            imported = invitations.import_held_replies(session, held)
        ctx.publish(Changes(all_roundtables=True))
        count = len(imported.report.changes)
        if not count:
            return None, imported.report
        text = "Apply 1 forwarded reply" if count == 1 else f"Apply {count:,} forwarded replies"
        return cls(ctx, imported, text), imported.report

    def _restore(self, changes: Sequence[invitations.ReplyChange]) -> Changes:
        with self.ctx.db.transaction() as session:
            invitations.restore_responses(session, changes)
        return Changes(all_roundtables=True)

    def _undo(self) -> Changes:
        return self._restore(self.imported.undo)

    def _redo(self) -> Changes:
        return self._restore(self.imported.redo)


class InviteChairCommand(ServiceCommand):
    """Put the chair on the invitee list as Chair (Send invitations' offer); undo removes them."""

    def __init__(
        self, ctx: AppContext, roundtable_id: int, sync: roundtables.ChairSync, name: str
    ) -> None:
        super().__init__(
            ctx, f"Add {name} as Chair", refresh_on_error=Changes(all_roundtables=True)
        )
        self.roundtable_id = roundtable_id
        self.sync = sync

    def changes(self) -> Changes:
        return Changes(roundtables=frozenset({self.roundtable_id}))

    @classmethod
    def execute(cls, ctx: AppContext, roundtable_id: int, name: str) -> InviteChairCommand:
        """Invite the chair or raise (e.g. the roundtable was deleted meanwhile)."""
        with ctx.db.transaction() as session:
            sync = roundtables.invite_chair(session, roundtable_id)
        ctx.publish(Changes(roundtables=frozenset({roundtable_id})))
        return cls(ctx, roundtable_id, sync, name)

    def _undo(self) -> None:
        with self.ctx.db.transaction() as session:
            roundtables.undo_chair_sync(session, self.sync)

    def _redo(self) -> None:
        with self.ctx.db.transaction() as session:
            self.sync = roundtables.invite_chair(session, self.roundtable_id)
