"""Checks on user input shared by the dialogs, the importer and the CLI.

Every service that stores text a user typed or imported passes it through
:func:`check_text`, so a NUL character is refused the same way everywhere
(PostgreSQL cannot store it, and SQLite would keep it as a hidden trap).
E-mail addresses get their own, stricter checks: an invisible character
would make ``jane\\u200b@zw.org`` a second person beside ``jane@zw.org``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from roundtable_app.core.errors import ValidationError

# Deliberately practical rather than RFC 5322 complete: one @, a dot in the
# domain, no spaces. It rejects what people really mistype ("jane@", "jane at x").
_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[A-Za-z]{2,}$")

NUL = "\x00"


def check_text(value: str | None, what: str, field: str | None = None) -> None:
    """Refuse ``value`` if it holds a NUL character, naming ``what`` ("the notes").

    Cheap enough to run on every field of every imported row (one memchr).
    """
    if value and NUL in value:
        raise ValidationError(
            f"There is an invisible NUL character in {what} (often pasted from another "
            "program), which cannot be saved; delete it or type the text again.",
            field=field,
        )


def check_texts(values: Iterable[tuple[str | None, str, str]]) -> None:
    """:func:`check_text` on each ``(value, what, field)``."""
    for value, what, field in values:
        check_text(value, what, field)


def has_nul(*texts: str | None) -> bool:
    """Whether any of ``texts`` holds a NUL: one quick test before naming the field."""
    return NUL in "".join(filter(None, texts))


def normalise_email(value: str | None) -> str | None:
    """Strip spaces and a ``mailto:`` prefix, compose accents (NFC); ``None`` for blank input.

    NFC makes "José" typed with a combining accent the same address as "José"
    typed with the composed letter.
    """
    if value is None:
        return None
    text = value.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:].strip()
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text or None


def visible(value: str) -> str:
    """``value`` with each invisible or control character shown as ``[U+200B]``."""
    if value.isprintable():
        return value
    return "".join(ch if ch.isprintable() or ch == " " else f"[U+{ord(ch):04X}]" for ch in value)


def _hidden_character(value: str) -> str | None:
    """What the first character of ``value`` that no address may hold is, or ``None``.

    Control characters (category Cc), format characters (Cf: zero-width
    spaces and joiners, direction marks and overrides, soft hyphens) and
    unassigned or private code points are invisible or change how the text
    is shown, so an address holding one is not the address it looks like.
    """
    for ch in value:
        category = unicodedata.category(ch)
        if category[0] == "C":
            code = f"U+{ord(ch):04X}"
            if category == "Cc":
                return f"a control character ({code})"
            name = unicodedata.name(ch, "").lower()
            return f"an invisible character ({name}, {code})" if name else f"a {code} character"
    return None


def email_problem(value: str) -> str | None:
    """Why the (normalised) address ``value`` cannot be stored, or ``None`` if it can.

    The reason names the address, with any invisible character made visible:
    "'jane[U+200B]@zw.org' holds an invisible character (zero width space, U+200B)".
    """
    if not value.isprintable():
        hidden = _hidden_character(value)
        if hidden is not None:
            return f"'{visible(value)}' holds {hidden}"
    if not _EMAIL.match(value) or ".." in value:
        return f"'{visible(value)}' is not an e-mail address"
    return None


def is_valid_email(value: str) -> bool:
    return email_problem(value) is None


def email_key(value: str) -> str:
    """The form in which two addresses are compared (composed accents, any case)."""
    text = value.strip()
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text.lower()


def clean_name(value: str | None) -> str:
    return " ".join((value or "").split())


#: What separates interests in one cell; an interest holding one is written in quotes.
INTEREST_SEPARATORS = ";,|\n"
_SPLIT = re.compile(r"[;,|\n]")


def _interest_items(value: str) -> list[str]:
    """The items of a cell such as ``"Trafficking, forced labour"; Policing``.

    An item in double quotes keeps its separators (``""`` is a quote inside
    it), as :func:`join_interests` writes it and as Mailchimp exports tags.
    A quote anywhere else is an ordinary character.
    """
    items: list[str] = []
    i, n = 0, len(value)
    while i < n:
        while i < n and value[i] in " \t":
            i += 1
        if i < n and value[i] == '"':
            i += 1
            chars: list[str] = []
            while i < n:
                if value[i] == '"':
                    if value[i + 1 : i + 2] == '"':
                        chars.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                chars.append(value[i])
                i += 1
            end = i
            while end < n and value[end] not in INTEREST_SEPARATORS:
                end += 1
            items.append("".join(chars) + value[i:end])  # text after the quote is kept
            i = end + 1
            continue
        end = i
        while end < n and value[end] not in INTEREST_SEPARATORS:
            end += 1
        items.append(value[i:end])
        i = end + 1
    return items


def split_interests(value: str | None) -> tuple[str, ...]:
    """Split a cell such as ``"Forced labour; Policing"`` on ``;``, ``,``, ``|`` or a new line.

    Keeps the first spelling of each interest and drops blanks and repeats. An
    interest in double quotes may hold separators (see :func:`join_interests`).
    """
    if not value:
        return ()
    parts = _interest_items(value) if '"' in value else _SPLIT.split(value)
    seen: dict[str, str] = {}
    for part in parts:
        name = clean_name(part)
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return tuple(seen.values())


def join_interests(names: Iterable[str]) -> str:
    """Interests as one cell that :func:`split_interests` reads back unchanged.

    ``["Trafficking, forced labour", "Policing"]`` becomes
    ``"Trafficking, forced labour"; Policing``.
    """
    return "; ".join(_quoted_interest(name) for name in names)


def _quoted_interest(name: str) -> str:
    if '"' in name or any(sep in name for sep in INTEREST_SEPARATORS):
        return '"' + name.replace('"', '""') + '"'
    return name
