"""Dates as people type them: "15/4/2027", "15 Apr 2027", "2027-04-15", "tomorrow".

Day first, as the centre writes dates (UK). An impossible date is refused with a
message that says what is wrong ("February 2027 has 28 days"), never silently
moved to another day. Month names are English, matching the dates shown.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from roundtable_app.core.errors import ValidationError

EXAMPLE = "15/04/2027 or 15 Apr 2027"
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_WEEKDAYS = {
    name.lower()
    for number in range(7)
    for name in (calendar.day_name[number], calendar.day_abbr[number])
}
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORD = re.compile(r"[a-z]+|\d+")


def format_date(day: dt.date) -> str:
    """ "Thu 15 Apr 2027": how date fields show a date (and read it back)."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def parse_date(text: str, today: dt.date | None = None) -> dt.date:
    """The date ``text`` means, or :class:`ValidationError` saying what is wrong.

    Accepts day/month/year with ``/``, ``.`` or ``-`` (two-digit years are
    20xx), ISO ``2027-04-15``, ``15 Apr 2027`` or ``Thu 15 April 2027``, and
    ``today``/``tomorrow``. Without a year, the next such day from ``today``.
    """
    today = today or dt.date.today()
    cleaned = " ".join(text.replace(",", " ").split()).lower()
    if not cleaned:
        raise ValidationError(f"Enter a date, such as {EXAMPLE}.", "date")
    if cleaned in ("today", "tomorrow"):
        return today + dt.timedelta(days=cleaned == "tomorrow")
    iso = _ISO.match(cleaned)
    if iso:
        return _make(text, int(iso[1]), int(iso[2]), int(iso[3]))
    numeric = _NUMERIC.match(cleaned)
    if numeric:
        day, month = int(numeric[1]), int(numeric[2])
        year = numeric[3]
        if year is None:
            return _next(text, day, month, today)
        return _make(text, _full_year(year), month, day)
    words = [w for w in _WORD.findall(cleaned) if w not in _WEEKDAYS]
    months = [w for w in words if not w.isdigit()]
    numbers = [w for w in words if w.isdigit()]
    if len(months) == 1 and months[0] in _MONTHS and 1 <= len(numbers) <= 2:
        month, day = _MONTHS[months[0]], int(numbers[0])
        if len(numbers) == 1:
            return _next(text, day, month, today)
        return _make(text, _full_year(numbers[1]), month, day)
    if len(months) == 1 and months[0] not in _MONTHS and numbers:
        raise ValidationError(
            f"'{text.strip()}' is not a date: '{months[0]}' is not a month; type it as {EXAMPLE}.",
            "date",
        )
    raise ValidationError(f"'{text.strip()}' is not a date; type it as {EXAMPLE}.", "date")


def _full_year(year: str) -> int:
    """ "27" is 2027; "0027" stays the year 27 (and is refused)."""
    return 2000 + int(year) if len(year) <= 2 else int(year)


def _next(text: str, day: int, month: int, today: dt.date) -> dt.date:
    """The next ``day``/``month`` on or after ``today`` (29 Feb: the next leap year)."""
    for year in range(today.year, today.year + 9):
        try:
            found = dt.date(year, month, day)
        except ValueError:
            if not 1 <= month <= 12 or not 1 <= day <= 31:
                break  # impossible in any year: let _make say why
            continue
        if found >= today:
            return found
    return _make(text, today.year, month, day)


def _make(text: str, year: int, month: int, day: int) -> dt.date:
    shown = text.strip()
    if not 1 <= month <= 12:
        raise ValidationError(
            f"'{shown}' is not a date: there is no month {month}. "
            f"Type the day first, as in {EXAMPLE}.",
            "date",
        )
    if not 1900 <= year <= 2200:
        raise ValidationError(
            f"'{shown}' is not a date: {year} is not a year we can plan for; "
            f"type it in full, as in {EXAMPLE}.",
            "date",
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValidationError(
            f"'{shown}' is not a date: {calendar.month_name[month]} {year} has {days} days.",
            "date",
        )
    return dt.date(year, month, day)
