"""Split people into tables so that pairs at the same table score highest.

This is the Maximally Diverse Grouping Problem: given a symmetric pairwise
weight matrix ``w`` and per-table size bounds, maximise the sum of ``w[i, j]``
over pairs ``i < j`` seated at the same table, subject to hard rules (keep
together, keep apart, pin to a table, and an optional share limit such as
"no sector above 40 % of a table"). The scoring (how ``w`` is built from
interests, history and sectors) lives elsewhere; this package only searches.

Public API:

* :func:`solve` – the optimiser (iterated tabu search, :mod:`.search`, for
  dense positive weights; iterated local search, :mod:`.local`, for large
  pools and the app's centred, mostly negative weights);
* :func:`random_greedy_baseline` – a random feasible plan improved greedily,
  for comparison figures;
* :func:`plan_score` – the score of any plan;
* :func:`read_mdgplib` – loader for the MDGPLIB benchmark files;
* :class:`GroupingResult`, :class:`InfeasibleRulesError`, :class:`RuleConflict`,
  :class:`ShareLimit`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from roundtable_app.core.grouping.baseline import greedy_descent
from roundtable_app.core.grouping.construct import construct
from roundtable_app.core.grouping.local import large_search, prefers_local_search
from roundtable_app.core.grouping.mdgplib import read_mdgplib
from roundtable_app.core.grouping.rules import (
    InfeasibleRulesError,
    Problem,
    RuleConflict,
    prepare,
)
from roundtable_app.core.grouping.search import iterated_tabu_search
from roundtable_app.core.grouping.share import ShareLimit
from roundtable_app.core.grouping.state import SearchOutcome, State
from roundtable_app.core.progress import Progress

__all__ = [
    "GroupingResult",
    "InfeasibleRulesError",
    "RuleConflict",
    "ShareLimit",
    "plan_score",
    "random_greedy_baseline",
    "read_mdgplib",
    "solve",
]


@dataclass(frozen=True)
class GroupingResult:
    """A plan and how it was found.

    ``assignment[i]`` is the table index (0-based, ``< len(lower)``) of person
    ``i``. ``score`` is the sum of ``w[i, j]`` over pairs ``i < j`` at the same
    table (each pair counted once). ``stop_reason`` is ``"iterations"`` (cap
    reached), ``"time"`` (time limit), ``"stopped"`` (the user asked to stop
    early; ``stopped_early`` is then true) or ``"exhausted"`` (nothing can move).
    """

    assignment: tuple[int, ...]
    score: float
    iterations: int
    elapsed: float
    stopped_early: bool
    stop_reason: str = "time"
    best_iteration: int = 0
    seed: int = 0

    def tables(self, n_tables: int | None = None) -> list[list[int]]:
        """The people at each table, in index order."""
        count = n_tables if n_tables is not None else max(self.assignment, default=-1) + 1
        out: list[list[int]] = [[] for _ in range(count)]
        for person, table in enumerate(self.assignment):
            out[table].append(person)
        return out


def plan_score(weights: np.ndarray, assignment: Sequence[int]) -> float:
    """Sum of ``weights[i, j]`` over pairs ``i < j`` with the same table."""
    w = np.asarray(weights, dtype=np.float64)
    g = np.asarray(assignment, dtype=np.int64)
    total: list[float] = []
    for t in np.unique(g):
        mem = np.flatnonzero(g == t)
        if len(mem) > 1:
            total.extend(np.triu(w[np.ix_(mem, mem)], 1).sum(axis=0).tolist())
    return math.fsum(total)


def solve(
    weights: np.ndarray,
    lower: Sequence[int],
    upper: Sequence[int],
    *,
    time_limit: float,
    seed: int,
    max_iterations: int | None = None,
    together: Iterable[Sequence[int]] = (),
    apart: Iterable[Sequence[int]] = (),
    pinned: Mapping[int, int] | None = None,
    progress: Progress | None = None,
    names: Sequence[str] | None = None,
    table_names: Sequence[str] | None = None,
    share_limit: ShareLimit | None = None,
) -> GroupingResult:
    """Seat ``n`` people at ``len(lower)`` tables, maximising the same-table weight.

    ``weights`` is a symmetric n x n matrix (diagonal ignored); table ``t``
    seats between ``lower[t]`` and ``upper[t]`` people. ``together`` and
    ``apart`` are pairs of person indices; ``pinned`` maps a person to a
    table. ``share_limit`` caps the seats one category (a sector) may hold
    at each table, as a share of the table's size (see :class:`ShareLimit`).
    ``names`` / ``table_names`` only make conflict messages readable.

    The rules are checked before searching: a proven conflict raises
    :class:`InfeasibleRulesError` (a ``ValidationError``) naming the rules.
    The returned plan always meets every size bound and hard rule.

    The search stops at ``max_iterations`` (when given), after ``time_limit``
    seconds, or when ``progress.stop_early()`` is called, and returns the best
    plan so far. ``progress.cancel()`` makes it raise ``Cancelled``. With the
    same inputs, ``seed`` and ``max_iterations`` (and a time limit that is
    not reached) the plan is the same on every run and machine.
    """
    clock_start = time.perf_counter()
    if progress is not None:
        progress.update(0, 1000, "Checking the seating rules")
    problem = prepare(
        weights, lower, upper, together, apart, pinned, names, table_names, share_limit
    )
    rng = np.random.default_rng(seed)
    start = construct(problem, rng)
    if max_iterations is not None and max_iterations < 0:
        raise ValueError("max_iterations must not be negative")
    outcome = _search(problem, start, rng, float(time_limit), max_iterations, progress, clock_start)
    result = _result(problem, weights, outcome.groups, seed, clock_start)
    if progress is not None:
        progress.update(1000, 1000, f"Best plan scores {result.score:,.1f}")
    return GroupingResult(
        assignment=result.assignment,
        score=result.score,
        iterations=outcome.iterations,
        elapsed=time.perf_counter() - clock_start,
        stopped_early=outcome.stop_reason == "stopped",
        stop_reason=outcome.stop_reason,
        best_iteration=outcome.best_iteration,
        seed=seed,
    )


def _search(
    problem: Problem,
    start: np.ndarray,
    rng: np.random.Generator,
    time_limit: float,
    max_iterations: int | None,
    progress: Progress | None,
    clock_start: float,
) -> SearchOutcome:
    """Improve ``start`` with the search that suits the pool (see the module docstring)."""
    state = State(problem, start)
    if problem.n_tables < 2 or not state.movable.any():
        return SearchOutcome(state.g.copy(), state.score, 0, 0, "exhausted")  # nothing can move
    if not state.full or prefers_local_search(problem):
        deadline = clock_start + time_limit
        return large_search(state, rng, deadline, max_iterations, progress, clock_start, time_limit)
    return iterated_tabu_search(
        state,
        rng,
        time_limit=time_limit,
        max_iterations=max_iterations,
        progress=progress,
        clock_start=clock_start,
    )


def random_greedy_baseline(
    weights: np.ndarray,
    lower: Sequence[int],
    upper: Sequence[int],
    seed: int,
    *,
    together: Iterable[Sequence[int]] = (),
    apart: Iterable[Sequence[int]] = (),
    pinned: Mapping[int, int] | None = None,
    share_limit: ShareLimit | None = None,
) -> GroupingResult:
    """A random feasible plan, improved by greedy moves and swaps to a local optimum.

    The yardstick for "how much better than the obvious approach": people are
    visited in random order and each takes its best improving move or swap,
    until a full pass changes nothing. ``iterations`` counts the steps taken.
    """
    clock_start = time.perf_counter()
    problem = prepare(weights, lower, upper, together, apart, pinned, share_limit=share_limit)
    rng = np.random.default_rng(seed)
    state = State(problem, construct(problem, rng))
    # Shuffle the constructed plan so the start is random, not size-ordered.
    for _ in range(3 * problem.n_nodes):
        if not state.random_step(rng):
            break
    state.set(state.g)
    steps = greedy_descent(state, rng)
    result = _result(problem, weights, state.g, seed, clock_start)
    return GroupingResult(
        assignment=result.assignment,
        score=result.score,
        iterations=steps,
        elapsed=time.perf_counter() - clock_start,
        stopped_early=False,
        stop_reason="local optimum",
        seed=seed,
    )


def _result(
    problem: Problem, weights: np.ndarray, groups: np.ndarray, seed: int, clock_start: float
) -> GroupingResult:
    assignment = problem.expand(groups)
    return GroupingResult(
        assignment=assignment,
        score=plan_score(weights, assignment),
        iterations=0,
        elapsed=time.perf_counter() - clock_start,
        stopped_early=False,
        seed=seed,
    )
