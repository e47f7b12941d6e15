"""``roundtable-app person erase``: asks first, erases for good, says what stays; both backends."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from roundtable_app.cli import main
from roundtable_app.services import roundtables
from roundtable_app.storage.models import Invitation, Person
from roundtable_app.storage.unit_of_work import open_database

PAST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def url(any_url, make_person):  # type: ignore[no-untyped-def]
    db = open_database(any_url)
    person = make_person(db, full_name="Amina Yusuf", email="amina@example.org")
    data = roundtables.RoundtableData(
        title="Supply chains", starts_at=PAST, ends_at=PAST + dt.timedelta(hours=2)
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, [person])
    db.close()
    return any_url


def test_without_yes_nothing_is_erased(url, capsys):  # type: ignore[no-untyped-def]
    code = main(["person", "erase", "AMINA@example.org", "--database", url])
    assert code != 0
    assert "Erasing Amina Yusuf <amina@example.org> cannot be undone; add --yes" in (
        capsys.readouterr().err
    )
    db = open_database(url, create=False)
    with db.reading() as s:
        assert s.scalar(select(Person.full_name)) == "Amina Yusuf"
    db.close()


def test_erase_keeps_the_invitation_without_the_person(url, capsys):  # type: ignore[no-untyped-def]
    code = main(["person", "erase", "amina@example.org", "--yes", "--database", url])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert printed.out.startswith("Erased Amina Yusuf <amina@example.org> (person #")
    assert "1 invitation stays in the statistics without their name" in printed.out
    db = open_database(url, create=False)
    with db.reading() as s:
        assert s.scalar(select(Person.full_name)) is None
        assert s.scalars(select(Invitation.person_id)).all() == [None]
    db.close()
    code = main(["person", "erase", "amina@example.org", "--yes", "--database", url])
    assert code != 0
    assert "No one in the directory has the address amina@example.org" in capsys.readouterr().err
