"""The one rule for small numbers in printed and exported figures: "fewer than 3".

Staff see exact numbers on screen. In a PDF, a spreadsheet, a CSV file or the
command line's output, which travel further, a count of 1 or 2 that could
point at someone (lived-experience participants anywhere; any sector at a
single roundtable) is written "fewer than 3", and a rate worked out from such
a count is "not shown", so that it cannot give the count back. Zero identifies
nobody and is written as 0: "which sectors were missing" is a question the
report must still answer.
"""

from __future__ import annotations

FEWER_THAN_3 = "fewer than 3"
NOT_SHOWN = "not shown"
SMALLEST_SHOWN = 3


def hidden(count: int, *, protected: bool) -> bool:
    """Whether ``count`` must not be printed as it is (1 or 2, of a protected group)."""
    return protected and 0 < count < SMALLEST_SHOWN


def printed_count(count: int, *, protected: bool) -> int | str:
    """``count`` as an output prints it: the number, or "fewer than 3" (see the module)."""
    return FEWER_THAN_3 if hidden(count, protected=protected) else count


def printed_rate(
    part: int, whole: int, *, protected: bool, whole_protected: bool = False
) -> float | str | None:
    """``part / whole`` for an output: None without a whole, "not shown" if it reveals a count."""
    if not whole:
        return None
    if hidden(part, protected=protected) or hidden(whole, protected=whole_protected):
        return NOT_SHOWN
    return part / whole


def is_lived_experience_sector(name: str) -> bool:
    """A sector of people with lived experience: its counts are always protected."""
    return "lived experience" in name.casefold()
