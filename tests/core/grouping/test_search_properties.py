"""Property tests: on random small inputs the optimiser never breaks a rule.

Every example is small enough to check against brute force: either the rules
are reported as conflicting (and no plan meets them) or the returned plan
meets every size bound, keep-together, keep-apart, pin and share limit
("no category above this share of a table").
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from roundtable_app.core.grouping import InfeasibleRulesError, ShareLimit, solve
from roundtable_app.core.grouping import state as state_module

FAST = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    database=None,
)


@st.composite
def problems(draw: st.DrawFn, max_people: int = 8, max_tables: int = 3) -> dict:
    """Random pool, table bounds and rules; the rules may or may not conflict."""
    n = draw(st.integers(2, max_people))
    m = draw(st.integers(1, max_tables))
    lower, upper = [], []
    for _ in range(m):
        # Around n / m so that the sizes alone are usually satisfiable.
        lo = draw(st.integers(0, n // m))
        lower.append(lo)
        upper.append(max(lo, n // m) + draw(st.integers(0, 2)))
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    together = draw(st.lists(pair, max_size=3))
    distinct = st.tuples(st.integers(0, n - 1), st.integers(1, n - 1)).map(
        lambda p: (p[0], (p[0] + p[1]) % n)
    )
    apart = draw(st.lists(distinct, max_size=4))
    pinned = draw(st.dictionaries(st.integers(0, n - 1), st.integers(0, m - 1), max_size=3))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(n, n))
    w = np.triu(w, 1)
    return dict(
        weights=w + w.T,
        lower=lower,
        upper=upper,
        together=together,
        apart=apart,
        pinned=pinned,
        seed=seed,
        share=draw(share_limits(n)),
    )


LABELS = st.sampled_from(["A", "B", "C", None])


@st.composite
def share_limits(draw: st.DrawFn, n: int) -> ShareLimit | None:
    if not draw(st.booleans()):
        return None
    labels = draw(st.lists(LABELS, min_size=n, max_size=n))
    return ShareLimit(labels, draw(st.sampled_from([0.2, 0.34, 0.5, 0.67, 1.0])))


@st.composite
def feasible_problems(draw: st.DrawFn) -> dict:
    """Rules derived from a hidden plan, so at least that plan meets them."""
    n = draw(st.integers(2, 24))
    m = draw(st.integers(1, 5))
    plan = draw(st.lists(st.integers(0, m - 1), min_size=n, max_size=n))
    sizes = np.bincount(plan, minlength=m)
    lower = [max(0, int(s) - draw(st.integers(0, 2))) for s in sizes]
    upper = [int(s) + draw(st.integers(0, 2)) for s in sizes]
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    candidates = draw(st.lists(pairs, max_size=10))
    together = [(i, j) for i, j in candidates if plan[i] == plan[j]]
    apart = [(i, j) for i, j in candidates if plan[i] != plan[j]]
    pinned = {p: plan[p] for p in draw(st.lists(st.integers(0, n - 1), max_size=4))}
    seed = draw(st.integers(0, 2**31 - 1))
    w = np.random.default_rng(seed).random((n, n))
    share = None
    if draw(st.booleans()):
        # The loosest share the hidden plan needs, so the hidden plan meets it.
        labels = draw(st.lists(LABELS, min_size=n, max_size=n))
        need = 0.01
        for t in range(m):
            members = [labels[i] for i in range(n) if plan[i] == t and labels[i]]
            if members:
                top = max(members.count(x) for x in set(members))
                if top > 1:
                    need = max(need, top / int(sizes[t]))
        share = ShareLimit(labels, min(1.0, need))
    return dict(
        share=share,
        weights=w + w.T,
        lower=lower,
        upper=upper,
        together=together,
        apart=apart,
        pinned=pinned,
        seed=seed,
    )


def all_plans(n: int, m: int) -> np.ndarray:
    """Every assignment of n people to m tables, one per row."""
    if m == 1:
        return np.zeros((1, n), dtype=np.int64)
    idx = np.indices((m,) * n).reshape(n, -1).T
    return idx.astype(np.int64)


def feasible_mask(plans: np.ndarray, p: dict) -> np.ndarray:
    m = len(p["lower"])
    sizes = (plans[:, :, None] == np.arange(m)).sum(axis=1)
    ok = np.all(sizes >= p["lower"], axis=1) & np.all(sizes <= p["upper"], axis=1)
    for i, j in p["together"]:
        ok &= plans[:, i] == plans[:, j]
    for i, j in p["apart"]:
        ok &= plans[:, i] != plans[:, j]
    for person, table in p["pinned"].items():
        ok &= plans[:, person] == table
    limit: ShareLimit | None = p["share"]
    if limit is not None:
        caps = np.array([limit.cap(int(s)) for s in range(len(limit.labels) + 1)])
        table_cap = caps[sizes]  # [plans, m]
        for label in {x for x in limit.labels if x}:
            of = np.array([x == label for x in limit.labels])
            count = ((plans[:, :, None] == np.arange(m)) & of[None, :, None]).sum(axis=1)
            ok &= np.all(count <= table_cap, axis=1)
    return ok


def check_plan(assignment: tuple[int, ...], p: dict) -> None:
    plan = np.asarray(assignment, dtype=np.int64)[None, :]
    assert plan.shape[1] == p["weights"].shape[0]
    assert np.all((plan >= 0) & (plan < len(p["lower"])))
    assert feasible_mask(plan, p)[0], f"plan {assignment} breaks a rule"


def run(p: dict, iterations: int = 40):
    return solve(
        p["weights"],
        p["lower"],
        p["upper"],
        time_limit=30,
        seed=p["seed"],
        max_iterations=iterations,
        together=p["together"],
        apart=p["apart"],
        pinned=p["pinned"],
        share_limit=p["share"],
    )


@FAST
@given(problems())
def test_plans_meet_every_rule_and_conflicts_are_real(p: dict) -> None:
    any_feasible = bool(feasible_mask(all_plans(len(p["weights"]), len(p["lower"])), p).any())
    try:
        result = run(p)
    except InfeasibleRulesError as exc:
        event("reported as conflicting: " + ",".join(sorted({c.kind for c in exc.conflicts})))
        assert exc.conflicts
        assert not any_feasible, f"reported as conflicting but a plan exists: {exc}"
        return
    event("solved")
    assert any_feasible
    check_plan(result.assignment, p)


@FAST
@given(feasible_problems())
def test_rules_met_by_some_plan_are_never_reported(p: dict) -> None:
    result = run(p, iterations=40)
    check_plan(result.assignment, p)


@settings(max_examples=20, deadline=None, derandomize=True, database=None)
@given(feasible_problems())
def test_fixed_seed_and_cap_give_a_fixed_plan(p: dict) -> None:
    assert run(p, iterations=80).assignment == run(p, iterations=80).assignment


@pytest.fixture
def sampled_search(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state_module, "FULL_LIMIT", 4)


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(feasible_problems())
def test_sampled_neighbourhood_meets_every_rule(sampled_search: None, p: dict) -> None:
    check_plan(run(p, iterations=40).assignment, p)
