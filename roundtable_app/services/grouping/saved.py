"""A roundtable's saved seating: its plan with the locks and rules, loaded and saved as one.

The grouping page and ``roundtable-app group`` both start a new run from
:func:`load_arrangement` (the saved plan over the people now in the pool, with
the locks and rules that still apply to them) and seat people with
:func:`replan`; the page saves with :func:`save_arrangement`, which returns
what was stored before so the save can be undone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roundtable_app.core.grouping.scoring import Preferences, table_bounds
from roundtable_app.core.grouping.scoring_explain import PlanExplanation
from roundtable_app.core.progress import Progress
from roundtable_app.services.grouping.plans import (
    Plan,
    Pool,
    load_saved_plan,
    plan_from_tables,
    plan_groups,
    save_plan,
)
from roundtable_app.services.grouping.rules import SavedRules, load_rules, save_rules
from roundtable_app.storage.models.audit import AuditEntry

Pair = tuple[int, int]


@dataclass(frozen=True)
class Arrangement:
    """A plan (or none) with who is locked where they sit and the together / apart pairs."""

    plan: Plan | None = None
    rules: SavedRules = field(default_factory=SavedRules)
    saved_at: dt.datetime | None = None

    def locked_at(self, tables: int | None = None) -> dict[int, int]:
        """Each locked person's table index (0-based) in the plan, below ``tables`` if given."""
        if self.plan is None:
            return {}
        return {
            person: t
            for t, members in enumerate(self.plan.tables)
            for person in members
            if person in self.rules.locked and (tables is None or t < tables)
        }


def saved_plan_at(session: Session, roundtable_id: int) -> dt.datetime | None:
    """When the roundtable's table plan was last saved (UTC), from the audit log."""
    return session.scalar(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.entity == "roundtable",
            AuditEntry.entity_id == roundtable_id,
            AuditEntry.action == "seated",
        )
    )


def fit_to_pool(pool: Pool, saved: Plan) -> Plan | None:
    """The saved plan over the current pool (people since declined are left out)."""
    ids = {inv.person_id for inv in pool.invitees}
    tables = [[p for p in t if p in ids] for t in saved.tables]
    if not any(tables):
        return None
    return plan_from_tables(pool, tables, saved.preferences)


def fit_arrangement(pool: Pool, arrangement: Arrangement) -> Arrangement:
    """``arrangement`` over ``pool`` (e.g. after invitees were added or declined).

    The plan keeps the people still in the pool where they sat (newcomers are
    left unseated); a lock stays for someone still seated; a rule stays when
    both people are still in the pool.
    """
    plan = fit_to_pool(pool, arrangement.plan) if arrangement.plan else None
    rules = arrangement.rules
    present = {inv.person_id for inv in pool.invitees}
    seated = {p for members in plan.tables for p in members} if plan else set()

    def kept(pairs: tuple[Pair, ...]) -> tuple[Pair, ...]:
        return tuple(p for p in pairs if p[0] in present and p[1] in present)

    return Arrangement(
        plan=plan,
        rules=SavedRules(
            locked=frozenset(p for p in rules.locked if p in seated),
            together=kept(rules.together),
            apart=kept(rules.apart),
        ),
        saved_at=arrangement.saved_at,
    )


def load_arrangement(
    session: Session, roundtable_id: int, pool: Pool, preferences: Preferences | None = None
) -> Arrangement:
    """The roundtable's saved plan over ``pool`` with the locks and rules that still apply.

    See :func:`fit_arrangement`.
    """
    saved = load_saved_plan(session, roundtable_id, preferences)
    stored = Arrangement(saved, load_rules(session, roundtable_id))
    return replace(fit_arrangement(pool, stored), saved_at=saved_plan_at(session, roundtable_id))


def replan(
    pool: Pool, arrangement: Arrangement, *, progress: Progress | None = None, **options: Any
) -> Plan:
    """Seat ``pool`` again (``options`` as for :func:`plan_groups`), keeping the arrangement.

    Locked people keep the table they sit at in the arrangement's plan, as
    long as the new plan has that table; the together / apart rules apply.
    """
    lower, _upper = table_bounds(
        len(pool),
        options.get("tables"),
        options.get("size"),
        options.get("min_size"),
        options.get("max_size"),
    )
    return plan_groups(
        pool,
        locked=arrangement.locked_at(len(lower)),
        together=arrangement.rules.together,
        apart=arrangement.rules.apart,
        progress=progress,
        **options,
    )


def _no_tables() -> Plan:
    return Plan(tables=(), invitees=(), explanation=PlanExplanation(tables=()))


def save_arrangement(session: Session, roundtable_id: int, arrangement: Arrangement) -> Arrangement:
    """Store the plan (no plan: remove the tables) and its rules; return what was stored.

    Runs in the caller's transaction. Saving the returned arrangement undoes
    this save.
    """
    plan = arrangement.plan
    previous = Arrangement(
        plan=load_saved_plan(session, roundtable_id, plan.preferences if plan else None),
        rules=load_rules(session, roundtable_id),
    )
    save_plan(session, roundtable_id, plan if plan is not None else _no_tables())
    save_rules(session, roundtable_id, arrangement.rules)
    return previous
