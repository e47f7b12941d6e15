"""Bulk find-or-create of the sectors, organisations and themes an import names.

A handful of statements for 100,000 people instead of one per row, with the
same case-insensitive rules as ``services.directory.vocabulary``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roundtable_app.core.model import PersonData
from roundtable_app.services.directory import VocabularyKind, create_missing
from roundtable_app.storage.models import Organisation, Sector, Theme


class Vocabulary:
    """Bulk find-or-create of sectors, organisations and themes by name, any case.

    Same semantics as :mod:`roundtable_app.services.directory.vocabulary` (the first
    spelling is kept), but a handful of statements instead of one per row.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sectors = self._load(Sector)
        self.organisations = self._load(Organisation)
        self.themes = self._load(Theme)
        self._exact_sector: dict[str, int] = {}
        self._exact_org: dict[str, int] = {}
        self._exact_theme: dict[str, int] = {}
        self._theme_ids: dict[tuple[str, ...], tuple[int, ...]] = {}
        #: What this import created, per kind: (name, id), for the report.
        self.created: dict[VocabularyKind, list[tuple[str, int]]] = {k: [] for k in VocabularyKind}

    def _load(self, model: Any) -> dict[str, int]:
        known: dict[str, int] = {}
        # Oldest first: where two names differ only in case, the first spelling is used.
        for id_, name in self.session.execute(select(model.id, model.name).order_by(model.id)):
            known.setdefault(name.lower(), id_)
        return known

    def _create(
        self,
        kind: VocabularyKind,
        model: Any,
        known: dict[str, int],
        rows: list[dict[str, Any]],
    ) -> None:
        if not rows:
            return
        # Another import or a colleague may be creating some of these names right now:
        # they are inserted unless they exist (in name order, so nobody deadlocks), and
        # what someone else created meanwhile is read back instead of clashing.
        created = create_missing(self.session, kind, rows)
        for name, id_ in sorted(created.items(), key=lambda item: item[1]):
            self.created[kind].append((name, id_))
        if len(created) < len(rows):
            known.update(self._load(model))
        else:
            known.update((name.lower(), id_) for name, id_ in created.items())

    def ensure(self, people: Iterable[PersonData]) -> None:
        """Create every sector, organisation and theme these people name."""
        # Distinct spellings first (a few hundred), then case-folding: fast at 100,000 people.
        sector_names: set[str] = set()
        org_sectors: dict[str, str | None] = {}
        theme_names: set[str] = set()
        for data in people:
            if data.sector:
                sector_names.add(data.sector)
            if data.organisation and data.organisation not in org_sectors:
                org_sectors[data.organisation] = data.sector
            theme_names.update(data.interests)
        sectors: dict[str, str] = {}
        for name in sorted(sector_names):
            if name.lower() not in self.sectors:
                sectors.setdefault(name.lower(), name)
        if sectors:
            last = self.session.scalar(select(func.max(Sector.sort_order))) or 0
            rows = [
                {"name": name, "sort_order": last + i}
                for i, name in enumerate(sectors.values(), start=1)
            ]
            self._create(VocabularyKind.SECTOR, Sector, self.sectors, rows)
        orgs: dict[str, dict[str, Any]] = {}
        for name, sector in org_sectors.items():
            if name.lower() not in self.organisations and name.lower() not in orgs:
                orgs[name.lower()] = {"name": name, "sector_id": self.sector_id(sector)}
        self._create(
            VocabularyKind.ORGANISATION, Organisation, self.organisations, list(orgs.values())
        )
        themes: dict[str, dict[str, Any]] = {}
        for name in sorted(theme_names):
            if name.lower() not in self.themes:
                themes.setdefault(name.lower(), {"name": name})
        self._create(VocabularyKind.INTEREST, Theme, self.themes, list(themes.values()))
        # Exact spellings to ids, so the per-row lookups need no case folding.
        self._exact_sector = {n: self.sectors[n.lower()] for n in sector_names}
        self._exact_org = {n: self.organisations[n.lower()] for n in org_sectors}
        self._exact_theme = {n: self.themes[n.lower()] for n in theme_names}
        self._theme_ids.clear()

    def sector_id(self, name: str | None) -> int | None:
        if not name:
            return None
        found = self._exact_sector.get(name)
        return found if found is not None else self.sectors[name.lower()]

    def organisation_id(self, name: str | None) -> int | None:
        if not name:
            return None
        found = self._exact_org.get(name)
        return found if found is not None else self.organisations[name.lower()]

    def theme_ids(self, names: tuple[str, ...]) -> tuple[int, ...]:
        # The same few thousand interest lists come back row after row.
        found = self._theme_ids.get(names)
        if found is None:
            exact = self._exact_theme
            found = tuple(
                dict.fromkeys(exact[n] if n in exact else self.themes[n.lower()] for n in names)
            )
            self._theme_ids[names] = found
        return found
