"""How people's names sort and shorten, for lists and printed sheets.

A sign-in sheet is sorted by surname, so that a person finds their line at a
glance; a person who has not consented to be named appears on printed
sheets as their first name and initial. Names come in many shapes: the
heuristics here take the last word as the surname, and a name with no spaces
(for example 王芳 or a mononym) is kept whole.
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


def first_name_and_initial(name: str) -> str:
    """ "Amina Yusuf" → "Amina Y."; one word stays as it is."""
    words = _words(name)
    if len(words) < 2:
        return " ".join(words)
    return f"{words[0]} {words[-1][0]}."
