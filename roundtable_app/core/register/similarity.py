"""Which evidence needs raised at different roundtables say the same thing.

Each need becomes a TF-IDF vector over its words and word pairs (folded, common
words left out, each word cut to its first six letters so that "prevalence"
meets "prevalent"); two needs are alike when the cosine of their vectors is at
least the threshold. Only words two needs share can make them alike, so the
products are summed over the needs that share each term (an inverted index)
rather than over every pair of needs.

Alike needs are joined greedily, most alike first, into suggestions; a join
that would put two needs of the same roundtable together, or two groups staff
already confirmed, or needs whose themes differ entirely, is skipped. A
:class:`Unit` is one need, or a confirmed group seen as one.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: How alike two needs must read (cosine of their TF-IDF vectors) to be suggested.
DEFAULT_THRESHOLD = 0.45
_STEM = 6
_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset(
    """a about above across after again against all also am an and any are as at be been
    before being between both but by can could did do does doing down during each few for
    from further had has have having how i if in into is it its itself just may might more
    most much must no nor not of off on once only or other our out over own same should so
    some such than that the their them then there these they this those through to too
    under until up us very was we were what when where whether which while who whom why
    will with within would you your evidence need needs needed know known understand
    better research study studies""".split()
)


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def terms(text: str) -> list[str]:
    """The terms a need is compared by: stemmed words and adjacent word pairs."""
    words = [w[:_STEM] for w in _WORD.findall(_fold(text)) if w not in _STOP and len(w) > 1]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


@dataclass(frozen=True, slots=True)
class Unit:
    """What the suggestions join: one need, or a group staff confirmed (``group``)."""

    text: str
    roundtables: frozenset[int]
    group: int | None = None
    #: Its themes: needs that both have themes, and share none, are not suggested together
    #: (a template such as "What early warning signs of … could staff act on?" read alike
    #: across every topic).
    themes: frozenset[str] = frozenset()


def _vectors(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(doc, term, weight) of every term of every text, each text's weights of length 1."""
    vocabulary: dict[str, int] = {}
    docs: list[int] = []
    ids: list[int] = []
    counts: list[int] = []
    for d, text in enumerate(texts):
        bag: dict[int, int] = {}
        for word in terms(text):
            t = vocabulary.setdefault(word, len(vocabulary))
            bag[t] = bag.get(t, 0) + 1
        docs += [d] * len(bag)
        ids += bag.keys()
        counts += bag.values()
    doc = np.asarray(docs, dtype=np.int64)
    term = np.asarray(ids, dtype=np.int64)
    df = np.bincount(term, minlength=len(vocabulary))
    idf = np.log((1 + len(texts)) / (1 + df)) + 1.0
    weight = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * idf[term]
    norms = np.sqrt(np.bincount(doc, weights=weight * weight, minlength=len(texts)))
    weight = weight / np.where(norms > 0, norms, 1.0)[doc]
    return doc, term, weight


def _alike_pairs(
    texts: Sequence[str], apart: Sequence[int], threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) of texts at least ``threshold`` alike, where ``apart[i] != apart[j]``."""
    empty = np.zeros(0, dtype=np.int64)
    if len(texts) < 2:
        return empty, empty, np.zeros(0)
    from roundtable_app.core.register.kernels import alike_pairs  # numba: loaded when needed

    doc, term, weight = _vectors(texts)
    df = np.bincount(term)
    shared = df[term] >= 2  # a term of one text alone adds nothing to any pair
    doc, term, weight = doc[shared], term[shared], weight[shared]
    n = len(texts)
    doc_ptr = np.searchsorted(doc, np.arange(n + 1))  # entries come in document order
    by_term = np.lexsort((doc, term))
    term_ptr = np.searchsorted(term[by_term], np.arange(len(df) + 1))
    return alike_pairs(
        doc_ptr,
        term,
        weight,
        term_ptr,
        doc[by_term],
        weight[by_term],
        np.asarray(apart, dtype=np.int64),
        threshold - 1e-9,
    )


def similar_groups(
    units: Sequence[Unit], threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[list[int], float]]:
    """Suggested groups of ``units`` (indices) with the least likeness that joined them.

    Every suggestion has at least two units and at most one confirmed group; no
    roundtable appears twice in it. Suggestions come most alike first.
    """
    # A unit's roundtables must all differ from its partner's: one roundtable each is
    # the usual case, so compare by the smallest and check the rest when joining.
    apart = [min(u.roundtables) if u.roundtables else -1 - k for k, u in enumerate(units)]
    first, second, cosine = _alike_pairs([u.text for u in units], apart, threshold)
    parent = list(range(len(units)))
    members = {k: [k] for k in range(len(units))}
    seen = {k: set(u.roundtables) for k, u in enumerate(units)}
    groups = {k: u.group for k, u in enumerate(units)}
    topics = {k: set(u.themes) for k, u in enumerate(units)}
    weakest = {k: math.inf for k in range(len(units))}

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    order = np.lexsort((second, first, -cosine))
    for i, j, c in zip(
        first[order].tolist(), second[order].tolist(), cosine[order].tolist(), strict=True
    ):
        a, b = root(i), root(j)
        if a == b or not seen[a].isdisjoint(seen[b]):
            continue
        if groups[a] is not None and groups[b] is not None:
            continue
        if topics[a] and topics[b] and topics[a].isdisjoint(topics[b]):
            continue
        if len(members[a]) < len(members[b]):
            a, b = b, a
        parent[b] = a
        members[a] += members.pop(b)
        seen[a] |= seen.pop(b)
        topics[a] |= topics.pop(b)
        groups[a] = groups[a] if groups[a] is not None else groups[b]
        weakest[a] = min(weakest[a], weakest[b], c)
    found = [(sorted(m), weakest[k]) for k, m in members.items() if len(m) >= 2 and parent[k] == k]
    found.sort(key=lambda s: (-len(s[0]), -s[1], s[0]))
    return found


def warm_up() -> None:
    """Load the compiled kernel (numba and its cached machine code) ahead of the first
    suggestion: about a second the user would otherwise wait for."""
    similar_groups([Unit("forced labour prevalence", frozenset({1}))] * 2)
