"""The Roundtables page's lists: upcoming, past, drafts and cancelled, searchable."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from roundtable_app.core.model import Format, RoundtableStatus
from roundtable_app.services.roundtables.counts import InviteCounts, invite_counts
from roundtable_app.storage.base import utcnow
from roundtable_app.storage.models import Roundtable, Series


@dataclass(frozen=True, slots=True)
class RoundtableRow:
    """One line of the Roundtables page."""

    id: int
    title: str
    status: RoundtableStatus
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    time_zone: str
    format: Format
    venue: str
    series: str
    #: Invited (:func:`.counts.on_the_list`); -1 where not counted (``list_between``).
    invitees: int
    #: Of those, how many accepted and declined (0 where not counted).
    accepted: int = 0
    declined: int = 0

    @property
    def local_start(self) -> dt.datetime | None:
        """The start in the roundtable's own zone (what the page shows)."""
        return self.starts_at.astimezone(ZoneInfo(self.time_zone)) if self.starts_at else None


#: The escape character of every LIKE pattern built from what a user typed.
LIKE_ESCAPE = "\\"


def like_escaped(text: str) -> str:
    """``text`` with LIKE's wildcards (``%``, ``_``) and the escape itself taken literally.

    A search for "100%" finds "100% attendance", not every roundtable. Use with
    ``.like(pattern, escape=LIKE_ESCAPE)`` (the same on SQLite and PostgreSQL,
    where backslash would otherwise be the default escape on one and not the other).
    """
    return (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


class View(enum.StrEnum):
    """The Roundtables page's tabs."""

    ALL = "all"
    UPCOMING = "upcoming"
    PAST = "past"
    DRAFTS = "drafts"
    CANCELLED = "cancelled"


def list_roundtables(
    session: Session,
    view: View = View.ALL,
    search: str = "",
    *,
    now: dt.datetime | None = None,
    limit: int | None = None,
) -> list[RoundtableRow]:
    """The roundtables of one tab, soonest first (past: latest first), filtered by text.

    Upcoming: scheduled (or draft) and not yet ended; past: held, or ended and not
    cancelled; drafts: status draft; cancelled: status cancelled. ``search``
    matches the title, purpose, venue and series (any case). ``limit``: only the
    first so many (and only theirs are counted).
    """
    now = now or utcnow()
    query = select(Roundtable, Series.name).outerjoin(Series, Series.id == Roundtable.series_id)
    where = _view_filter(view, now)
    if where is not None:
        query = query.where(where)
    text = " ".join(search.split()).lower()
    if text:
        pattern = f"%{like_escaped(text)}%"
        query = query.where(
            or_(
                func.lower(Roundtable.title).like(pattern, escape=LIKE_ESCAPE),
                func.lower(Roundtable.purpose).like(pattern, escape=LIKE_ESCAPE),
                func.lower(Roundtable.venue).like(pattern, escape=LIKE_ESCAPE),
                func.lower(func.coalesce(Series.name, "")).like(pattern, escape=LIKE_ESCAPE),
            )
        )
    order = Roundtable.starts_at.desc() if view == View.PAST else Roundtable.starts_at.asc()
    query = query.order_by(order.nulls_last(), Roundtable.id)
    if limit is not None:
        query = query.limit(limit)
    found = session.execute(query).all()
    counts = invite_counts(session, [rt.id for rt, _ in found]) if found else {}
    nobody = InviteCounts()
    return [
        RoundtableRow(
            id=rt.id,
            title=rt.title,
            status=RoundtableStatus(rt.status),
            starts_at=rt.starts_at,
            ends_at=rt.ends_at,
            time_zone=rt.time_zone,
            format=Format(rt.format),
            venue=rt.venue,
            series=series or "",
            invitees=counts.get(rt.id, nobody).invited,
            accepted=counts.get(rt.id, nobody).accepted,
            declined=counts.get(rt.id, nobody).declined,
        )
        for rt, series in found
    ]


def _view_filter(view: View, now: dt.datetime) -> ColumnElement[bool] | None:
    """The condition of one tab (None: every roundtable)."""
    status = Roundtable.status
    ended = Roundtable.ends_at < now
    if view == View.UPCOMING:
        return and_(status.in_(("draft", "scheduled")), or_(Roundtable.ends_at.is_(None), ~ended))
    if view == View.PAST:
        return or_(status == "held", (status != "cancelled") & ended)
    if view == View.DRAFTS:
        return status == "draft"
    if view == View.CANCELLED:
        return status == "cancelled"
    return None


def views_holding(
    session: Session, roundtable_id: int, *, now: dt.datetime | None = None
) -> list[View]:
    """The tabs that list ``roundtable_id`` (in :class:`View` order; always ``ALL``).

    The page uses it to follow a roundtable the user just created, scheduled or
    moved out of the tab they are looking at.
    """
    now = now or utcnow()
    held: list[View] = []
    for view in View:
        query = select(Roundtable.id).where(Roundtable.id == roundtable_id)
        where = _view_filter(view, now)
        if where is not None:
            query = query.where(where)
        if session.scalar(query) is not None:
            held.append(view)
    return held


def list_between(
    session: Session, start: dt.datetime, end: dt.datetime, *, include_cancelled: bool = True
) -> list[RoundtableRow]:
    """Roundtables that overlap ``[start, end)``, for a month or week of the calendar view.

    One indexed range query (``ix_roundtable_starts_at``); no invitee counts
    (shown only on hover), so paging month to month stays instant at thousands
    of roundtables.
    """
    query = select(Roundtable, Series.name).outerjoin(Series, Series.id == Roundtable.series_id)
    # Roundtables last hours, not weeks: look back a day so one crossing midnight
    # into the range is still found, while the index still does the work.
    query = query.where(
        Roundtable.starts_at < end,
        Roundtable.starts_at >= start - dt.timedelta(days=1),
        Roundtable.ends_at > start,
    )
    if not include_cancelled:
        query = query.where(Roundtable.status != RoundtableStatus.CANCELLED.value)
    query = query.order_by(Roundtable.starts_at, Roundtable.id)
    return [
        RoundtableRow(
            id=rt.id,
            title=rt.title,
            status=RoundtableStatus(rt.status),
            starts_at=rt.starts_at,
            ends_at=rt.ends_at,
            time_zone=rt.time_zone,
            format=Format(rt.format),
            venue=rt.venue,
            series=series or "",
            invitees=-1,
        )
        for rt, series in session.execute(query)
    ]
