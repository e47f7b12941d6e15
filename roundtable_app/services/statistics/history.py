"""Every roundtable that took place, and its invitations, read once into numpy arrays.

The Statistics page, the exports and ``roundtable-app stats`` all start from a
:class:`History`: two queries (the roundtables, then their invitations as
small integer codes) and a few numpy passes, so that any period or series is
then counted in milliseconds (:mod:`.figures`) instead of going back to the
database, and nothing loops in Python over the 100,000 invitations.

New connections are counted here, over the whole history, because "first
time" depends on everything before a roundtable, whatever period is shown: a
pair of people makes a new connection at the first roundtable where both are
recorded as attended and seated at the same table. Erased people (their
invitations keep the statistics but not who they were) make no connections,
since nobody can tell whom they met before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import chain
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import BigInteger, Executable, Integer, and_, case, cast, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql import ColumnElement

from roundtable_app.core.model import Attendance, Response, RoundtableStatus
from roundtable_app.core.time_zones import time_zone
from roundtable_app.storage.base import utcnow
from roundtable_app.storage.models import Invitation, Person, Roundtable, Sector, Series

#: Integer codes of the answers and attendance, as the arrays hold them.
RESPONSES: tuple[Response, ...] = tuple(Response)
ATTENDANCES: tuple[Attendance, ...] = tuple(Attendance)
ACCEPTED = RESPONSES.index(Response.ACCEPTED)
TENTATIVE = RESPONSES.index(Response.TENTATIVE)
DECLINED = RESPONSES.index(Response.DECLINED)
UNKNOWN = ATTENDANCES.index(Attendance.UNKNOWN)
ATTENDED = ATTENDANCES.index(Attendance.ATTENDED)
NO_SHOW = ATTENDANCES.index(Attendance.NO_SHOW)
APOLOGIES = ATTENDANCES.index(Attendance.APOLOGIES)
NO_SECTOR = "No sector"
assert len(RESPONSES) <= 4 and len(ATTENDANCES) <= 4  # two bits each in the packed codes
_SHIFT = 1 << 32

#: Column order of :attr:`History.invitations`.
COLUMNS = ("roundtable", "person", "sector", "response", "attendance", "walk_in", "lived", "org")


@dataclass(frozen=True, eq=False)
class History:
    """The roundtables that took place (in time order) and their invitations, as arrays.

    Roundtable arrays are indexed by position ``0..R-1`` in time order;
    invitation columns (see :data:`COLUMNS`) refer to that position, to
    :attr:`sectors` by index, and use -1 for "none" (an erased person, no
    organisation).
    """

    loaded_at: dt.datetime
    roundtable_ids: np.ndarray  # int64, R
    titles: tuple[str, ...]
    #: The day each roundtable took place, in its own time zone (NaT: no date).
    days: np.ndarray  # datetime64[D], R
    series: np.ndarray  # int64, R (-1: in no series)
    #: Every series by id (those without roundtables too), for the pickers.
    series_names: dict[int, str]
    #: Sector names by index; the last one is :data:`NO_SECTOR`.
    sectors: tuple[str, ...]
    #: Whether any attendance is recorded at each roundtable.
    recorded: np.ndarray  # bool, R
    roundtable: np.ndarray  # int32, N: position of the invitation's roundtable
    person: np.ndarray  # int64, N (-1: erased)
    sector: np.ndarray  # int16, N
    response: np.ndarray  # int8, N (index into RESPONSES)
    attendance: np.ndarray  # int8, N (index into ATTENDANCES)
    walk_in: np.ndarray  # bool, N
    lived: np.ndarray  # bool, N
    org: np.ndarray  # int64, N (-1: none, or erased)
    #: Pairs seated together (both attended) at each roundtable's tables.
    table_pairs: np.ndarray  # int64, R
    #: Of those, pairs who had never sat at a table together before.
    new_connections: np.ndarray  # int64, R

    @property
    def size(self) -> int:
        """How many roundtables took place."""
        return len(self.roundtable_ids)

    def position(self, roundtable_id: int) -> int | None:
        """Where ``roundtable_id`` is in the arrays (None: it has not taken place)."""
        found = np.flatnonzero(self.roundtable_ids == roundtable_id)
        return int(found[0]) if len(found) else None


def took_place(now: dt.datetime) -> ColumnElement[bool]:
    """SQL condition: held, or over and not cancelled (as grouping's "who has met" counts)."""
    over = func.coalesce(Roundtable.ends_at, Roundtable.starts_at) < now
    return or_(
        Roundtable.status == RoundtableStatus.HELD.value,
        and_(over, Roundtable.status != RoundtableStatus.CANCELLED.value),
    )


def _zone(name: str) -> ZoneInfo:
    return time_zone(name) or ZoneInfo("Europe/London")


def _code(column: InstrumentedAttribute[str], values: tuple[str, ...]) -> ColumnElement[int]:
    """SQL: the index of ``column``'s value in ``values`` (0 for anything else)."""
    whens: list[tuple[ColumnElement[bool], int]] = [
        (column == v, i) for i, v in enumerate(values) if i
    ]
    return case(*whens, else_=0)


def load_history(session: Session, now: dt.datetime | None = None) -> History:
    """Read every roundtable that took place by ``now`` and its invitations (not withdrawn)."""
    now = now or utcnow()
    held = took_place(now)
    rts = session.execute(
        select(
            Roundtable.id,
            Roundtable.title,
            Roundtable.starts_at,
            Roundtable.time_zone,
            Roundtable.series_id,
        )
        .where(held)
        .order_by(Roundtable.starts_at.is_not(None), Roundtable.starts_at, Roundtable.id)
    ).all()
    ids = np.array([r[0] for r in rts], dtype=np.int64)
    days = np.array(
        [
            np.datetime64(r[2].astimezone(_zone(r[3] or "")).date(), "D")
            if r[2] is not None
            else np.datetime64("NaT", "D")
            for r in rts
        ],
        dtype="datetime64[D]",
    )
    sector_rows = session.execute(
        select(Sector.id, Sector.name).order_by(Sector.sort_order, Sector.name)
    ).all()
    sectors = (*(name for _, name in sector_rows), NO_SECTOR)
    sector_index = {sid: i for i, (sid, _) in enumerate(sector_rows)}

    # Everything as integers packed three to a row: the driver's cost is per value
    # fetched, and 100,000 invitations of eight values each took most of a second.
    # Ids are 32-bit (the schema's Integer keys), so a roundtable and a person share
    # one 64-bit value; a sector and four small codes share another.
    query = select(
        cast(Invitation.roundtable_id, BigInteger) * _SHIFT
        + func.coalesce(Invitation.person_id, -1)
        + 1,
        func.coalesce(Invitation.table_id, -1),
        (func.coalesce(Invitation.sector_id, -1) + 1) * 64
        + _code(Invitation.response, tuple(r.value for r in RESPONSES))
        + 4 * _code(Invitation.attendance, tuple(a.value for a in ATTENDANCES))
        + 16 * cast(Invitation.walk_in, Integer)
        + 32 * cast(Invitation.lived_experience, Integer),
    ).where(Invitation.withdrawn_at.is_(None))
    raw = _int_rows(session, query, 3)
    # Only the roundtables that took place (kept here: joining in SQL visited each one
    # once per invitation).
    rt_ids = raw[:, 0] >> 32
    top = int(max(ids.max(initial=0), rt_ids.max(initial=0))) + 1
    position = np.full(top, -1, dtype=np.int64)
    position[ids] = np.arange(len(ids))
    keep = position[rt_ids] >= 0
    raw, rt_ids = raw[keep], rt_ids[keep]
    people = (raw[:, 0] & (_SHIFT - 1)) - 1
    table, codes = raw[:, 1], raw[:, 2]
    # Each person's organisation from its index alone (a join would visit every person).
    packed = _int_rows(
        session,
        select(cast(Person.id, BigInteger) * _SHIFT + Person.organisation_id).where(
            Person.organisation_id.is_not(None)
        ),
        1,
    )[:, 0]
    with_org, their_org = packed >> 32, packed & (_SHIFT - 1)
    size = int(max(people.max(initial=0), with_org.max(initial=0))) + 1
    org_of = np.full(size + 1, -1, dtype=np.int64)  # the last one: erased people (-1)
    org_of[with_org] = their_org
    org = org_of[np.where(people >= 0, people, size)]
    sector_of = np.full(max(sector_index, default=0) + 2, len(sectors) - 1, dtype=np.int16)
    for sid, i in sector_index.items():
        sector_of[sid] = i
    sector_ids = (codes >> 6) - 1
    sector = sector_of[np.where(sector_ids >= 0, sector_ids, len(sector_of) - 1)]
    rt = position[rt_ids].astype(np.int32)
    attendance = ((codes >> 2) & 3).astype(np.int8)
    recorded = np.bincount(rt[attendance != UNKNOWN], minlength=len(ids)) > 0
    pairs, new = _connections(rt, people, table, attendance == ATTENDED, len(ids))
    series_names = {int(i): n for i, n in session.execute(select(Series.id, Series.name))}
    return History(
        loaded_at=now,
        roundtable_ids=ids,
        titles=tuple(r[1] for r in rts),
        days=days,
        series=np.array([-1 if r[4] is None else r[4] for r in rts], dtype=np.int64),
        series_names=series_names,
        sectors=sectors,
        recorded=recorded,
        roundtable=rt,
        person=people,
        sector=sector,
        response=(codes & 3).astype(np.int8),
        attendance=attendance,
        walk_in=((codes >> 4) & 1).astype(bool),
        lived=((codes >> 5) & 1).astype(bool),
        org=org,
        table_pairs=pairs,
        new_connections=new,
    )


def _int_rows(session: Session, query: Executable, width: int) -> np.ndarray:
    """The integer rows of ``query`` as an (N, width) int64 array.

    Straight from the driver's tuples (every column is an integer in SQL, so there is
    nothing for SQLAlchemy to convert): ``np.array`` over result rows probed each row
    as a sequence-like object, which took seconds over 100,000 invitations, and
    wrapping the tuples in rows a third of a second more.
    """
    result = session.connection().execute(query)
    try:
        rows = result.cursor.fetchall() if result.cursor is not None else []
    finally:
        result.close()
    values = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows) * width)
    return values.reshape(-1, width)


def _connections(
    rt: np.ndarray, person: np.ndarray, table: np.ndarray, attended: np.ndarray, n_rt: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per roundtable: pairs seated at the same table, and how many of them met first there.

    The seated attendees are sorted by table, then person; the people ``k``
    places apart at the same table are ``k``-th neighbours, so all pairs come
    from a few whole-array comparisons (as many as the largest table has seats).
    A pair's first meeting is its earliest roundtable (positions are in time order).
    """
    seated = attended & (table >= 0) & (person >= 0)
    t, p, r = table[seated], person[seated], rt[seated].astype(np.int64)
    order = np.lexsort((p, t))
    t, p, r = t[order], p[order], r[order]
    firsts, seconds, where = [], [], []
    for k in range(1, len(t)):
        same = t[:-k] == t[k:]
        if not same.any():
            break
        firsts.append(p[:-k][same])
        seconds.append(p[k:][same])
        where.append(r[:-k][same])
    if not firsts:
        return np.zeros(n_rt, dtype=np.int64), np.zeros(n_rt, dtype=np.int64)
    a, b, at = np.concatenate(firsts), np.concatenate(seconds), np.concatenate(where)
    key = a * (int(person.max()) + 1) + b
    order = np.lexsort((at, key))
    key, at = key[order], at[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    pairs = np.bincount(at, minlength=n_rt).astype(np.int64)
    new = np.bincount(at[first], minlength=n_rt).astype(np.int64)
    return pairs, new
