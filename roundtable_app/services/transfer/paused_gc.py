"""Python's cycle collector paused while an import builds its 100,000 rows.

Each row of an import leaves several container objects alive (cells, the
person, the planned row, the rows to insert), and the collector, triggered by
allocations, keeps walking all of them again: about 2 s of a 100,000-row
import, for garbage that an import hardly makes (its objects are freed by
reference counting). :func:`paused_gc` turns the collector off for the
duration and back on afterwards; the next automatic collection then catches
up once. Threads share the collector, so the pause is counted: it ends when
the last of several overlapping pauses ends, and a collector that someone
else had turned off stays off.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block (or the decorated function) with the cycle collector off."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
