"""Renaming, merging and deleting sectors, interests and organisations, each undoable.

Every function works in the caller's session (it never commits) and returns
what undoing it needs. An entry is passed as the user saw it (id and name):
one renamed, merged or deleted by someone else meanwhile raises
:class:`ConflictError` instead of acting on something else. The entries are
locked first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite writes one
transaction at a time), so a person saved at the same moment with the old
entry waits, and is then refused by the database rather than silently cleared.
People and roundtables whose names change have their version raised, so an
editor opened before the change is refused instead of saving the old name back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from roundtable_app.core.errors import ConflictError, ValidationError
from roundtable_app.services import audit
from roundtable_app.services.directory.vocabulary import (
    MODELS,
    REFERENCES,
    VocabularyEntry,
    VocabularyKind,
    checked_name,
    count_uses,
    get_entry,
    people_text,
)
from roundtable_app.storage.base import utcnow
from roundtable_app.storage.models import Sector

CHUNK = 500  # ids per IN (...): well under SQLite's parameter limit


class NameTakenError(ValidationError):
    """A rename to a name another entry of the same kind already has (any case)."""

    def __init__(self, entry: VocabularyEntry, existing: VocabularyEntry) -> None:
        kind = entry.kind.value
        super().__init__(
            f"There is already a {kind} called '{existing.name}'. To make '{entry.name}' "
            f"part of it, merge '{entry.name}' into '{existing.name}' instead of renaming it.",
            field="name",
        )
        self.entry = entry
        self.existing = existing


@dataclass(frozen=True, slots=True)
class EntrySnapshot:
    """A stored entry as it was: enough to put it back with the same id."""

    kind: VocabularyKind
    id: int
    name: str
    #: Every column of its row (a sector's order, an organisation's usual sector).
    values: tuple[tuple[str, Any], ...]

    def as_entry(self) -> VocabularyEntry:
        return VocabularyEntry(self.kind, self.id, self.name)


@dataclass(frozen=True, slots=True)
class RenamedEntry:
    """What :func:`rename_entry` did; undo renames ``new_name`` back to ``old_name``."""

    kind: VocabularyKind
    id: int
    old_name: str
    new_name: str
    #: How many people now show the new name.
    people: int


@dataclass(frozen=True, slots=True)
class MergedEntry:
    """One entry merged into another, and which records moved (for undo)."""

    entry: EntrySnapshot
    into: VocabularyEntry
    #: Per reference of the kind (see ``REFERENCES``): ids of the rows now pointing at ``into``.
    moved: tuple[tuple[int, ...], ...]
    #: Per link reference: ids of the rows that already had ``into`` (their link was dropped).
    dropped: tuple[tuple[int, ...], ...]

    @property
    def people(self) -> int:
        """How many people had the merged entry."""
        return len(self.moved[0]) + len(self.dropped[0])


@dataclass(frozen=True, slots=True)
class DeletedEntry:
    """An unused entry that was deleted, and the optional references it cleared."""

    entry: EntrySnapshot
    #: Per reference: rows whose (non-blocking) reference was cleared, e.g. an
    #: organisation's usual sector.
    cleared: tuple[tuple[int, ...], ...]


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _table(kind: VocabularyKind) -> Table:
    table: Table = MODELS[kind].__table__
    return table


def _changed_meanwhile(entry: VocabularyEntry) -> ConflictError:
    return ConflictError(
        f"The {entry.kind.value} '{entry.name}' was renamed, merged or deleted by someone "
        "else after you opened the list. Refresh the list (F5) and try again."
    )


def _lock(session: Session, entries: Sequence[VocabularyEntry]) -> dict[int, EntrySnapshot]:
    """Lock the entries' rows and check each still has the name the user saw."""
    kind = entries[0].kind
    if any(e.kind is not kind for e in entries):
        raise ValueError("entries of different kinds")
    table = _table(kind)
    query = select(table).where(table.c.id.in_([e.id for e in entries])).with_for_update()
    rows = {
        row.id: EntrySnapshot(
            kind, row.id, row.name, tuple((str(k), v) for k, v in row._mapping.items())
        )
        for row in session.execute(query)
    }
    for entry in entries:
        found = rows.get(entry.id)
        if found is None or found.name != entry.name:
            raise _changed_meanwhile(entry)
    return rows


def _holder_of(session: Session, kind: VocabularyKind, name: str) -> VocabularyEntry | None:
    table = _table(kind)
    row = session.execute(
        select(table.c.id, table.c.name).where(func.lower(table.c.name) == name.lower())
    ).first()
    return VocabularyEntry(kind, row.id, row.name) if row else None


def _bump(session: Session, table: Table, ids: Iterable[int]) -> None:
    """Raise the version of these rows, so editors opened before the change are refused."""
    now = utcnow()
    for chunk in _chunks(sorted(set(ids))):
        session.execute(
            update(table)
            .where(table.c.id.in_(chunk))
            .values(version=table.c.version + 1, updated_at=now)
        )


def _owners(session: Session, table: Table, owner: str, column: str, entry_id: int) -> list[int]:
    return list(session.scalars(select(table.c[owner]).where(table.c[column] == entry_id)))


# --- rename --------------------------------------------------------------------------------


def rename_entry(session: Session, entry: VocabularyEntry, new_name: str) -> RenamedEntry:
    """Give ``entry`` a new name; everyone who has it shows the new name.

    A name that another entry already has (any case) raises
    :class:`NameTakenError`, which names it so the front end can offer a merge.
    """
    kind = entry.kind
    cleaned = checked_name(kind.value, new_name)
    _lock(session, [entry])
    if cleaned == entry.name:
        return RenamedEntry(kind, entry.id, entry.name, entry.name, 0)
    holder = _holder_of(session, kind, cleaned)
    if holder is not None and holder.id != entry.id:
        raise NameTakenError(entry, holder)
    table = _table(kind)
    session.execute(update(table).where(table.c.id == entry.id).values(name=cleaned))
    people = 0
    for i, ref in enumerate(REFERENCES[kind]):
        if ref.versioned is not None:
            owners = _owners(session, ref.table, ref.owner, ref.column, entry.id)
            _bump(session, ref.versioned, owners)
            if i == 0:
                people = len(owners)
    audit.record(session, kind.value, entry.id, "renamed", people_text(people))
    session.expire_all()
    return RenamedEntry(kind, entry.id, entry.name, cleaned, people)


def undo_rename(session: Session, renamed: RenamedEntry) -> RenamedEntry:
    """Undo :func:`rename_entry`: the entry gets its old name back."""
    return rename_entry(
        session, VocabularyEntry(renamed.kind, renamed.id, renamed.new_name), renamed.old_name
    )


# --- merge ----------------------------------------------------------------------------------


def merge_entries(
    session: Session, sources: Sequence[VocabularyEntry], into: VocabularyEntry
) -> list[MergedEntry]:
    """Merge each of ``sources`` into ``into``: their people (and roundtables,
    evidence needs, ...) move to ``into``, and the sources are deleted.

    Someone who had both keeps ``into`` once. All in the caller's transaction,
    so the whole merge is one step, undone by :func:`unmerge_entries`.
    """
    if not sources:
        return []
    if any(s.id == into.id for s in sources):
        raise ValidationError(
            f"The {into.kind.value} '{into.name}' cannot be merged into itself; "
            "choose another one to keep."
        )
    rows = _lock(session, [*sources, into])
    merged = [_merge_one(session, rows[source.id], into) for source in sources]
    session.expire_all()
    return merged


def _merge_one(session: Session, source: EntrySnapshot, into: VocabularyEntry) -> MergedEntry:
    kind = source.kind
    moved_all: list[tuple[int, ...]] = []
    dropped_all: list[tuple[int, ...]] = []
    for ref in REFERENCES[kind]:
        column, owner = ref.table.c[ref.column], ref.table.c[ref.owner]
        owners = _owners(session, ref.table, ref.owner, ref.column, source.id)
        had_both: set[int] = set()
        if ref.link and owners:
            for chunk in _chunks(owners):
                had_both.update(
                    session.scalars(select(owner).where(column == into.id, owner.in_(chunk)))
                )
            for chunk in _chunks(sorted(had_both)):
                session.execute(delete(ref.table).where(column == source.id, owner.in_(chunk)))
        if owners:
            session.execute(
                update(ref.table).where(column == source.id).values({ref.column: into.id})
            )
        if ref.versioned is not None:
            _bump(session, ref.versioned, owners)
        moved_all.append(tuple(sorted(set(owners) - had_both)))
        dropped_all.append(tuple(sorted(had_both)))
    table = _table(kind)
    session.execute(delete(table).where(table.c.id == source.id))
    merged = MergedEntry(source, into, tuple(moved_all), tuple(dropped_all))
    audit.record(
        session, kind.value, source.id, "merged", f"into #{into.id}; {people_text(merged.people)}"
    )
    return merged


def unmerge_entries(session: Session, merged: Sequence[MergedEntry]) -> None:
    """Undo :func:`merge_entries`: the merged entries come back, with exactly the
    records that had them (records changed since keep their change)."""
    for item in reversed(merged):
        kind, source = item.entry.kind, item.entry
        _lock(session, [item.into])
        _put_back(session, source)
        for ref, moved, dropped in zip(REFERENCES[kind], item.moved, item.dropped, strict=True):
            column, owner = ref.table.c[ref.column], ref.table.c[ref.owner]
            for chunk in _chunks(moved):
                session.execute(
                    update(ref.table)
                    .where(owner.in_(chunk), column == item.into.id)
                    .values({ref.column: source.id})
                )
            if dropped and ref.versioned is not None:
                alive: list[int] = []
                for chunk in _chunks(dropped):
                    alive.extend(
                        session.scalars(
                            select(ref.versioned.c.id).where(ref.versioned.c.id.in_(chunk))
                        )
                    )
                if alive:
                    session.execute(
                        insert(ref.table), [{ref.owner: o, ref.column: source.id} for o in alive]
                    )
            if ref.versioned is not None:
                _bump(session, ref.versioned, [*moved, *dropped])
        audit.record(session, kind.value, source.id, "unmerged", f"from #{item.into.id}")
    session.expire_all()


def _put_back(session: Session, entry: EntrySnapshot) -> None:
    """Insert a deleted or merged entry again, with its own id, or refuse if its name is taken."""
    holder = _holder_of(session, entry.kind, entry.name)
    if holder is not None:
        raise ConflictError(
            f"A {entry.kind.value} called '{holder.name}' was created meanwhile, so "
            f"'{entry.name}' cannot come back. Rename or merge that one first."
        )
    values = dict(entry.values)
    if values.get("sector_id") is not None and session.get(Sector, values["sector_id"]) is None:
        values["sector_id"] = None  # an organisation's usual sector, deleted meanwhile
    session.execute(insert(_table(entry.kind)).values(values))


# --- delete ---------------------------------------------------------------------------------


def delete_entries(session: Session, entries: Sequence[VocabularyEntry]) -> list[DeletedEntry]:
    """Delete entries that nobody uses; an entry in use is refused with what to do instead."""
    if not entries:
        return []
    rows = _lock(session, entries)
    deleted = []
    for entry in entries:
        kind = entry.kind
        uses = count_uses(session, kind, entry.id)
        refs = REFERENCES[kind]
        if any(u.get(entry.id) for r, u in zip(refs, uses, strict=True) if r.blocks_delete):
            now = get_entry(session, kind, entry.id)
            raise ValidationError(
                f"The {kind.value} '{entry.name}' is used by {now.describe_uses()}, so it "
                f"cannot be deleted. Merge it into another {kind.value} instead."
            )
        cleared: list[tuple[int, ...]] = []
        for ref in refs:
            owners = _owners(session, ref.table, ref.owner, ref.column, entry.id)
            if owners:
                session.execute(
                    update(ref.table)
                    .where(ref.table.c[ref.column] == entry.id)
                    .values({ref.column: None})
                )
            cleared.append(tuple(owners))
        table = _table(kind)
        session.execute(delete(table).where(table.c.id == entry.id))
        audit.record(session, kind.value, entry.id, "deleted")
        deleted.append(DeletedEntry(rows[entry.id], tuple(cleared)))
    session.expire_all()
    return deleted


def restore_entries(session: Session, deleted: Sequence[DeletedEntry]) -> None:
    """Undo :func:`delete_entries`: the entries come back with their ids."""
    for item in deleted:
        entry = item.entry
        _put_back(session, entry)
        for ref, owners in zip(REFERENCES[entry.kind], item.cleared, strict=True):
            column, owner = ref.table.c[ref.column], ref.table.c[ref.owner]
            for chunk in _chunks(owners):
                session.execute(
                    update(ref.table)
                    .where(owner.in_(chunk), column.is_(None))
                    .values({ref.column: entry.id})
                )
        audit.record(session, entry.kind.value, entry.id, "restored")
    session.expire_all()
