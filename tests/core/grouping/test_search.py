"""Unit tests for the grouping optimiser: rules, conflicts, search, progress, loader."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from roundtable_app.core.errors import Cancelled, ValidationError
from roundtable_app.core.grouping import (
    GroupingResult,
    InfeasibleRulesError,
    plan_score,
    random_greedy_baseline,
    read_mdgplib,
    solve,
)
from roundtable_app.core.grouping import state as state_module
from roundtable_app.core.progress import Progress

MDGPLIB = Path(__file__).resolve().parents[4] / "shared" / "grouping" / "mdgplib"


def random_weights(n: int, seed: int, integer: bool = False) -> np.ndarray:
    rng = np.random.default_rng(seed)
    w = rng.integers(0, 100, (n, n)).astype(float) if integer else rng.random((n, n)) * 10
    w = np.triu(w, 1)
    return w + w.T


def assert_valid(
    result: GroupingResult,
    lower: list[int],
    upper: list[int],
    together: list[tuple[int, int]] = (),  # type: ignore[assignment]
    apart: list[tuple[int, int]] = (),  # type: ignore[assignment]
    pinned: dict[int, int] | None = None,
) -> None:
    g = np.asarray(result.assignment)
    sizes = np.bincount(g, minlength=len(lower))
    assert len(sizes) == len(lower)
    for t in range(len(lower)):
        assert lower[t] <= sizes[t] <= upper[t]
    for i, j in together:
        assert g[i] == g[j]
    for i, j in apart:
        assert g[i] != g[j]
    for p, t in (pinned or {}).items():
        assert g[p] == t


def brute_force(w: np.ndarray, lower: list[int], upper: list[int]) -> float:
    n, m = w.shape[0], len(lower)
    best = -np.inf
    for plan in itertools.product(range(m), repeat=n):
        sizes = np.bincount(plan, minlength=m)
        if np.all(sizes >= lower) and np.all(sizes <= upper):
            best = max(best, plan_score(w, plan))
    return best


# -- search quality and determinism ---------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_finds_brute_force_optimum_on_tiny_instances(seed: int) -> None:
    w = random_weights(8, seed) - 4.0  # mixed signs make the size choice matter
    lower, upper = [2, 2, 1], [4, 3, 3]
    optimum = brute_force(w, lower, upper)
    result = solve(w, lower, upper, time_limit=30, seed=seed, max_iterations=400)
    assert_valid(result, lower, upper)
    assert result.score == pytest.approx(optimum)
    assert result.score == pytest.approx(plan_score(w, result.assignment))


def test_same_seed_and_cap_give_the_same_plan() -> None:
    w = random_weights(60, 7)
    lower, upper = [9, 10, 11, 12, 10, 8], [11, 12, 13, 12, 12, 11]
    kwargs = dict(time_limit=60, seed=42, max_iterations=600, together=[(0, 1)], apart=[(2, 3)])
    first = solve(w, lower, upper, **kwargs)
    second = solve(w, lower, upper, **kwargs)
    assert first.assignment == second.assignment
    assert first.score == second.score
    assert first.iterations == 600
    assert first.stop_reason == "iterations"


def test_sampled_neighbourhood_is_valid_and_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    # Large pools evaluate a random sample of rows; force that path on a small pool.
    monkeypatch.setattr(state_module, "FULL_LIMIT", 10)
    w = random_weights(40, 3)
    lower, upper = [7, 8, 9, 9], [11, 11, 12, 10]
    rules = dict(together=[(0, 1), (1, 2)], apart=[(3, 4), (0, 5)], pinned={6: 2})
    a = solve(w, lower, upper, time_limit=60, seed=5, max_iterations=300, **rules)
    b = solve(w, lower, upper, time_limit=60, seed=5, max_iterations=300, **rules)
    assert a.assignment == b.assignment
    assert_valid(a, lower, upper, **rules)


def test_search_beats_the_random_greedy_baseline() -> None:
    w = random_weights(48, 11, integer=True)
    lower, upper = [12] * 4, [12] * 4
    base = random_greedy_baseline(w, lower, upper, seed=1)
    best = solve(w, lower, upper, time_limit=60, seed=1, max_iterations=1500)
    assert_valid(base, lower, upper)
    assert best.score >= base.score


def test_result_meets_rules_and_reports_its_score() -> None:
    w = random_weights(30, 5)
    lower, upper = [5, 5, 5, 5], [9, 9, 9, 9]
    rules = dict(
        together=[(0, 1), (1, 2), (10, 11)],
        apart=[(0, 3), (4, 5), (11, 12)],
        pinned={3: 1, 20: 0},
    )
    result = solve(w, lower, upper, time_limit=60, seed=0, max_iterations=300, **rules)
    assert_valid(result, lower, upper, **rules)
    assert result.score == pytest.approx(plan_score(w, result.assignment))
    assert sum(len(t) for t in result.tables(4)) == 30


def test_empty_pool_and_single_table() -> None:
    empty = solve(np.zeros((0, 0)), [0], [0], time_limit=1, seed=0)
    assert empty.assignment == ()
    one = solve(random_weights(5, 1), [5], [5], time_limit=1, seed=0, max_iterations=10)
    assert one.assignment == (0,) * 5


def test_zero_time_limit_still_returns_a_valid_plan() -> None:
    w = random_weights(20, 2)
    result = solve(w, [5] * 4, [5] * 4, time_limit=0, seed=0, apart=[(0, 1)])
    assert_valid(result, [5] * 4, [5] * 4, apart=[(0, 1)])


# -- progress, stop and cancel --------------------------------------------


def test_stop_early_returns_the_best_plan_so_far() -> None:
    calls: list[tuple[int, int]] = []

    def callback(done: int, total: int, message: str) -> None:
        calls.append((done, total))
        if len(calls) == 2:  # the first call is before the search starts
            handle.stop_early()

    handle = Progress(callback)
    w = random_weights(40, 9)
    result = solve(w, [10] * 4, [10] * 4, time_limit=120, seed=0, progress=handle)
    assert result.stopped_early
    assert result.stop_reason == "stopped"
    assert_valid(result, [10] * 4, [10] * 4)
    assert all(total == 1000 and 0 <= done <= 1000 for done, total in calls)


def test_cancel_raises_cancelled() -> None:
    def callback(done: int, total: int, message: str) -> None:
        if done > 0 or len(seen) > 0:
            handle.cancel()
        seen.append(done)

    seen: list[int] = []
    handle = Progress(callback)
    with pytest.raises(Cancelled):
        solve(random_weights(40, 9), [10] * 4, [10] * 4, time_limit=120, seed=0, progress=handle)


# -- conflicts reported before searching ----------------------------------


def conflict_kinds(excinfo: pytest.ExceptionInfo[InfeasibleRulesError]) -> set[str]:
    return {c.kind for c in excinfo.value.conflicts}


def test_together_chain_with_apart_pair_is_reported_with_names() -> None:
    names = ["Alice", "Bob", "Carol", "Dan"]
    with pytest.raises(InfeasibleRulesError) as excinfo:
        solve(
            random_weights(4, 0),
            [1, 1],
            [3, 3],
            time_limit=1,
            seed=0,
            together=[(0, 1), (1, 2)],
            apart=[(2, 0)],
            names=names,
        )
    assert isinstance(excinfo.value, ValidationError)
    (conflict,) = excinfo.value.conflicts
    assert conflict.kind == "together_apart"
    assert conflict.apart == ((2, 0),)
    assert set(conflict.together) == {(0, 1), (1, 2)}
    text = str(excinfo.value)
    assert "Carol and Alice must sit together (through Bob)" in text
    assert "kept apart" in text


def test_chain_pinned_to_two_tables() -> None:
    with pytest.raises(InfeasibleRulesError) as excinfo:
        solve(
            random_weights(6, 0),
            [1, 1, 1],
            [4, 4, 4],
            time_limit=1,
            seed=0,
            together=[(0, 1), (1, 2)],
            pinned={0: 0, 2: 1},
        )
    assert conflict_kinds(excinfo) == {"pinned_two_tables"}
    assert "person 0 is pinned to table 0 and person 2 to table 1" in str(excinfo.value)


def test_chain_too_large_for_any_table() -> None:
    with pytest.raises(InfeasibleRulesError) as excinfo:
        solve(
            random_weights(8, 0),
            [2, 2],
            [4, 4],
            time_limit=1,
            seed=0,
            together=[(0, 1), (1, 2), (2, 3), (3, 4)],
        )
    assert conflict_kinds(excinfo) == {"too_large"}


def test_table_sizes_that_cannot_hold_the_pool() -> None:
    w = random_weights(10, 0)
    with pytest.raises(InfeasibleRulesError) as excinfo:
        solve(w, [6, 6], [8, 8], time_limit=1, seed=0)
    assert conflict_kinds(excinfo) == {"sizes"}
    with pytest.raises(InfeasibleRulesError) as excinfo:
        solve(w, [1, 1], [4, 4], time_limit=1, seed=0)
    assert "seat at most 8" in str(excinfo.value)


def test_too_many_pinned_to_one_table_and_pinned_apart() -> None:
    with pytest.raises(InfeasibleRulesError) as excinfo:
        solve(
            random_weights(8, 0),
            [2, 2],
            [4, 4],
            time_limit=1,
            seed=0,
            pinned={0: 0, 1: 0, 2: 0, 3: 0, 4: 0},
        )
    assert conflict_kinds(excinfo) == {"pinned_too_many"}
    with pytest.raises(InfeasibleRulesError) as excinfo:
        solve(
            random_weights(8, 0),
            [2, 2],
            [6, 6],
            time_limit=1,
            seed=0,
            pinned={0: 1, 5: 1},
            apart=[(5, 0)],
        )
    assert conflict_kinds(excinfo) == {"pinned_apart"}


def test_components_that_cannot_be_packed() -> None:
    # Three groups of three cannot fill tables of exactly four and five.
    with pytest.raises(InfeasibleRulesError) as excinfo:
        solve(
            random_weights(9, 0),
            [4, 5],
            [4, 5],
            time_limit=1,
            seed=0,
            together=[(0, 1), (1, 2), (3, 4), (4, 5), (6, 7), (7, 8)],
        )
    assert conflict_kinds(excinfo) == {"packing"}


def test_several_conflicts_are_all_listed() -> None:
    with pytest.raises(InfeasibleRulesError) as excinfo:
        solve(
            random_weights(6, 0),
            [1, 1],
            [5, 5],
            time_limit=1,
            seed=0,
            together=[(0, 1)],
            apart=[(0, 1), (2, 2)],
        )
    assert conflict_kinds(excinfo) == {"together_apart", "invalid"}
    assert str(excinfo.value).count("\n- ") == 2


def test_malformed_input() -> None:
    with pytest.raises(ValueError):
        solve(np.zeros((3, 4)), [1], [3], time_limit=1, seed=0)
    with pytest.raises(ValueError):
        solve(np.arange(9.0).reshape(3, 3), [1], [3], time_limit=1, seed=0)
    with pytest.raises(ValidationError):
        solve(np.zeros((3, 3)), [3], [2], time_limit=1, seed=0)
    with pytest.raises(ValidationError):
        solve(np.zeros((3, 3)), [1], [3], time_limit=1, seed=0, pinned={0: 4})


# -- benchmark loader -------------------------------------------------------


def test_read_mdgplib_both_header_forms(tmp_path: Path) -> None:
    per_group = tmp_path / "a.txt"
    per_group.write_text("3 2 ds 1 2 1 2\n0 1 5\n0 2 1.5\n1 2 3\n")
    w, lower, upper = read_mdgplib(per_group)
    assert lower == [1, 1] and upper == [2, 2]
    assert w[0, 1] == w[1, 0] == 5 and w[2, 0] == 1.5 and w[1, 2] == 3 and w[0, 0] == 0
    shared = tmp_path / "b.txt"
    shared.write_text("3 3 ss 1 1\n0 1 5\n0 2 1.5\n1 2 3\n")
    _, lower, upper = read_mdgplib(shared)
    assert lower == [1, 1, 1] and upper == [1, 1, 1]


@pytest.mark.skipif(not MDGPLIB.is_dir(), reason="MDGPLIB instances not present")
def test_read_real_instance() -> None:
    w, lower, upper = read_mdgplib(MDGPLIB / "RanInt_n120_ds_01.txt")
    assert w.shape == (120, 120) and len(lower) == len(upper) == 10
    assert np.array_equal(w, w.T)
    result = solve(w, lower, upper, time_limit=30, seed=0, max_iterations=50)
    assert_valid(result, lower, upper)


@pytest.mark.parametrize("full_limit", [700, 1])
def test_search_ends_when_no_plan_can_change(
    monkeypatch: pytest.MonkeyPatch, full_limit: int
) -> None:
    # Everyone's table is forced, so without an iteration cap the search must
    # notice there is nothing to do instead of running for the whole minute.
    monkeypatch.setattr(state_module, "FULL_LIMIT", full_limit)
    w = random_weights(4, 0)
    result = solve(w, [2, 2], [2, 2], time_limit=60, seed=0, pinned={0: 0, 1: 0})
    assert result.assignment == (0, 0, 1, 1)
    assert result.stop_reason == "exhausted"


def test_large_pool_search_reaches_at_least_a_greedy_local_optimum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Large pools use the iterated local search (see core/grouping/local.py);
    # it starts from a full greedy descent, so it can never end below one.
    monkeypatch.setattr(state_module, "FULL_LIMIT", 10)
    w = random_weights(60, 4, integer=True)
    lower, upper = [6] * 6, [12] * 6
    rules = dict(apart=[(0, 1), (2, 3)], pinned={4: 0})
    base = random_greedy_baseline(w, lower, upper, seed=1, **rules)
    a = solve(w, lower, upper, time_limit=60, seed=3, max_iterations=200, **rules)
    b = solve(w, lower, upper, time_limit=60, seed=3, max_iterations=200, **rules)
    assert a.assignment == b.assignment and a.iterations == 200
    assert_valid(a, lower, upper, **rules)
    assert a.score == pytest.approx(plan_score(w, a.assignment))
    assert a.score >= base.score


def test_warm_up_loads_the_compiled_search_as_a_script_would() -> None:
    import subprocess
    import sys

    from roundtable_app.core.grouping.warm_up import kernels_loaded, warm_up

    warm_up()
    assert kernels_loaded()
    # The app runs it as a module in a separate process; it must exit cleanly.
    done = subprocess.run(
        [sys.executable, "-m", "roundtable_app.core.grouping.warm_up"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr


def test_local_search_walks_all_end_on_cancel_and_on_stop_early() -> None:
    import threading

    from roundtable_app.core.errors import Cancelled
    from roundtable_app.core.progress import Progress

    w = np.random.default_rng(0).normal(size=(120, 120)) - 1.0  # centred-style: local search
    w = w + w.T
    sizes = [10] * 12
    before = threading.active_count()
    progress = Progress()
    timer = threading.Timer(0.3, progress.cancel)
    timer.start()
    with pytest.raises(Cancelled):
        solve(w, sizes, sizes, time_limit=120, seed=1, progress=progress)
    progress = Progress()
    timer2 = threading.Timer(0.3, progress.stop_early)
    timer2.start()
    result = solve(w, sizes, sizes, time_limit=120, seed=1, progress=progress)
    assert result.stop_reason == "stopped" and result.elapsed < 60
    assert_valid(result, sizes, sizes)
    timer.join()
    timer2.join()
    assert threading.active_count() == before  # no walk left running
