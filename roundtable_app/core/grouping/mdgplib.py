"""Reader for the MDGPLIB benchmark instances (Gallego, Laguna, Martí, Duarte).

Format: the first line is ``n m type L1 U1 ... Lm Um`` (``type`` is ``ss`` for
equal group sizes, ``ds`` for per-group bounds); then one line ``i j d_ij``
per unordered pair, 0-based. Some copies of the ``ss`` files give a single
``L U`` pair for all groups; both forms are accepted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def read_mdgplib(path: str | Path) -> tuple[np.ndarray, list[int], list[int]]:
    """Return ``(weights, lower, upper)`` for one instance file."""
    with open(path, encoding="ascii") as fh:
        header = fh.readline().split()
        n, m = int(header[0]), int(header[1])
        bounds = [int(float(x)) for x in header[3:]]
        if len(bounds) == 2:  # one L U pair shared by every group
            bounds = bounds * m
        if len(bounds) != 2 * m:
            raise ValueError(
                f"{path}: expected {m} pairs of group bounds, found {len(bounds)} values"
            )
        data = np.loadtxt(fh, dtype=np.float64, ndmin=2)
    lower, upper = bounds[0::2], bounds[1::2]
    w = np.zeros((n, n))
    if data.size:
        i = data[:, 0].astype(np.int64)
        j = data[:, 1].astype(np.int64)
        w[i, j] = data[:, 2]
        w[j, i] = data[:, 2]
    np.fill_diagonal(w, 0.0)
    return w, lower, upper
