"""Undoable edits on the grouping page: optimisation runs, moves, locks, saving.

A plan lives on the page until staff save it, so most commands swap the page's
:class:`PlanState` (the pool, the plan, who is locked, the together / apart
rules) between a *before* and
an *after*: cheap, and exact. Saving writes to the database; its undo saves
the plan that was stored before (or removes the tables if there was none).

A command made for another pool than the one the page now shows cannot apply
any more: it reports why and marks itself obsolete, so the stack drops it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Changes
from roundtable_app.services import grouping as gs
from roundtable_app.ui.context import AppContext


@dataclass(frozen=True)
class PlanState:
    """What the grouping page shows: a pool, its plan (if any), the locked people and rules.

    ``together`` and ``apart`` are pairs of person ids (smaller id first), in the
    order staff added them; they belong to the pool and go when it changes.
    """

    pool: gs.Pool
    plan: gs.Plan | None = None
    locked: frozenset[int] = field(default_factory=frozenset)
    together: tuple[tuple[int, int], ...] = ()
    apart: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, pool: gs.Pool, arrangement: gs.Arrangement) -> PlanState:
        """The pool with a saved arrangement (its plan, locks and rules)."""
        rules = arrangement.rules
        return cls(pool, arrangement.plan, rules.locked, rules.together, rules.apart)

    def arrangement(self, *, keep_locked: bool = True) -> gs.Arrangement:
        """The plan with its locks (unless ``keep_locked`` is false) and rules, to run or save."""
        locked = self.locked if keep_locked else frozenset()
        return gs.Arrangement(self.plan, gs.SavedRules(locked, self.together, self.apart))


class PlanHost(Protocol):
    """The page that shows a :class:`PlanState` (the grouping page)."""

    ctx: AppContext

    def plan_state(self) -> PlanState | None: ...

    def show_state(self, state: PlanState) -> None: ...


def moved(plan: gs.Plan, pool: gs.Pool, person_ids: Sequence[int], table: int) -> gs.Plan:
    """``plan`` with ``person_ids`` moved to ``table`` (0-based) and re-explained."""
    moving = set(person_ids)
    tables = [[p for p in members if p not in moving] for members in plan.tables]
    tables[table].extend(p for p in person_ids if p not in tables[table])
    new = gs.plan_from_tables(pool, tables, plan.preferences)
    return replace(new, seed=plan.seed)


class PlanStateCommand(QUndoCommand):
    """Swap the page between two states of the same pool."""

    def __init__(self, host: PlanHost, before: PlanState, after: PlanState, text: str) -> None:
        super().__init__(text)
        self.host = host
        self.before = before
        self.after = after

    def _apply(self, state: PlanState, what: str) -> None:
        current = self.host.plan_state()
        if current is None or current.pool is not state.pool:
            self.setObsolete(True)
            self.host.ctx.report_error(
                f"Cannot {what} “{self.text()}”",
                "That plan was for another group of people than the one shown now. "
                "Choose that roundtable or filter again to work on it.",
            )
            return
        self.host.show_state(state)

    def redo(self) -> None:
        self._apply(self.after, "redo")

    def undo(self) -> None:
        self._apply(self.before, "undo")


class PlanCommand(PlanStateCommand):
    """An optimisation run (or a plan loaded from the roundtable) replacing the shown plan."""

    @classmethod
    def create(
        cls, host: PlanHost, before: PlanState, plan: gs.Plan, text: str, *, keep_locked: bool
    ) -> PlanCommand:
        """A fresh run clears the locks; a re-optimisation keeps them."""
        locked = before.locked & _people(plan) if keep_locked else frozenset()
        after = replace(before, plan=plan, locked=locked)
        return cls(host, before, after, text)


class MoveSeatCommand(PlanStateCommand):
    """Move people to another table by hand."""

    @classmethod
    def create(
        cls, host: PlanHost, before: PlanState, person_ids: Sequence[int], table: int
    ) -> MoveSeatCommand | None:
        plan = before.plan
        if plan is None or not 0 <= table < len(plan.tables):
            return None
        person_ids = [p for p in person_ids if p not in plan.tables[table]]
        if not person_ids:
            return None
        after = replace(before, plan=moved(plan, before.pool, person_ids, table))
        names = {inv.person_id: inv.name for inv in plan.invitees}
        who = names.get(person_ids[0], "person") if len(person_ids) == 1 else "people"
        if len(person_ids) > 1:
            who = f"{len(person_ids)} people"
        return cls(host, before, after, f"Move {who} to table {table + 1}")


class LockCommand(PlanStateCommand):
    """Lock people where they sit (re-optimising keeps them there), or unlock them."""

    @classmethod
    def create(
        cls, host: PlanHost, before: PlanState, person_ids: Sequence[int], lock: bool
    ) -> LockCommand | None:
        ids = frozenset(person_ids)
        locked = before.locked | ids if lock else before.locked - ids
        if locked == before.locked:
            return None
        verb = "Lock" if lock else "Unlock"
        noun = "1 person" if len(ids) == 1 else f"{len(ids)} people"
        return cls(host, before, replace(before, locked=locked), f"{verb} {noun}")


class RuleCommand(PlanStateCommand):
    """Add or remove "keep together" / "keep apart" rules (pairs of person ids)."""

    @classmethod
    def create(
        cls,
        host: PlanHost,
        before: PlanState,
        kind: str,
        pairs: Sequence[tuple[int, int]],
        add: bool,
    ) -> RuleCommand | None:
        """``kind`` is "together" or "apart"; None when nothing would change."""
        current: tuple[tuple[int, int], ...] = getattr(before, kind)
        wanted = [(min(a, b), max(a, b)) for a, b in pairs if a != b]
        if add:
            rules = current + tuple(dict.fromkeys(p for p in wanted if p not in current))
        else:
            rules = tuple(p for p in current if p not in wanted)
        if rules == current:
            return None
        names = {inv.person_id: inv.name for inv in before.pool.invitees}
        changed = len(set(rules) ^ set(current))
        if changed == 1:
            a, b = next(iter(set(rules) ^ set(current)))
            who = f"{names.get(a, 'person')} and {names.get(b, 'person')}"
        else:
            who = f"{changed} pairs"
        verb = f"Keep {who} {kind}" if add else f"Remove rule: {who} {kind}"
        after = (
            replace(before, together=rules) if kind == "together" else replace(before, apart=rules)
        )
        return cls(host, before, after, verb)


def _people(plan: gs.Plan) -> frozenset[int]:
    return frozenset(p for members in plan.tables for p in members)


class SavePlanCommand(QUndoCommand):
    """Store a plan (with its locks and rules) on its roundtable; undo stores what was there."""

    def __init__(
        self,
        ctx: AppContext,
        roundtable_id: int,
        saved: gs.Arrangement,
        previous: gs.Arrangement,
    ) -> None:
        count = len(saved.plan.tables) if saved.plan else 0
        super().__init__(f"Save table plan ({count} table{'s' if count != 1 else ''})")
        self.ctx = ctx
        self.roundtable_id = roundtable_id
        self.saved = saved
        self.previous = previous
        self._first_redo = True

    @classmethod
    def execute(
        cls, ctx: AppContext, roundtable_id: int, arrangement: gs.Arrangement
    ) -> SavePlanCommand:
        """Save the plan and its rules in one transaction (remembering the stored ones)."""
        with ctx.db.transaction() as session:
            previous = gs.save_arrangement(session, roundtable_id, arrangement)
        ctx.publish(Changes(roundtables=frozenset({roundtable_id})))
        return cls(ctx, roundtable_id, arrangement, previous)

    def _store(self, arrangement: gs.Arrangement, what: str) -> None:
        try:
            with self.ctx.db.transaction() as session:
                gs.save_arrangement(session, self.roundtable_id, arrangement)
        except RoundtableError as exc:
            self.setObsolete(True)
            self.ctx.report_error(f"Cannot {what} “{self.text()}”", str(exc))
        self.ctx.publish(Changes(roundtables=frozenset({self.roundtable_id})))

    def redo(self) -> None:
        if self._first_redo:  # execute() already saved
            self._first_redo = False
            return
        self._store(self.saved, "redo")

    def undo(self) -> None:
        self._store(self.previous, "undo")
