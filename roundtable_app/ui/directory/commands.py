"""Undoable user edits: ``QUndoCommand``s over directory service calls.

Each command is created by a classmethod ``execute`` that performs the edit in
one transaction and raises if it fails (so the dialog can show why); only a
command that succeeded is pushed, and its first ``redo`` (called by
``QUndoStack.push``) does nothing. Later undos and redos each run one
transaction with the inverse the service returned, then publish the
:class:`Changes` so the views refresh.

When an undo or redo cannot be done any more (someone else changed or deleted
the person meanwhile), the command reports why and marks itself obsolete, so
the stack drops it and stays consistent.
"""

from __future__ import annotations

from collections.abc import Sequence

from roundtable_app.core.model import Changes, Person, PersonData
from roundtable_app.services import directory
from roundtable_app.ui.common import ServiceCommand
from roundtable_app.ui.context import AppContext


def people_text(count: int) -> str:
    return "1 person" if count == 1 else f"{count:,} people"


class _Command(ServiceCommand):
    """A directory edit; on a failed step the whole directory refreshes."""

    def __init__(self, ctx: AppContext, text: str) -> None:
        super().__init__(ctx, text, refresh_on_error=Changes(all_people=True))


class AddPersonCommand(_Command):
    """Add a person; undo deletes them, redo restores them with the same id."""

    def __init__(self, ctx: AppContext, person: Person) -> None:
        super().__init__(ctx, f"Add {person.data.full_name}")
        self.person_id = person.id
        self._snapshot: list[directory.DeletedPerson] = []

    @classmethod
    def execute(cls, ctx: AppContext, data: PersonData) -> AddPersonCommand:
        with ctx.db.transaction() as session:
            person = directory.create_person(session, data)
        command = cls(ctx, person)
        ctx.publish(Changes(people=frozenset({person.id}), themes=True, sectors=True))
        return command

    def _undo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            self._snapshot = directory.delete_people(session, [self.person_id])
        return Changes(people=frozenset({self.person_id}))

    def _redo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            directory.restore_people(session, self._snapshot)
        return Changes(people=frozenset({self.person_id}), themes=True, sectors=True)


class EditPersonCommand(_Command):
    """Save a person's edits; undo saves the old data back over the current version."""

    def __init__(self, ctx: AppContext, before: Person, after: Person) -> None:
        super().__init__(ctx, f"Edit {after.data.full_name}")
        self.person_id = before.id
        self.before = before.data
        self.after = after.data
        self.version = after.version

    @classmethod
    def execute(cls, ctx: AppContext, before: Person, data: PersonData) -> EditPersonCommand:
        """Save ``data`` over ``before`` (the version the user opened)."""
        with ctx.db.transaction() as session:
            after = directory.update_person(session, before.id, data, before.version)
        ctx.publish(Changes(people=frozenset({before.id}), themes=True, sectors=True))
        return cls(ctx, before, after)

    def _save(self, data: PersonData) -> Changes:
        with self.ctx.db.transaction() as session:
            saved = directory.update_person(
                session, self.person_id, data, self.version, restore_times=True
            )
        self.version = saved.version
        return Changes(people=frozenset({self.person_id}), themes=True, sectors=True)

    def _undo(self) -> Changes:
        return self._save(self.before)

    def _redo(self) -> Changes:
        return self._save(self.after)


class DeletePeopleCommand(_Command):
    """Delete people; undo restores them (same ids, invitations and links)."""

    def __init__(self, ctx: AppContext, snapshot: list[directory.DeletedPerson]) -> None:
        names = [d.person.data.full_name for d in snapshot]
        text = f"Delete {names[0]}" if len(names) == 1 else f"Delete {people_text(len(names))}"
        super().__init__(ctx, text)
        self._snapshot = snapshot
        self.person_ids = [d.person.id for d in snapshot]

    @classmethod
    def execute(cls, ctx: AppContext, person_ids: Sequence[int]) -> DeletePeopleCommand:
        with ctx.db.transaction() as session:
            snapshot = directory.delete_people(session, list(person_ids))
        ctx.publish(Changes(people=frozenset(person_ids)))
        return cls(ctx, snapshot)

    def _undo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            directory.restore_people(session, self._snapshot)
        return Changes(people=frozenset(self.person_ids))

    def _redo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            self._snapshot = directory.delete_people(session, self.person_ids)
        return Changes(people=frozenset(self.person_ids))


class BulkAddInterestCommand(_Command):
    """Give people an interest; undo takes it away from those who did not have it."""

    def __init__(self, ctx: AppContext, theme: str, added: list[int]) -> None:
        super().__init__(ctx, f"Add interest “{theme}” to {people_text(len(added))}")
        self.theme = theme
        self.added = added

    @classmethod
    def execute(
        cls, ctx: AppContext, person_ids: Sequence[int], theme: str
    ) -> BulkAddInterestCommand:
        with ctx.db.transaction() as session:
            added = directory.add_interest(session, list(person_ids), theme)
        ctx.publish(Changes(people=frozenset(added), themes=True))
        return cls(ctx, theme, added)

    def _undo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            directory.remove_interest(session, self.added, self.theme)
        return Changes(people=frozenset(self.added), themes=True)

    def _redo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            directory.add_interest(session, self.added, self.theme)
        return Changes(people=frozenset(self.added), themes=True)


class BulkRemoveInterestCommand(_Command):
    """Take an interest away; undo gives it back to exactly those who had it."""

    def __init__(self, ctx: AppContext, theme: str, removed: list[int]) -> None:
        super().__init__(ctx, f"Remove interest “{theme}” from {people_text(len(removed))}")
        self.theme = theme
        self.removed = removed

    @classmethod
    def execute(
        cls, ctx: AppContext, person_ids: Sequence[int], theme: str
    ) -> BulkRemoveInterestCommand:
        with ctx.db.transaction() as session:
            removed = directory.remove_interest(session, list(person_ids), theme)
        ctx.publish(Changes(people=frozenset(removed), themes=True))
        return cls(ctx, theme, removed)

    def _undo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            directory.add_interest(session, self.removed, self.theme)
        return Changes(people=frozenset(self.removed), themes=True)

    def _redo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            directory.remove_interest(session, self.removed, self.theme)
        return Changes(people=frozenset(self.removed), themes=True)


class BulkSetSectorCommand(_Command):
    """Set people's sector; undo gives each their own previous sector back."""

    def __init__(
        self, ctx: AppContext, sector: str | None, previous: dict[int, str | None]
    ) -> None:
        super().__init__(ctx, f"Set sector of {people_text(len(previous))}")
        self.sector = sector
        self.previous = previous

    @classmethod
    def execute(
        cls, ctx: AppContext, person_ids: Sequence[int], sector: str | None
    ) -> BulkSetSectorCommand:
        with ctx.db.transaction() as session:
            previous = directory.set_sector(session, list(person_ids), sector)
        ctx.publish(Changes(people=frozenset(previous), sectors=True))
        return cls(ctx, sector, previous)

    def _undo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            directory.restore_sectors(session, self.previous)
        return Changes(people=frozenset(self.previous), sectors=True)

    def _redo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            directory.set_sector(session, list(self.previous), self.sector)
        return Changes(people=frozenset(self.previous), sectors=True)
