"""The mix of sectors the centre aims for: a target share per sector, in whole percent.

Stored as a short JSON text (the app keeps it in its settings), read back
forgivingly: a damaged or empty text gives the defaults, so the page always
has a target to compare with.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

#: A starting point until staff set their own: every sector present, none dominant.
DEFAULT_TARGETS: dict[str, int] = {
    "Academic research": 20,
    "Civil society": 20,
    "Frontline practice": 15,
    "Government": 10,
    "Business": 10,
    "Lived experience": 10,
    "Law enforcement": 5,
    "Parliament": 5,
    "Funder": 5,
}


def parse_targets(text: str) -> dict[str, int]:
    """The targets stored as ``text`` (the defaults when it is empty or unreadable)."""
    try:
        value = json.loads(text) if text.strip() else None
    except ValueError:
        value = None
    if not isinstance(value, dict):
        return dict(DEFAULT_TARGETS)
    targets: dict[str, int] = {}
    for name, share in value.items():
        if isinstance(name, str) and isinstance(share, int | float) and 0 <= share <= 100:
            targets[name] = int(round(share))
    return targets or dict(DEFAULT_TARGETS)


def format_targets(targets: Mapping[str, int]) -> str:
    """``targets`` as text to store (only sectors with a share above 0)."""
    return json.dumps({name: int(share) for name, share in targets.items() if share > 0})


def targets_problem(targets: Mapping[str, int]) -> str | None:
    """Why these targets cannot be saved (they must add up to 100%), or None."""
    total = sum(targets.values())
    if total == 100:
        return None
    return (
        f"The shares add up to {total}%, not 100%: "
        f"{'lower' if total > 100 else 'raise'} some of them by {abs(total - 100)} points in all."
    )
