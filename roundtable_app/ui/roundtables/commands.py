"""Undoable roundtable edits: ``QUndoCommand``s over the roundtable services.

Same pattern as :mod:`roundtable_app.ui.directory.commands`: a classmethod ``execute``
performs the edit in one transaction and raises if it fails (so the caller can
show why); only a command that succeeded is pushed, and its first ``redo``
(called by ``QUndoStack.push``) does nothing. Later undos and redos each run
one transaction with the inverse the service returned, then publish
``Changes(roundtables={id})`` so the views refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from roundtable_app.core.errors import ConflictError, RoundtableError
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

    def _current(self, expected: Callable[[roundtables.RoundtableInfo], bool]) -> int:
        """The roundtable's version now, if it is as this step left it; else ConflictError.

        Each write raises the version, so the version a command saw when it ran is
        stale once a later command (or its undo) wrote the same roundtable. What
        matters is whether the roundtable still is as this step left it: then the
        step can be undone or redone over whatever version it has now.
        """
        with self.ctx.db.reading() as session:
            info = roundtables.get_roundtable(session, self.roundtable_id)
        if not expected(info):
            raise ConflictError(
                f"'{info.data.title}' was changed since this step (perhaps by someone "
                "else); undoing it would overwrite that change."
            )
        return info.version

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
    """Create a draft (its chair invited as Chair); undo deletes it, redo creates it again."""

    def __init__(
        self, ctx: AppContext, info: roundtables.RoundtableInfo, invite_chair: bool
    ) -> None:
        super().__init__(ctx, f"Add {info.data.title}", info.id)
        self.data = info.data
        self.invite_chair = invite_chair

    @classmethod
    def execute(
        cls, ctx: AppContext, data: roundtables.RoundtableData, *, invite_chair: bool = True
    ) -> CreateRoundtableCommand:
        """Create the roundtable or raise (ValidationError, ...)."""
        with ctx.db.transaction() as session:
            info = roundtables.create_with_chair(session, data, invite_chair=invite_chair).info
        ctx.publish(_changed(info.id))
        return cls(ctx, info, invite_chair)

    def _undo(self) -> None:
        version = self._current(lambda info: info.data == self.data)
        with self.ctx.db.transaction() as session:
            roundtables.delete_roundtable(session, self.roundtable_id, version)

    def _redo(self) -> None:
        with self.ctx.db.transaction() as session:
            made = roundtables.create_with_chair(session, self.data, invite_chair=self.invite_chair)
        self.roundtable_id = made.info.id


class EditRoundtableCommand(_RoundtableCommand):
    """Save a roundtable's edits (the Chair role follows the chair); undo restores both."""

    def __init__(self, ctx: AppContext, saved: roundtables.ChairedEdit, invite_chair: bool) -> None:
        assert saved.edit is not None
        super().__init__(ctx, f"Edit {saved.info.data.title}", saved.info.id)
        self.edit: roundtables.RoundtableEdit = saved.edit
        self.sync = saved.sync
        self.invite_chair = invite_chair

    @classmethod
    def execute(
        cls,
        ctx: AppContext,
        before: roundtables.RoundtableInfo,
        data: roundtables.RoundtableData,
        *,
        invite_chair: bool = True,
    ) -> EditRoundtableCommand:
        """Save ``data`` over ``before`` (the version the user opened), or raise."""
        with ctx.db.transaction() as session:
            saved = roundtables.update_with_chair(
                session, before.id, data, before.version, invite_chair=invite_chair
            )
        ctx.publish(_changed(before.id))
        return cls(ctx, saved, invite_chair)

    def _undo(self) -> None:
        version = self._current(lambda info: info.data == self.edit.after.data)
        with self.ctx.db.transaction() as session:
            roundtables.undo_chair_sync(session, self.sync)
            roundtables.update_roundtable(
                session, self.roundtable_id, self.edit.before.data, version
            )

    def _redo(self) -> None:
        version = self._current(lambda info: info.data == self.edit.before.data)
        with self.ctx.db.transaction() as session:
            saved = roundtables.update_with_chair(
                session,
                self.roundtable_id,
                self.edit.after.data,
                version,
                invite_chair=self.invite_chair,
            )
        self.sync = saved.sync


class SetStatusCommand(_RoundtableCommand):
    """Move a roundtable to another status; undo moves it back."""

    def __init__(self, ctx: AppContext, edit: roundtables.RoundtableEdit) -> None:
        super().__init__(ctx, STATUS_VERBS[edit.after.status], edit.after.id)
        self.edit = edit

    @classmethod
    def execute(
        cls, ctx: AppContext, roundtable_id: int, status: RoundtableStatus, expected_version: int
    ) -> SetStatusCommand:
        with ctx.db.transaction() as session:
            edit = roundtables.set_status(session, roundtable_id, status, expected_version)
        ctx.publish(_changed(roundtable_id))
        return cls(ctx, edit)

    def _set(self, status: RoundtableStatus, now: RoundtableStatus) -> None:
        version = self._current(lambda info: info.status == now)
        with self.ctx.db.transaction() as session:
            roundtables.set_status(session, self.roundtable_id, status, version)

    def _undo(self) -> None:
        self._set(self.edit.before.status, self.edit.after.status)

    def _redo(self) -> None:
        self._set(self.edit.after.status, self.edit.before.status)


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
    """Give invitees a role (Chair: the roundtable's chair too); undo restores roles and chair."""

    def __init__(
        self,
        ctx: AppContext,
        roundtable_id: int,
        ids: Sequence[int],
        role: InviteeRole,
        change: roundtables.RoleChange,
        name: str = "",
    ) -> None:
        label = role.value.replace("_", "-")
        who = name or invitees_text(len(ids))
        super().__init__(ctx, f"Make {who} {label}", roundtable_id)
        self.ids = list(ids)
        self.role = role
        self.change = change

    @property
    def previous(self) -> dict[int, InviteeRole]:
        """Each invitation whose role changed, with the role it had."""
        return dict(self.change.roles)

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
            change = roundtables.change_roles(session, roundtable_id, list(invitation_ids), role)
        ctx.publish(_changed(roundtable_id))
        return cls(ctx, roundtable_id, invitation_ids, role, change, name)

    def _undo(self) -> None:
        with self.ctx.db.transaction() as session:
            roundtables.undo_roles(session, self.change)

    def _redo(self) -> None:
        with self.ctx.db.transaction() as session:
            self.change = roundtables.change_roles(session, self.roundtable_id, self.ids, self.role)
