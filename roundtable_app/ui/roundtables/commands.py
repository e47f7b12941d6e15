"""Undoable roundtable edits: ``QUndoCommand``s over the roundtable services.

Same pattern as :mod:`roundtable_app.ui.directory.commands`: a classmethod ``execute``
performs the edit in one transaction and raises if it fails (so the caller can
show why); only a command that succeeded is pushed, and its first ``redo``
(called by ``QUndoStack.push``) does nothing. Later undos and redos each run
one transaction with the inverse the service returned, then publish
``Changes(roundtables={id})`` so the views refresh.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Changes, InviteeRole, RoundtableStatus
from roundtable_app.services import roundtables
from roundtable_app.ui.common import ServiceCommand
from roundtable_app.ui.context import AppContext

STATUS_VERBS = {
    RoundtableStatus.DRAFT: "Move roundtable back to draft",
    RoundtableStatus.SCHEDULED: "Schedule roundtable",
    RoundtableStatus.HELD: "Mark roundtable held",
    RoundtableStatus.CANCELLED: "Cancel roundtable",
}


def invitees_text(count: int) -> str:
    """ "1 invitee", "12 invitees"."""
    return "1 invitee" if count == 1 else f"{count:,} invitees"


def _changed(roundtable_id: int) -> Changes:
    return Changes(roundtables=frozenset({roundtable_id}))


class _RoundtableCommand(ServiceCommand):
    """A roundtable edit; steps return ``None`` and refresh that roundtable."""

    def __init__(self, ctx: AppContext, text: str, roundtable_id: int) -> None:
        super().__init__(ctx, text, refresh_on_error=Changes(all_roundtables=True))
        self.roundtable_id = roundtable_id

    def changes(self) -> Changes:
        return _changed(self.roundtable_id)

    def _guarded(self, what: str, step: Callable[[], Changes | None]) -> None:
        def tolerant() -> Changes | None:
            try:
                return step()
            except RoundtableError:
                raise
            except Exception as exc:  # e.g. the roundtable was re-created under another id
                raise RoundtableError(
                    f"The data changed since this step was made ({exc.__class__.__name__})."
                ) from exc

        super()._guarded(what, tolerant)


class CreateRoundtableCommand(_RoundtableCommand):
    """Create a draft; undo deletes it, redo creates it again (a new id and UID)."""

    def __init__(self, ctx: AppContext, info: roundtables.RoundtableInfo) -> None:
        super().__init__(ctx, f"Add {info.data.title}", info.id)
        self.data = info.data
        self.version = info.version

    @classmethod
    def execute(cls, ctx: AppContext, data: roundtables.RoundtableData) -> CreateRoundtableCommand:
        """Create the roundtable or raise (ValidationError, ...)."""
        with ctx.db.transaction() as session:
            info = roundtables.create_roundtable(session, data)
        ctx.publish(_changed(info.id))
        return cls(ctx, info)

    def _undo(self) -> None:
        with self.ctx.db.transaction() as session:
            roundtables.delete_roundtable(session, self.roundtable_id, self.version)

    def _redo(self) -> None:
        with self.ctx.db.transaction() as session:
            info = roundtables.create_roundtable(session, self.data)
        self.roundtable_id, self.version = info.id, info.version


class EditRoundtableCommand(_RoundtableCommand):
    """Save a roundtable's edits; undo saves the previous data back."""

    def __init__(self, ctx: AppContext, edit: roundtables.RoundtableEdit) -> None:
        super().__init__(ctx, f"Edit {edit.after.data.title}", edit.after.id)
        self.edit = edit
        self.version = edit.after.version

    @classmethod
    def execute(
        cls, ctx: AppContext, before: roundtables.RoundtableInfo, data: roundtables.RoundtableData
    ) -> EditRoundtableCommand:
        """Save ``data`` over ``before`` (the version the user opened), or raise."""
        with ctx.db.transaction() as session:
            edit = roundtables.update_roundtable(session, before.id, data, before.version)
        ctx.publish(_changed(before.id))
        return cls(ctx, edit)

    def _save(self, data: roundtables.RoundtableData) -> None:
        with self.ctx.db.transaction() as session:
            saved = roundtables.update_roundtable(session, self.roundtable_id, data, self.version)
        self.version = saved.after.version

    def _undo(self) -> None:
        self._save(self.edit.before.data)

    def _redo(self) -> None:
        self._save(self.edit.after.data)


class SetStatusCommand(_RoundtableCommand):
    """Move a roundtable to another status; undo moves it back."""

    def __init__(self, ctx: AppContext, edit: roundtables.RoundtableEdit) -> None:
        super().__init__(ctx, STATUS_VERBS[edit.after.status], edit.after.id)
        self.edit = edit
        self.version = edit.after.version

    @classmethod
    def execute(
        cls, ctx: AppContext, roundtable_id: int, status: RoundtableStatus, expected_version: int
    ) -> SetStatusCommand:
        with ctx.db.transaction() as session:
            edit = roundtables.set_status(session, roundtable_id, status, expected_version)
        ctx.publish(_changed(roundtable_id))
        return cls(ctx, edit)

    def _set(self, status: RoundtableStatus) -> None:
        with self.ctx.db.transaction() as session:
            edit = roundtables.set_status(session, self.roundtable_id, status, self.version)
        self.version = edit.after.version

    def _undo(self) -> None:
        self._set(self.edit.before.status)

    def _redo(self) -> None:
        self._set(self.edit.after.status)


class AddInviteesCommand(_RoundtableCommand):
    """Invite people; undo withdraws exactly those added, redo restores them."""

    def __init__(self, ctx: AppContext, roundtable_id: int, result: roundtables.AddResult) -> None:
        super().__init__(ctx, f"Add {invitees_text(len(result.undo_ids))}", roundtable_id)
        self.result = result
        self._snapshot: list[roundtables.RemovedInvitation] = []

    @classmethod
    def execute(
        cls,
        ctx: AppContext,
        roundtable_id: int,
        person_ids: Sequence[int],
        role: InviteeRole = InviteeRole.PARTICIPANT,
    ) -> AddInviteesCommand:
        """Add the people; the caller pushes the command only if ``result.undo_ids``."""
        with ctx.db.transaction() as session:
            result = roundtables.add_invitees(session, roundtable_id, person_ids, role)
        ctx.publish(_changed(roundtable_id))
        return cls(ctx, roundtable_id, result)

    def _undo(self) -> None:
        with self.ctx.db.transaction() as session:
            self._snapshot = roundtables.withdraw_invitees(session, list(self.result.undo_ids))

    def _redo(self) -> None:
        with self.ctx.db.transaction() as session:
            roundtables.restore_invitees(session, self._snapshot)


class WithdrawInviteesCommand(_RoundtableCommand):
    """Take invitees off the list; undo restores them exactly (same ids)."""

    def __init__(
        self,
        ctx: AppContext,
        roundtable_id: int,
        ids: Sequence[int],
        snapshot: list[roundtables.RemovedInvitation],
        names: Sequence[str] = (),
    ) -> None:
        text = f"Remove {names[0]}" if len(names) == 1 else f"Remove {invitees_text(len(ids))}"
        super().__init__(ctx, text, roundtable_id)
        self.ids = list(ids)
        self._snapshot = snapshot

    @classmethod
    def execute(
        cls,
        ctx: AppContext,
        roundtable_id: int,
        invitation_ids: Sequence[int],
        names: Sequence[str] = (),
    ) -> WithdrawInviteesCommand:
        with ctx.db.transaction() as session:
            snapshot = roundtables.withdraw_invitees(session, list(invitation_ids))
        ctx.publish(_changed(roundtable_id))
        return cls(ctx, roundtable_id, invitation_ids, snapshot, names)

    def _undo(self) -> None:
        with self.ctx.db.transaction() as session:
            roundtables.restore_invitees(session, self._snapshot)

    def _redo(self) -> None:
        with self.ctx.db.transaction() as session:
            self._snapshot = roundtables.withdraw_invitees(session, self.ids)


class SetRoleCommand(_RoundtableCommand):
    """Give invitees a role; undo gives each their own previous role back."""

    def __init__(
        self,
        ctx: AppContext,
        roundtable_id: int,
        role: InviteeRole,
        previous: dict[int, InviteeRole],
        name: str = "",
    ) -> None:
        label = role.value.replace("_", "-")
        who = name or invitees_text(len(previous))
        super().__init__(ctx, f"Make {who} {label}", roundtable_id)
        self.role = role
        self.previous = previous

    @classmethod
    def execute(
        cls,
        ctx: AppContext,
        roundtable_id: int,
        invitation_ids: Sequence[int],
        role: InviteeRole,
        name: str = "",
    ) -> SetRoleCommand:
        with ctx.db.transaction() as session:
            previous = roundtables.set_role(session, list(invitation_ids), role)
        ctx.publish(_changed(roundtable_id))
        return cls(ctx, roundtable_id, role, previous, name)

    def _undo(self) -> None:
        by_role: dict[InviteeRole, list[int]] = defaultdict(list)
        for inv_id, role in self.previous.items():
            by_role[role].append(inv_id)
        with self.ctx.db.transaction() as session:
            for role, ids in by_role.items():
                roundtables.set_role(session, ids, role)

    def _redo(self) -> None:
        with self.ctx.db.transaction() as session:
            roundtables.set_role(session, list(self.previous), self.role)
