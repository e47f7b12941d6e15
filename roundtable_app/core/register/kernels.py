"""The compiled inner loop of the register's similarity: dot products over shared terms.

numba compiles it on first use and keeps the machine code on disk (``cache=True``),
as the grouping kernels are kept. Pure Python over 5,000 needs spent seconds
pairing every two needs that share a common word.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def alike_pairs(
    doc_ptr: np.ndarray,
    doc_terms: np.ndarray,
    doc_weights: np.ndarray,
    term_ptr: np.ndarray,
    term_docs: np.ndarray,
    term_weights: np.ndarray,
    side: np.ndarray,
    threshold: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """Pairs (i < j) whose vectors' dot product is at least ``threshold``, sides apart.

    Documents are rows (``doc_ptr``/``doc_terms``/``doc_weights``, compressed by
    row); ``term_ptr``/``term_docs``/``term_weights`` are the same entries by term,
    each term's documents in increasing order.
    """
    n = len(doc_ptr) - 1
    acc = np.zeros(n)
    touched = np.empty(n, np.int64)
    capacity = 1024
    first = np.empty(capacity, np.int64)
    second = np.empty(capacity, np.int64)
    cosine = np.empty(capacity)
    found = 0
    for i in range(n):
        count = 0
        for p in range(doc_ptr[i], doc_ptr[i + 1]):
            t = doc_terms[p]
            w = doc_weights[p]
            lo, hi = term_ptr[t], term_ptr[t + 1]
            start = lo + np.searchsorted(term_docs[lo:hi], i, side="right")
            for q in range(start, hi):
                j = term_docs[q]
                if side[j] == side[i]:
                    continue
                if acc[j] == 0.0:
                    touched[count] = j
                    count += 1
                acc[j] += w * term_weights[q]
        for r in range(count):
            j = touched[r]
            if acc[j] >= threshold:
                if found == capacity:
                    capacity *= 2
                    first = np.concatenate((first, np.empty(capacity - found, np.int64)))
                    second = np.concatenate((second, np.empty(capacity - found, np.int64)))
                    cosine = np.concatenate((cosine, np.empty(capacity - found)))
                first[found] = i
                second[found] = j
                cosine[found] = acc[j]
                found += 1
            acc[j] = 0.0
    return first[:found], second[:found], cosine[:found]
