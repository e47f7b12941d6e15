"""Which sectors, interests and organisations an import creates, and for how many people.

An import used to turn any value it met into vocabulary without a word: a
mistyped sector became a sector, a status column mapped as interests made
"Duplicate in file" an interest. :class:`NewNameCollector` notes, while
:func:`~.mapping.prepare` checks the rows, every name that matches no
existing entry (any case), so the preview can list them with how many
people each before anything is written. After the import,
:func:`created_names` says what was really created (a merged row keeps the
existing person's sector, so the preview may list one that is not needed).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roundtable_app.core.model import PersonData
from roundtable_app.services import directory
from roundtable_app.services.directory import (
    VocabularyKind,
    closest_names,
    new_names_text,
    people_text,
)
from roundtable_app.storage.models import Person, person_theme

SECTOR, INTEREST, ORGANISATION = (
    VocabularyKind.SECTOR,
    VocabularyKind.INTEREST,
    VocabularyKind.ORGANISATION,
)
IN_CHUNK = 500
#: Names shown per kind in a report line; the rest are counted.
SHOWN = 12


@dataclass(frozen=True, slots=True)
class KnownNames:
    """The names the directory has now, per kind (as the pick lists show them)."""

    names: dict[VocabularyKind, tuple[str, ...]] = field(default_factory=dict)

    def of(self, kind: VocabularyKind) -> tuple[str, ...]:
        return self.names.get(kind, ())


def find_known_names(session: Session) -> KnownNames:
    return KnownNames({kind: tuple(directory.names(session, kind)) for kind in VocabularyKind})


@dataclass(frozen=True, slots=True)
class NewName:
    """A name in the file that matches no existing entry of its kind."""

    kind: VocabularyKind
    name: str
    #: (row number, person) of each row that names it; a person repeated in the
    #: file (same e-mail) counts once.
    rows: tuple[tuple[int, str], ...]
    #: Existing names it is close to (a typo?); not computed for organisations.
    closest: tuple[str, ...] = ()

    def people(self, excluded: Collection[int] = frozenset()) -> int:
        """How many people of the rows not in ``excluded`` have it."""
        return len({person for row, person in self.rows if row not in excluded})


class NewNameCollector:
    """Notes the new names of each row as :func:`~.mapping.prepare` checks it."""

    def __init__(self, known: KnownNames) -> None:
        self._known_sectors = {n.lower() for n in known.of(SECTOR)}
        self._known_interests = {n.lower() for n in known.of(INTEREST)}
        self._known_organisations = {n.lower() for n in known.of(ORGANISATION)}
        self._existing = known
        self._new_interests: dict[tuple[str, ...], tuple[str, ...]] = {}
        #: kind -> lower-case name -> (spellings seen, rows)
        self._found: dict[VocabularyKind, dict[str, tuple[list[str], list[tuple[int, str]]]]] = {
            kind: {} for kind in VocabularyKind
        }

    def add(self, row_number: int, person: str, data: PersonData) -> None:
        # Runs once per row (100,000 times): the common case, nothing new, does
        # a few set lookups and nothing else.
        sector, organisation = data.sector, data.organisation
        seen = (row_number, person)
        if sector and sector.lower() not in self._known_sectors:
            self._note(SECTOR, sector, seen)
        if organisation and organisation.lower() not in self._known_organisations:
            self._note(ORGANISATION, organisation, seen)
        interests = data.interests
        if interests:
            # The same lists of interests recur row after row: each is sorted out once.
            new = self._new_interests.get(interests)
            if new is None:
                known = self._known_interests
                new = tuple(name for name in interests if name.lower() not in known)
                self._new_interests[interests] = new
            for name in new:
                self._note(INTEREST, name, seen)

    def _note(self, kind: VocabularyKind, name: str, seen: tuple[int, str]) -> None:
        found = self._found[kind]
        key = name.lower()
        entry = found.get(key)
        if entry is None:
            found[key] = ([name], [seen])
            return
        if name not in entry[0]:
            entry[0].append(name)
        entry[1].append(seen)

    def result(self) -> tuple[NewName, ...]:
        """Sectors, then interests, then organisations, each by name."""
        out: list[NewName] = []
        for kind in (SECTOR, INTEREST, ORGANISATION):
            existing = self._existing.of(kind)
            for spellings, rows in sorted(self._found[kind].values(), key=_first_lower):
                # The spelling the import writes: the first in the file for an
                # organisation, the first in sort order otherwise (see writing.Vocabulary).
                name = spellings[0] if kind is ORGANISATION else min(spellings)
                close = () if kind is ORGANISATION else tuple(closest_names(name, existing))
                out.append(NewName(kind, name, tuple(rows), close))
        return tuple(out)


def _first_lower(item: tuple[list[str], list[tuple[int, str]]]) -> str:
    return item[0][0].lower()


def summary_of_new(new: Sequence[NewName], excluded: Collection[int] = frozenset()) -> str:
    """ "1 new sector and 2 new interests", counting only names some included row has."""
    return new_names_text(item.kind for item in new if item.people(excluded))


# --- after the import ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CreatedName:
    """A sector, interest or organisation an import created, and how many people have it."""

    kind: VocabularyKind
    name: str
    people: int


def _people_column(kind: VocabularyKind) -> Any:
    """The column that says which entry of ``kind`` a person has."""
    if kind is SECTOR:
        return Person.sector_id
    if kind is ORGANISATION:
        return Person.organisation_id
    return person_theme.c.theme_id


def created_names(
    session: Session, created: dict[VocabularyKind, list[tuple[str, int]]]
) -> tuple[CreatedName, ...]:
    """What an import created (kind -> [(name, id)]), with how many people have each."""
    out: list[CreatedName] = []
    for kind in (SECTOR, INTEREST, ORGANISATION):
        pairs = created.get(kind, [])
        column = _people_column(kind)
        counts: dict[int, int] = {}
        ids = [entry_id for _, entry_id in pairs]
        if len(ids) > IN_CHUNK:
            # Many (a large import's organisations): one count of everyone beats
            # dozens of IN (...) queries on a table the planner has no statistics for yet.
            wanted = set(ids)
            everyone = select(column, func.count()).where(column.is_not(None)).group_by(column)
            counts.update((i, n) for i, n in session.execute(everyone) if i in wanted)
            ids = []
        for start in range(0, len(ids), IN_CHUNK):
            chunk = ids[start : start + IN_CHUNK]
            counts.update(
                session.execute(
                    select(column, func.count()).where(column.in_(chunk)).group_by(column)
                ).all()
            )
        out.extend(
            CreatedName(kind, name, counts.get(entry_id, 0))
            for name, entry_id in sorted(pairs, key=lambda p: p[0].lower())
        )
    return tuple(out)


def created_lines(created: Iterable[CreatedName]) -> list[str]:
    """The report's lines about new names, and how to fix a typo among them."""
    by_kind: dict[VocabularyKind, list[CreatedName]] = {}
    for item in created:
        by_kind.setdefault(item.kind, []).append(item)
    lines = []
    for kind in (SECTOR, INTEREST, ORGANISATION):
        items = by_kind.get(kind, [])
        if not items:
            continue
        shown = ", ".join(f"{c.name} ({people_text(c.people)})" for c in items[:SHOWN])
        more = f", and {len(items) - SHOWN:,} more" if len(items) > SHOWN else ""
        lines.append(f"New {kind.plural} created: {shown}{more}")
    if lines:
        lines.append(
            "If one of them is a typo, merge it into the right one: Edit > Vocabulary in the "
            "app, or roundtable-app vocabulary merge."
        )
    return lines
