"""The register's undoable steps: a need's status, owner or reference; groups; dismissals.

Each function does the change in one transaction (raising what the service
raises, so the page can say why nothing changed) and pushes a command whose
undo and redo are service calls again. A step the data no longer allows (a
colleague changed the need meanwhile) is reported and dropped from the stack
(:class:`~roundtable_app.ui.common.ServiceCommand`).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

from roundtable_app.core.model import Changes
from roundtable_app.services import register
from roundtable_app.services.register import GroupChange, NeedChange, NeedEdit
from roundtable_app.ui.common import ServiceCommand
from roundtable_app.ui.context import AppContext

NEEDS = Changes(needs=True)
GROUPS = Changes(needs=True, need_groups=True)


#: The version of each need this window last wrote. Undoing an earlier edit of a need
#: edited again since (by this window) would otherwise look like a colleague's change.
_WRITTEN: weakref.WeakKeyDictionary[AppContext, dict[int, int]] = weakref.WeakKeyDictionary()


def _wrote(ctx: AppContext, changes: Sequence[NeedChange]) -> None:
    _WRITTEN.setdefault(ctx, {}).update((c.id, c.version) for c in changes)


def _as_written(ctx: AppContext, changes: Sequence[NeedChange]) -> list[NeedChange]:
    """``changes`` against the versions this window wrote since (a colleague's still conflict)."""
    written = _WRITTEN.get(ctx, {})
    return [NeedChange(c.id, max(c.version, written.get(c.id, c.version)), c.edit) for c in changes]


def _describe(edit: NeedEdit) -> str:
    if edit.status is not None:
        return f"Mark as {edit.status.label.lower()}"
    if edit.centre_owner is not None:
        return "Change the owner" if edit.centre_owner.strip() else "Clear the owner"
    return "Change the reference"


class _EditCommand(ServiceCommand):
    def __init__(self, ctx: AppContext, text: str, undo: list[NeedChange]) -> None:
        super().__init__(ctx, text, refresh_on_error=NEEDS)
        self._changes = undo  # what the next step (undo, then redo, …) applies

    def _swap(self) -> Changes:
        with self.ctx.db.transaction() as session:
            self._changes = register.change_needs(session, _as_written(self.ctx, self._changes))
        _wrote(self.ctx, self._changes)
        return NEEDS

    _redo = _swap
    _undo = _swap


def edit_needs(
    ctx: AppContext, seen: Sequence[tuple[int, int]], edit: NeedEdit
) -> list[NeedChange]:
    """Give the needs ``seen`` (id, version shown) ``edit``; one undoable step.

    Returns what undoes it (each need with its new version).
    """
    with ctx.db.transaction() as session:
        undo = register.update_needs(session, seen, edit)
    _wrote(ctx, undo)
    ctx.undo_stack.push(_EditCommand(ctx, _describe(edit), undo))
    ctx.publish(NEEDS)
    return undo


class _ConfirmCommand(ServiceCommand):
    def __init__(self, ctx: AppContext, note_ids: Sequence[int], change: GroupChange) -> None:
        super().__init__(ctx, "Group similar needs", refresh_on_error=GROUPS)
        self.note_ids, self.change = tuple(note_ids), change

    def _redo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            self.change = register.confirm_group(session, self.note_ids)
        return GROUPS

    def _undo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            register.undo_group(session, self.change)
        return GROUPS


def confirm_group(ctx: AppContext, note_ids: Sequence[int]) -> int:
    """Group ``note_ids`` as one need (undoable); returns the group's id."""
    with ctx.db.transaction() as session:
        change = register.confirm_group(session, note_ids)
    ctx.undo_stack.push(_ConfirmCommand(ctx, note_ids, change))
    ctx.publish(GROUPS)
    return change.group_id


class _UngroupCommand(ServiceCommand):
    """Split a group, or take one need out of it; undo groups the needs again."""

    def __init__(
        self, ctx: AppContext, text: str, members: list[int], group_id: int, leaver: int | None
    ) -> None:
        super().__init__(ctx, text, refresh_on_error=GROUPS)
        self.members, self.group_id, self.leaver = members, group_id, leaver

    def _redo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            if self.leaver is None:
                self.members = register.split_group(session, self.group_id)
            else:
                self.members = register.leave_group(session, self.leaver)
        return GROUPS

    def _undo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            self.group_id = register.confirm_group(session, self.members).group_id
        return GROUPS


def split_group(ctx: AppContext, group_id: int) -> None:
    """Let every need of the group stand alone again (undoable)."""
    with ctx.db.transaction() as session:
        members = register.split_group(session, group_id)
    ctx.undo_stack.push(_UngroupCommand(ctx, "Split the group", members, group_id, None))
    ctx.publish(GROUPS)


def leave_group(ctx: AppContext, group_id: int, note_id: int) -> None:
    """Take the need ``note_id`` out of its group (undoable)."""
    with ctx.db.transaction() as session:
        members = register.leave_group(session, note_id)
    ctx.undo_stack.push(
        _UngroupCommand(ctx, "Remove a need from its group", members, group_id, note_id)
    )
    ctx.publish(GROUPS)


class _DismissCommand(ServiceCommand):
    def __init__(self, ctx: AppContext, key: str) -> None:
        super().__init__(ctx, "Not the same need", refresh_on_error=GROUPS)
        self.key = key

    def _redo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            register.dismiss_suggestion(session, self.key)
        return GROUPS

    def _undo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            register.restore_suggestion(session, self.key)
        return GROUPS


def dismiss_suggestion(ctx: AppContext, key: str) -> None:
    """Do not suggest these needs as one again (undoable)."""
    with ctx.db.transaction() as session:
        register.dismiss_suggestion(session, key)
    ctx.undo_stack.push(_DismissCommand(ctx, key))
    ctx.publish(GROUPS)
