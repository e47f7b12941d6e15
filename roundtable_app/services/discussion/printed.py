"""A summary as it prints, kept as JSON: what a final revision stores for read-only members.

:func:`printed_json` writes a :class:`SummaryContent` (the privacy rules already
applied: names removed, small sectors withheld, nothing attributed to a person)
and :func:`printed_content` reads it back. The participant list is never kept:
it is chosen for each copy by staff, from consents as they are when printing.
"""

from __future__ import annotations

import json
from typing import Any

from roundtable_app.core.discussion import SummaryState
from roundtable_app.services.discussion.summary import (
    Item,
    QuestionBlock,
    SectorCount,
    SummaryContent,
    ThemeBlock,
)

#: Bumped if the stored shape changes (a reader refuses a shape it does not know).
FORMAT = 1


def _item(item: Item) -> dict[str, Any]:
    return {"text": item.text, "attribution": item.attribution, "details": list(item.details)}


def _items(items: tuple[Item, ...]) -> list[dict[str, Any]]:
    return [_item(i) for i in items]


def printed_json(content: SummaryContent) -> str:
    """``content`` as stored, without the participant list."""
    data = {
        "format": FORMAT,
        "title": content.title,
        "date_text": content.date_text,
        "format_text": content.format_text,
        "venue": content.venue,
        "series": content.series,
        "themes": list(content.themes),
        "purpose": content.purpose,
        "questions": [
            {"number": q.number, "question": q.question, "needs": _items(q.needs)}
            for q in content.questions
        ],
        "took_part": content.took_part,
        "sectors": [{"sector": s.sector, "count": s.count} for s in content.sectors],
        "lived_experience": content.lived_experience,
        "new_connections": content.new_connections,
        "challenges": _items(content.challenges),
        "needs_by_theme": [
            {"theme": b.theme, "needs": _items(b.needs)} for b in content.needs_by_theme
        ],
        "actions": _items(content.actions),
        "points": _items(content.points),
        "state": content.state.value,
        "revision": content.revision,
        "threshold": content.threshold,
    }
    return json.dumps(data, ensure_ascii=False)


def _read_items(rows: list[dict[str, Any]]) -> tuple[Item, ...]:
    return tuple(Item(r["text"], r["attribution"], tuple(r["details"])) for r in rows)


def printed_content(stored: str) -> SummaryContent:
    """The summary :func:`printed_json` stored (ValueError if it is not one)."""
    data = json.loads(stored)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a stored summary of a format this version reads")
    return SummaryContent(
        title=data["title"],
        date_text=data["date_text"],
        format_text=data["format_text"],
        venue=data["venue"],
        series=data["series"],
        themes=tuple(data["themes"]),
        purpose=data["purpose"],
        questions=tuple(
            QuestionBlock(q["number"], q["question"], _read_items(q["needs"]))
            for q in data["questions"]
        ),
        took_part=data["took_part"],
        sectors=tuple(SectorCount(s["sector"], s["count"]) for s in data["sectors"]),
        lived_experience=data["lived_experience"],
        new_connections=data["new_connections"],
        participants=None,
        challenges=_read_items(data["challenges"]),
        needs_by_theme=tuple(
            ThemeBlock(b["theme"], _read_items(b["needs"])) for b in data["needs_by_theme"]
        ),
        actions=_read_items(data["actions"]),
        points=_read_items(data["points"]),
        state=SummaryState(data["state"]),
        revision=data["revision"],
        threshold=data["threshold"],
    )
