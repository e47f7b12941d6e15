"""How people's names sort and shorten, for lists and printed sheets.

A sign-in sheet is sorted by surname, so that a person finds their line at a
glance; a person who has not consented to be named appears on printed
sheets as their first name and initial. Names come in many shapes: the
heuristics here take the last word as the surname, and a name with no spaces
(for example 王芳 or a mononym) sorts whole.

Chinese, Korean and Japanese names are often written without a space, family
name first (王芳, 김민준): shortened, they keep the first character and mask
the rest with full-width asterisks (王＊, 김＊＊), as names are masked in those
languages; kept whole, they would name someone who did not consent to it.
"""

from __future__ import annotations

import unicodedata


def _words(name: str) -> list[str]:
    return unicodedata.normalize("NFC", name).split()


def surname_key(name: str) -> tuple[str, str]:
    """Sort key: the surname (the last word), then the whole name, case-insensitive."""
    words = _words(name)
    last = words[-1] if words else ""
    return (last.casefold(), " ".join(words).casefold())


#: Scripts written without spaces between family and given name (Unicode name prefixes).
_UNSPACED_SCRIPTS = (
    "CJK UNIFIED IDEOGRAPH",
    "CJK COMPATIBILITY IDEOGRAPH",
    "HANGUL SYLLABLE",
    "HIRAGANA LETTER",
    "KATAKANA LETTER",
)
#: A full-width asterisk: the report fonts print it beside Chinese, Korean and Japanese.
MASK = "\uff0a"


def _unspaced(word: str) -> bool:
    return all(unicodedata.name(char, "").startswith(_UNSPACED_SCRIPTS) for char in word)


def first_name_and_initial(name: str) -> str:
    """ "Amina Yusuf" → "Amina Y."; "王芳" → "王＊"; another single word stays as it is."""
    words = _words(name)
    if len(words) == 1 and len(words[0]) > 1 and _unspaced(words[0]):
        return words[0][0] + MASK * (len(words[0]) - 1)
    if len(words) < 2:
        return " ".join(words)
    return f"{words[0]} {words[-1][0]}."
