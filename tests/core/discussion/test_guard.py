"""The Chatham House guard: names and organisations found in any case, with or without accents."""

from __future__ import annotations

import pytest

from roundtable_app.core.discussion import (
    Guard,
    GuardPerson,
    attribute,
    could_name,
    name_words,
    replace,
    words_of,
)
from roundtable_app.core.discussion.guard import fold
from roundtable_app.core.discussion.kinds import bulleted_lines, evidence_questions
from roundtable_app.core.privacy import fewer_than

PEOPLE = [
    GuardPerson("José Müller", "Salvation Army", "Frontline practice"),
    GuardPerson("Siobhán O’Brien", "Anti-Slavery International", None),
    GuardPerson("王芳", "北京大学", "Academic research"),
    GuardPerson("Tom Lee", "", "Government"),
    GuardPerson("Дмитрий Иванов", "", None),
    GuardPerson("Łukasz Wiśniewski", "Øresund Ærø Trust", "Government"),
    GuardPerson("Oğuz Aydın", "", None),
]


def found(text: str, acknowledged: tuple[str, ...] = ()) -> list[str]:
    return [m.found for m in Guard(PEOPLE).mentions(text, acknowledged)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("José Müller said the numbers are low.", ["José Müller"]),
        ("JOSE MULLER said so", ["JOSE MULLER"]),
        ("jose   muller agreed", ["jose   muller"]),
        ("as müller put it", ["müller"]),
        ("siobhan o'brien's data", ["siobhan o'brien"]),
        ("Per O’BRIEN", ["O’BRIEN"]),
        ("the salvation army runs shelters", ["salvation army"]),
        ("the ANTI-SLAVERY INTERNATIONAL report", ["ANTI-SLAVERY INTERNATIONAL"]),
        ("王芳认为数据不足", ["王芳"]),
        ("北京大学的研究", ["北京大学"]),
        ("дмитрий иванов сказал", ["дмитрий иванов"]),
        ("ИВАНОВ", ["ИВАНОВ"]),
        # Letters Unicode does not decompose, typed without their accent: the whole
        # name is found, so that replacing it leaves no first name behind.
        ("said lukasz wisniewski", ["lukasz wisniewski"]),
        ("oguz aydin agreed", ["oguz aydin"]),
        ("the oresund aero trust", ["oresund aero trust"]),
        ("ŁUKASZ WIŚNIEWSKI", ["ŁUKASZ WIŚNIEWSKI"]),
    ],
)
def test_names_are_found_in_any_case_with_or_without_accents(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Participants could not sleep",  # "Lee" inside a word
        "Mullerton is a town",  # a surname inside a longer word
        "The army was not mentioned",  # part of an organisation's name
        "Tom agreed",  # a first name alone is not flagged
        "",
    ],
)
def test_ordinary_words_are_not_flagged(text):
    assert found(text) == []


def test_an_acknowledged_name_is_no_longer_flagged_in_that_note():
    text = "The Salvation Army's annual report (public) and José Müller's view"
    assert found(text) == ["Salvation Army", "José Müller"]
    assert found(text, ("salvation army",)) == ["José Müller"]


def test_a_mention_is_replaced_keeping_the_sense():
    guard = Guard(PEOPLE)
    text = "José Müller's view: the salvation army lacks data."
    first = guard.mentions(text)[0]
    assert first.replacement == "a participant from Frontline practice"
    text = replace(text, first)
    assert text == "A participant from Frontline practice's view: the salvation army lacks data."
    text = replace(text, guard.mentions(text)[0])
    assert text.endswith("view: an organisation in Frontline practice lacks data.")
    assert guard.mentions(text) == []
    text = "The Salvation Army said so"
    assert replace(text, guard.mentions(text)[0]) == "An organisation in Frontline practice said so"


def test_a_person_whose_sector_may_not_be_said_is_a_participant():
    (mention,) = Guard(PEOPLE).mentions("Siobhán O’Brien")
    assert mention.replacement == "a participant"
    assert "names a participant" in mention.description


def test_no_invitees_no_flags():
    assert Guard([]).mentions("José Müller") == []
    assert not Guard([])


def test_sectors_too_small_to_hide_in_are_not_named():
    present = {"Government": 4, "Academic research": 2, "Lived experience": 5}
    both = attribute(["Government", "Academic research"], present, place="Table 2")
    assert both.text == "raised by Government and others at Table 2"
    assert both.withheld == ("Academic research",)
    assert "Academic research will not be named" in both.reason
    assert attribute(["Academic research"], present, place="Table 2").text == "raised at Table 2"
    assert attribute(["Academic research"], present).text == "raised by a participant"
    assert attribute(["Government"], present).text == "raised by Government"
    # a lived-experience sector is never named, however large
    assert attribute(["Lived experience"], present).text == "raised by a participant"
    assert attribute(["Government"], present, threshold=5).text == "raised by a participant"
    assert attribute(["Government"], present).reason == ""


def test_small_counts_print_as_fewer_than_3():
    assert [fewer_than(n) for n in (0, 1, 2, 3, 10)] == [0, "fewer than 3", "fewer than 3", 3, 10]


def test_evidence_questions_and_pasted_lists_are_one_item_a_line():
    assert evidence_questions("1. How many?\n\n2) Where?\n- What works?\n• Who pays?") == [
        "How many?",
        "Where?",
        "What works?",
        "Who pays?",
    ]
    assert bulleted_lines("  * first\n* second  \n\n") == ["first", "second"]


def test_outputs_never_print_a_participant_and_an_organisation_only_when_acknowledged():
    from roundtable_app.core.discussion import redact

    guard = Guard(PEOPLE)
    text = "José Müller cited the Salvation Army report"
    assert redact(guard, text) == (
        "A participant from Frontline practice cited an organisation in Frontline practice report"
    )
    assert redact(guard, text, {"salvation army", "jose muller"}) == (
        "A participant from Frontline practice cited the Salvation Army report"
    )


def test_a_guard_left_with_only_the_people_a_text_could_name_finds_the_same() -> None:
    people = [
        GuardPerson("Siobhán O’Brien-Smith", "The Salvation Army", "Government"),
        GuardPerson("José Müller", "Unseen UK"),
        GuardPerson("Wei Chen", "Hope for Justice"),
        GuardPerson("李小龙", "国际移民组织"),
    ]
    texts = [
        "Ask o'brien-smith and JOSE MULLER what the salvation army found",
        "Survivors told unseen uk about recovery",
        "Hope for justice, said chen",
        "李小龙说",
        "Nothing to see: justice for survivors, in the army",
    ]
    full = Guard(people)
    for text in texts:
        words = words_of(text)
        lean = Guard([p for p in people if could_name(name_words(p), words)])
        assert lean.mentions(text) == full.mentions(text), text
    # Only the people a text could name stay in its guard.
    words = words_of(texts[4])
    assert [p.name for p in people if could_name(name_words(p), words)] == ["李小龙"]


def test_folding_keeps_each_character_in_place_in_plain_and_accented_text() -> None:
    for text in ("O`Brien\tand\x1csmith", "Siobhán Łukasz STRASSE ß", "Ask Dvořák’s team"):
        plain, origin = fold(text)
        assert len(plain) == len(origin)
        assert origin == sorted(origin)
    assert fold("O`Brien\tX")[0] == "o'brien x"
    assert fold("Dvořák’s")[0] == "dvorak's"
