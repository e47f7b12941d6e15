"""Undoable vocabulary edits: rename, merge and delete sectors, interests and organisations.

Like the directory's commands: ``execute`` does the edit in one transaction
and raises if it cannot (the dialog shows why); only a command that
succeeded is pushed. A merge of several entries is one command, so one
Ctrl+Z gives every person their old sector, interest or organisation back.
"""

from __future__ import annotations

from collections.abc import Sequence

from roundtable_app.core.model import Changes
from roundtable_app.services import directory
from roundtable_app.services.directory import VocabularyEntry
from roundtable_app.ui.common import ServiceCommand
from roundtable_app.ui.context import AppContext

#: A name shows in the directory, the filters, roundtables and plans: refresh them all.
EVERYWHERE = Changes(
    all_people=True, themes=True, sectors=True, organisations=True, all_roundtables=True
)


class _Command(ServiceCommand):
    def __init__(self, ctx: AppContext, text: str) -> None:
        super().__init__(ctx, text, refresh_on_error=EVERYWHERE)


class RenameEntryCommand(_Command):
    """Rename an entry; undo gives it its old name back."""

    def __init__(self, ctx: AppContext, renamed: directory.RenamedEntry) -> None:
        kind = renamed.kind.value
        super().__init__(ctx, f"Rename {kind} “{renamed.old_name}” to “{renamed.new_name}”")
        self.renamed = renamed

    @classmethod
    def execute(cls, ctx: AppContext, entry: VocabularyEntry, name: str) -> RenameEntryCommand:
        with ctx.db.transaction() as session:
            renamed = directory.rename_entry(session, entry, name)
        ctx.publish(EVERYWHERE)
        return cls(ctx, renamed)

    def _undo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            directory.undo_rename(session, self.renamed)
        return EVERYWHERE

    def _redo(self) -> Changes:
        before = VocabularyEntry(self.renamed.kind, self.renamed.id, self.renamed.old_name)
        with self.ctx.db.transaction() as session:
            directory.rename_entry(session, before, self.renamed.new_name)
        return EVERYWHERE


class MergeEntriesCommand(_Command):
    """Merge entries into one; undo brings each back with exactly the people who had it."""

    def __init__(
        self, ctx: AppContext, merged: list[directory.MergedEntry], into: VocabularyEntry
    ) -> None:
        names = [m.entry.name for m in merged]
        what = f"“{names[0]}”" if len(names) == 1 else f"{len(names)} {into.kind.plural}"
        super().__init__(ctx, f"Merge {what} into “{into.name}”")
        self.merged = merged
        self.into = into

    @classmethod
    def execute(
        cls, ctx: AppContext, sources: Sequence[VocabularyEntry], into: VocabularyEntry
    ) -> MergeEntriesCommand:
        with ctx.db.transaction() as session:
            merged = directory.merge_entries(session, sources, into)
        ctx.publish(EVERYWHERE)
        return cls(ctx, merged, into)

    @property
    def people(self) -> int:
        return sum(m.people for m in self.merged)

    def _undo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            directory.unmerge_entries(session, self.merged)
        return EVERYWHERE

    def _redo(self) -> Changes:
        sources = [m.entry.as_entry() for m in self.merged]
        with self.ctx.db.transaction() as session:
            self.merged = directory.merge_entries(session, sources, self.into)
        return EVERYWHERE


class DeleteEntriesCommand(_Command):
    """Delete unused entries; undo brings them back with their ids."""

    def __init__(self, ctx: AppContext, deleted: list[directory.DeletedEntry]) -> None:
        names = [d.entry.name for d in deleted]
        kind = deleted[0].entry.kind
        what = f"{kind.value} “{names[0]}”" if len(names) == 1 else f"{len(names)} {kind.plural}"
        super().__init__(ctx, f"Delete {what}")
        self.deleted = deleted

    @classmethod
    def execute(cls, ctx: AppContext, entries: Sequence[VocabularyEntry]) -> DeleteEntriesCommand:
        with ctx.db.transaction() as session:
            deleted = directory.delete_entries(session, entries)
        ctx.publish(EVERYWHERE)
        return cls(ctx, deleted)

    def _undo(self) -> Changes:
        with self.ctx.db.transaction() as session:
            directory.restore_entries(session, self.deleted)
        return EVERYWHERE

    def _redo(self) -> Changes:
        entries = [d.entry.as_entry() for d in self.deleted]
        with self.ctx.db.transaction() as session:
            self.deleted = directory.delete_entries(session, entries)
        return EVERYWHERE
