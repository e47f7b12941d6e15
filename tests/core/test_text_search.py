"""Finding a person by the few letters someone types."""

from __future__ import annotations

from roundtable_app.core.text_search import INSIDE, WORD_START, SearchKey, fold, query_words


def test_folding_ignores_case_accents_and_spacing() -> None:
    assert fold("  Zoë   ÁBARA ") == "zoe abara"
    assert fold("Straße") == "strasse"
    assert fold("Søren") == "søren"  # a letter of its own, not an accent
    assert query_words(" Am  YU ") == ("am", "yu")
    assert query_words("   ") == ()


def test_typed_words_must_all_be_found_starting_words_first() -> None:
    key = SearchKey.of("Amina Yusuf", "Hope for Justice")
    assert key.rank(("am", "yu")) == WORD_START
    assert key.rank(("hope",)) == WORD_START
    assert key.rank(("usuf",)) == INSIDE
    assert key.rank(("am", "usuf")) == INSIDE
    assert key.rank(("am", "zz")) is None
    assert key.rank(()) == WORD_START


def test_names_without_spaces_are_found_by_any_part() -> None:
    assert SearchKey.of("王芳").rank(("芳",)) == INSIDE
    assert SearchKey.of("Olena Коваленко").rank(("ков",)) == WORD_START
