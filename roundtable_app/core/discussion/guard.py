"""The Chatham House guard: finds where a note names an invitee or their organisation.

Under the Chatham House Rule, what was said may be reported but not who said
it. A note-taker typing live will sometimes write "Amina said…" or "the
Salvation Army's data shows…"; the guard flags each such mention as it is
typed and offers a replacement that keeps the sense without the name ("a
participant from Frontline practice").

Matching is case- and accent-insensitive and on whole words: "JOSE MULLER"
and "José Müller" match "José Müller", "Lukasz" matches "Łukasz", but "Lee"
does not match "sleep". Names written in scripts without spaces between words
(Chinese, Japanese, Thai) are matched anywhere in the text. A person is found
by their full name and by their surname; an organisation by its full name.

A mention can be acknowledged (for example, a public source quoted by name);
an acknowledged term is no longer flagged in that note.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

#: Surnames shorter than this are too likely to be ordinary words ("Ng" aside).
MIN_SURNAME = 3

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
#: Letters that carry no separable accent (Unicode does not decompose them) but that
#: people type without it: "Łukasz" is typed "Lukasz", "Aydın" "Aydin", "Øyvind" "Oyvind".
_UNDECOMPOSED = {
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ħ": "h",
    "ı": "i",
    "ŀ": "l",
    "ŧ": "t",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
}
_ARTICLE_BEFORE = re.compile(r"(?<!\w)(the|The|THE)\s+$")
_WORD = re.compile(r"\w+")
_NO_SPACES = re.compile(
    "[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)


@dataclass(frozen=True, slots=True)
class GuardPerson:
    """An invitee as the guard sees them; ``sector`` is None when it may not be said."""

    name: str
    organisation: str = ""
    sector: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """One place where a note names someone: ``text[start:end]``."""

    start: int
    end: int
    found: str
    term: str  # the normalised name that matched: what an acknowledgement records
    kind: str  # "person" or "organisation"
    replacement: str

    @property
    def description(self) -> str:
        what = "names a participant" if self.kind == "person" else "names an organisation"
        return f"“{self.found}” {what}; replace it with “{self.replacement}”"


def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    return "".join(
        _UNDECOMPOSED.get(part, part)
        for part in unicodedata.normalize("NFKD", ch).casefold()
        if not unicodedata.combining(part)
    )


class _Folded(dict[str, str]):
    """Each character's folded form, as met: a register of 5,000 needs folds a few
    hundred distinct characters, not a million."""

    def __missing__(self, ch: str) -> str:
        plain = self[ch] = _fold_char(ch.translate(_APOSTROPHES))
        return plain


_FOLDED = _Folded()
_ASCII_SPACES = re.compile("[\t\n\v\f\r\x1c-\x1f]")


def _ascii_folded(text: str) -> str:
    text = _ASCII_SPACES.sub(" ", text.lower())
    return text.replace("`", "'") if "`" in text else text


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` without case or accents, and for each folded character its index in ``text``."""
    if text.isascii():  # the usual case: one character for one, lower case
        return _ascii_folded(text), list(range(len(text)))
    parts = list(map(_FOLDED.__getitem__, text))
    origin = [i for i, plain in enumerate(parts) for _ in plain]
    return "".join(parts), origin


def _plain(text: str) -> str:
    """:func:`fold` without the places: what the quick checks compare."""
    if text.isascii():
        return _ascii_folded(text)
    return "".join(map(_FOLDED.__getitem__, text))


def folded(text: str) -> str:
    """The folded form of a name, spaces collapsed: the key of an acknowledgement."""
    return " ".join(_plain(text).split())


class Guard:
    """The names to look for in one roundtable's notes."""

    def __init__(self, people: Sequence[GuardPerson]) -> None:
        self._found: dict[str, tuple[str, str]] = {}  # term -> (kind, replacement)
        for person in people:
            who = f"a participant from {person.sector}" if person.sector else "a participant"
            full = folded(person.name)
            if full:
                self._found.setdefault(full, ("person", who))
            surname = full.rsplit(" ", 1)[1] if " " in full else ""
            if len(surname) >= MIN_SURNAME:
                self._found.setdefault(surname, ("person", who))
            organisation = folded(person.organisation)
            if organisation:
                what = f"an organisation in {person.sector}" if person.sector else "an organisation"
                self._found.setdefault(organisation, ("organisation", what))
        # The regular expression is compiled when a text may hold a name: a text with
        # none of the names' longest words holds none (a register reads 500 roundtables'
        # guards and 5,000 needs, nearly all of them naming no one).
        self._pattern: re.Pattern[str] | None = None
        self._starts: set[str] | None = set()
        for term in self._found:
            # Every run of letters in a name is a whole word of a text that names it:
            # the longest is the rarest to meet by chance ("salvation", not "the").
            words = _WORD.findall(term)
            if not words or _NO_SPACES.search(term):
                self._starts = None  # a name matched inside words: always compile
                break
            self._starts.add(max(words, key=len))

    @staticmethod
    def _compile(terms: list[str]) -> re.Pattern[str] | None:
        if not terms:
            return None
        terms.sort(key=len, reverse=True)  # the longest match first: full name before surname
        spaced = [
            r"\s+".join(re.escape(word) for word in term.split(" "))
            for term in terms
            if not _NO_SPACES.search(term)
        ]
        unspaced = [re.escape(term) for term in terms if _NO_SPACES.search(term)]
        parts = []
        if spaced:
            parts.append(r"(?<!\w)(?:" + "|".join(spaced) + r")(?!\w)")
        if unspaced:
            parts.append("(?:" + "|".join(unspaced) + ")")
        return re.compile("|".join(parts))

    def __bool__(self) -> bool:
        return bool(self._found)

    def mentions(self, text: str, acknowledged: Collection[str] = ()) -> list[Mention]:
        """Every mention in ``text``, in order, leaving out acknowledged terms."""
        if not self._found or not text:
            return []
        folded_text, origin = fold(text)
        if self._starts is not None and self._starts.isdisjoint(_WORD.findall(folded_text)):
            return []
        if self._pattern is None:
            self._pattern = self._compile(list(self._found))
            assert self._pattern is not None
        found = []
        for match in self._pattern.finditer(folded_text):
            term = " ".join(match.group().split())
            if term in acknowledged:
                continue
            kind, replacement = self._found[term]
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            found.append(Mention(start, end, text[start:end], term, kind, replacement))
        return found


def words_of(text: str) -> set[str]:
    """The folded words of ``text``: what :func:`could_name` looks among."""
    return set(_WORD.findall(_plain(text)))


def name_words(person: GuardPerson) -> tuple[frozenset[str], ...] | None:
    """The words a text must hold all of, for one way of naming ``person``.

    Every run of letters in a name is a whole word of a text that names it: a
    text names the person only if it holds every word of their surname (a full
    name holds the surname), or of their organisation's name. ``None`` for a
    name in a script written without spaces, which can be named inside words.
    """
    name = _plain(person.name).split()
    ways = []
    for plain in (name[-1] if name else "", _plain(person.organisation)):
        if _NO_SPACES.search(plain):
            return None
        runs = frozenset(_WORD.findall(plain))
        if runs:
            ways.append(runs)
    return tuple(ways)


def could_name(ways: tuple[frozenset[str], ...] | None, words: AbstractSet[str]) -> bool:
    """Whether texts with these folded ``words`` can name a person (see :func:`name_words`).

    A person they cannot name can be left out of the guard over those texts.
    """
    if ways is None:
        return True
    for runs in ways:  # a loop, not any(): called for each of 10,000 invitations
        if runs <= words:
            return True
    return False


def replace(text: str, mention: Mention) -> str:
    """``text`` with ``mention`` replaced by its suggested words."""
    if text[mention.start : mention.end] != mention.found:
        raise ValueError("the text changed since the mention was found")
    replacement = mention.replacement
    before = text[: mention.start]
    article = _ARTICLE_BEFORE.search(before)
    if article:  # "the Salvation Army" -> "an organisation in …", not "the an organisation"
        before = before[: article.start()]
        if article.group(1)[0].isupper():
            replacement = replacement[:1].upper() + replacement[1:]
    if not before.strip() or before.rstrip()[-1] in ".!?":
        replacement = replacement[:1].upper() + replacement[1:]
    # "Amina's view" -> "a participant's view": the possessive stays.
    return before + replacement + text[mention.end :]


def redact(guard: Guard, text: str, acknowledged: Collection[str] = ()) -> str:
    """``text`` as an output prints it: no invitee is ever named in a discussion section.

    A person's name is always replaced, acknowledged or not (an output names no
    participant in what was discussed); an organisation's name is replaced
    unless staff acknowledged it (a public source, say).
    """
    for mention in reversed(guard.mentions(text)):
        if mention.kind == "organisation" and mention.term in acknowledged:
            continue
        text = replace(text, mention)
    return text
