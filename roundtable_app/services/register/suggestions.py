"""Suggested groups: needs raised at different roundtables that read alike.

Suggestions are computed over the needs as the register prints them (names
removed), each confirmed group counting as one need (its leading wording) so
that a new need can be suggested to join it. A suggestion staff dismissed is
not offered again unless a new need joins it; dismissals are stored for the
whole team (and can be undone).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from roundtable_app.core.discussion.attribution import DEFAULT_THRESHOLD as FEWEST
from roundtable_app.core.progress import Progress
from roundtable_app.core.register import DEFAULT_THRESHOLD, Unit, similar_groups, warm_up
from roundtable_app.services import audit
from roundtable_app.services.register.entries import Entry, entries_of
from roundtable_app.services.register.needs import Need, RegisterFilter, list_needs
from roundtable_app.storage.models import DismissedSuggestion


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Entries (single needs, at most one confirmed group) that read alike."""

    entries: tuple[Entry, ...]
    likeness: float

    @property
    def needs(self) -> tuple[Need, ...]:
        return tuple(n for e in self.entries for n in e.needs)

    @property
    def note_ids(self) -> frozenset[int]:
        return frozenset(n.id for n in self.needs)

    @property
    def key(self) -> str:
        """Names the suggestion for dismissing it: its needs' ids."""
        return ",".join(str(i) for i in sorted(self.note_ids))

    @property
    def joins_group(self) -> int | None:
        return next((e.group_id for e in self.entries if e.group_id is not None), None)


def suggestions_from(
    needs: list[Need],
    *,
    dismissed: Collection[str] = (),
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Suggestion]:
    """The suggestions among ``needs`` (as :func:`list_needs` gives them)."""
    entries = entries_of(needs)
    units = [
        Unit(
            e.text,
            frozenset(n.roundtable_id for n in e.needs),
            e.group_id,
            frozenset(t.casefold() for t in e.themes),
        )
        for e in entries
    ]
    gone = [frozenset(int(i) for i in key.split(",") if i) for key in dismissed]
    found = []
    for indices, likeness in similar_groups(units, threshold):
        suggestion = Suggestion(tuple(entries[i] for i in indices), round(likeness, 3))
        if any(suggestion.note_ids <= d for d in gone):
            continue
        found.append(suggestion)
    return found


def dismissed_suggestions(session: Session) -> set[str]:
    """The keys of the suggestions staff dismissed."""
    return set(session.scalars(select(DismissedSuggestion.note_ids)))


def dismiss_suggestion(session: Session, key: str) -> bool:
    """Do not offer the suggestion ``key`` again; ``False`` if it was already dismissed."""
    if session.scalar(
        select(DismissedSuggestion.id).where(DismissedSuggestion.note_ids == key).limit(1)
    ):
        return False
    session.add(DismissedSuggestion(note_ids=key))
    session.flush()
    audit.record(session, "need_group", None, "suggestion dismissed", key)
    return True


def restore_suggestion(session: Session, key: str) -> None:
    """Undo :func:`dismiss_suggestion`: the suggestion may be offered again."""
    session.execute(delete(DismissedSuggestion).where(DismissedSuggestion.note_ids == key))
    audit.record(session, "need_group", None, "suggestion restored", key)


def suggest_groups(
    session: Session,
    *,
    dismissed: Collection[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    fewest: int = FEWEST,
    progress: Progress | None = None,
) -> list[Suggestion]:
    """Groups to suggest across every roundtable's needs, most alike first.

    ``dismissed`` defaults to the suggestions staff dismissed (stored).
    """
    if dismissed is None:
        dismissed = dismissed_suggestions(session)
    if progress is not None:
        progress.update(0, 2, "Reading the evidence needs")
    needs = list_needs(session, RegisterFilter(), threshold=fewest)
    if progress is not None:
        progress.update(1, 2, "Comparing them")
    return suggestions_from(needs, dismissed=dismissed, threshold=threshold)


def warm_up_suggestions() -> None:
    """Load what suggesting needs ahead of need (run it off the GUI thread)."""
    warm_up()
