"""Checks on user input shared by the dialogs, the importer and the CLI."""

from __future__ import annotations

import re

# Deliberately practical rather than RFC 5322 complete: one @, a dot in the
# domain, no spaces. It rejects what people really mistype ("jane@", "jane at x").
_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[A-Za-z]{2,}$")


def normalise_email(value: str | None) -> str | None:
    """Strip spaces and a ``mailto:`` prefix; return ``None`` for blank input."""
    if value is None:
        return None
    text = value.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:].strip()
    return text or None


def is_valid_email(value: str) -> bool:
    return bool(_EMAIL.match(value)) and ".." not in value


def email_key(value: str) -> str:
    """The form in which two addresses are compared (case-insensitive)."""
    return value.strip().lower()


def clean_name(value: str | None) -> str:
    return " ".join((value or "").split())


def split_interests(value: str | None) -> tuple[str, ...]:
    """Split a cell such as ``"Forced labour; Policing"`` on ``;`` or ``,``.

    Keeps the first spelling of each interest and drops blanks and repeats.
    """
    if not value:
        return ()
    parts = re.split(r"[;,|\n]", value)
    seen: dict[str, str] = {}
    for part in parts:
        name = clean_name(part)
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return tuple(seen.values())
