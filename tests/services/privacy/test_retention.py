"""Retention: the team's rule, who it would erase and why, and erasing them with Cancel."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.model import Attendance
from roundtable_app.core.progress import Progress
from roundtable_app.services import audit, privacy, roundtables
from roundtable_app.storage.models import AuditEntry, Invitation, Person
from roundtable_app.storage.unit_of_work import Database

TODAY = dt.date(2026, 6, 1)


def _at(year: int, month: int = 1, day: int = 15) -> dt.datetime:
    return dt.datetime(year, month, day, 10, tzinfo=dt.UTC)


def _person(db: Database, make_person, name: str, added: dt.datetime) -> int:  # type: ignore[no-untyped-def]
    pid = make_person(db, full_name=name, email=f"{name.split()[0].lower()}@example.org")
    with db.transaction() as s:
        s.execute(update(Person).where(Person.id == pid).values(created_at=added, updated_at=added))
        s.execute(update(AuditEntry).where(AuditEntry.entity_id == pid).values(at=added))
    return pid


def _roundtable(
    db: Database, people: list[int], starts: dt.datetime | None, attended: bool
) -> None:
    data = roundtables.RoundtableData(
        title=f"Roundtable {starts}",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2) if starts else None,
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, people)
        if attended:
            s.execute(
                update(Invitation)
                .where(Invitation.roundtable_id == rid)
                .values(attendance=Attendance.ATTENDED.value)
            )
        if starts is None:  # invited in 2019, not scheduled yet
            s.execute(
                update(Invitation)
                .where(Invitation.roundtable_id == rid)
                .values(created_at=_at(2019, 1, 1))
            )


@pytest.fixture
def people(db: Database, make_person) -> dict[str, int]:  # type: ignore[no-untyped-def]
    found = {
        "never": _person(db, make_person, "Never Invited", _at(2019)),
        "attended": _person(db, make_person, "Attended Long Ago", _at(2018)),
        "recent": _person(db, make_person, "Recently Invited", _at(2018)),
        "new": _person(db, make_person, "New Person", _at(2025)),
        "edited": _person(db, make_person, "Edited Lately", _at(2018)),
        "pending": _person(db, make_person, "Invited Unscheduled", _at(2018)),
    }
    _roundtable(db, [found["attended"], found["recent"]], _at(2020, 3), attended=True)
    _roundtable(db, [found["recent"]], _at(2026, 9), attended=False)  # to come
    _roundtable(db, [found["pending"]], None, attended=False)
    with db.transaction() as s:
        audit.record(s, "person", found["edited"], "updated", "notes")  # today
    return found


def test_the_setting_is_off_by_default_set_and_turned_off_audited(db: Database) -> None:
    with db.reading() as s:
        assert privacy.retention_years(s) is None
    with db.transaction() as s:
        privacy.set_retention_years(s, 3)
    with db.transaction() as s:
        assert privacy.retention_years(s) == 3
        privacy.set_retention_years(s, 3)  # unchanged: not audited again
        with pytest.raises(ValidationError, match="from 1 to 50 years"):
            privacy.set_retention_years(s, 0)
    with db.transaction() as s:
        privacy.set_retention_years(s, None)
    with db.reading() as s:
        assert privacy.retention_years(s) is None
        details = s.execute(
            select(AuditEntry.action, AuditEntry.detail).where(AuditEntry.entity == "team_setting")
        ).all()
    assert [tuple(d) for d in details] == [
        ("retention set", "3 years"),
        ("retention turned off", ""),
    ]


def test_the_review_lists_who_has_done_nothing_for_n_years_and_why(
    db: Database, people: dict[str, int]
) -> None:
    with db.reading() as s:
        found = privacy.retention_review(s, 3, TODAY)
    assert [(c.person_id, c.why()) for c in found] == [
        (people["pending"], "Last invited on 1 Jan 2019"),
        (people["never"], "Added, never invited on 15 Jan 2019"),
        (people["attended"], "Last attended a roundtable on 15 Mar 2020"),
    ]
    assert found[0].name == "Invited Unscheduled" and found[0].email == "invited@example.org"
    with db.reading() as s:  # a longer period erases fewer
        assert [c.person_id for c in privacy.retention_review(s, 7, TODAY)] == [
            people["pending"],
            people["never"],
        ]
        assert privacy.retention_review(s, 8, TODAY) == []


def test_applying_erases_each_still_inactive_then_cleans_up_once(
    db: Database, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    cleaned: list[object] = []
    monkeypatch.setattr(
        "roundtable_app.services.privacy.retention.clean_up", lambda d: cleaned.append(d)
    )
    with db.reading() as s:
        ids = [c.person_id for c in privacy.retention_review(s, 3, TODAY)]
    with db.transaction() as s:  # a colleague edits one meanwhile: they stay
        audit.record(s, "person", people["never"], "updated", "role")
    result = privacy.apply_retention(db, ids, 3, TODAY)
    assert (result.erased, result.skipped, result.invitations_kept, result.stopped) == (
        2,
        1,
        2,
        False,
    )
    assert cleaned == [db]
    with db.reading() as s:
        left = set(s.scalars(select(Person.id)))
        actions = s.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "retention applied")
        )
        assert list(actions) == ["2 people erased, 3 years"]
    assert people["never"] in left
    assert people["pending"] not in left and people["attended"] not in left


def test_cancel_between_people_keeps_those_erased_and_still_cleans_up(
    db: Database, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    cleaned: list[object] = []
    monkeypatch.setattr(
        "roundtable_app.services.privacy.retention.clean_up", lambda d: cleaned.append(d)
    )
    with db.reading() as s:
        ids = [c.person_id for c in privacy.retention_review(s, 3, TODAY)]
    progress = Progress()

    def cancel_after_first(done: int, _total: int, _message: str) -> None:
        if done == 1:
            progress.cancel()

    progress._callback = cancel_after_first  # type: ignore[attr-defined]
    result = privacy.apply_retention(db, ids, 3, TODAY, progress=progress)
    assert (result.erased, result.stopped) == (1, True)
    assert cleaned == [db]
    with db.reading() as s:
        assert s.scalar(select(Person.id).where(Person.id == ids[0])) is None
        assert s.scalar(select(Person.id).where(Person.id == ids[1])) == ids[1]


def test_chairing_or_a_seating_rule_on_a_roundtable_to_come_is_activity(
    db: Database, make_person
) -> None:  # type: ignore[no-untyped-def]
    from roundtable_app.storage.models import Roundtable, SeatingRule

    chair = _person(db, make_person, "Chair Tocome", _at(2019))
    seated = _person(db, make_person, "Seated Tocome", _at(2019))
    other = _person(db, make_person, "Other Tocome", _at(2019))
    starts = _at(2026, 6, 20)
    data = roundtables.RoundtableData(
        title="To come", starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        # Made chair without being on the list yet; a rule keeps two apart.
        s.execute(update(Roundtable).where(Roundtable.id == rid).values(chair_id=chair))
        low, high = sorted((seated, other))
        s.add(SeatingRule(roundtable_id=rid, kind="apart", person_a_id=low, person_b_id=high))
    with db.reading() as s:
        listed = {c.person_id for c in privacy.retention_review(s, 3, TODAY)}
    assert not listed & {chair, seated, other}
