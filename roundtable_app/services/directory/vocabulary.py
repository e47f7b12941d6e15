"""Sectors, organisations and themes (interests): listing them, finding-or-creating by name.

Names are matched case-insensitively and kept in the spelling first used, so
"forced labour" typed in a dialog joins the existing "Forced labour" theme.
A name that matches nothing would create a new entry, so the front ends ask
first: :func:`closest_names` offers the existing names a typo was probably
meant to be, and :func:`list_vocabulary` says how many people use each entry.
Editing the vocabulary (rename, merge, delete) is in :mod:`.vocabulary_edits`.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, or_, select
from sqlalchemy.orm import Session

from roundtable_app.core.errors import NotFoundError, ValidationError
from roundtable_app.core.validation import check_text, clean_name
from roundtable_app.storage.contention import insert_missing
from roundtable_app.storage.models import (
    DiscussionNote,
    Invitation,
    Organisation,
    Roundtable,
    Sector,
    Theme,
    note_sector,
    note_theme,
    person_theme,
    roundtable_theme,
)
from roundtable_app.storage.models import Person as PersonModel

MAX_NAME = 200
CHUNK = 500  # ids per IN (...) clause


class VocabularyKind(enum.StrEnum):
    """The three lists of names that describe people."""

    SECTOR = "sector"
    INTEREST = "interest"
    ORGANISATION = "organisation"

    @property
    def plural(self) -> str:
        return f"{self.value}s"

    @property
    def label(self) -> str:
        """Capitalised, for headings and column titles ("Sector")."""
        return self.value.capitalize()


@dataclass(frozen=True, slots=True)
class VocabularyEntry:
    """One sector, interest or organisation and how much it is used."""

    kind: VocabularyKind
    id: int
    name: str
    #: How many people have it (as sector, interest or organisation).
    people: int = 0
    #: Other records that use it, as (what, how many): ("roundtables", 3).
    other_uses: tuple[tuple[str, int], ...] = ()
    #: Uses that prevent deleting it (people, roundtables, evidence needs, invitations).
    blocking_uses: int = 0

    @property
    def used(self) -> bool:
        return self.blocking_uses > 0

    def uses_text(self) -> str:
        """The other uses in words: "3 roundtables, 1 evidence need"."""
        return ", ".join(_count(n, what) for what, n in self.other_uses)

    def describe_uses(self) -> str:
        """Every use in words, people first: "2 people and 3 roundtables"."""
        parts = [_count(self.people, "people")] if self.people else []
        parts += [_count(n, what) for what, n in self.other_uses]
        if not parts:
            return "nobody"
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


_SINGULAR = {
    "people": "person",
    "roundtables": "roundtable",
    "evidence needs": "evidence need",
    "shared challenges": "shared challenge",
    "invitation records": "invitation record",
    "organisations": "organisation",
}


def _count(n: int, plural: str) -> str:
    return f"{n:,} {_SINGULAR.get(plural, plural) if n == 1 else plural}"


def new_names_text(kinds: Iterable[VocabularyKind]) -> str:
    """ "1 new sector, 2 new interests and 3 new organisations" for these kinds."""
    counts = {kind: 0 for kind in VocabularyKind}
    for kind in kinds:
        counts[kind] += 1
    parts = [
        f"{n:,} new {kind.value if n == 1 else kind.plural}" for kind, n in counts.items() if n
    ]
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else ""


def people_text(n: int) -> str:
    """``1 person``, ``3 people``."""
    return _count(n, "people")


# --- what points at an entry ------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """A column that points at an entry of one kind.

    A plain reference is a foreign key on the owning row (``person.sector_id``);
    a link is a row of a many-to-many table (``person_theme``). ``versioned``
    is the table whose version is raised when the reference changes, so that an
    editor opened before the change is refused instead of saving the old name back.
    """

    table: Table
    column: str
    #: The owning row's id: ``id`` for a plain reference, e.g. ``person_id`` for a link.
    owner: str
    #: What the owners are called, in the plural ("people").
    what: str
    link: bool = False
    #: False: deleting the entry just clears this reference (an organisation's usual sector).
    blocks_delete: bool = True
    versioned: Table | None = None


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


_PERSON = _table(PersonModel)
_ROUNDTABLE = _table(Roundtable)
_NOTE = _table(DiscussionNote)

REFERENCES: dict[VocabularyKind, tuple[Reference, ...]] = {
    VocabularyKind.SECTOR: (
        Reference(_PERSON, "sector_id", "id", "people", versioned=_PERSON),
        Reference(_table(Invitation), "sector_id", "id", "invitation records"),
        Reference(
            note_sector, "sector_id", "note_id", "discussion notes", link=True, versioned=_NOTE
        ),
        Reference(_table(Organisation), "sector_id", "id", "organisations", blocks_delete=False),
    ),
    VocabularyKind.INTEREST: (
        Reference(person_theme, "theme_id", "person_id", "people", link=True, versioned=_PERSON),
        Reference(
            roundtable_theme,
            "theme_id",
            "roundtable_id",
            "roundtables",
            link=True,
            versioned=_ROUNDTABLE,
        ),
        Reference(
            note_theme, "theme_id", "note_id", "discussion notes", link=True, versioned=_NOTE
        ),
    ),
    VocabularyKind.ORGANISATION: (
        Reference(_PERSON, "organisation_id", "id", "people", versioned=_PERSON),
    ),
}

MODELS: dict[VocabularyKind, Any] = {
    VocabularyKind.SECTOR: Sector,
    VocabularyKind.INTEREST: Theme,
    VocabularyKind.ORGANISATION: Organisation,
}


# --- reading ------------------------------------------------------------------------------


def checked_name(kind: str, name: str) -> str:
    """``name`` cleaned of extra spaces, or :class:`ValidationError` if blank or too long."""
    check_text(name, f"the {kind} name", "name")
    cleaned = clean_name(name)
    if not cleaned:
        article = "An" if kind[:1] in "aeiou" else "A"
        raise ValidationError(f"{article} {kind} needs a name.", field="name")
    if len(cleaned) > MAX_NAME:
        raise ValidationError(
            f"The {kind} name '{cleaned[:40]}…' is longer than {MAX_NAME} characters; shorten it.",
            field="name",
        )
    return cleaned


def theme_names(session: Session) -> list[str]:
    return list(session.scalars(select(Theme.name).order_by(func.lower(Theme.name))))


def sector_names(session: Session) -> list[str]:
    return list(session.scalars(select(Sector.name).order_by(Sector.sort_order, Sector.name)))


def organisation_names(session: Session) -> list[str]:
    return list(session.scalars(select(Organisation.name).order_by(func.lower(Organisation.name))))


def names(session: Session, kind: VocabularyKind) -> list[str]:
    """Every name of ``kind``, in the order pick lists show them."""
    if kind is VocabularyKind.SECTOR:
        return sector_names(session)
    if kind is VocabularyKind.INTEREST:
        return theme_names(session)
    return organisation_names(session)


def count_uses(
    session: Session, kind: VocabularyKind, entry_id: int | None = None
) -> list[dict[int, int]]:
    """For each reference of ``kind``: entry id -> how many rows point at it."""
    counts = []
    for ref in REFERENCES[kind]:
        column = ref.table.c[ref.column]
        query = select(column, func.count()).where(column.is_not(None)).group_by(column)
        if entry_id is not None:
            query = query.where(column == entry_id)
        counts.append({found: n for found, n in session.execute(query)})
    return counts


def _entry(
    kind: VocabularyKind, entry_id: int, name: str, uses: list[dict[int, int]]
) -> VocabularyEntry:
    refs = REFERENCES[kind]
    counts = [u.get(entry_id, 0) for u in uses]
    return VocabularyEntry(
        kind=kind,
        id=entry_id,
        name=name,
        people=counts[0],
        other_uses=tuple((r.what, n) for r, n in zip(refs[1:], counts[1:], strict=True) if n),
        blocking_uses=sum(n for r, n in zip(refs, counts, strict=True) if r.blocks_delete),
    )


def list_vocabulary(session: Session, kind: VocabularyKind) -> list[VocabularyEntry]:
    """Every entry of ``kind`` with how many people (and other records) use it, by name."""
    model = MODELS[kind]
    uses = count_uses(session, kind)
    query = select(model.id, model.name).order_by(func.lower(model.name), model.id)
    return [_entry(kind, entry_id, name, uses) for entry_id, name in session.execute(query)]


def vocabulary_text(kind: VocabularyKind, entries: Sequence[VocabularyEntry]) -> str:
    """The list as plain text (the command line): people, name, other uses, close names.

    An entry used by fewer people than a close name is marked, as it is likely
    a typo of it (organisations, thousands of them, are not compared).
    """
    if not entries:
        return f"No {kind.plural} yet."
    people = {e.name: e.people for e in entries}
    lines = [f"{'People':>6}  {kind.label}"]
    for entry in entries:
        line = f"{entry.people:>6,}  {entry.name}"
        if entry.other_uses:
            line += f"  (also {entry.uses_text()})"
        if not entry.used:
            line += "  (unused)"
        if kind is not VocabularyKind.ORGANISATION:
            close = closest_names(entry.name, people, limit=1, cutoff=0.8)
            if close and people[close[0]] > entry.people:
                line += f"  ← close to '{close[0]}'"
        lines.append(line)
    lines.append(f"{len(entries):,} {kind.plural if len(entries) != 1 else kind.value}.")
    return "\n".join(lines)


def get_entry(session: Session, kind: VocabularyKind, entry_id: int) -> VocabularyEntry:
    """The entry with this id, counted as :func:`list_vocabulary` counts it."""
    model = MODELS[kind]
    name = session.scalar(select(model.name).where(model.id == entry_id))
    if name is None:
        raise NotFoundError(
            f"That {kind.value} no longer exists; someone may have merged or deleted it. "
            "Refresh the list (F5) and try again."
        )
    return _entry(kind, entry_id, name, count_uses(session, kind, entry_id))


def find_entry(session: Session, kind: VocabularyKind, name: str) -> VocabularyEntry:
    """The entry called ``name`` (any case), or :class:`NotFoundError` naming close ones."""
    wanted = clean_name(name).lower()
    entries = list_vocabulary(session, kind)
    for entry in entries:
        if entry.name.lower() == wanted:
            return entry
    close = closest_names(name, [e.name for e in entries])
    hint = f" Did you mean {_quoted(close)}?" if close else ""
    raise NotFoundError(f"There is no {kind.value} called '{clean_name(name)}'.{hint}")


def _quoted(names: Sequence[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def closest_names(
    name: str, existing: Iterable[str], limit: int = 3, *, cutoff: float = 0.6
) -> list[str]:
    """The existing names that ``name`` was probably meant to be, best first.

    Catches typos ("Maritme labour") and run-together values ("GovernmentHome
    Office" holds "Government"); never ``name`` itself in another case. A
    higher ``cutoff`` (0 to 1) finds only nearer spellings.
    """
    key = clean_name(name).lower()
    if not key:
        return []
    by_key: dict[str, str] = {}
    for candidate in existing:
        by_key.setdefault(candidate.lower(), candidate)
    by_key.pop(key, None)
    similar = difflib.get_close_matches(key, list(by_key), n=limit, cutoff=cutoff)
    within = sorted(
        (k for k in by_key if len(k) >= 4 and (k in key or key in k)),
        key=lambda k: -difflib.SequenceMatcher(None, key, k).ratio(),
    )
    return [by_key[k] for k in dict.fromkeys([*similar, *within])][:limit]


def is_new(name: str | None, existing: Iterable[str]) -> bool:
    """True when ``name`` is given and matches none of ``existing`` in any case."""
    key = clean_name(name).lower()
    return bool(key) and key not in {e.lower() for e in existing}


# --- find or create -------------------------------------------------------------------------
#
# Someone else may create the same name at the same moment (another member of
# staff saving a person, an import). So a missing name is inserted with
# "insert unless it exists" and then read back: whoever came first, both get
# the same entry and neither gets an error. Where names differ only in case,
# the oldest entry (the first spelling) is the one used.


def create_missing(
    session: Session, kind: VocabularyKind, rows: Sequence[dict[str, Any]]
) -> dict[str, int]:
    """Insert entries of ``kind`` (``{"name": …}`` and other columns) unless they exist.

    The caller has already looked the names up in any case; a name created by
    someone else meanwhile is skipped, not an error. Returns ``{name: id}`` of
    the entries this call created.
    """
    return insert_missing(session, _table(MODELS[kind]), rows)


def _found(session: Session, model: Any, names: Iterable[str]) -> dict[str, Any]:
    """The stored entries called ``names`` (any case), by lower-case name; oldest first."""
    given = sorted(set(names))
    found: dict[str, Any] = {}
    for start in range(0, len(given), CHUNK):
        chunk = given[start : start + CHUNK]
        # SQLite's lower() folds only A-Z: "Центр" is found by its own spelling.
        lowered = {n.lower() for n in chunk}
        query = (
            select(model)
            .where(or_(func.lower(model.name).in_(lowered), model.name.in_(chunk)))
            .order_by(model.id)
        )
        for entry in session.scalars(query):
            found.setdefault(entry.name.lower(), entry)
    return found


#: What a blank or long name is called in the message (interests are "themes" there).
_NOUN = {
    VocabularyKind.SECTOR: "sector",
    VocabularyKind.INTEREST: "theme",
    VocabularyKind.ORGANISATION: "organisation",
}


def _find_or_create(session: Session, kind: VocabularyKind, name: str, **columns: Any) -> Any:
    cleaned = checked_name(_NOUN[kind], name)
    return _find_or_create_all(session, kind, [cleaned], **columns)[0]


def _find_or_create_all(
    session: Session, kind: VocabularyKind, cleaned: Sequence[str], **columns: Any
) -> list[Any]:
    model = MODELS[kind]
    found = _found(session, model, cleaned)
    missing: dict[str, str] = {}
    for name in cleaned:  # the first spelling given is the one kept
        if name.lower() not in found:
            missing.setdefault(name.lower(), name)
    if missing:
        if kind is VocabularyKind.SECTOR:
            last = session.scalar(select(func.max(Sector.sort_order))) or 0
            rows = [
                {"name": n, "sort_order": last + i, **columns}
                for i, n in enumerate(sorted(missing.values()), start=1)
            ]
        else:
            rows = [{"name": n, **columns} for n in missing.values()]
        create_missing(session, kind, rows)
        found.update(_found(session, model, missing.values()))
    return [found[n.lower()] for n in cleaned]


def theme(session: Session, name: str) -> Theme:
    """The theme called ``name`` (any case), created if it does not exist yet."""
    found: Theme = _find_or_create(session, VocabularyKind.INTEREST, name)
    return found


def themes(session: Session, names: Iterable[str]) -> list[Theme]:
    """The themes called ``names`` (any case), in order and once each, creating missing ones.

    Missing themes are created in one statement, in name order, so two saves
    creating the same themes at once never wait for each other in a circle.
    """
    cleaned = [checked_name("theme", n) for n in names]
    entries: list[Theme] = _find_or_create_all(session, VocabularyKind.INTEREST, cleaned)
    return list({entry.id: entry for entry in entries}.values())


def sector(session: Session, name: str) -> Sector:
    found: Sector = _find_or_create(session, VocabularyKind.SECTOR, name)
    return found


def organisation(session: Session, name: str, sector_id: int | None = None) -> Organisation:
    found: Organisation = _find_or_create(
        session, VocabularyKind.ORGANISATION, name, sector_id=sector_id
    )
    return found


def theme_names_of(session: Session, person_ids: Sequence[int]) -> list[str]:
    """The interests that at least one of ``person_ids`` has, by name."""
    found: set[str] = set()
    for start in range(0, len(person_ids), CHUNK):
        chunk = person_ids[start : start + CHUNK]
        found.update(
            session.scalars(
                select(Theme.name)
                .join(person_theme, person_theme.c.theme_id == Theme.id)
                .where(person_theme.c.person_id.in_(chunk))
                .distinct()
            )
        )
    return sorted(found, key=str.lower)
