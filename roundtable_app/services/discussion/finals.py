"""The final summaries, as they print: what a read-only team member may list, print and save.

Each final revision keeps its summary as it prints (:mod:`.printed`), never
the notes: names already removed, small sectors withheld, no participant list.
A read-only member's database role reads only that (a view of
``summary_revision`` without the notes; storage/roles), and these functions
read the same columns whoever runs them, so staff and read-only get the same
document. Revisions made final before the summaries were kept as printed get
theirs from :func:`fill_printed` (``roundtable-app team setup``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Subquery, func, select
from sqlalchemy.orm import Session

from roundtable_app.core.errors import NotFoundError
from roundtable_app.services.discussion.lifecycle import revision_notes
from roundtable_app.services.discussion.printed import printed_content, printed_json
from roundtable_app.services.discussion.summary import SummaryContent, build_summary
from roundtable_app.storage.models import Roundtable, SummaryRevision


@dataclass(frozen=True, slots=True)
class FinalSummary:
    """A roundtable's latest final summary, as the list shows it."""

    roundtable_id: int
    title: str
    starts_at: dt.datetime | None
    time_zone: str
    revision: int
    finalised_at: dt.datetime


def _latest() -> Subquery:
    return (
        select(
            SummaryRevision.roundtable_id,
            func.max(SummaryRevision.number).label("number"),
        )
        .where(SummaryRevision.printed.is_not(None))
        .group_by(SummaryRevision.roundtable_id)
        .subquery()
    )


def final_summaries(session: Session) -> list[FinalSummary]:
    """Every roundtable with a final summary, its latest final revision; newest first."""
    latest = _latest()
    rows = session.execute(
        select(
            Roundtable.id,
            Roundtable.title,
            Roundtable.starts_at,
            Roundtable.time_zone,
            SummaryRevision.number,
            SummaryRevision.finalised_at,
        )
        .join(SummaryRevision, SummaryRevision.roundtable_id == Roundtable.id)
        .join(
            latest,
            (latest.c.roundtable_id == SummaryRevision.roundtable_id)
            & (latest.c.number == SummaryRevision.number),
        )
        .order_by(Roundtable.starts_at.desc().nulls_last(), Roundtable.title, Roundtable.id)
    ).all()
    return [
        FinalSummary(rid, title, starts, zone or "Europe/London", number, finalised)
        for rid, title, starts, zone, number, finalised in rows
    ]


def final_summary(session: Session, roundtable_id: int) -> SummaryContent:
    """The latest final summary of ``roundtable_id``, as it prints (NotFoundError: none)."""
    stored = session.scalar(
        select(SummaryRevision.printed)
        .where(
            SummaryRevision.roundtable_id == roundtable_id,
            SummaryRevision.printed.is_not(None),
        )
        .order_by(SummaryRevision.number.desc())
        .limit(1)
    )
    if stored is None:
        title = session.scalar(select(Roundtable.title).where(Roundtable.id == roundtable_id))
        if title is None:
            raise NotFoundError(f"There is no roundtable {roundtable_id}.")
        raise NotFoundError(
            f"The summary of '{title}' has not been made final yet: only final summaries "
            "can be printed here."
        )
    try:
        return printed_content(stored)
    except (ValueError, KeyError, TypeError) as exc:
        raise NotFoundError(
            f"The final summary of roundtable {roundtable_id} was kept by a newer version of "
            "the app; update the app to print it."
        ) from exc


def fill_printed(session: Session) -> int:
    """Keep as printed every final revision that has no printed summary yet; how many.

    Each is printed from the notes it kept (as its summary printed when final).
    Run as staff or as the tables' owner, who may read the notes.
    """
    rows = session.scalars(select(SummaryRevision).where(SummaryRevision.printed.is_(None))).all()
    for revision in rows:
        notes = revision_notes(session, revision.roundtable_id, revision.number)
        content = build_summary(
            session, revision.roundtable_id, notes=notes, final_revision=revision.number
        )
        revision.printed = printed_json(content)
    session.flush()
    return len(rows)
