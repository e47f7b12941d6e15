"""The people import and export carry the chosen name, the support contact, and how and
when each consent was given (issue 13, sections 1 and 2), on both backends."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from roundtable_app.core.model import ConsentMethod, PersonData
from roundtable_app.services import directory
from roundtable_app.services.transfer import (
    ImportReport,
    RowStatus,
    apply_import,
    duplicate_columns,
    export_people_csv,
    guess_mapping,
    prepare,
    read_table,
)
from roundtable_app.storage.unit_of_work import Database

T0 = dt.datetime(2025, 3, 31, 14, 5, 9, tzinfo=dt.UTC)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _import(db: Database, path: Path) -> ImportReport:
    table = read_table(path)
    plan = prepare(table, guess_mapping(table.headers))
    with db.transaction() as session:
        return apply_import(session, plan, on_duplicate="merge", skip_bad_rows=False)


def _person(db: Database, email: str) -> PersonData:
    with db.reading() as session:
        found = directory.find_by_email(session, email)
        assert found is not None
        return directory.get_person(session, found[0]).data


def _to_the_second(data: PersonData) -> PersonData:
    """``data`` with its consent times as the export writes them: to the second."""
    contact, named = data.contact_consent_at, data.named_consent_at
    return replace(
        data,
        contact_consent_at=contact.replace(microsecond=0) if contact else None,
        named_consent_at=named.replace(microsecond=0) if named else None,
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# --- export ---------------------------------------------------------------------------------


def test_the_export_writes_the_chosen_name_and_the_consent_record_and_the_support_contact_only_when_asked(  # noqa: E501
    db: Database, tmp_path: Path, make_person: Callable[..., int]
) -> None:
    make_person(
        db,
        full_name="Amina Yusuf",
        email="amina@example.org",
        display_name="Mina",
        contact_via="Hestia support worker",
        contact_via_email="worker@hestia.example.org",
        may_be_named=True,
        contact_consent_how="online_form",
        named_consent_how="verbally",
    )
    make_person(db, full_name="Boris Kowalczyk", email="boris@example.org", may_contact=False)
    plain, full = tmp_path / "plain.csv", tmp_path / "full.csv"
    with db.reading() as session:
        export_people_csv(session, plain)
        export_people_csv(session, full, sensitive=True)
    stamped = _person(db, "amina@example.org").contact_consent_at
    assert stamped is not None
    when = f"{stamped:%Y-%m-%d %H:%M:%S} UTC"

    amina, boris = _rows(plain)
    assert "Contact through" not in amina and "Contact through e-mail" not in amina
    assert "hestia" not in plain.read_text(encoding="utf-8-sig").lower()
    assert amina["Known as"] == "Mina"
    assert (amina["May contact: how"], amina["May contact: when"]) == (
        "On an online form",
        when,
    )
    assert (amina["May be named: how"], amina["May be named: when"]) == (
        "Verbally (in person or by phone)",
        when,
    )
    # Withheld, with nothing said about how: nothing recorded, nothing written.
    assert (boris["May contact"], boris["May contact: how"], boris["May contact: when"]) == (
        "no",
        "",
        "",
    )
    assert boris["Known as"] == ""

    amina = _rows(full)[0]
    assert amina["Contact through"] == "Hestia support worker"
    assert amina["Contact through e-mail"] == "worker@hestia.example.org"
    header = next(csv.reader(full.open(encoding="utf-8-sig")))
    assert header[:5] == [
        "Full name",
        "Known as",
        "E-mail",
        "Contact through",
        "Contact through e-mail",
    ]


def test_an_export_imported_into_an_emptied_directory_gives_the_same_people(
    db: Database, tmp_path: Path, make_person: Callable[..., int]
) -> None:
    """Both backends write the new columns (the other round trip imports into SQLite)."""
    ids = [
        make_person(
            db,
            full_name="Amina Yusuf",
            email="amina@example.org",
            display_name="Mina",
            contact_via="Hestia",
            contact_via_email="worker@hestia.example.org",
            lived_experience=True,
            may_be_named=True,
            contact_consent_how="in_writing",
            named_consent_how="email",
        ),
        make_person(db, full_name="Boris Kowalczyk", email="boris@example.org", may_contact=False),
        make_person(db, full_name="Chen Wei", email="chen@example.org"),
    ]
    before = {
        e: _person(db, e) for e in ("amina@example.org", "boris@example.org", "chen@example.org")
    }
    path = tmp_path / "people.csv"
    with db.reading() as session:
        export_people_csv(session, path, sensitive=True)
    with db.transaction() as session:
        directory.delete_people(session, ids)

    assert _import(db, path).added == 3

    assert {e: _person(db, e) for e in before} == {e: _to_the_second(d) for e, d in before.items()}


# --- guessing the columns -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        # Our own export.
        (
            [
                "Full name",
                "Known as",
                "E-mail",
                "Contact through",
                "Contact through e-mail",
                "May contact",
                "May contact: how",
                "May contact: when",
                "May be named",
                "May be named: how",
                "May be named: when",
            ],
            [
                "full_name",
                "display_name",
                "email",
                "contact_via",
                "contact_via_email",
                "may_contact",
                "contact_consent_how",
                "contact_consent_at",
                "may_be_named",
                "named_consent_how",
                "named_consent_at",
            ],
        ),
        # Outlook / Microsoft 365: "Display name" is the full name...
        (["Display Name", "E-mail Address"], ["full_name", "email"]),
        (["First name", "Last name", "Display name"], ["first_name", "last_name", "full_name"]),
        # ... but beside a full-name column it is the chosen name.
        (["Name", "Display name", "Email"], ["full_name", "display_name", "email"]),
        (["Full name", "Preferred name"], ["full_name", "display_name"]),
        (["Full name", "Chosen name"], ["full_name", "display_name"]),
        # Looser headers.
        (
            ["Name", "Email", "Support worker e-mail address", "Support organisation"],
            ["full_name", "email", "contact_via_email", "contact_via"],
        ),
        (
            ["Name", "Consent to be named (date)", "May contact - method", "Consent date"],
            ["full_name", "named_consent_at", "contact_consent_how", "contact_consent_at"],
        ),
        # Mailchimp's audience export says when each subscriber opted in.
        (
            ["Email Address", "First Name", "Last Name", "OPTIN_TIME"],
            ["email", "first_name", "last_name", "contact_consent_at"],
        ),
        # "Support needs" is not a support worker.
        (["Name", "Support needs"], ["full_name", None]),
    ],
)
def test_the_new_columns_are_recognised_from_their_headers(
    headers: list[str], expected: list[str | None]
) -> None:
    assert guess_mapping(headers) == expected
    assert duplicate_columns(headers) == []


def test_a_display_name_beside_a_full_name_is_no_clash() -> None:
    """Before, "Name" and "Display name" both looked like the full name: the user had to choose."""
    assert duplicate_columns(["Name", "Display name"]) == []
    clash = duplicate_columns(["Known as", "Preferred name"])
    assert [c.field for c in clash] == ["display_name"]


# --- reading the cells ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("On an online form", "online_form"),
        ("ON AN ONLINE FORM", "online_form"),
        ("online_form", "online_form"),
        ("Online form", "online_form"),
        ("In writing", "in_writing"),
        ("by e-mail", "email"),
        ("EMAIL", "email"),
        ("Verbally (in person or by phone)", "verbally"),
        ("by phone", "verbally"),
        ("As recorded in an imported file", "imported"),
        ("Not recorded", ""),
        # The short forms a row problem suggests.
        ("Verbally", "verbally"),
        ("Imported", "imported"),
    ],
)
def test_how_is_read_from_a_label_or_a_value_in_any_case(
    tmp_path: Path, how: str, expected: str
) -> None:
    path = _write(
        tmp_path / "p.csv",
        f"Name,May contact,May contact: how,May contact: when\nAna,no,{how},2025-03-31 14:05\n",
    )
    table = read_table(path)
    plan = prepare(table, guess_mapping(table.headers))
    data = plan.rows[0].data
    assert data is not None, plan.rows[0].reason
    assert data.contact_consent_how == expected


@pytest.mark.parametrize(
    "when",
    [
        "2025-03-31 14:05:09 UTC",
        "2025-03-31T14:05:09Z",
        "2025-03-31 15:05:09+01:00",
        "31/03/2025 14:05:09",
        "2025-03-31 14:05:09",
    ],
)
def test_when_is_read_as_utc_in_the_forms_spreadsheets_write(tmp_path: Path, when: str) -> None:
    path = _write(tmp_path / "p.csv", f"Name,May be named,May be named: when\nAna,yes,{when}\n")
    table = read_table(path)
    data = prepare(table, guess_mapping(table.headers)).rows[0].data
    assert data is not None
    assert data.named_consent_at == T0


def test_bad_consent_cells_and_a_bad_support_address_are_row_problems(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "p.csv",
        "Name,Email,May contact: how,May contact: when,Contact through e-mail\n"
        "Ana,ana@example.org,by pigeon,,\n"
        "Bo,bo@example.org,,next Tuesday,\n"
        "Cy,cy@example.org,,2099-01-01,\n"
        "Di,di@example.org,,,worker@\n"
        "Ed,ed@example.org,email,2025-03-31,worker@example.org\n",
    )
    table = read_table(path)
    plan = prepare(table, guess_mapping(table.headers))
    statuses = [r.status for r in plan.rows]
    assert statuses == [RowStatus.PROBLEM] * 4 + [RowStatus.NEW]
    reasons = [r.reason for r in plan.rows[:4]]
    assert reasons[0] == (
        "'by pigeon' in “May contact: how” is not a way of giving consent; write "
        "In writing, By e-mail, Verbally, On an online form or Imported, or leave it empty"
    )
    assert reasons[1] == (
        "'next Tuesday' in “May contact: when” is not a date and time "
        "(write it as 2026-03-31 14:05 UTC)"
    )
    assert reasons[2] == "'2099-01-01' in “May contact: when” is in the future"
    assert reasons[3] == "'worker@' is not an e-mail address (in “Contact through e-mail”)"


# --- what an import records -----------------------------------------------------------------


def test_a_new_persons_consent_without_how_is_recorded_as_imported_now(
    db: Database, tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "p.csv",
        "Name,Email,Known as,May contact,May be named,May be named: how,May be named: when\n"
        "Ana Silva,ana@example.org,Ana S.,yes,yes,in writing,2025-03-31 14:05:09 UTC\n"
        "Bo Berg,bo@example.org,,no,no,,\n"
        "Cy Lee,cy@example.org,,yes,no,by e-mail,\n",
    )
    started = dt.datetime.now(dt.UTC)
    assert _import(db, path).added == 3
    ended = dt.datetime.now(dt.UTC)

    ana = _person(db, "ana@example.org")
    assert ana.display_name == "Ana S."
    assert ana.contact_consent_how == ConsentMethod.IMPORTED
    assert ana.contact_consent_at is not None and started <= ana.contact_consent_at <= ended
    assert (ana.named_consent_how, ana.named_consent_at) == ("in_writing", T0)  # as the file says

    bo = _person(db, "bo@example.org")  # withheld, nothing said: nothing recorded
    assert (bo.contact_consent_how, bo.contact_consent_at) == ("", None)
    assert (bo.named_consent_how, bo.named_consent_at) == ("", None)

    cy = _person(db, "cy@example.org")  # withheld by e-mail, no time: dated at the import
    assert cy.named_consent_how == "email"
    assert cy.named_consent_at is not None and started <= cy.named_consent_at <= ended


def test_a_merge_dates_a_withdrawn_consent_as_update_person_does(
    db: Database, tmp_path: Path, make_person: Callable[..., int]
) -> None:
    make_person(
        db, full_name="Ana Silva", email="ana@example.org", contact_consent_how="online_form"
    )
    make_person(
        db,
        full_name="Bo Berg",
        email="bo@example.org",
        may_be_named=True,
        named_consent_how="online_form",
    )
    make_person(db, full_name="Cy Lee", email="cy@example.org", contact_consent_how="email")
    given = {e: _person(db, e) for e in ("ana@example.org", "bo@example.org", "cy@example.org")}
    path = _write(
        tmp_path / "p.csv",
        "Name,Email,May contact,May contact: how,May be named,May be named: how,"
        "May be named: when,Known as\n"
        # Ana withdraws; the file says neither how nor when.
        "Ana Silva,ana@example.org,no,,,,,Ana S.\n"
        # Bo withdraws being named, and the file says how and when.
        "Bo Berg,bo@example.org,yes,,no,verbally,2025-03-31 14:05:09,\n"
        # Cy: the same consent, said differently: the directory's record stays.
        "Cy Lee,cy@example.org,yes,in writing,,,,\n",
    )
    started = dt.datetime.now(dt.UTC)
    report = _import(db, path)
    ended = dt.datetime.now(dt.UTC)
    assert (report.merged, report.unchanged) == (2, 1)

    ana = _person(db, "ana@example.org")
    assert (ana.may_contact, ana.contact_consent_how) == (False, ConsentMethod.IMPORTED)
    assert ana.contact_consent_at is not None and started <= ana.contact_consent_at <= ended
    assert ana.display_name == "Ana S."  # a blank filled

    bo = _person(db, "bo@example.org")
    assert (bo.may_be_named, bo.named_consent_how, bo.named_consent_at) == (False, "verbally", T0)
    assert bo.contact_consent_at == given["bo@example.org"].contact_consent_at  # unchanged

    assert _person(db, "cy@example.org") == given["cy@example.org"]


def test_a_merge_fills_an_unrecorded_how_and_grants_nothing(
    db: Database, tmp_path: Path, make_person: Callable[..., int]
) -> None:
    make_person(db, full_name="Ana Silva", email="ana@example.org")  # consent, how not recorded
    make_person(db, full_name="Bo Berg", email="bo@example.org", may_contact=False)
    path = _write(
        tmp_path / "p.csv",
        "Name,Email,May contact,May contact: how,May contact: when\n"
        "Ana Silva,ana@example.org,yes,in writing,2025-03-31 14:05:09 UTC\n"
        "Bo Berg,bo@example.org,yes,online form,2025-03-31 14:05:09 UTC\n",
    )
    _import(db, path)
    ana = _person(db, "ana@example.org")
    assert (ana.contact_consent_how, ana.contact_consent_at) == ("in_writing", T0)
    bo = _person(db, "bo@example.org")
    # An import never grants consent the directory does not record; nor its record.
    assert (bo.may_contact, bo.contact_consent_how, bo.contact_consent_at) == (False, "", None)


def test_a_file_imported_again_changes_nobody(db: Database, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "p.csv",
        "Name,Email,May contact,May be named\nAna Silva,ana@example.org,yes,yes\n",
    )
    _import(db, path)
    first = _person(db, "ana@example.org")
    assert first.named_consent_how == ConsentMethod.IMPORTED
    report = _import(db, path)
    assert (report.merged, report.unchanged) == (0, 1)
    assert _person(db, "ana@example.org") == first


@pytest.mark.parametrize(
    "value",
    [
        T0,
        dt.datetime(2024, 2, 29, 23, 59, 59, 123456, tzinfo=dt.UTC),
        dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    ],
)
def test_the_fast_time_conversion_stores_what_sqlalchemy_would(
    db: Database, value: dt.datetime
) -> None:
    from roundtable_app.services.transfer.writing import _stored_time, _time_storer

    with db.reading() as session:
        now = dt.datetime.now(dt.UTC)
        store = _time_storer(session, now, _stored_time(session, now))
        assert store(value) == _stored_time(session, value)
        assert store(value) == _stored_time(session, value)  # the second time, from its cache
        assert store(now) == _stored_time(session, now) and store(None) is None
