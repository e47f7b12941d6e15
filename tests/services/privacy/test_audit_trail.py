"""The audit trail read back: whose name, one record's history, filters, pages and exports."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.model import PersonData
from roundtable_app.services import audit, directory, privacy, roundtables
from roundtable_app.storage.models import AuditEntry, Invitation
from roundtable_app.storage.unit_of_work import Database


@pytest.fixture(autouse=True)
def staff_name() -> Iterator[None]:
    """Each test starts and ends with no staff name set (the login name)."""
    audit.set_staff_name("")
    yield
    audit.set_staff_name("")


def test_entries_name_the_staff_member_set_else_the_login_name(db: Database) -> None:
    audit.set_staff_name("  Priya   Shah ")
    with db.transaction() as s:
        directory.create_person(s, PersonData(full_name="Ana", email="ana@example.org"))
    audit.set_staff_name("")
    with db.transaction() as s:
        directory.create_person(s, PersonData(full_name="Ben", email="ben@example.org"))
    with db.reading() as s:
        actors = [r.actor for r in privacy.audit_page(s)]
    assert actors == [audit.login_name(), "Priya Shah"]


def test_a_persons_history_holds_their_record_and_invitations_and_never_values(
    db: Database,
) -> None:
    audit.set_staff_name("Priya Shah")
    with db.transaction() as s:
        ana = directory.create_person(s, PersonData(full_name="Ana", email="ana@example.org"))
        ben = directory.create_person(s, PersonData(full_name="Ben", email="ben@example.org"))
        rid = roundtables.create_roundtable(s, roundtables.RoundtableData(title="Supply")).id
        roundtables.add_invitees(s, rid, [ana.id, ben.id])
    audit.set_staff_name("Tom Reid")
    with db.transaction() as s:
        changed = PersonData(full_name="Ana Lopez", email="ana.lopez@example.org")
        directory.update_person(s, ana.id, changed, ana.version)
        invitation = s.query(Invitation).filter_by(person_id=ana.id).one().id
        audit.record(s, "invitation", invitation, "response", "accepted")
        audit.record(s, "person", ben.id, "updated", "notes")
    with db.reading() as s:
        entries = privacy.history(s, "person", ana.id)
    assert [(e.actor, e.record, e.what, e.detail) for e in entries] == [
        ("Tom Reid", f"Invitation #{invitation}", "Response", "accepted"),
        ("Tom Reid", f"Person #{ana.id}", "Updated", "full_name, email"),
        ("Priya Shah", f"Person #{ana.id}", "Created", ""),
    ]
    assert all(e.at.tzinfo is not None for e in entries)
    text = repr(entries)
    assert "Lopez" not in text and "ana.lopez" not in text  # fields, never values
    with db.reading() as s:
        assert privacy.history(s, "person", 999_999) == []


def test_a_roundtables_history_holds_its_summary_and_notes(db: Database) -> None:
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, roundtables.RoundtableData(title="Supply")).id
        other = roundtables.create_roundtable(s, roundtables.RoundtableData(title="Other")).id
        audit.record(s, "summary", rid, "finalised", "revision 1")
        audit.record(s, "summary", other, "finalised", "revision 1")
    with db.reading() as s:
        entries = privacy.history(s, "roundtable", rid)
    assert [(e.record, e.what) for e in entries] == [
        (f"Summary #{rid}", "Finalised"),
        (f"Roundtable #{rid}", "Created"),
    ]


def _trail(db: Database, count: int) -> None:
    """``count`` entries by two people over ``count`` days up to 1 March 2026."""
    end = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    with db.transaction() as s:
        for n in range(count):
            s.add(
                AuditEntry(
                    at=end - dt.timedelta(days=count - 1 - n),
                    actor="Priya Shah" if n % 2 else "Tom Reid",
                    entity="person" if n % 3 else "roundtable",
                    entity_id=n,
                    action="updated" if n % 5 else "created",
                    detail="notes" if n % 7 == 0 else "email",
                )
            )


def test_the_trail_filters_and_pages_newest_first(db: Database) -> None:
    _trail(db, 30)
    with db.reading() as s:
        everyone = privacy.audit_page(s, limit=12)
        rest = privacy.audit_page(s, before_id=everyone[-1].id, limit=100)
        assert len(everyone) == 12 and len(rest) == 18
        ids = [r.id for r in everyone + rest]
        assert ids == sorted(ids, reverse=True) and len(set(ids)) == 30
        assert privacy.count_audit(s) == 30
        priya = privacy.AuditFilter(actor="Priya Shah", entity="person", action="updated")
        found = privacy.audit_page(s, priya)
        assert found and all(
            (r.actor, r.entity, r.action) == ("Priya Shah", "person", "updated") for r in found
        )
        assert privacy.count_audit(s, priya) == len(found)
        since, before = privacy.day_range(dt.date(2026, 2, 20), dt.date(2026, 2, 25), dt.UTC)
        week = privacy.audit_page(s, privacy.AuditFilter(since=since, before=before))
        assert sorted(r.at.day for r in week) == [20, 21, 22, 23, 24, 25]
        notes = privacy.audit_page(s, privacy.AuditFilter(text="NOTES"))
        assert {r.detail for r in notes} == {"notes"} and len(notes) == 5
        assert privacy.audit_page(s, privacy.AuditFilter(text="%")) == []
        choices = privacy.audit_choices(s)
    assert choices.actors == ("Priya Shah", "Tom Reid")
    assert choices.entities == ("person", "roundtable")
    assert choices.actions == ("created", "updated")


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError, match="swap the dates"):
        privacy.day_range(dt.date(2026, 3, 2), dt.date(2026, 3, 1))


def test_the_trail_exports_to_csv_and_xlsx_with_local_times_and_no_formulas(
    db: Database, tmp_path: Path
) -> None:
    _trail(db, 3)
    with db.transaction() as s:
        audit.record(s, "person", 1, "updated", "=HYPERLINK(1)")
    with db.reading() as s:
        assert privacy.write_audit(s, tmp_path / "audit.csv", zone="Europe/Paris") == 4
        assert privacy.write_audit(s, tmp_path / "audit.xlsx", zone="Europe/Paris") == 4
        with pytest.raises(ValidationError, match=r"\.csv or \.xlsx"):
            privacy.write_audit(s, tmp_path / "audit.txt")
    with open(tmp_path / "audit.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(privacy.audit_trail_headers())
    assert rows[1][4:] == ["Updated", "'=HYPERLINK(1)"]
    assert rows[2] == ["2026-03-01 13:00:00", "Tom Reid", "Person", "2", "Updated", "email"]
    assert rows[-1][:5] == ["2026-02-27 13:00:00", "Tom Reid", "Roundtable", "0", "Created"]
    sheet = load_workbook(tmp_path / "audit.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][5] == "=HYPERLINK(1)" and sheet.cell(2, 6).data_type == "s"
    assert values[2][:4] == ["2026-03-01 13:00:00", "Tom Reid", "Person", 2]
