"""The plain records every layer passes around: values, labels, immutability, defaults."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from roundtable_app.core.model import (
    SECTORS,
    Attendance,
    Changes,
    Format,
    PersonData,
    PersonRow,
    Response,
    RoundtableStatus,
)


def test_stored_values_are_stable_strings() -> None:
    # These strings are in every database; renaming one would orphan stored rows.
    assert [f.value for f in Format] == ["in_person", "online", "hybrid"]
    assert [s.value for s in RoundtableStatus] == ["draft", "scheduled", "held", "cancelled"]
    assert [r.value for r in Response] == ["needs_action", "accepted", "declined", "tentative"]
    assert [a.value for a in Attendance] == ["unknown", "attended", "no_show", "apologies"]
    assert Response("accepted") is Response.ACCEPTED


def test_every_format_has_a_label_for_people() -> None:
    assert [f.label for f in Format] == ["In person", "Online", "Hybrid"]


def test_a_new_person_is_contactable_but_not_named_until_they_consent() -> None:
    person = PersonData(full_name="Amina Yusuf")
    assert person.may_contact is True
    assert person.may_be_named is False  # privacy first: naming needs consent
    assert person.lived_experience is False
    assert person.interests == ()


def test_records_cannot_be_changed_in_place() -> None:
    person = PersonData(full_name="Amina Yusuf")
    with pytest.raises(dataclasses.FrozenInstanceError):
        person.full_name = "Someone else"  # type: ignore[misc]
    assert dataclasses.replace(person, full_name="A. Yusuf").full_name == "A. Yusuf"


def test_changes_default_to_nothing_and_compare_by_value() -> None:
    nothing = Changes()
    assert not (nothing.people or nothing.roundtables or nothing.all_people)
    assert not (nothing.all_roundtables or nothing.themes or nothing.sectors)
    assert Changes(roundtables=frozenset({3})) == Changes(roundtables=frozenset({3}))
    assert Changes(roundtables=frozenset({3})) != Changes(all_roundtables=True)


def test_person_row_is_a_tuple_in_column_order() -> None:
    when = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    row = PersonRow(7, "Amina Yusuf", "Rights Lab", "Academic research", "", "a@x.org", True, when)
    assert row[1] == "Amina Yusuf" and row.last_attended == when
    assert len(row) == len(PersonRow._fields) == 8


def test_lived_experience_is_one_of_the_starting_sectors() -> None:
    assert "Lived experience" in SECTORS
    assert len(set(SECTORS)) == len(SECTORS)
