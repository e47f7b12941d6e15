"""How names sort and shorten for the sign-in sheet (no Qt, no database)."""

from __future__ import annotations

import pytest

from roundtable_app.core.names import first_name_and_initial, surname_key


@pytest.mark.parametrize(
    ("name", "printed"),
    [
        ("Amina Yusuf", "Amina Y."),
        ("  Amina   Yusuf ", "Amina Y."),
        ("Olena Коваленко", "Olena К."),
        ("Nguyễn Thị Hương", "Nguyễn H."),
        ("佐藤 美咲", "佐藤 美."),
        ("Madonna", "Madonna"),  # one word in letters that have no initials to take
        ("", ""),
    ],
)
def test_first_name_and_initial(name: str, printed: str) -> None:
    assert first_name_and_initial(name) == printed


@pytest.mark.parametrize(
    ("name", "printed"),
    [("王芳", "王＊"), ("张雪梅", "张＊＊"), ("김민준", "김＊＊"), ("さくら", "さ＊＊")],
)
def test_names_written_without_a_space_are_masked_not_printed_whole(
    name: str, printed: str
) -> None:
    """Family name first, no space: the family name's first character and a mask."""
    assert first_name_and_initial(name) == printed


def test_surname_sorts_whatever_the_case_and_spacing() -> None:
    names = ["mei LIN", "Zoe Abara", "Adam Zielinski", "Sam  lin"]
    assert sorted(names, key=surname_key) == ["Zoe Abara", "mei LIN", "Sam  lin", "Adam Zielinski"]
