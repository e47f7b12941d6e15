"""Load (and on the very first run, compile) the search kernels ahead of need.

numba compiles :mod:`.kernels` the first time they run after installing and
caches the machine code on disk; later processes only load it (about half a
second). Compiling holds the interpreter for a few seconds, so the desktop
app runs this module in a separate process when the grouping page first
opens: ``python -m roundtable_app.core.grouping.warm_up``. The user's first
search then finds the cache ready.
"""

from __future__ import annotations

import numpy as np


def kernels_loaded() -> bool:
    """Whether this process has the compiled kernels already."""
    from roundtable_app.core.grouping import kernels

    return bool(kernels.rounds.signatures)


def warm_up() -> None:
    """Run a tiny search through every kernel (rules, a share limit, chains of sizes)."""
    from roundtable_app.core.grouping import ShareLimit, solve

    rng = np.random.default_rng(0)
    w = rng.normal(size=(12, 12)) - 1.0  # mostly negative: the app's local search
    w = w + w.T
    solve(
        w,
        [3, 3, 3],
        [5, 5, 5],
        time_limit=5,
        seed=0,
        max_iterations=3,
        together=[(0, 1)],
        apart=[(2, 3)],
        pinned={4: 0},
        share_limit=ShareLimit(["A", "B", "C", None] * 3, 0.5),
    )


if __name__ == "__main__":
    warm_up()
