"""Checks on what people type, shared by the dialogs, the import and the command line."""

from __future__ import annotations

import pytest

from roundtable_app.core.validation import (
    clean_name,
    email_key,
    is_valid_email,
    normalise_email,
    split_interests,
)


@pytest.mark.parametrize(
    "address",
    ["jane@example.org", "j.doe+events@rights-lab.ac.uk", "ÁMINA@example.org", "a@b.co"],
)
def test_addresses_people_really_have_are_valid(address: str) -> None:
    assert is_valid_email(address)


@pytest.mark.parametrize(
    "typo",
    [
        "jane@",
        "jane at example.org",
        "jane@example",
        "jane@@example.org",
        "jane doe@x.org",
        "jane@example..org",
        "<jane@example.org>",
        "jane@example.org;bob@example.org",
        "",
    ],
)
def test_common_mistakes_are_not(typo: str) -> None:
    assert not is_valid_email(typo)


def test_normalising_strips_spaces_and_mailto() -> None:
    assert normalise_email("  jane@example.org ") == "jane@example.org"
    assert normalise_email("MAILTO:jane@example.org") == "jane@example.org"
    assert normalise_email("mailto: jane@example.org") == "jane@example.org"
    assert normalise_email("   ") is None
    assert normalise_email(None) is None


def test_addresses_compare_without_case_or_spaces() -> None:
    assert email_key(" Jane.Doe@Example.ORG ") == email_key("jane.doe@example.org")


def test_names_lose_extra_spaces_only() -> None:
    assert clean_name("  Amina   Yusuf \t") == "Amina Yusuf"
    assert clean_name("Łukasz Nowak") == "Łukasz Nowak"
    assert clean_name(None) == ""


def test_interests_split_on_any_separator_keeping_the_first_spelling() -> None:
    cell = "Forced labour; Policing, forced LABOUR|Survivor support\n ; "
    assert split_interests(cell) == ("Forced labour", "Policing", "Survivor support")
    assert split_interests("") == ()
    assert split_interests(None) == ()
