"""Checks on what people type, shared by the dialogs, the import and the command line."""

from __future__ import annotations

import pytest

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.validation import (
    check_text,
    clean_name,
    email_key,
    email_problem,
    is_valid_email,
    join_interests,
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


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        (
            "jane\u200b@zw.org",
            "'jane[U+200B]@zw.org' holds an invisible character (zero width space, U+200B)",
        ),
        (
            "jane@zw\u200d.org",
            "'jane@zw[U+200D].org' holds an invisible character (zero width joiner, U+200D)",
        ),
        (
            "\u202ejane@example.org",
            "'[U+202E]jane@example.org' holds an invisible character "
            "(right-to-left override, U+202E)",
        ),
        (
            "jane@exa\u2066mple.org",
            "'jane@exa[U+2066]mple.org' holds an invisible character "
            "(left-to-right isolate, U+2066)",
        ),
        ("jane\x07@example.org", "'jane[U+0007]@example.org' holds a control character (U+0007)"),
        ("jane\x00@example.org", "'jane[U+0000]@example.org' holds a control character (U+0000)"),
        (
            "ja\u00adne@example.org",
            "'ja[U+00AD]ne@example.org' holds an invisible character (soft hyphen, U+00AD)",
        ),
        (
            "jane\ufeff@example.org",
            "'jane[U+FEFF]@example.org' holds an invisible character "
            "(zero width no-break space, U+FEFF)",
        ),
        ("jane@", "'jane@' is not an e-mail address"),
    ],
)
def test_an_address_with_an_invisible_character_is_refused_with_the_reason(
    address: str, reason: str
) -> None:
    """``jane\u200b@zw.org`` looks like jane@zw.org but would be a second person."""
    assert email_problem(address) == reason
    assert not is_valid_email(address)


def test_a_plain_address_has_no_problem() -> None:
    assert email_problem("jane@zw.org") is None
    assert email_problem("José.Müller@example.org") is None


def test_addresses_are_composed_to_nfc_so_two_spellings_are_one_address() -> None:
    decomposed = "Jose\u0301@example.org"  # e + combining acute accent
    composed = "Jos\u00e9@example.org"
    assert normalise_email(decomposed) == composed
    assert email_key(decomposed) == email_key(composed) == "jos\u00e9@example.org"
    assert is_valid_email(normalise_email(decomposed) or "")


def test_a_nul_character_is_refused_naming_the_field() -> None:
    with pytest.raises(
        ValidationError, match="There is an invisible NUL character in the notes"
    ) as exc:
        check_text("Prefers tea\x00", "the notes", "notes")
    assert exc.value.field == "notes"
    with pytest.raises(ValidationError, match="NUL character in the name"):
        check_text("\x00", "the name")
    check_text("Tab\there, new\nline, é", "The notes")  # other text is fine
    check_text(None, "The notes")


@pytest.mark.parametrize(
    "names",
    [
        ("Trafficking, forced labour", "Policing"),
        ("Data; prevalence", "Supply chains | retail"),
        ('The "new" slavery', "Survivor-led; peer support"),
        ('"Quoted"', "Plain"),
        ("Forced labour",),
    ],
)
def test_interests_with_separators_survive_joining_and_splitting(names: tuple[str, ...]) -> None:
    assert split_interests(join_interests(names)) == names


def test_interests_are_quoted_only_when_they_need_it() -> None:
    assert join_interests(["Policing", "Trafficking, forced labour"]) == (
        'Policing; "Trafficking, forced labour"'
    )
    # Mailchimp writes its tags so, inside one cell.
    assert split_interests('"Survivor support","Data and prevalence"') == (
        "Survivor support",
        "Data and prevalence",
    )
