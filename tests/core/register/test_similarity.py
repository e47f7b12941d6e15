"""Which needs read alike: the compiled pairing agrees with plain cosine arithmetic."""

from __future__ import annotations

import math
import random
from collections import Counter

from roundtable_app.core.register import Unit, similar_groups, terms
from roundtable_app.core.register.similarity import _alike_pairs

WORDS = (
    "forced labour prevalence construction supply chains survivors recovery support "
    "police training cost councils children county lines data linked care homes"
).split()


def _cosines(texts: list[str]) -> dict[tuple[int, int], float]:
    """Every pair's cosine, the slow and obvious way (the same weights)."""
    bags = [Counter(terms(t)) for t in texts]
    df = Counter(term for bag in bags for term in bag)
    n = len(texts)
    vectors = []
    for bag in bags:
        v = {
            t: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[t])) + 1)
            for t, c in bag.items()
            if df[t] >= 2
        }
        full = {
            t: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[t])) + 1) for t, c in bag.items()
        }
        norm = math.sqrt(sum(w * w for w in full.values())) or 1.0
        vectors.append({t: w / norm for t, w in v.items()})
    return {
        (i, j): sum(w * vectors[j].get(t, 0.0) for t, w in vectors[i].items())
        for i in range(n)
        for j in range(i + 1, n)
    }


def test_the_pairs_found_are_exactly_those_alike_enough_and_apart() -> None:
    rng = random.Random(7)
    texts = [" ".join(rng.choices(WORDS, k=rng.randint(3, 9))) for _ in range(120)]
    apart = [rng.randint(0, 30) for _ in texts]
    first, second, cosine = _alike_pairs(texts, apart, 0.3)
    found = {
        (i, j): c for i, j, c in zip(first.tolist(), second.tolist(), cosine.tolist(), strict=True)
    }
    expected = {
        pair: c
        for pair, c in _cosines(texts).items()
        if c >= 0.3 - 1e-9 and apart[pair[0]] != apart[pair[1]]
    }
    assert found.keys() == expected.keys()
    assert all(math.isclose(found[p], expected[p], rel_tol=1e-9) for p in found)
    assert expected  # the test has something to find


def test_a_suggestion_never_holds_a_roundtable_twice_nor_two_groups() -> None:
    same = "What is the prevalence of forced labour in construction supply chains?"
    units = [
        Unit(same, frozenset({1})),
        Unit(same, frozenset({1})),  # the same roundtable again
        Unit(same + " today", frozenset({2}), group=10),
        Unit(same + " now", frozenset({3}), group=11),
        Unit("How much does police training cost?", frozenset({4})),
    ]
    found = similar_groups(units)
    for members, likeness in found:
        roundtables = [r for m in members for r in units[m].roundtables]
        assert len(roundtables) == len(set(roundtables))
        assert sum(units[m].group is not None for m in members) <= 1
        assert likeness >= 0.45
    assert all(4 not in members for members, _ in found)
    assert found  # near-duplicates at different roundtables are suggested


def test_one_template_across_different_themes_is_not_one_need() -> None:
    template = "What early warning signs of {} could frontline staff act on?"
    units = [
        Unit(template.format("forced labour"), frozenset({1}), themes=frozenset({"forced"})),
        Unit(template.format("county lines"), frozenset({2}), themes=frozenset({"county"})),
        Unit(template.format("forced labour"), frozenset({3}), themes=frozenset({"forced"})),
        Unit(template.format("sexual exploitation"), frozenset({4})),  # no theme: may join
    ]
    # Among other needs, as in a register, the template's words weigh enough to join them.
    units += [
        Unit(text, frozenset({10 + k}), themes=frozenset({"other"}))
        for k, text in enumerate(
            [
                "How much does police training cost per officer?",
                "Which survivor support services improve recovery?",
                "How many victims are never identified?",
                "What data on modern slavery statements is collected?",
                "How are children recruited into criminal exploitation?",
                "What is the cost of forced labour to public services?",
                "How do councils count victims placed in care homes?",
                "Which legal levers on domestic servitude are used least?",
            ]
        )
    ]
    found = [sorted(members) for members, _ in similar_groups(units)]
    assert found and all(not {0, 1} <= set(m) and not {1, 2} <= set(m) for m in found)
    assert any({0, 2} <= set(m) for m in found)


def test_warming_up_loads_the_compiled_kernel() -> None:
    from roundtable_app.core.register import kernels, warm_up

    warm_up()
    assert kernels.alike_pairs.signatures  # compiled (or loaded from the cache) and ready
