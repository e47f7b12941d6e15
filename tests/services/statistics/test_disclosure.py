"""The "fewer than 3" rule: one function decides how a count prints."""

from __future__ import annotations

import pytest

from roundtable_app.services.statistics import (
    FEWER_THAN_3,
    NOT_SHOWN,
    is_lived_experience_sector,
    printed_count,
    printed_rate,
)


@pytest.mark.parametrize(
    ("count", "printed"), [(0, 0), (1, FEWER_THAN_3), (2, FEWER_THAN_3), (3, 3), (41, 41)]
)
def test_a_protected_count_below_3_prints_as_fewer_than_3(count: int, printed: object) -> None:
    assert printed_count(count, protected=True) == printed


@pytest.mark.parametrize("count", [0, 1, 2, 3])
def test_an_unprotected_count_prints_as_it_is(count: int) -> None:
    assert printed_count(count, protected=False) == count


def test_a_rate_never_gives_a_hidden_count_back() -> None:
    assert printed_rate(2, 10, protected=True) == NOT_SHOWN  # 20% of 10 is 2
    assert printed_rate(1, 2, protected=False, whole_protected=True) == NOT_SHOWN
    assert printed_rate(3, 12, protected=True) == pytest.approx(0.25)
    assert printed_rate(0, 12, protected=True) == 0
    assert printed_rate(2, 10, protected=False) == pytest.approx(0.2)
    assert printed_rate(0, 0, protected=True) is None


def test_the_lived_experience_sector_is_always_protected() -> None:
    assert is_lived_experience_sector("Lived experience")
    assert is_lived_experience_sector("People with lived experience")
    assert not is_lived_experience_sector("Civil society")
