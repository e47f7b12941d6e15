"""The register's entries: a need on its own, or needs staff grouped as one, ranked.

An entry is ranked by how many roundtables raised it, then by how many sectors
(those that may be named), then by its highest priority. Counts cover the
needs the filters select: a register for one series counts that series.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from roundtable_app.core.discussion import NeedStatus
from roundtable_app.core.discussion.attribution import DEFAULT_THRESHOLD
from roundtable_app.core.model import Priority
from roundtable_app.services.register.needs import (
    NO_THEME,
    PRIORITY_RANK,
    Need,
    RegisterFilter,
    list_needs,
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count:,} {word}s"


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the register: its needs, the one that speaks for them first."""

    needs: tuple[Need, ...]

    @property
    def key(self) -> str:
        """Stable across reloads: the group's id, or the need's."""
        first = self.needs[0]
        return f"g{first.group_id}" if first.group_id is not None else f"n{first.id}"

    @property
    def group_id(self) -> int | None:
        return self.needs[0].group_id

    @property
    def text(self) -> str:
        return self.needs[0].text

    @property
    def also(self) -> tuple[str, ...]:
        """How the other roundtables put it (each wording once)."""
        seen = {self.text.casefold()}
        others = []
        for need in self.needs[1:]:
            if need.text.casefold() not in seen:
                seen.add(need.text.casefold())
                others.append(need.text)
        return tuple(others)

    @property
    def themes(self) -> tuple[str, ...]:
        return tuple(sorted({t for n in self.needs for t in n.themes}, key=str.casefold))

    @property
    def priority(self) -> Priority | None:
        return min((n.priority for n in self.needs), key=lambda p: PRIORITY_RANK[p])

    @property
    def evidence_kinds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n.evidence_kind.label for n in self.needs if n.evidence_kind))

    @property
    def roundtable_count(self) -> int:
        return len({n.roundtable_id for n in self.needs})

    @property
    def sectors(self) -> tuple[str, ...]:
        """The sectors that raised it and may be named, most frequent first."""
        counts: dict[str, int] = defaultdict(int)
        for need in self.needs:
            for sector in need.sectors:
                counts[sector] += 1
        return tuple(sorted(counts, key=lambda s: (-counts[s], s.casefold())))

    @property
    def raised(self) -> str:
        """ "raised at 4 roundtables by 3 sectors: Academic research, Government, …"."""
        text = f"raised at {_plural(self.roundtable_count, 'roundtable')}"
        sectors = self.sectors
        others = any(n.others for n in self.needs)
        if not sectors:
            return text
        if others:
            return f"{text} by {', '.join(sectors)} and others"
        if len(sectors) == 1:
            return f"{text} by {sectors[0]}"
        return f"{text} by {len(sectors)} sectors: {', '.join(sectors)}"

    @property
    def status(self) -> NeedStatus:
        return self.needs[0].status

    @property
    def centre_owner(self) -> str:
        return self.needs[0].centre_owner

    @property
    def answer_reference(self) -> str:
        return self.needs[0].answer_reference

    @property
    def roundtables(self) -> tuple[tuple[str, dt.date | None], ...]:
        """Each roundtable that raised it (title, day held), earliest first."""
        seen: dict[int, tuple[str, dt.date | None]] = {}
        for need in self.needs:
            seen.setdefault(need.roundtable_id, (need.roundtable, need.held_on))
        return tuple(sorted(seen.values(), key=lambda r: (r[1] or dt.date.max, r[0])))

    @property
    def last_held(self) -> dt.date | None:
        days = [n.held_on for n in self.needs if n.held_on]
        return max(days) if days else None

    @property
    def rank_key(self) -> tuple[int, int, int, int, int]:
        # Ties by the first noted (not by the words, which are worked out when first read).
        return (
            -self.roundtable_count,
            -len(self.sectors),
            PRIORITY_RANK[self.priority],
            -len(self.needs),
            self.needs[0].id,
        )


def _speaker_first(needs: list[Need]) -> tuple[Need, ...]:
    return tuple(
        sorted(needs, key=lambda n: (PRIORITY_RANK[n.priority], n.held_on or dt.date.max, n.id))
    )


def entries_of(needs: Sequence[Need]) -> list[Entry]:
    """``needs`` as register entries (a group's needs together), ranked."""
    groups: dict[int, list[Need]] = defaultdict(list)
    entries = []
    for need in needs:
        if need.group_id is None:
            entries.append(Entry((need,)))
        else:
            groups[need.group_id].append(need)
    entries += [Entry(_speaker_first(members)) for members in groups.values()]
    entries.sort(key=lambda e: e.rank_key)
    return entries


@dataclass(frozen=True, slots=True)
class ThemeSection:
    theme: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class RegisterContent:
    """What every register output prints: entries ranked within each theme."""

    scope: str
    made_on: dt.date
    entries: tuple[Entry, ...]
    by_theme: tuple[ThemeSection, ...]

    @property
    def roundtable_count(self) -> int:
        return len({n.roundtable_id for e in self.entries for n in e.needs})

    @property
    def need_count(self) -> int:
        return sum(len(e.needs) for e in self.entries)

    @property
    def counts_text(self) -> str:
        return (
            f"{_plural(len(self.entries), 'evidence need')} from "
            f"{_plural(self.roundtable_count, 'roundtable')}"
            + (
                f" ({self.need_count:,} as noted, similar needs grouped)"
                if self.need_count != len(self.entries)
                else ""
            )
        )


def build_register(
    session: Session,
    criteria: RegisterFilter = RegisterFilter(),  # noqa: B008 - frozen, never changed
    *,
    threshold: int = DEFAULT_THRESHOLD,
    today: dt.date | None = None,
) -> RegisterContent:
    """The register the filter selects, as every output prints it."""
    entries = entries_of(list_needs(session, criteria, threshold=threshold))
    by_theme: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:  # ranked, so each theme's list is ranked too
        for theme in entry.themes or (NO_THEME,):
            if criteria.theme and theme.casefold() != criteria.theme.casefold():
                continue
            by_theme[theme].append(entry)
    order = sorted(by_theme, key=lambda t: (t == NO_THEME, t.casefold()))
    return RegisterContent(
        scope=criteria.describe(),
        made_on=today or dt.date.today(),
        entries=tuple(entries),
        by_theme=tuple(ThemeSection(t, tuple(by_theme[t])) for t in order),
    )
