"""Two staff saving at the same moment, on SQLite and PostgreSQL: a clear answer, never a crash.

Each race starts two threads, each with its own transaction, at a barrier.
The saves either really overlap (both checked the address before either
wrote it) or do not; either way the second save must get the same
duplicate-address message, naming the person who now has it, and nothing
may be lost or doubled. Some tests force the overlap, so that every round is
a real race.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from roundtable_app.core.errors import DuplicateEmailError
from roundtable_app.core.model import PersonData
from roundtable_app.services import directory
from roundtable_app.services.directory import people as people_module
from roundtable_app.storage.models import Organisation, Sector, Theme
from roundtable_app.storage.models import Person as PersonModel
from roundtable_app.storage.unit_of_work import Database, Session

ROUNDS = 15


@dataclass
class Outcome:
    saved: int | None = None
    duplicate: DuplicateEmailError | None = None
    other: BaseException | None = None


def _race(db: Database, *saves: Callable[[Session], int]) -> list[Outcome]:
    """Run each save in its own thread and transaction, all starting together."""
    start = threading.Barrier(len(saves))
    outcomes = [Outcome() for _ in saves]

    def run(save: Callable[[Session], int], outcome: Outcome) -> None:
        start.wait()
        try:
            with db.transaction() as session:
                outcome.saved = save(session)
        except DuplicateEmailError as exc:
            outcome.duplicate = exc
        except BaseException as exc:  # recorded, so that the test says what went wrong
            outcome.other = exc

    threads = [
        threading.Thread(target=run, args=(save, outcome))
        for save, outcome in zip(saves, outcomes, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def overlapping(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make two saves overlap: each checks the address is free, then waits for the other."""
    meeting = threading.Barrier(2)
    check = people_module._check_email_free

    def check_then_meet(session: Session, data: PersonData, person_id: int | None) -> None:
        check(session, data, person_id)
        if threading.current_thread() is not threading.main_thread():  # racers only
            meeting.wait(timeout=30)

    monkeypatch.setattr(people_module, "_check_email_free", check_then_meet)
    yield
    meeting.abort()


def _creating(name: str, email: str, **fields: object) -> Callable[[Session], int]:
    def save(session: Session) -> int:
        return directory.create_person(session, PersonData(name, email=email, **fields)).id  # type: ignore[arg-type]

    return save


def _one_saved_one_told(outcomes: list[Outcome], names: dict[int, str]) -> None:
    assert [o.other for o in outcomes] == [None, None]
    saved = [o.saved for o in outcomes if o.saved is not None]
    told = [o.duplicate for o in outcomes if o.duplicate is not None]
    assert len(saved) == 1 and len(told) == 1
    assert told[0].existing_id == saved[0]
    assert f"{names[saved[0]]} already has the e-mail address" in str(told[0])


def test_the_same_new_address_saved_twice_at_once_names_who_has_it(db: Database) -> None:
    """Two staff add the same new contact (new organisation, new interests too) at once."""
    for n in range(ROUNDS):
        email = f"same{n}@example.org"
        shared = {"organisation": f"New Org {n}", "sector": f"Sector {n}"}
        outcomes = _race(
            db,
            _creating(f"Ana {n}", email, interests=(f"Theme {n}", "Shared"), **shared),
            _creating(f"Ben {n}", email.upper(), interests=("Shared", f"Theme {n}"), **shared),
        )
        with db.reading() as session:
            names = dict(session.execute(select(PersonModel.id, PersonModel.full_name)).all())
        _one_saved_one_told(outcomes, names)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(PersonModel)) == ROUNDS
        assert session.scalar(select(func.count()).select_from(Organisation)) == ROUNDS


def test_overlapping_saves_of_one_new_address_always_give_the_clear_message(
    db: Database, overlapping: None
) -> None:
    """Both saves checked the address before either wrote it: the database decides."""
    for n in range(ROUNDS):
        email = f"both{n}@example.org"
        outcomes = _race(db, _creating(f"Ana {n}", email), _creating(f"Ben {n}", email))
        with db.reading() as session:
            names = dict(session.execute(select(PersonModel.id, PersonModel.full_name)).all())
        _one_saved_one_told(outcomes, names)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(PersonModel)) == ROUNDS


def test_two_editors_giving_two_people_one_new_address_at_once(
    db: Database, make_person: Callable[..., int], overlapping: None
) -> None:
    for n in range(ROUNDS):
        first = make_person(db, full_name=f"Cleo {n}")
        second = make_person(db, full_name=f"Dev {n}")
        email = f"shared{n}@example.org"

        def moving(person_id: int, email: str = email) -> Callable[[Session], int]:
            def save(session: Session) -> int:
                person = directory.get_person(session, person_id)
                data = PersonData(person.data.full_name, email=email)
                return directory.update_person(session, person_id, data, person.version).id

            return save

        outcomes = _race(db, moving(first), moving(second))
        _one_saved_one_told(outcomes, {first: f"Cleo {n}", second: f"Dev {n}"})
        loser = first if outcomes[1].saved == second else second
        with db.reading() as session:
            # The refused save changed nothing: the person keeps their own address.
            assert directory.get_person(session, loser).data.email != email


def test_two_new_people_naming_the_same_new_vocabulary_at_once_both_save(db: Database) -> None:
    """Different addresses, same new organisation, sector and interests: nobody is refused."""
    for n in range(ROUNDS):
        fields = {
            "organisation": f"Coalition {n}",
            "sector": f"Field {n}",
            "interests": (f"Topic {n}b", f"Topic {n}a"),
        }
        outcomes = _race(
            db,
            _creating(f"Eve {n}", f"eve{n}@example.org", **fields),
            _creating(f"Fay {n}", f"fay{n}@example.org", **fields),
        )
        assert [o.other or o.duplicate for o in outcomes] == [None, None]
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(PersonModel)) == 2 * ROUNDS
        assert session.scalar(select(func.count()).select_from(Organisation)) == ROUNDS
        assert session.scalar(select(func.count()).where(Sector.name.like("Field %"))) == ROUNDS
        assert session.scalar(select(func.count()).where(Theme.name.like("Topic %"))) == 2 * ROUNDS
        rows = directory.list_rows(session)
    assert {r.interests for r in rows if r.full_name.endswith(" 0")} == {"Topic 0a; Topic 0b"}


def test_an_interest_named_twice_in_two_cases_is_one_interest(db: Database) -> None:
    with db.transaction() as session:
        person = directory.create_person(
            session,
            PersonData("Gil", interests=("Forced labour", "forced labour", "Policing")),
        )
    assert person.data.interests == ("Forced labour", "Policing")
