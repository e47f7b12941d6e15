"""Text a database cannot keep is refused by every service that stores it, on both backends.

A NUL character crashed PostgreSQL (psycopg.DataError) and was stored raw by
SQLite; an address with a zero-width space became a second person beside
the real one. Each is now a ValidationError naming the field, and nothing
is written.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.model import PersonData
from roundtable_app.services import directory, roundtables
from roundtable_app.services.directory import VocabularyKind
from roundtable_app.storage.models import Person, Roundtable, Sector, Theme
from roundtable_app.storage.unit_of_work import Database


def _count(db: Database, model: object) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"full_name": "Ada\x00 Lovelace"}, "full_name", "NUL character in the name"),
        ({"notes": "Prefers tea\x00"}, "notes", "NUL character in the notes"),
        ({"organisation": "Rights\x00Lab"}, "organisation", "NUL character in the organisation"),
        ({"sector": "Research\x00"}, "sector", "NUL character in the sector"),
        ({"interests": ("Policing\x00",)}, "interests", "NUL character in an interest"),
        ({"dietary_needs": "\x00"}, "dietary_needs", "NUL character in the dietary needs"),
        ({"role": "Chair\x00"}, "role", "NUL character in the role"),
    ],
)
def test_a_person_with_a_nul_character_is_refused_naming_the_field(
    db: Database, fields: dict[str, object], field: str, reason: str
) -> None:
    data = PersonData(**{"full_name": "Ada Lovelace", "email": "ada@example.org", **fields})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=reason) as exc, db.transaction() as session:
        directory.create_person(session, data)
    assert exc.value.field == field
    assert "cannot be saved" in str(exc.value)
    assert _count(db, Person) == 0


def test_an_edit_that_adds_a_nul_character_is_refused(
    db: Database, make_person: Callable[..., int]
) -> None:
    pid = make_person(db, full_name="Ada Lovelace", notes="Prefers tea")
    with db.reading() as session:
        person = directory.get_person(session, pid)
    changed = PersonData(**{**_as_dict(person.data), "notes": "Prefers\x00 coffee"})
    with (
        pytest.raises(ValidationError, match="NUL character in the notes"),
        db.transaction() as session,
    ):
        directory.update_person(session, pid, changed, person.version)
    with db.reading() as session:
        assert directory.get_person(session, pid).data.notes == "Prefers tea"


def _as_dict(data: PersonData) -> dict[str, object]:
    return {name: getattr(data, name) for name in PersonData.__slots__}


def test_vocabulary_with_a_nul_character_is_refused(
    db: Database, make_person: Callable[..., int]
) -> None:
    pid = make_person(db)
    with (
        pytest.raises(ValidationError, match="NUL character in the theme name"),
        db.transaction() as s,
    ):
        directory.add_interest(s, [pid], "Policing\x00")
    with (
        pytest.raises(ValidationError, match="NUL character in the sector name"),
        db.transaction() as s,
    ):
        directory.set_sector(s, [pid], "Research\x00")
    with db.transaction() as session:
        directory.add_interest(session, [pid], "Policing")
    with db.transaction() as session:
        entry = directory.find_entry(session, VocabularyKind.INTEREST, "Policing")
        with pytest.raises(ValidationError, match="NUL character in the interest name"):
            directory.rename_entry(session, entry, "Poli\x00cing")
    with db.reading() as session:
        assert session.scalars(select(Theme.name)).all() == ["Policing"]
        assert not [n for n in session.scalars(select(Sector.name)) if "\x00" in n]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": "Supply\x00 chains"}, "NUL character in the title"),
        ({"purpose": "Agree\x00 priorities"}, "NUL character in the purpose"),
        ({"themes": ("Forced labour\x00",)}, "NUL character in a theme"),
        ({"venue": "Room\x00 1"}, "NUL character in the venue"),
        ({"evidence_questions": "What works?\x00"}, "NUL character in the evidence questions"),
        ({"series": "Spring\x00"}, "NUL character in the series"),
    ],
)
def test_a_roundtable_with_a_nul_character_is_refused(
    db: Database, fields: dict[str, object], reason: str
) -> None:
    data = roundtables.RoundtableData(**{"title": "Supply chains", **fields})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=reason), db.transaction() as session:
        roundtables.create_roundtable(session, data)
    assert _count(db, Roundtable) == 0


@pytest.mark.parametrize(
    "lookalike", ["jane\u200b@zw.org", "\u202ejane@zw.org", "jane@zw.org\u2060", "ja\x07ne@zw.org"]
)
def test_an_address_with_an_invisible_character_is_not_a_second_person(
    db: Database, make_person: Callable[..., int], lookalike: str
) -> None:
    make_person(db, full_name="Jane Doe", email="jane@zw.org")
    with pytest.raises(ValidationError) as exc, db.transaction() as session:
        directory.create_person(session, PersonData("Jane Doe", lookalike))
    assert exc.value.field == "email"
    assert "holds a" in str(exc.value) and "[U+" in str(exc.value)
    assert _count(db, Person) == 1


def test_an_address_is_stored_composed_so_both_spellings_are_one_person(
    db: Database, make_person: Callable[..., int]
) -> None:
    make_person(db, full_name="José Müller", email="jos\u00e9@example.org")
    decomposed = "Jose\u0301@example.org"  # what some Mac programs paste
    with db.reading() as session:
        assert directory.find_by_email(session, decomposed) is not None
    with pytest.raises(ValidationError, match="already has the e-mail"), db.transaction() as s:
        directory.create_person(s, PersonData("José Müller", decomposed))
    with db.transaction() as session:
        pid = directory.create_person(session, PersonData("Another", "Ana\u0301@example.org")).id
    with db.reading() as session:
        assert directory.get_person(session, pid).data.email == "An\u00e1@example.org"
