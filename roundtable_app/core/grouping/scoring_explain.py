"""Why each table of a plan is as it is: shared interests, new pairings, sector mix, warnings.

Pure Python (split from :mod:`roundtable_app.core.grouping.scoring`, whose
:class:`Invitee` and :class:`Preferences` it reads). The grouping page shows
these per table; the printed plan and the CLI summary use them too. Warnings
are for staff: they never name a person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from roundtable_app.core.grouping.scoring import Invitee, Pair, Preferences, sector_cap


@dataclass(frozen=True, slots=True)
class TableExplanation:
    """Why a table was formed: what it shares, how new it is, its mix, its warnings."""

    number: int
    members: tuple[int, ...]
    shared_interests: tuple[tuple[str, int], ...]
    new_pairings: int
    repeat_pairings: int
    sector_mix: tuple[tuple[str, int], ...]
    lived_experience: int
    warnings: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def pairs(self) -> int:
        return self.size * (self.size - 1) // 2


@dataclass(frozen=True, slots=True)
class PlanExplanation:
    tables: tuple[TableExplanation, ...]

    @property
    def new_pairings(self) -> int:
        return sum(t.new_pairings for t in self.tables)

    @property
    def repeat_pairings(self) -> int:
        return sum(t.repeat_pairings for t in self.tables)

    @property
    def pairs(self) -> int:
        return sum(t.pairs for t in self.tables)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(f"Table {t.number}: {w}" for t in self.tables for w in t.warnings)


def _ranked(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0].lower())))


def _lived_experience_warnings(le: int, minimum: int, enough: bool) -> list[str]:
    """What a table's ``le`` lived-experience participants break of the chosen ``minimum``.

    With "at least 1" a participant alone at a table is what staff asked for;
    only "at least 2" (peers for each other) makes one of them "on their own".
    A table short of the minimum is warned only while the pool has ``enough``
    participants to give every table its minimum.
    """
    if minimum == 2 and le == 1:
        return ["one lived-experience participant on their own (at least 2 wanted)"]
    if minimum and le == 0 and enough:
        return ["no lived-experience participant"]
    return []


def explain(
    invitees: Sequence[Invitee],
    tables: Sequence[Sequence[int]],
    past_pairs: Mapping[Pair, int],
    preferences: Preferences | None = None,
) -> PlanExplanation:
    """Describe each table of a plan (``tables[t]`` lists invitee indices)."""
    p = preferences or Preferences()
    total_le = sum(inv.lived_experience for inv in invitees)
    enough_le = total_le >= p.lived_experience_min * len(tables)
    out: list[TableExplanation] = []
    for t, members in enumerate(tables):
        people = [invitees[i] for i in members]
        interests = Counter(x for inv in people for x in inv.interests)
        shared = Counter({x: c for x, c in interests.items() if c >= 2})
        repeat = sum(
            1
            for a, i in enumerate(members)
            for j in members[a + 1 :]
            if past_pairs.get((min(i, j), max(i, j)), 0) > 0
        )
        pairs = len(members) * (len(members) - 1) // 2
        sectors = Counter(inv.sector for inv in people if inv.sector)
        le = sum(inv.lived_experience for inv in people)
        warnings = _lived_experience_warnings(le, p.lived_experience_min, enough_le)
        for sector, c in _ranked(sectors):
            if c > sector_cap(p, len(members)):
                warnings.append(
                    f"{sector} holds {c} of {len(members)} seats (more than {p.sector_share:.0%})"
                )
        if p.one_per_organisation:
            orgs = Counter(inv.organisation for inv in people if inv.organisation)
            for org, c in _ranked(orgs):
                if c > 1:
                    warnings.append(f"{c} people from {org}")
        out.append(
            TableExplanation(
                number=t + 1,
                members=tuple(members),
                shared_interests=_ranked(shared),
                new_pairings=pairs - repeat,
                repeat_pairings=repeat,
                sector_mix=_ranked(sectors),
                lived_experience=le,
                warnings=tuple(warnings),
            )
        )
    return PlanExplanation(tables=tuple(out))
