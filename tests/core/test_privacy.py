"""The one privacy policy: names on each output, and the "fewer than 3" rule for counts."""

from __future__ import annotations

import pytest

from roundtable_app.core.privacy import (
    FEWER_THAN_3,
    NOT_SHOWN,
    printed_count,
    printed_rate,
    reveals_lived_experience,
    sheet_name,
    sheet_organisation,
    withheld_from_plan,
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
    assert reveals_lived_experience("Lived experience")
    assert reveals_lived_experience("People with lived experience")
    assert not reveals_lived_experience("Civil society")
    assert not reveals_lived_experience("")
    assert not reveals_lived_experience(None)


def test_a_sign_in_sheet_names_in_full_only_with_consent() -> None:
    assert sheet_name("Amina Yusuf", may_be_named=True) == "Amina Yusuf"
    assert sheet_name("Amina Yusuf", may_be_named=False) == "Amina Y."
    assert sheet_name("王芳", may_be_named=False) == "王＊"


def test_a_sign_in_sheet_never_prints_a_lived_experience_participants_organisation() -> None:
    assert sheet_organisation("Hope at Work", lived_experience=False) == "Hope at Work"
    assert sheet_organisation("Hope at Work", lived_experience=True) == ""
    assert sheet_organisation("Lived Experience Network", lived_experience=False) == ""


def test_a_table_plan_withholds_only_lived_experience_without_consent() -> None:
    assert withheld_from_plan(lived_experience=True, may_be_named=False)
    assert not withheld_from_plan(lived_experience=True, may_be_named=True)
    assert not withheld_from_plan(lived_experience=False, may_be_named=False)
