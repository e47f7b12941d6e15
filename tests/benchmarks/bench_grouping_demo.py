"""Benchmark grouping on demo data, with every balance rule on (not collected by pytest).

Usage::

    python tests/benchmarks/bench_grouping_demo.py [--long 300] [--seeds 3] [--skip-5000]

Budgets (issue 3): 200 invitees into 20 tables of 9 to 11 within 1 % of the
best plan of a long run (5 minutes) in 2 s; 1,000 into 100 tables within 1 %
in 10 s; 5,000 invitees: a feasible plan, with progress shown, in at most
60 s. For each case it also prints the ratio to a random feasible plan
improved greedily (``random_greedy_baseline``), and the share of new pairings.

"All balance rules": shared interests, new pairings and sector balance
weighted equally; no sector above 40 % of a table, one person per
organisation and at least one lived-experience participant per table, all
three *required* (a share limit, keep-apart pairs, pins).
Pools are drawn at random (seeded) from one demo directory of 6,000 people
with ``pool_from_people``, as the grouping page does for a directory filter.
Weights are centred (mean zero), so gaps and ratios are measured from the
score of a random plan (see ``_random_score``). Run one benchmark at a time: the figures depend on
the machine and on what else runs.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from roundtable_app.core.grouping import plan_score, random_greedy_baseline, solve  # noqa: E402
from roundtable_app.core.grouping.scoring import (  # noqa: E402
    Preferences,
    build_weights,
    even_sizes,
    hard_rules,
    table_bounds,
)
from roundtable_app.core.grouping.scoring_explain import explain  # noqa: E402
from roundtable_app.core.progress import Progress  # noqa: E402
from roundtable_app.services.demo import generate_demo  # noqa: E402
from roundtable_app.services.grouping import Pool, pool_from_people  # noqa: E402
from roundtable_app.storage.unit_of_work import open_database  # noqa: E402

ALL_RULES = Preferences(
    interests=1.0,
    new_pairings=1.0,
    sector_balance=1.0,
    sector_share=0.4,
    sector_required=True,
    lived_experience_min=1,
    lived_experience_required=True,
    one_per_organisation=True,
    organisation_required=True,
)
DIRECTORY = 6000


def _problem(pool: Pool, tables: int, min_size: int | None, max_size: int | None):
    lower, upper = table_bounds(len(pool), tables, None, min_size, max_size)
    started = time.perf_counter()
    weights = build_weights(pool.invitees, pool.past_pairs, ALL_RULES)
    rules = hard_rules(pool.invitees, len(lower), ALL_RULES, weights)
    weights = even_sizes(weights, lower, upper)
    return weights, lower, upper, rules, time.perf_counter() - started


def _new_share(pool: Pool, assignment: tuple[int, ...], k: int) -> float:
    seats: list[list[int]] = [[] for _ in range(k)]
    for i, t in enumerate(assignment):
        seats[t].append(i)
    plan = explain(pool.invitees, seats, pool.past_pairs, ALL_RULES)
    return plan.new_pairings / max(1, plan.pairs)


def _random_score(weights, assignment: tuple[int, ...], samples: int = 20) -> float:
    """Mean score of random plans with the same table sizes: the zero of the scales.

    Weights are centred (and, with room in the bounds, shifted; see
    ``even_sizes``), so a raw score has no natural zero and "1 % of the score"
    would mean little. Gaps are therefore measured as a share of the
    improvement over a random plan, ``(best - x) / (best - random)``, and the
    baseline ratio as ``(x - random) / (baseline - random)``.
    """
    rng = np.random.default_rng(0)
    values = [plan_score(weights, rng.permutation(assignment)) for _ in range(samples)]
    return float(np.mean(values))


def case(
    pool: Pool,
    tables: int,
    budget: float,
    long_run: float,
    seeds: int,
    min_size: int | None = None,
    max_size: int | None = None,
) -> dict[str, object]:
    weights, lower, upper, rules, build = _problem(pool, tables, min_size, max_size)
    hard = {"apart": rules.apart, "pinned": rules.pinned, "share_limit": rules.share_limit}
    short = [
        solve(weights, lower, upper, time_limit=budget, seed=s, **hard) for s in range(1, seeds + 1)
    ]
    best = solve(weights, lower, upper, time_limit=long_run, seed=1000, **hard)
    reference = max([best.score] + [r.score for r in short])
    baseline = [
        random_greedy_baseline(weights, lower, upper, seed, **hard).score
        for seed in range(1, seeds + 1)
    ]
    worst = min(r.score for r in short)
    mean_base = sum(baseline) / len(baseline)
    zero = _random_score(weights, best.assignment)
    return {
        "n": len(pool),
        "tables": len(lower),
        "sizes": f"{min(lower)}-{max(upper)}",
        "build s": build,
        "budget s": budget,
        "short (worst of seeds)": worst,
        "short (best)": max(r.score for r in short),
        "steps in budget": min(r.iterations for r in short),
        "long": best.score,
        "random": zero,
        "gap % (worst)": 100 * (reference - worst) / (reference - zero),
        "gap % (best)": 100 * (reference - max(r.score for r in short)) / (reference - zero),
        "baseline": mean_base,
        "ratio": (worst - zero) / (mean_base - zero),
        "new pairs %": 100 * _new_share(pool, short[0].assignment, len(lower)),
    }


def large(pool: Pool, tables: int, limit: float) -> dict[str, object]:
    started = time.perf_counter()
    weights, lower, upper, rules, build = _problem(pool, tables, None, None)
    updates: list[tuple[float, str]] = []

    def shown(done: int, total: int, message: str) -> None:
        updates.append((time.perf_counter() - started, message))

    hard = {"apart": rules.apart, "pinned": rules.pinned, "share_limit": rules.share_limit}
    result = solve(
        weights, lower, upper, time_limit=limit - build, seed=1, progress=Progress(shown), **hard
    )
    baseline = random_greedy_baseline(weights, lower, upper, 1, **hard)
    searching = [t for t, message in updates if "Checking" not in message]
    return {
        "n": len(pool),
        "tables": len(lower),
        "build s": build,
        "first progress after search starts s": searching[0] if searching else float("nan"),
        "progress updates": len(updates),
        "total s": time.perf_counter() - started - baseline.elapsed,
        "score": result.score,
        "baseline": baseline.score,
        "baseline s": baseline.elapsed,
        "random": (zero := _random_score(weights, result.assignment, 3)),
        "ratio": (result.score - zero) / (baseline.score - zero),
        "iterations": result.iterations,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", type=float, default=300.0, help="seconds of the long run")
    parser.add_argument("--seeds", type=int, default=3, help="short runs (and baselines) per case")
    parser.add_argument("--skip-5000", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'bench.db'}")
        started = time.perf_counter()
        generate_demo(db, people=DIRECTORY, seed=1)
        print(f"demo directory of {DIRECTORY:,} people in {time.perf_counter() - started:.1f} s")
        rng = random.Random(7)
        with db.reading() as session:
            ids = list(range(1, DIRECTORY + 1))
            pools = {n: pool_from_people(session, rng.sample(ids, n)) for n in (200, 1000, 5000)}
        db.close()

    # The compiled search kernels load once per process (compiled on the very
    # first run after installing); time that apart from the budgets.
    started = time.perf_counter()
    solve(np.zeros((4, 4)), [2, 2], [2, 2], time_limit=1, seed=0, max_iterations=1)
    print(f"search kernels loaded in {time.perf_counter() - started:.2f} s (once per process)")
    for n, pool in pools.items():
        le = sum(inv.lived_experience for inv in pool.invitees)
        print(f"pool {n}: {le} lived-experience, {len(pool.past_pairs):,} pairs who met before")
    rows = [
        case(pools[200], 20, 2.0, args.long, args.seeds, min_size=9, max_size=11),
        case(pools[1000], 100, 10.0, args.long, args.seeds),
    ]
    print()
    header = list(rows[0])
    print(" | ".join(header))
    for row in rows:
        print(" | ".join(_fmt(row[h]) for h in header))
    if not args.skip_5000:
        print()
        row = large(pools[5000], 500, 60.0)
        for key, value in row.items():
            print(f"{key:>40}: {_fmt(value)}")


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    return str(value)


if __name__ == "__main__":
    main()
