"""``roundtable-app retention``: off until set, a review that lists, an apply that needs --yes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from roundtable_app.cli import main
from roundtable_app.storage.models import AuditEntry, Person
from roundtable_app.storage.unit_of_work import open_database

LONG_AGO = dt.datetime(2015, 5, 4, 9, tzinfo=dt.UTC)


@pytest.fixture
def url(any_url, make_person):  # type: ignore[no-untyped-def]
    db = open_database(any_url)
    old = make_person(db, full_name="Olu Old", email="olu@example.org")
    make_person(db, full_name="Nia New", email="nia@example.org")
    with db.transaction() as s:
        s.execute(
            update(Person).where(Person.id == old).values(created_at=LONG_AGO, updated_at=LONG_AGO)
        )
        s.execute(update(AuditEntry).where(AuditEntry.entity_id == old).values(at=LONG_AGO))
    db.close()
    return any_url


def _people(url: str) -> list[str]:
    db = open_database(url, create=False)
    with db.reading() as s:
        names = sorted(s.scalars(select(Person.full_name)))
    db.close()
    return names


def test_off_until_set_then_reviewed_and_applied_with_yes(url, capsys):  # type: ignore[no-untyped-def]
    assert main(["retention", "--review", "--database", url]) == 0
    assert "Retention is off: turn it on with 'roundtable-app retention --years 3'" in (
        capsys.readouterr().out
    )
    assert main(["retention", "--apply", "--yes", "--database", url]) == 1
    assert capsys.readouterr().err.count("\n") == 1  # one line
    assert main(["retention", "--years", "3", "--database", url]) == 0
    assert "Retention is on: people inactive for 3 years" in capsys.readouterr().out
    assert main(["retention", "--review", "--database", url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Olu Old <olu@example.org>  Added, never invited on 4 May 2015",
        "1 person has had no invitation, attendance or change for 3 years; "
        "'retention --apply --yes' erases them.",
    ]
    assert main(["retention", "--apply", "--database", url]) == 1
    assert capsys.readouterr().err == (
        "roundtable-app: error: Erasing 1 person cannot be undone; add --yes to erase them "
        "('retention --review' lists them).\n"
    )
    assert _people(url) == ["Nia New", "Olu Old"]
    assert main(["retention", "--apply", "--yes", "--database", url]) == 0
    assert capsys.readouterr().out.startswith("Erased 1 person. 0 invitations stay")
    assert _people(url) == ["Nia New"]
    assert main(["retention", "--apply", "--yes", "--database", url]) == 0
    assert capsys.readouterr().out == "No one has been inactive for 3 years; nothing was erased.\n"


def test_years_overrides_for_one_run_and_off_turns_it_off(url, capsys):  # type: ignore[no-untyped-def]
    assert main(["retention", "--review", "--years", "20", "--database", url]) == 0
    assert capsys.readouterr().out.startswith("0 people have had")
    assert main(["retention", "--years", "0", "--database", url]) == 1
    assert "from 1 to 50 years" in capsys.readouterr().err
    assert main(["retention", "--years", "2", "--database", url]) == 0
    assert main(["retention", "--off", "--database", url]) == 0
    assert main(["retention", "--database", url]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("Retention is off")
    db = open_database(url, create=False)
    with db.reading() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.entity == "team_setting")
            )
            == 2
        )
    db.close()
