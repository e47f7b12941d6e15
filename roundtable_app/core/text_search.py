"""Finding a person by the few letters someone types: "am yu" finds Amina Yusuf.

Matching ignores case and accents (typing "zoe" finds Zoë; a letter of its
own such as ø stays itself), and every typed word must be found. A typed word
at the start of a word of the name or the organisation is a better match than
one inside a word; names written without spaces (王芳) are found by any part.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

#: How well a text matches: the start of words, anywhere, or not at all (None).
WORD_START = 0
INSIDE = 1


def fold(text: str) -> str:
    """``text`` for comparing: accents taken off, case folded, spaces made single."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def query_words(query: str) -> tuple[str, ...]:
    """The words of what was typed, folded (empty: nothing typed)."""
    return tuple(fold(query).split())


@dataclass(frozen=True, slots=True)
class SearchKey:
    """What a record is found by, folded once (build it when the rows load)."""

    text: str  # every searchable part, folded, joined by spaces
    words: tuple[str, ...]

    @classmethod
    def of(cls, *parts: str) -> SearchKey:
        text = " ".join(fold(p) for p in parts if p)
        return cls(text, tuple(text.split()))

    def rank(self, words: tuple[str, ...]) -> int | None:
        """:data:`WORD_START`, :data:`INSIDE`, or None when a typed word is not found."""
        rank = WORD_START
        for typed in words:
            if typed not in self.text:
                return None
            if rank == WORD_START and not any(w.startswith(typed) for w in self.words):
                rank = INSIDE
        return rank
