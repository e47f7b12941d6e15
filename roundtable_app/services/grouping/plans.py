"""Grouping invitees into tables: the pool, the plan, and storing it on a roundtable.

The pool comes from the database (a roundtable's invitees, or any list of
people from the directory); :func:`plan_groups` turns it into weights and hard
rules (:mod:`roundtable_app.core.grouping.scoring`) and runs the optimiser
(:mod:`roundtable_app.core.grouping`). Plans are plain data, so the grouping
page can show, edit and re-explain them without touching the database until
staff save (:func:`save_plan`). Functions take a ``Session`` and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Select, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from roundtable_app.core.errors import NotFoundError, ValidationError
from roundtable_app.core.grouping import solve
from roundtable_app.core.grouping.scoring import (
    Invitee,
    Preferences,
    build_weights,
    even_sizes,
    hard_rules,
    table_bounds,
)
from roundtable_app.core.grouping.scoring_explain import PlanExplanation, explain
from roundtable_app.core.model import Attendance, Response, RoundtableStatus
from roundtable_app.core.progress import Progress
from roundtable_app.services import audit
from roundtable_app.storage.base import utcnow
from roundtable_app.storage.models import (
    DiscussionTable,
    Invitation,
    Organisation,
    Person,
    Roundtable,
    Sector,
    Theme,
    person_theme,
)

CHUNK = 500  # ids per IN (...) clause: well under SQLite's parameter limit
ATTENDED = Attendance.ATTENDED.value


@dataclass(frozen=True)
class Pool:
    """The people to seat (``invitees[i].index == i``) and who already met whom.

    ``past_pairs[(i, j)]`` (``i < j``, indices) counts the earlier tables two
    invitees shared. ``roundtable_id`` is set when the pool is a roundtable's.
    """

    invitees: tuple[Invitee, ...]
    past_pairs: Mapping[tuple[int, int], int] = field(default_factory=dict)
    roundtable_id: int | None = None

    def __len__(self) -> int:
        return len(self.invitees)

    @cached_property
    def _index(self) -> dict[int, int]:
        return {inv.person_id: inv.index for inv in self.invitees}

    def index_of(self, person_id: int) -> int:
        try:
            return self._index[person_id]
        except KeyError:
            raise ValidationError(
                f"Person {person_id} is not in this pool of invitees.", "pool"
            ) from None


@dataclass(frozen=True)
class Plan:
    """Tables of person ids, why each table is as it is, and how the plan was found.

    ``invitees`` are the pool's (``explanation`` refers to them by index);
    ``score`` is the optimiser's objective, ``None`` for a plan loaded or
    edited by hand.
    """

    tables: tuple[tuple[int, ...], ...]
    invitees: tuple[Invitee, ...]
    explanation: PlanExplanation
    preferences: Preferences = field(default_factory=Preferences)
    roundtable_id: int | None = None
    score: float | None = None
    seed: int | None = None
    iterations: int = 0
    elapsed: float = 0.0
    stopped_early: bool = False

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(len(t) for t in self.tables)

    @property
    def people(self) -> int:
        return sum(self.sizes)


# --- loading a pool ----------------------------------------------------------------


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _invitees(session: Session, person_ids: Sequence[int]) -> tuple[Invitee, ...]:
    """The people as :class:`Invitee` records, indexed in the order of ``person_ids``."""
    rows: dict[int, tuple] = {}
    interests: dict[int, set[str]] = {}
    for chunk in _chunks(person_ids):
        query = (
            select(
                Person.id,
                Person.shown_name,
                Sector.name,
                Organisation.name,
                Person.lived_experience,
                Person.may_be_named,
            )
            .outerjoin(Sector, Sector.id == Person.sector_id)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(Person.id.in_(chunk))
        )
        rows.update((row[0], tuple(row)) for row in session.execute(query))
        themes = (
            select(person_theme.c.person_id, Theme.name)
            .join(Theme, Theme.id == person_theme.c.theme_id)
            .where(person_theme.c.person_id.in_(chunk))
        )
        for pid, name in session.execute(themes):
            interests.setdefault(pid, set()).add(name)
    missing = [pid for pid in person_ids if pid not in rows]
    if missing:
        raise NotFoundError(
            f"{len(missing)} of the people chosen no longer exist (deleted by someone else?); "
            "refresh the list and try again.",
            cli=f"{len(missing)} of the invitees were deleted from the directory meanwhile; "
            "run the command again.",
        )
    return tuple(
        Invitee(
            index=i,
            person_id=pid,
            name=rows[pid][1],
            sector=rows[pid][2],
            organisation=rows[pid][3],
            interests=frozenset(interests.get(pid, ())),
            lived_experience=bool(rows[pid][4]),
            may_be_named=bool(rows[pid][5]),
        )
        for i, pid in enumerate(person_ids)
    )


def _past_pairs(
    session: Session,
    invitees: Sequence[Invitee],
    exclude_roundtable: int | None,
    pool_query: Select[int | None] | None = None,
) -> dict[tuple[int, int], int]:
    """How many earlier tables each pair of invitees shared, counted in the database.

    Only tables of roundtables that took place count (held, or ended and not
    cancelled), and only seats people actually took: both recorded as attended
    (a no-show, apologies or attendance not recorded is no meeting).
    ``exclude_roundtable`` leaves out the roundtable being planned.
    With ``pool_query`` this is one set-based query; otherwise one per chunk of
    people, the other side filtered here.
    """
    index = {inv.person_id: inv.index for inv in invitees}
    a, b = aliased(Invitation), aliased(Invitation)
    held = or_(
        Roundtable.status == RoundtableStatus.HELD.value,
        and_(Roundtable.ends_at < utcnow(), Roundtable.status != RoundtableStatus.CANCELLED.value),
    )
    base = (
        select(a.person_id, b.person_id, func.count())
        .join(b, and_(b.table_id == a.table_id, a.person_id < b.person_id))
        .join(DiscussionTable, DiscussionTable.id == a.table_id)
        .join(Roundtable, Roundtable.id == DiscussionTable.roundtable_id)
        .where(held, a.attendance == ATTENDED, b.attendance == ATTENDED)
        .group_by(a.person_id, b.person_id)
    )
    if exclude_roundtable is not None:
        base = base.where(Roundtable.id != exclude_roundtable)
    if pool_query is not None:
        queries = [base.where(a.person_id.in_(pool_query), b.person_id.in_(pool_query))]
    else:
        ids = sorted(index)
        queries = [base.where(a.person_id.in_(chunk)) for chunk in _chunks(ids)]
    pairs: dict[tuple[int, int], int] = {}
    for query in queries:
        for pa, pb, count in session.execute(query):
            if pa in index and pb in index:
                i, j = sorted((index[pa], index[pb]))
                pairs[(i, j)] = int(count)
    return pairs


def load_pool(session: Session, roundtable_id: int) -> Pool:
    """A roundtable's invitees who have not declined or sent apologies, in person-id order."""
    if session.get(Roundtable, roundtable_id) is None:
        raise NotFoundError(f"There is no roundtable {roundtable_id}; check the number.")
    pool_query = select(Invitation.person_id).where(
        Invitation.roundtable_id == roundtable_id,
        Invitation.person_id.is_not(None),
        Invitation.response != Response.DECLINED.value,
        Invitation.attendance != Attendance.APOLOGIES.value,
    )
    person_ids = sorted(pid for pid in session.scalars(pool_query) if pid is not None)
    invitees = _invitees(session, person_ids)
    pairs = _past_pairs(session, invitees, roundtable_id, pool_query)
    return Pool(invitees=invitees, past_pairs=pairs, roundtable_id=roundtable_id)


def pool_from_people(session: Session, person_ids: Iterable[int]) -> Pool:
    """A pool of any people from the directory (e.g. a directory filter), in id order."""
    ids = sorted(set(person_ids))
    invitees = _invitees(session, ids)
    return Pool(invitees=invitees, past_pairs=_past_pairs(session, invitees, None))


# --- planning ------------------------------------------------------------------------


def explain_tables(
    pool: Pool, tables: Sequence[Sequence[int]], preferences: Preferences | None = None
) -> PlanExplanation:
    """Explain tables given as person ids (after a hand edit, say)."""
    index = {inv.person_id: inv.index for inv in pool.invitees}
    return explain(
        pool.invitees, [[index[p] for p in t] for t in tables], pool.past_pairs, preferences
    )


def plan_from_tables(
    pool: Pool, tables: Sequence[Sequence[int]], preferences: Preferences | None = None
) -> Plan:
    """A plan for tables given as person ids, explained, without a score."""
    prefs = preferences or Preferences()
    return Plan(
        tables=tuple(tuple(t) for t in tables),
        invitees=pool.invitees,
        explanation=explain_tables(pool, tables, prefs),
        preferences=prefs,
        roundtable_id=pool.roundtable_id,
    )


def _index_pairs(pool: Pool, pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(pool.index_of(a), pool.index_of(b)) for a, b in pairs]


def plan_groups(
    pool: Pool,
    *,
    tables: int | None = None,
    size: int | None = None,
    min_size: int | None = None,
    max_size: int | None = None,
    preferences: Preferences | None = None,
    seed: int = 1,
    time_limit: float = 10.0,
    max_iterations: int | None = None,
    locked: Mapping[int, int] | None = None,
    together: Iterable[tuple[int, int]] = (),
    apart: Iterable[tuple[int, int]] = (),
    progress: Progress | None = None,
) -> Plan:
    """Seat the pool at tables (sizes: :func:`~roundtable_app.core.grouping.scoring.table_bounds`).

    ``locked`` maps a person id to a table index (0-based) they must keep;
    ``together`` / ``apart`` are pairs of person ids. Raises
    :class:`ValidationError` (including ``InfeasibleRulesError``) when the
    sizes or rules cannot be met, before searching.
    """
    prefs = preferences or Preferences()
    n = len(pool)
    lower, upper = table_bounds(n, tables, size, min_size, max_size)
    k = len(lower)
    locked_idx = {pool.index_of(pid): t for pid, t in (locked or {}).items()}
    for t in locked_idx.values():
        if not 0 <= t < k:
            raise ValidationError(
                f"A person is locked to table {t + 1}, but there are only {k} tables.", "locked"
            )
    weights = build_weights(pool.invitees, pool.past_pairs, prefs)
    rules = hard_rules(pool.invitees, k, prefs, weights, locked_idx)
    weights = even_sizes(weights, lower, upper)
    result = solve(
        weights,
        lower,
        upper,
        time_limit=time_limit,
        seed=seed,
        max_iterations=max_iterations,
        together=_index_pairs(pool, together),
        apart=list(rules.apart) + _index_pairs(pool, apart),
        pinned=rules.pinned,
        share_limit=rules.share_limit,
        progress=progress,
        names=[inv.name for inv in pool.invitees],
        table_names=[f"Table {t + 1}" for t in range(k)],
    )
    seats: list[list[int]] = [[] for _ in range(k)]
    for inv, t in zip(pool.invitees, result.assignment, strict=True):
        seats[t].append(inv.index)
    return Plan(
        tables=tuple(tuple(pool.invitees[i].person_id for i in t) for t in seats),
        invitees=pool.invitees,
        explanation=explain(pool.invitees, seats, pool.past_pairs, prefs),
        preferences=prefs,
        roundtable_id=pool.roundtable_id,
        score=result.score,
        seed=seed,
        iterations=result.iterations,
        elapsed=result.elapsed,
        stopped_early=result.stopped_early,
    )


# --- storing -----------------------------------------------------------------------


def save_plan(session: Session, roundtable_id: int, plan: Plan) -> None:
    """Store the plan as the roundtable's tables 1..k and its invitees' seats.

    Existing table rows are reused by number (notes that point to a table keep
    pointing to it); tables beyond k are removed; invitees not in the plan are
    unseated. Every person in the plan must be invited to this roundtable.
    """
    roundtable = session.get(Roundtable, roundtable_id)
    if roundtable is None:
        raise NotFoundError(f"There is no roundtable {roundtable_id}; it may have been deleted.")
    seated = [pid for table in plan.tables for pid in table]
    if len(set(seated)) != len(seated):
        raise ValidationError("The plan seats someone at two tables; fix it and save again.")
    invited = set(
        session.scalars(
            select(Invitation.person_id).where(Invitation.roundtable_id == roundtable_id)
        )
    )
    strangers = [pid for pid in seated if pid not in invited]
    if strangers:
        raise ValidationError(
            f"{len(strangers)} people in the plan are not invited to “{roundtable.title}”; "
            "invite them first, then save the plan."
        )
    existing = {
        t.number: t
        for t in session.scalars(
            select(DiscussionTable).where(DiscussionTable.roundtable_id == roundtable_id)
        )
    }
    session.execute(
        update(Invitation).where(Invitation.roundtable_id == roundtable_id).values(table_id=None)
    )
    extra = [number for number in existing if number > len(plan.tables)]
    if extra:
        session.execute(
            delete(DiscussionTable).where(
                DiscussionTable.roundtable_id == roundtable_id,
                DiscussionTable.number.in_(extra),
            )
        )
    for number, members in enumerate(plan.tables, start=1):
        table = existing.get(number)
        if table is None:
            table = DiscussionTable(roundtable_id=roundtable_id, number=number)
            session.add(table)
        table.name = f"Table {number}"
        session.flush()
        for chunk in _chunks(list(members)):
            session.execute(
                update(Invitation)
                .where(Invitation.roundtable_id == roundtable_id, Invitation.person_id.in_(chunk))
                .values(table_id=table.id)
            )
    audit.record(
        session,
        "roundtable",
        roundtable_id,
        "seated",
        f"{len(plan.tables)} tables, {len(seated)} people",
    )


def load_saved_plan(
    session: Session, roundtable_id: int, preferences: Preferences | None = None
) -> Plan | None:
    """The roundtable's stored tables and seats as a plan, or ``None`` if it has no tables."""
    if session.get(Roundtable, roundtable_id) is None:
        raise NotFoundError(f"There is no roundtable {roundtable_id}; check the number.")
    numbers = session.execute(
        select(DiscussionTable.id, DiscussionTable.number)
        .where(DiscussionTable.roundtable_id == roundtable_id)
        .order_by(DiscussionTable.number)
    ).all()
    if not numbers:
        return None
    seats: dict[int, list[int]] = {tid: [] for tid, _ in numbers}
    query = (
        select(Invitation.table_id, Invitation.person_id)
        .where(
            Invitation.roundtable_id == roundtable_id,
            Invitation.table_id.is_not(None),
            Invitation.person_id.is_not(None),
        )
        .order_by(Invitation.person_id)
    )
    for tid, pid in session.execute(query):
        if tid is not None and pid is not None:  # (filtered above; this is for the types)
            seats[tid].append(pid)
    tables = [seats[tid] for tid, _ in numbers]
    invitees = _invitees(session, sorted(p for t in tables for p in t))
    pool = Pool(
        invitees=invitees,
        past_pairs=_past_pairs(session, invitees, roundtable_id),
        roundtable_id=roundtable_id,
    )
    return plan_from_tables(pool, tables, preferences)
