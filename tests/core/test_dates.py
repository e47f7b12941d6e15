"""Typed dates: what the date fields accept, and what they say about an impossible date."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable_app.core.dates import format_date, parse_date
from roundtable_app.core.errors import ValidationError

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/04/2027", dt.date(2027, 4, 15)),
        ("15/4/27", dt.date(2027, 4, 15)),
        ("15.4.2027", dt.date(2027, 4, 15)),
        ("15-4-2027", dt.date(2027, 4, 15)),
        ("2027-04-15", dt.date(2027, 4, 15)),
        ("15 Apr 2027", dt.date(2027, 4, 15)),
        ("Thu 15 April 2027", dt.date(2027, 4, 15)),
        ("April 15, 2027", dt.date(2027, 4, 15)),
        ("  15   apr   2027 ", dt.date(2027, 4, 15)),
        ("15/4", dt.date(2027, 4, 15)),  # no year: the next 15 April
        ("20 Dec", dt.date(2026, 12, 20)),
        ("29/2", dt.date(2028, 2, 29)),  # the next leap year
        ("today", TODAY),
        ("Tomorrow", dt.date(2026, 12, 8)),
        (format_date(dt.date(2027, 3, 4)), dt.date(2027, 3, 4)),
    ],
)
def test_dates_as_people_type_them(text: str, expected: dt.date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2027", "'31/02/2027' is not a date: February 2027 has 28 days."),
        ("29 Feb 2027", "'29 Feb 2027' is not a date: February 2027 has 28 days."),
        ("31/4", "'31/4' is not a date: April 2026 has 30 days."),
        ("4/15/2027", "'4/15/2027' is not a date: there is no month 15. Type the day first"),
        ("15 Avr 2027", "'15 Avr 2027' is not a date: 'avr' is not a month"),
        ("next week", "'next week' is not a date; type it as 15/04/2027 or 15 Apr 2027."),
        ("", "Enter a date, such as 15/04/2027 or 15 Apr 2027."),
        ("15/4/0027", "is not a date"),
    ],
)
def test_impossible_dates_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_date(text, TODAY)
    assert str(raised.value).startswith(message) or message in str(raised.value)
    assert raised.value.field == "date"


def test_the_shown_form_reads_back() -> None:
    assert format_date(dt.date(2027, 4, 15)) == "Thu 15 Apr 2027"
