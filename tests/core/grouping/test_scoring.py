"""The scoring model: weights, size bounds, hard rules and explanations (pure, no database)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.grouping import solve
from roundtable_app.core.grouping.scoring import (
    Invitee,
    Preferences,
    build_weights,
    default_table_count,
    even_sizes,
    hard_rules,
    interest_rarity,
    lived_experience_pins,
    organisation_apart,
    pairing_value,
    sector_cap,
    table_bounds,
)
from roundtable_app.core.grouping.scoring_explain import explain

ONLY_INTERESTS = Preferences(
    interests=1, new_pairings=0, sector_balance=0, lived_experience_min=0,
    one_per_organisation=False,
)  # fmt: skip
ONLY_PAIRINGS = Preferences(
    interests=0, new_pairings=1, sector_balance=0, lived_experience_min=0,
    one_per_organisation=False,
)  # fmt: skip


def people(*specs: dict) -> list[Invitee]:
    return [
        Invitee(
            index=i,
            person_id=100 + i,
            name=spec.get("name", f"P{i}"),
            sector=spec.get("sector"),
            organisation=spec.get("org"),
            interests=frozenset(spec.get("interests", ())),
            lived_experience=spec.get("le", False),
            may_be_named=spec.get("named", False),
        )
        for i, spec in enumerate(specs)
    ]


def test_rare_shared_interests_count_more_than_common_ones():
    pool = people(
        {"interests": {"common", "rare"}},
        {"interests": {"common", "rare"}},
        {"interests": {"common", "mid"}},
        {"interests": {"common", "mid"}},
        {"interests": {"common", "mid"}},
        {"interests": {"common"}},
    )
    rarity = interest_rarity(pool)
    assert rarity["common"] == 0.0  # everyone has it: says nothing
    assert rarity["rare"] == pytest.approx(math.log(6 / 2))
    assert rarity["rare"] > rarity["mid"] > 0
    w = build_weights(pool, {}, ONLY_INTERESTS)
    assert w[0, 1] > w[2, 3] > w[0, 5]
    assert w[2, 3] == w[3, 4]


def test_weights_are_symmetric_centred_with_zero_diagonal():
    pool = people(
        {"interests": {"a", "b"}, "sector": "X", "org": "O", "le": True},
        {"interests": {"a"}, "sector": "X", "org": "O"},
        {"interests": {"b"}, "sector": "Y", "le": True},
        {"interests": {"c"}, "sector": "Y"},
        {"interests": {"a", "c"}},
    )
    w = build_weights(pool, {(0, 1): 2}, Preferences())
    assert np.allclose(w, w.T)
    assert np.all(np.diag(w) == 0)
    off = w[~np.eye(len(pool), dtype=bool)]
    assert abs(off.mean()) < 1e-12  # a bigger table is not better in itself (trap 1)


def test_never_met_pairs_beat_pairs_who_met_and_more_meetings_cost_more():
    pool = people({}, {}, {}, {})
    w = build_weights(pool, {(0, 1): 1, (0, 2): 4}, ONLY_PAIRINGS)
    assert w[2, 3] > w[0, 1] > w[0, 2]
    assert pairing_value(0) == 0 and pairing_value(1) == -1.0 and pairing_value(4) == -3.0


def test_sliders_trade_interests_against_new_pairings_in_comparable_units():
    # (0, 1) share a typical interest but met once; (2, 3) share nothing and never met.
    pool = people(
        {"interests": {"t"}}, {"interests": {"t"}}, {"interests": {"u"}}, {"interests": {"v"}}
    )
    met = {(0, 1): 1}

    def prefers_old_friends(interests: float, pairings: float) -> bool:
        prefs = Preferences(
            interests=interests, new_pairings=pairings, sector_balance=0,
            lived_experience_min=0, one_per_organisation=False,
        )  # fmt: skip
        w = build_weights(pool, met, prefs)
        return bool(w[0, 1] > w[2, 3])

    assert prefers_old_friends(1.0, 0.5)
    assert not prefers_old_friends(0.5, 1.0)
    # At equal sliders one typical shared interest and one repeat pairing cancel out.
    w = build_weights(pool, met, Preferences(sector_balance=0, lived_experience_min=0))
    assert w[0, 1] == pytest.approx(w[2, 3])


def test_sector_balance_penalises_same_sector_pairs():
    pool = people({"sector": "Gov"}, {"sector": "Gov"}, {"sector": "NGO"}, {})
    w = build_weights(pool, {}, Preferences(interests=0, new_pairings=0, lived_experience_min=0))
    assert w[0, 1] < w[0, 2]
    assert w[2, 3] == w[0, 2]  # an unknown sector is nobody's same sector


def test_required_sector_balance_is_a_share_limit_the_optimiser_keeps():
    pool = people(
        {"sector": "Gov", "interests": {"x", "y"}},
        {"sector": "Gov", "interests": {"x", "y"}},
        {"sector": "NGO", "interests": {"z"}},
        {"sector": "Biz", "interests": {"q"}},
    )
    prefs = Preferences(
        sector_required=True, sector_balance=0, sector_share=0.5, lived_experience_min=0
    )
    w = build_weights(pool, {}, prefs)
    # Left to the weights alone, the two officials who share every rare interest sit together ...
    assert w[0, 1] + w[2, 3] > w[0, 2] + w[1, 3]
    rules = hard_rules(pool, 2, prefs, w)
    assert rules.share_limit is not None and list(rules.share_limit.labels) == [
        "Gov",
        "Gov",
        "NGO",
        "Biz",
    ]
    plan = solve(
        w, [2, 2], [2, 2], time_limit=5, seed=1, max_iterations=50, share_limit=rules.share_limit
    )
    # ... but at most half of a table of two may be one sector, so they are parted.
    assert plan.assignment[0] != plan.assignment[1]
    assert hard_rules(pool, 2, Preferences(sector_share=0.5), w).share_limit is None


def test_sector_cap_is_the_floor_of_the_share_but_never_below_one():
    prefs = Preferences(sector_share=0.4)
    assert [sector_cap(prefs, size) for size in (1, 2, 3, 5, 9, 10, 11)] == [1, 1, 1, 2, 3, 4, 4]
    assert sector_cap(Preferences(sector_share=1.0), 7) == 7


def test_soft_one_per_organisation_is_a_penalty_and_hard_is_apart_pairs():
    pool = people({"org": "A"}, {"org": "A"}, {"org": "A"}, {"org": "B"}, {})
    prefs = Preferences(interests=0, new_pairings=0, sector_balance=0, lived_experience_min=0)
    w = build_weights(pool, {}, prefs)
    assert w[0, 1] < w[0, 3]
    required = Preferences(organisation_required=True, lived_experience_min=0)
    w = build_weights(pool, {}, required)
    assert w[0, 1] == w[0, 3]  # no penalty: the rule is enforced instead
    rules = hard_rules(pool, 3, required, w)
    assert sorted(rules.apart) == [(0, 1), (0, 2), (1, 2)]
    with pytest.raises(ValidationError, match="A has 3 invitees but there are only 2 tables"):
        organisation_apart(pool, 2)


def test_soft_lived_experience_rules_spread_singles_and_keep_pairs():
    pool = people({"le": True}, {"le": True}, {"le": True}, {"le": True}, {}, {})
    base = {"interests": 0, "new_pairings": 0, "sector_balance": 0, "one_per_organisation": False}
    one = build_weights(pool, {}, Preferences(lived_experience_min=1, **base))
    assert one[0, 1] < one[0, 4]  # two lived-experience participants repel mildly
    two = build_weights(pool, {}, Preferences(lived_experience_min=2, **base))
    partners = [j for j in range(1, 4) if two[0, j] > two[0, 4]]
    assert len(partners) == 1  # each is matched with exactly one partner ...
    others = [j for j in range(1, 4) if j not in partners]
    assert all(two[0, j] < two[0, 4] for j in others)  # ... and pairs spread out


def test_lived_experience_minimum_one_pins_one_per_table_round_robin():
    pool = people(*([{"le": True}] * 5 + [{}] * 15))
    w = np.zeros((20, 20))
    assert lived_experience_pins(pool, 3, 1, w) == {0: 0, 1: 1, 2: 2}
    assert lived_experience_pins(pool, 8, 1, w) == {i: i for i in range(5)}
    # A locked participant counts where they are locked.
    assert lived_experience_pins(pool, 3, 1, w, locked={4: 1}) == {0: 0, 1: 2}


def test_lived_experience_minimum_two_pins_pairs_and_never_leaves_one_alone():
    pool = people(*([{"le": True}] * 5 + [{}] * 15))
    w = np.zeros((20, 20))
    pins = lived_experience_pins(pool, 4, 2, w)
    per_table: dict[int, int] = {}
    for t in pins.values():
        per_table[t] = per_table.get(t, 0) + 1
    assert sorted(per_table.values()) == [2, 3]  # two pairs; the fifth joins a pair
    assert pins == lived_experience_pins(pool, 4, 2, w)  # deterministic


def test_pins_respect_keep_apart_pairs():
    pool = people({"le": True, "org": "A"}, {"le": True, "org": "A"}, {"le": True}, {}, {}, {})
    w = np.zeros((6, 6))
    pins = lived_experience_pins(pool, 2, 2, w, apart=[(0, 1)])
    assert pins[0] != pins.get(1, -1)


def test_hard_rules_include_locked_people():
    pool = people({"le": True}, {"le": True}, {}, {})
    prefs = Preferences(lived_experience_required=True, lived_experience_min=1)
    rules = hard_rules(pool, 2, prefs, np.zeros((4, 4)), locked={3: 0})
    assert rules.pinned == {3: 0, 0: 0, 1: 1}


@pytest.mark.parametrize(
    ("n", "kwargs", "expected"),
    [
        (200, {"tables": 20}, ([10] * 20, [10] * 20)),
        (203, {"tables": 20}, ([10] * 20, [11] * 20)),
        (40, {"size": 8}, ([8] * 5, [8] * 5)),
        (43, {"size": 8}, ([8] * 5, [9] * 5)),
        (200, {"tables": 20, "min_size": 9, "max_size": 11}, ([9] * 20, [11] * 20)),
        (100, {"min_size": 8, "max_size": 12}, ([10] * 10, [10] * 10)),
    ],
)
def test_table_bounds_profile(n, kwargs, expected):
    lower, upper = table_bounds(n, **kwargs)
    if "min_size" in kwargs and "tables" not in kwargs:
        # explicit bounds without a count: the count whose mean size is mid-band
        assert len(lower) == 10 and lower == [8] * 10 and upper == [12] * 10
    else:
        assert (lower, upper) == expected
    assert max(upper) - min(lower) <= 1 or "min_size" in kwargs


@pytest.mark.parametrize(
    ("n", "kwargs", "message"),
    [
        (1, {"tables": 1}, "at least 2 invitees"),
        (10, {"tables": 6}, "6 tables need at least 12 invitees"),
        (10, {"tables": 2, "min_size": 7, "max_size": 8}, "do not fit 2 tables of 7 to 8"),
        (10, {"tables": 2, "min_size": 6, "max_size": 4}, "above the largest"),
    ],
)
def test_table_bounds_refuses_what_cannot_be_seated(n, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        table_bounds(n, **kwargs)


def test_preferences_are_validated():
    with pytest.raises(ValidationError, match="zero or more"):
        Preferences(interests=-1)
    with pytest.raises(ValidationError, match="0, 1 or 2"):
        Preferences(lived_experience_min=3)
    with pytest.raises(ValidationError, match="sector share"):
        Preferences(sector_share=0)


def test_explanation_counts_interests_pairings_mix_and_warns():
    pool = people(
        {"sector": "Gov", "org": "Home Office", "interests": {"a", "b"}, "le": True},
        {"sector": "Gov", "org": "Home Office", "interests": {"a"}},
        {"sector": "Gov", "interests": {"a", "c"}},
        {"sector": "NGO", "interests": {"c"}},
        {"sector": "NGO", "interests": {"b"}, "le": True},
        {"sector": "Biz", "interests": {"b"}, "le": True},
    )
    plan = explain(pool, [[0, 1, 2, 3], [4, 5]], {(0, 1): 3}, Preferences(sector_share=0.5))
    first, second = plan.tables
    assert first.number == 1 and first.size == 4
    assert dict(first.shared_interests) == {"a": 3, "c": 2}
    assert first.shared_interests[0] == ("a", 3)
    assert (first.new_pairings, first.repeat_pairings) == (5, 1)
    assert dict(first.sector_mix) == {"Gov": 3, "NGO": 1}
    assert first.lived_experience == 1
    assert not any("lived-experience" in w for w in first.warnings)  # "at least 1" is met
    assert "Gov holds 3 of 4 seats (more than 50%)" in first.warnings
    assert "2 people from Home Office" in first.warnings
    assert second.warnings == ()
    assert plan.new_pairings == 6 and plan.repeat_pairings == 1 and plan.pairs == 7
    assert plan.warnings[0].startswith("Table 1: ")


@pytest.mark.parametrize(
    ("minimum", "tables", "expected"),
    [
        # "At least 1", one each: the rule is met, nobody is warned about.
        (1, [[0, 2, 3, 4], [1, 5, 6, 7]], [[], []]),
        # "At least 1", both at one table: the other table has none (there were enough).
        (1, [[0, 1, 2, 3], [4, 5, 6, 7]], [[], ["no lived-experience participant"]]),
        # "At least 2", one each: each is on their own, one warning per table (not two).
        (
            2,
            [[0, 2, 3, 4], [1, 5, 6, 7]],
            [["one lived-experience participant on their own (at least 2 wanted)"]] * 2,
        ),
        # "At least 2", together: not enough for two tables, so the empty one is fine.
        (2, [[0, 1, 2, 3], [4, 5, 6, 7]], [[], []]),
        # "None": staff did not ask, so no lived-experience warning at all.
        (0, [[0, 2, 3, 4], [1, 5, 6, 7]], [[], []]),
    ],
)
def test_lived_experience_warnings_follow_the_chosen_minimum(minimum, tables, expected):
    pool = people({"le": True}, {"le": True}, *[{}] * 6)
    prefs = Preferences(lived_experience_min=minimum, one_per_organisation=False)
    plan = explain(pool, tables, {}, prefs)
    assert [list(t.warnings) for t in plan.tables] == expected


@pytest.mark.parametrize(
    ("people_count", "tables"),
    [(2, 1), (10, 1), (11, 1), (12, 2), (20, 2), (37, 4), (45, 5), (60, 7), (200, 22)],
)
def test_default_table_count_aims_at_tables_of_8_to_10(people_count, tables):
    assert default_table_count(people_count) == tables
    lower, upper = table_bounds(people_count)  # the command line's default too
    assert len(lower) == tables


def test_default_tables_seat_8_to_10_whenever_that_is_possible():
    for n in range(2, 500):
        if not any(8 * k <= n <= 10 * k for k in range(1, n + 1)):
            continue  # e.g. 21: two tables of 10 and 11, or three of 7
        k = default_table_count(n)
        assert 8 <= n // k and math.ceil(n / k) <= 10, n


def test_even_sizes_lowers_every_pair_only_when_bounds_leave_room():
    rng = np.random.default_rng(1)
    w = rng.random((30, 30))
    w = (w + w.T) / 2
    np.fill_diagonal(w, 0.0)
    assert even_sizes(w, [10, 10, 10], [10, 10, 10]) is w
    assert even_sizes(w, [9, 9, 9], [10, 10, 10]) is w  # a narrow band needs nothing
    shifted = even_sizes(w, [8, 8, 8], [12, 12, 12])
    off = ~np.eye(30, dtype=bool)
    shift = (w - shifted)[off]
    assert np.allclose(shift, shift[0]) and shift[0] > 0
    assert np.all(np.diag(shifted) == 0)
    # The shift is the mean of each person's best 9 weights (a typical good tablemate).
    best = np.sort(np.where(off, w, -np.inf), axis=1)[:, -9:]
    assert shift[0] == pytest.approx(best.mean())
