"""The progress and cancel handle that long work takes, from any thread."""

from __future__ import annotations

import threading

import pytest

from roundtable_app.core.errors import Cancelled
from roundtable_app.core.progress import Progress


def test_updates_reach_the_callback_in_order() -> None:
    seen: list[tuple[int, int, str]] = []
    progress = Progress(lambda *args: seen.append(args))
    progress.update(0, 3, "Reading")
    progress.update(3, 3)
    assert seen == [(0, 3, "Reading"), (3, 3, "")]


def test_cancel_stops_the_work_at_its_next_update() -> None:
    seen: list[int] = []
    progress = Progress(lambda done, _total, _message: seen.append(done))
    progress.update(1, 10)
    progress.cancel()
    assert progress.cancelled
    with pytest.raises(Cancelled, match="nothing was changed"):
        progress.update(2, 10)
    assert seen == [1, 2]  # the last report still arrives, then the work stops
    with pytest.raises(Cancelled):
        progress.check()


def test_stop_early_asks_to_keep_the_best_without_cancelling() -> None:
    progress = Progress()
    assert not progress.stopping_early
    progress.stop_early()
    assert progress.stopping_early
    assert not progress.cancelled
    progress.update(5, 10)  # keeps going: the work decides when to stop


def test_another_thread_can_cancel() -> None:
    progress = Progress()
    started, stopped = threading.Event(), threading.Event()

    def work() -> None:
        started.set()
        try:
            while True:
                progress.update(0, 0)
        except Cancelled:
            stopped.set()

    thread = threading.Thread(target=work)
    thread.start()
    assert started.wait(5)
    progress.cancel()
    thread.join(5)
    assert stopped.is_set()


def test_without_a_callback_update_only_checks() -> None:
    progress = Progress()
    progress.update(1, 2, "fine")
    progress.cancel()
    with pytest.raises(Cancelled):
        progress.update(2, 2)
