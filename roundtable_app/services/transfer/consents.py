"""How and when a consent was given, as an import reads it from a cell and records it.

A "how" cell holds a :class:`ConsentMethod`'s label ("On an online form", as
the export writes it) or value ("online_form"), in any case, or one of a few
everyday words ("by phone", "written"). A "when" cell holds a date and time:
ISO ("2026-03-31 14:05:09 UTC", as the export writes it, or with ``T``, an
offset or no time), or day first as in the UK ("31/03/2026 14:05"); without a
zone it is read as UTC. Anything else is a row problem.

What an import records follows the directory's own rules
(``directory.create_person``/``update_person``): a consent given, or a "how"
said, without a time is dated at the import; a consent given without a "how"
is recorded as given "as recorded in an imported file". What the file says
about how and when is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from roundtable_app.core.model import ConsentMethod

#: Every spelling of a "how" this reads, lower case, to its value ("" for not recorded).
_HOW: dict[str, str] = {}
for _method in ConsentMethod:
    _HOW[_method.label] = _method.value  # as the export writes it: found without folding
    _HOW[_method.label.lower()] = _method.value
    _HOW[_method.value] = _method.value
    _HOW[_method.value.replace("_", " ")] = _method.value
_HOW.update(
    {
        "written": ConsentMethod.IN_WRITING.value,
        "writing": ConsentMethod.IN_WRITING.value,
        "letter": ConsentMethod.IN_WRITING.value,
        "e-mail": ConsentMethod.EMAIL.value,
        "by email": ConsentMethod.EMAIL.value,
        "verbal": ConsentMethod.VERBALLY.value,
        "verbally": ConsentMethod.VERBALLY.value,
        "phone": ConsentMethod.VERBALLY.value,
        "by phone": ConsentMethod.VERBALLY.value,
        "in person": ConsentMethod.VERBALLY.value,
        "online": ConsentMethod.ONLINE_FORM.value,
        "online form": ConsentMethod.ONLINE_FORM.value,
        "web form": ConsentMethod.ONLINE_FORM.value,
        "form": ConsentMethod.ONLINE_FORM.value,
        "import": ConsentMethod.IMPORTED.value,
    }
)
#: The same, read only (an import looks up the common spellings itself, fast).
KNOWN_HOW: Mapping[str, str] = _HOW
#: The fields of an import that say how and when a consent was given.
CONSENT_FIELDS = frozenset(
    {"contact_consent_how", "contact_consent_at", "named_consent_how", "named_consent_at"}
)
#: What a row problem suggests instead.
HOW_CHOICES = "In writing, By e-mail, Verbally, On an online form or Imported, or leave it empty"
WHEN_EXAMPLE = "2026-03-31 14:05 UTC"
#: Day-first forms, as UK spreadsheets write dates (ISO is tried first).
_DAY_FIRST = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
)
_ZONE_WORDS = (" utc", " gmt", "utc", "gmt")
#: A time this far ahead of the clock is a typo, not a consent.
_SLACK = dt.timedelta(days=1)


def parse_how(cell: str) -> str | None:
    """The :class:`ConsentMethod` value a cell names, "" for none, or ``None`` if unknown."""
    found = _HOW.get(cell)
    if found is None:
        found = _HOW.get(" ".join(cell.lower().split()))
    return found


def parse_when(cell: str, latest: dt.datetime) -> dt.datetime:
    """The UTC time a cell names, or :class:`ValueError` with the reason (a row problem).

    ``latest``: later than this is a typo ("is in the future"); see :func:`latest_time`.
    """
    if cell[-4:] == " UTC":  # as the export writes it: the fast path for 100,000 rows
        try:
            # An offset in the text, not datetime.replace(): several times faster.
            value = dt.datetime.fromisoformat(cell[:-4] + "+00:00")
        except ValueError:
            value = _parse(cell)
    else:
        value = _parse(cell)
    if value > latest:
        raise ValueError("is in the future")
    return value


def latest_time() -> dt.datetime:
    """The latest time a consent can have been given: now, give or take a day of clocks."""
    return dt.datetime.now(dt.UTC) + _SLACK


def _parse(cell: str) -> dt.datetime:
    text = cell.strip()
    lowered = text.lower()
    for word in _ZONE_WORDS:
        if lowered.endswith(word):
            text = text[: -len(word)].rstrip()
            break
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        value = _day_first(text)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _day_first(text: str) -> dt.datetime:
    for form in _DAY_FIRST:
        try:
            return dt.datetime.strptime(text, form)
        except ValueError:
            continue
    raise ValueError(f"is not a date and time (write it as {WHEN_EXAMPLE})")


def merged_consent(
    given: tuple[bool, bool, bool],
    before: tuple[str, dt.datetime | None],
    incoming: tuple[str, dt.datetime | None],
) -> tuple[str, dt.datetime | None]:
    """How and when of a consent after a merge.

    ``given`` is the consent before, in the file, and after the merge. A
    consent the file withdrew takes the file's how (or "imported") and when
    (or none: the writer dates it at the import); a record with no "how"
    takes the file's, if the file's answer is the one kept (an import never
    grants consent, so the record of a "yes" it did not take is not taken
    either); otherwise what the directory recorded stays.
    """
    (before_given, file_given, after_given) = given
    (how, at), (new_how, new_at) = before, incoming
    if after_given != before_given:
        return new_how or ConsentMethod.IMPORTED.value, new_at
    if file_given != after_given:
        return how, at
    if not how and new_how:
        return new_how, new_at
    if not how and at is None and new_at is not None:
        return how, new_at
    return how, at


def stamped(
    given: bool, how: str, at: dt.datetime | None, now: dt.datetime
) -> tuple[str, dt.datetime | None]:
    """How and when of a new person's consent: dated ``now`` if the file gave no time.

    A consent given without a "how" or a "when" was given "as recorded in an
    imported file", now; one withheld without either records nothing.
    """
    if at is None:
        if how:
            return how, now
        if given:
            return ConsentMethod.IMPORTED.value, now
    return how, at
