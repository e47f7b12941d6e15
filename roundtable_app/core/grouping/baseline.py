"""The yardstick: a random feasible plan improved greedily to a local optimum.

:func:`greedy_descent` is what "the obvious approach" reaches; the figures
compare the optimiser against it (``random_greedy_baseline`` in the package).
"""

from __future__ import annotations

import time

import numpy as np

from roundtable_app.core.grouping.state import NEVER_TABU, State


def greedy_descent(state: State, rng: np.random.Generator, deadline: float = float("inf")) -> int:
    """Improve a plan node by node until no move or swap helps; returns steps taken.

    Nodes are visited in random order; for each, its best improving move or
    swap is applied at once (first improvement over nodes). This is the
    "random plan improved greedily" baseline, not the optimiser.
    """
    steps = 0
    improved = True
    while improved:
        improved = False
        for i in rng.permutation(state.nn):
            if not state.movable[i]:
                continue
            step = state.best_step(NEVER_TABU, np.array([i]))
            if step is not None and step[0] > 1e-9 * (abs(state.score) + 1.0):
                gain, _, target, is_swap = step
                if is_swap:
                    state.swap(int(i), target, gain)
                else:
                    state.move(int(i), target, gain)
                steps += 1
                improved = True
                if steps % 64 == 0 and time.perf_counter() >= deadline:
                    return steps
    return steps
