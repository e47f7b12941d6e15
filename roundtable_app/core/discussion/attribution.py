"""Who a note may be attributed to: sectors, and only sectors large enough to hide in.

Nothing in a discussion is attributed to a person. Even a sector can identify
someone: if one person from Government sat at Table 2, "raised by Government
at Table 2" names them. So a sector is named for what it raised only when at
least ``threshold`` people from it took part (at the table for a table's
notes; in the room for whole-room notes); otherwise the output says "raised at
Table 2" or "raised by a participant". A sector of people with lived
experience is never named, whatever its size: no output says who has lived
experience.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from roundtable_app.core.privacy import SMALLEST_SHOWN, reveals_lived_experience

#: The default of the "fewer than" setting: a group smaller than this is not named.
DEFAULT_THRESHOLD = SMALLEST_SHOWN


@dataclass(frozen=True, slots=True)
class Attribution:
    """What an output may say about who raised a note, and why some sectors are left out."""

    named: tuple[str, ...]
    withheld: tuple[str, ...]
    text: str

    @property
    def reason(self) -> str:
        """For the note-taker: why a sector they picked will not be printed ("" if none)."""
        if not self.withheld:
            return ""
        names = ", ".join(self.withheld)
        return (
            f"{names} will not be named in the summary: too few people from "
            f"{'it' if len(self.withheld) == 1 else 'them'} took part to stay anonymous."
        )


def _joined(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def attribute(
    sectors: Sequence[str],
    present: Mapping[str, int],
    *,
    place: str | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> Attribution:
    """How an output attributes a note raised by ``sectors``.

    ``present`` counts the people of each sector who took part where the note
    was made; ``place`` is that table's name ("Table 2"), or None for the
    whole room.
    """
    named = tuple(
        s for s in sectors if present.get(s, 0) >= threshold and not reveals_lived_experience(s)
    )
    withheld = tuple(s for s in sectors if s not in named)
    where = f" at {place}" if place else ""
    if not sectors:
        text = f"raised{where}" if place else ""
    elif not withheld:
        text = f"raised by {_joined(named)}{where}"
    elif named:
        others = "others" if place else "other participants"
        text = f"raised by {_joined(named)} and {others}{where}"
    else:
        text = f"raised{where}" if place else "raised by a participant"
    return Attribution(named, withheld, text)
