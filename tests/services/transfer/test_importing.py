"""Importing people from the files staff really have: CSV in its many shapes, Excel,
broken files, bad rows, duplicates, merge vs skip, cancel, and the export round trip."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from roundtable_app.core.errors import Cancelled, ValidationError
from roundtable_app.core.model import PersonData
from roundtable_app.core.progress import Progress
from roundtable_app.services import audit, directory
from roundtable_app.services import transfer as importing
from roundtable_app.services.transfer import (
    ImportPlan,
    RowStatus,
    apply_import,
    export_people_csv,
    guess_mapping,
    prepare,
    read_table,
)
from roundtable_app.storage.models import AuditEntry, Organisation, Person, Theme, person_theme
from roundtable_app.storage.unit_of_work import Database, open_database


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _plan(path: Path, **kw: object) -> ImportPlan:
    table = read_table(path)
    return prepare(table, guess_mapping(table.headers), **kw)  # type: ignore[arg-type]


def _people(db: Database) -> dict[str, PersonData]:
    with db.reading() as session:
        rows = directory.list_rows(session)
        return {
            (p.data.email or p.data.full_name).lower(): p.data
            for p in (directory.get_person(session, r.id) for r in rows)
        }


def _to_the_second(data: PersonData) -> PersonData:
    """``data`` with its consent times as the export writes them: to the second."""

    def second(value: dt.datetime | None) -> dt.datetime | None:
        return value.replace(microsecond=0) if value else None

    return replace(
        data,
        contact_consent_at=second(data.contact_consent_at),
        named_consent_at=second(data.named_consent_at),
    )


def test_an_export_leaves_lived_experience_out_unless_asked(
    sqlite_db: Database, tmp_path: Path, make_person
) -> None:
    make_person(
        sqlite_db,
        full_name="Amina Yusuf",
        organisation="Survivor Alliance",
        sector="Lived experience",
        lived_experience=True,
        accessibility_needs="Step-free access",
        dietary_needs="Halal",
        notes="Referred by her caseworker",
    )
    make_person(sqlite_db, full_name="Boris Kowalczyk", organisation="Home Office")
    plain, full = tmp_path / "plain.csv", tmp_path / "full.csv"
    with sqlite_db.reading() as session:
        export_people_csv(session, plain)
        export_people_csv(session, full, sensitive=True)
    text = plain.read_text(encoding="utf-8-sig")
    for hidden in ("Lived experience", "Survivor Alliance", "Step-free", "Halal", "caseworker"):
        assert hidden.casefold() not in text.casefold(), hidden
    assert "Amina Yusuf" in text and "Home Office" in text
    rows = list(csv.reader(full.open(encoding="utf-8-sig")))
    assert {"Lived experience", "Accessibility needs", "Dietary needs"} <= set(rows[0])
    assert "Step-free access" in full.read_text(encoding="utf-8-sig")


def _import(db: Database, path: Path, **kw: object) -> importing.ImportReport:
    plan = _plan(path)
    options: dict[str, object] = {"on_duplicate": "merge", "skip_bad_rows": False, **kw}
    with db.transaction() as session:
        return apply_import(session, plan, **options)  # type: ignore[arg-type]


# --- reading files -------------------------------------------------------------------------


def test_utf8_bom_csv_from_excel(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(
        codecs.BOM_UTF8 + "Full name,Email\r\nZoë Ångström,zoe@example.org\r\n".encode()
    )
    table = read_table(path)
    assert table.encoding == "utf-8-sig"
    assert table.headers == ("Full name", "Email")  # no BOM glued to the first header
    assert table.rows == [("Zoë Ångström", "zoe@example.org")]
    assert table.row_numbers == [2]


def test_cp1252_csv_from_windows_excel(tmp_path: Path) -> None:
    text = "Name,Email,Notes\r\nRené Côté,rene@example.org,Prefers ‘tea’ – not coffee’s\r\n"
    table = read_table(_write(tmp_path / "win.csv", text, "cp1252"))
    assert table.encoding == "cp1252"
    assert table.rows[0][0] == "René Côté"
    assert table.rows[0][2] == "Prefers ‘tea’ – not coffee’s"


def test_semicolon_csv_with_commas_inside_cells(tmp_path: Path) -> None:
    text = "Name;E-mail;Interests\nAda Lovelace;ada@example.org;Forced labour, Policing\n"
    table = read_table(_write(tmp_path / "eu.csv", text))
    assert table.delimiter == ";"
    plan = prepare(table, guess_mapping(table.headers))
    assert plan.records[0][1].interests == ("Forced labour", "Policing")


def test_tab_separated_utf16_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes("Name\tEmail\nMária Kovács\tmaria@example.org\n".encode("utf-16"))
    table = read_table(path)
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.rows == [("Mária Kovács", "maria@example.org")]


def test_outlook_contact_export_maps_primary_email_only(tmp_path: Path) -> None:
    headers = (
        "Title,First Name,Middle Name,Last Name,Suffix,Company,Department,Job Title,"
        "Business Street,Business City,Business Phone,Mobile Phone,E-mail Address,"
        "E-mail Type,E-mail Display Name,E-mail 2 Address,E-mail 3 Address,Notes,Categories"
    )
    row = (
        "Dr,Priya,,Shah,,Rights Lab,Research,Senior Researcher,1 University Park,Nottingham,"
        "0115 000,07700 900000,priya.shah@example.ac.uk,SMTP,Priya Shah (priya.shah@example.ac.uk),"
        "p.shah@home.example,,Met at the 2023 roundtable,Research"
    )
    table = read_table(_write(tmp_path / "outlook.CSV", f"{headers}\r\n{row}\r\n"))
    mapping = guess_mapping(table.headers)
    by_header = dict(zip(table.headers, mapping, strict=True))
    assert by_header["E-mail Address"] == "email"
    assert by_header["E-mail 2 Address"] is None
    assert by_header["E-mail Display Name"] is None
    assert by_header["Title"] is None  # "Dr" is not a job title
    assert by_header["Job Title"] == "role"
    assert by_header["Company"] == "organisation"
    assert (by_header["First Name"], by_header["Last Name"]) == ("first_name", "last_name")
    data = prepare(table, mapping).records[0][1]
    assert data.full_name == "Priya Shah"
    assert data.email == "priya.shah@example.ac.uk"
    assert data.organisation == "Rights Lab"
    assert data.role == "Senior Researcher"
    assert data.notes == "Met at the 2023 roundtable"


def test_mailchimp_export_with_quoted_tags(tmp_path: Path) -> None:
    text = (
        '"Email Address","First Name","Last Name","Address","Phone Number",'
        '"MEMBER_RATING","OPTIN_TIME","TAGS"\n'
        'sam@example.org,Sam,Okafor,,,2,"2024-01-01 10:00:00",'
        '"""Survivor support"",""Data and prevalence"""\n'
    )
    table = read_table(_write(tmp_path / "members_export.csv", text))
    mapping = guess_mapping(table.headers)
    assert mapping[0] == "email" and mapping[-1] == "interests"
    data = prepare(table, mapping).records[0][1]
    assert data.full_name == "Sam Okafor"
    assert data.interests == ("Survivor support", "Data and prevalence")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["E-mail Address"], ["email"]),
        (["Email address"], ["email"]),
        (["Email"], ["email"]),
        (["E-mail"], ["email"]),
        (["Mail"], ["email"]),
        (["Given name", "Surname"], ["first_name", "last_name"]),
        (["First name", "Family name"], ["first_name", "last_name"]),
        (["Display Name", "Organization"], ["full_name", "organisation"]),
        (["Name", "Employer", "Position"], ["full_name", "organisation", "role"]),
        (["Themes", "Comments"], ["interests", "notes"]),
        (["Topics", "Dietary requirements"], ["interests", "dietary_needs"]),
        (["Access needs", "Consent"], ["accessibility_needs", "may_contact"]),
        (["Lived experience", "Timezone"], ["lived_experience", "time_zone"]),
        (["Email", "E-mail"], ["email", None]),  # each field once
        (["Phone", "Address"], [None, None]),
    ],
)
def test_guess_mapping(headers: list[str], expected: list[str | None]) -> None:
    assert guess_mapping(headers) == expected


def test_xlsx_made_with_openpyxl(tmp_path: Path) -> None:
    import datetime as dt

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Contacts"
    sheet.append([])  # a blank row above the header
    sheet.append(["Full name", "Email", "Organisation", "Joined", "Staff number"])
    sheet.append(["Ana Silva", "ana@example.org", "Unseen", dt.datetime(2024, 3, 5), 42.0])
    sheet.append(["Tom Reid", "tom@example.org", None, None, 7])
    path = tmp_path / "people.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.sheet == "Contacts"
    assert table.header_row == 2
    assert table.row_numbers == [3, 4]
    assert table.rows[0] == ("Ana Silva", "ana@example.org", "Unseen", "2024-03-05", "42")
    assert table.rows[1] == ("Tom Reid", "tom@example.org", "", "", "7")
    plan = prepare(table, guess_mapping(table.headers))
    assert [n for n, _ in plan.records] == [3, 4]


def test_header_row_after_blank_lines_counts_them(tmp_path: Path) -> None:
    text = "\n\nName,Email\nA One,a@example.org\n\nB Two,b@\n"
    table = read_table(_write(tmp_path / "gaps.csv", text))
    assert table.header_row == 3
    plan = prepare(table, guess_mapping(table.headers))
    assert plan.blank_rows == 1
    assert [p.row_number for p in plan.problems] == [6]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.csv", b"", "is empty"),
        ("blank.csv", b"\n\n  \n", "is empty"),
        ("garbage.xlsx", bytes(range(256)) * 8, "not an Excel workbook"),
        ("binary.csv", b"\x00\x01\x02\x03binary\x00" * 100, "not a spreadsheet"),
        ("protected.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password"),
        ("broken.xlsx", b"PK\x03\x04 this zip is cut short", "damaged"),
    ],
)
def test_broken_files_give_clear_errors(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError) as info:
        read_table(path)
    assert expected in str(info.value)
    assert name in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        read_table(tmp_path / "nowhere.csv")


def test_no_name_column_is_refused_with_advice(tmp_path: Path) -> None:
    table = read_table(_write(tmp_path / "odd.csv", "Phone,Email\n1,a@example.org\n"))
    with pytest.raises(ValidationError, match="No column is used for the name"):
        prepare(table, guess_mapping(table.headers))


# --- rows: problems and duplicates ------------------------------------------------------------


BAD_ROWS = (
    "Full name,Email,May contact\n"
    "Good Person,good@example.org,yes\n"
    ",nameless@example.org,yes\n"
    "Jane Doe,jane@,no\n"
    "Unsure Person,unsure@example.org,maybe\n"
    ",,\n"
    "Also Good,ALSO@example.org,n\n"
)


def test_bad_rows_reported_with_row_numbers(tmp_path: Path) -> None:
    plan = _plan(_write(tmp_path / "bad.csv", BAD_ROWS))
    problems = {p.row_number: p.message for p in plan.problems}
    assert problems == {
        3: "Row 3: there is no name",
        4: "Row 4: 'jane@' is not an e-mail address",
        5: "Row 5: 'maybe' in “May contact (yes/no)” is not yes or no",
    }
    assert plan.blank_rows == 1
    assert [n for n, _ in plan.records] == [2, 7]
    assert plan.records[1][1].may_contact is False


def test_bad_rows_block_the_import_unless_skipped(db: Database, tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.csv", BAD_ROWS)
    with pytest.raises(ValidationError) as info:
        _import(db, path)
    assert "3 rows cannot be imported" in str(info.value)
    assert "Row 3:" in str(info.value)
    assert _people(db) == {}
    report = _import(db, path, skip_bad_rows=True)
    assert (report.added, len(report.rejected)) == (2, 3)
    assert [p.row_number for p in report.rejected] == [3, 4, 5]
    assert set(_people(db)) == {"good@example.org", "also@example.org"}


def test_unticked_rows_are_left_out(sqlite_db: Database, tmp_path: Path) -> None:
    plan = _plan(_write(tmp_path / "bad.csv", BAD_ROWS))
    with sqlite_db.transaction() as session:
        report = apply_import(
            session,
            plan,
            on_duplicate="merge",
            skip_bad_rows=False,
            excluded_rows=frozenset({3, 4, 5, 7}),
        )
    assert (report.added, report.excluded, report.rejected) == (1, 4, [])
    assert set(_people(sqlite_db)) == {"good@example.org"}


DUPES = (
    "Name,Email,Organisation,Interests,Notes\n"
    "Kim Lee,kim@example.org,,Survivor support,\n"
    "Kimberly Lee,KIM@Example.org,Hope Trust,Policing; Survivor support,Vegan\n"
    "Other One,other@example.org,,,\n"
)


def test_duplicates_within_the_file_are_marked(tmp_path: Path) -> None:
    plan = _plan(_write(tmp_path / "d.csv", DUPES), existing_emails={"other@example.org"})
    statuses = {r.row_number: (r.status, r.reason) for r in plan.rows}
    assert statuses[2][0] is RowStatus.NEW
    assert statuses[3] == (RowStatus.DUPLICATE_IN_FILE, "Same e-mail as row 2")
    assert statuses[4][0] is RowStatus.EXISTS


def test_in_file_duplicates_merge_or_skip(sqlite_db: Database, tmp_path: Path) -> None:
    path = _write(tmp_path / "d.csv", DUPES)
    report = _import(sqlite_db, path, on_duplicate="merge")
    assert (report.added, report.merged, report.skipped) == (2, 1, 0)
    kim = _people(sqlite_db)["kim@example.org"]
    assert kim.full_name == "Kim Lee"  # the first spelling wins, nothing overwritten
    assert kim.organisation == "Hope Trust"  # a blank was filled
    assert kim.interests == ("Policing", "Survivor support")
    assert kim.notes == "Vegan"


def test_in_file_duplicates_skip(sqlite_db: Database, tmp_path: Path) -> None:
    report = _import(sqlite_db, _write(tmp_path / "d.csv", DUPES), on_duplicate="skip")
    assert (report.added, report.merged, report.skipped, report.skipped_rows) == (2, 0, 1, (3,))
    assert _people(sqlite_db)["kim@example.org"].organisation is None


def test_merge_with_the_database_fills_blanks_and_keeps_values(
    db: Database, tmp_path: Path, make_person: Callable[..., int]
) -> None:
    pid = make_person(
        db,
        full_name="Kim Lee",
        email="Kim@Example.org",
        organisation="Unseen",
        interests=("Survivor support",),
        notes="Chair in 2023",
        may_be_named=True,
    )
    with db.reading() as session:
        version = directory.get_person(session, pid).version
    text = (
        "Name,Email,Organisation,Role,Interests,Notes,May be named\n"
        "K. Lee,kim@example.org,Other Org,Director,Policing,Vegan,no\n"
    )
    report = _import(db, _write(tmp_path / "m.csv", text), on_duplicate="merge")
    assert (report.added, report.merged, report.merged_ids) == (0, 1, (pid,))
    with db.reading() as session:
        person = directory.get_person(session, pid)
    assert person.version == version + 1
    assert person.data.full_name == "Kim Lee"
    assert person.data.email == "Kim@Example.org"
    assert person.data.organisation == "Unseen"
    assert person.data.role == "Director"
    assert person.data.interests == ("Policing", "Survivor support")
    assert person.data.notes == "Chair in 2023\nVegan"
    assert person.data.may_be_named is False  # consent withdrawn in the file wins


def test_skip_with_the_database_changes_nothing(
    db: Database, tmp_path: Path, make_person: Callable[..., int]
) -> None:
    pid = make_person(db, full_name="Kim Lee", email="kim@example.org")
    before = _people(db)
    text = "Name,Email,Role\nK. Lee,KIM@example.org,Director\nNew One,new@example.org,\n"
    report = _import(db, _write(tmp_path / "s.csv", text), on_duplicate="skip")
    assert (report.added, report.merged, report.skipped) == (1, 0, 1)
    after = _people(db)
    assert after["kim@example.org"] == before["kim@example.org"]
    with db.reading() as session:
        assert directory.get_person(session, pid).version == 1
        audit = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "imported")
        ).all()
    assert audit == ["1 added, 0 merged, 1 skipped, 0 rejected"]


def test_new_vocabulary_matches_existing_in_any_case(
    db: Database, tmp_path: Path, make_person: Callable[..., int]
) -> None:
    make_person(db, organisation="Hope Trust", interests=("Survivor support",))
    text = (
        "Name,Email,Organisation,Sector,Interests\n"
        "A,a@example.org,hope trust,civil society,survivor SUPPORT; New theme\n"
        "B,b@example.org,New Org,New sector,new THEME\n"
    )
    _import(db, _write(tmp_path / "v.csv", text))
    with db.reading() as session:
        assert sorted(session.scalars(select(Theme.name))) == ["New theme", "Survivor support"]
        assert sorted(session.scalars(select(Organisation.name))) == ["Hope Trust", "New Org"]
    people = _people(db)
    assert people["a@example.org"].sector == "Civil society"
    assert people["b@example.org"].sector == "New sector"
    assert people["b@example.org"].interests == ("New theme",)


# --- one transaction ---------------------------------------------------------------------------


def _snapshot(db: Database) -> tuple[object, ...]:
    with db.reading() as session:
        return (
            _people(db),
            session.scalar(select(func.count()).select_from(Person)),
            session.scalar(select(func.count()).select_from(person_theme)),
            sorted(session.scalars(select(Theme.name))),
            sorted(session.scalars(select(Organisation.name))),
            session.scalar(select(func.count()).select_from(AuditEntry)),
        )


def test_cancel_mid_import_leaves_the_database_unchanged(
    db: Database, tmp_path: Path, make_person: Callable[..., int]
) -> None:
    make_person(db, full_name="Kim Lee", email="kim@example.org", interests=("Policing",))
    lines = ["Name,Email,Organisation,Interests"]
    lines += [f"P {i},p{i}@example.org,Org {i % 50},Theme {i % 7}" for i in range(2500)]
    lines.append("Kim,kim@example.org,Filled Org,Survivor support")
    plan = _plan(_write(tmp_path / "big.csv", "\n".join(lines)))
    before = _snapshot(db)
    seen: list[str] = []

    def on_update(done: int, total: int, message: str) -> None:
        seen.append(message)
        if done >= 2000:  # after two batches of people are already inserted
            progress.cancel()

    progress = Progress(on_update)
    with pytest.raises(Cancelled):
        with db.transaction() as session:
            apply_import(
                session, plan, on_duplicate="merge", skip_bad_rows=False, progress=progress
            )
    assert "Adding people…" in seen
    assert _snapshot(db) == before


def test_failure_mid_import_leaves_the_database_unchanged(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _plan(_write(tmp_path / "f.csv", "Name,Email,Interests\nA,a@example.org,X\n"))
    before = _snapshot(db)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(audit, "record", boom)
    with pytest.raises(RuntimeError):
        with db.transaction() as session:
            apply_import(session, plan, on_duplicate="merge", skip_bad_rows=False)
    assert _snapshot(db) == before


# --- export and round trip ----------------------------------------------------------------------


def test_export_then_import_gives_the_same_people(
    db: Database, tmp_path: Path, make_person: Callable[..., int]
) -> None:
    make_person(
        db,
        full_name="Zoë O’Brien",
        email="Zoe@Example.org",
        organisation="Unseen",
        role="Head of policy",
        sector="Civil society",
        interests=("Survivor support", "Policing and prosecution"),
        lived_experience=True,
        may_contact=False,
        may_be_named=True,
        accessibility_needs="Step-free access",
        dietary_needs="Halal",
        notes="Line one\nline two, with comma; and semicolon",
        time_zone="Europe/Paris",
        display_name="Zoë",
        contact_via="Unseen, survivor support",
        contact_via_email="Support@Unseen.example.org",
        contact_consent_how="in_writing",
        named_consent_how="verbally",
    )
    make_person(db, full_name='=HYPERLINK("http://x")', email=None, notes="-5 degrees")
    make_person(db, full_name="Plain Person", email="plain@example.org")
    path = tmp_path / "out" / "people.csv"
    path.parent.mkdir()
    with db.reading() as session:
        assert export_people_csv(session, path, sensitive=True) == 3
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    assert not [p for p in path.parent.iterdir() if p.name != "people.csv"]  # no temp left

    fresh = open_database(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        table = read_table(path)
        assert all(guess_mapping(table.headers))  # every exported column maps back
        report = _import(fresh, path)
        assert report.added == 3
        # Everything, the chosen name, the support contact and how and when each
        # consent was given included (the file holds the times to the second).
        imported, exported = _people(fresh), _people(db)
        assert imported["zoe@example.org"].contact_via_email == "Support@Unseen.example.org"
        assert imported["zoe@example.org"].named_consent_how == "verbally"
        assert {k: _to_the_second(v) for k, v in imported.items()} == {
            k: _to_the_second(v) for k, v in exported.items()
        }
    finally:
        fresh.close()


def test_export_guards_formula_cells(sqlite_db: Database, tmp_path: Path, make_person) -> None:
    make_person(sqlite_db, full_name="=1+1", organisation="@SUM(A1)", role="+44 20", notes="-cmd")
    path = tmp_path / "people.csv"
    with sqlite_db.reading() as session:
        export_people_csv(session, path, sensitive=True)
    content = path.read_text(encoding="utf-8-sig")
    assert "'=1+1" in content and "'@SUM(A1)" in content and "'+44 20" in content
    assert "'-cmd" in content
    assert ",=1+1" not in content and "\n=1+1" not in content


def test_export_to_a_folder_that_does_not_exist(sqlite_db: Database, tmp_path: Path) -> None:
    from roundtable_app.core.errors import RoundtableError

    target = tmp_path / "missing" / "people.csv"
    with sqlite_db.reading() as session, pytest.raises(RoundtableError) as info:
        export_people_csv(session, target)
    assert str(target) in str(info.value)


def test_import_file_in_one_call(sqlite_db: Database, tmp_path: Path) -> None:
    path = _write(tmp_path / "p.csv", "Email,First name,Last name\nx@example.org,Xi,Ng\n")
    report = importing.import_file(sqlite_db, path)
    assert report.added == 1
    assert "1 added" in report.text()
    assert _people(sqlite_db)["x@example.org"].full_name == "Xi Ng"


@pytest.mark.parametrize("zone", ["Europe", "America/Argentina"])
def test_a_time_zone_that_names_a_folder_is_refused_with_its_row(tmp_path: Path, zone: str) -> None:
    """'Europe' is a folder of the zone database: ZoneInfo raised IsADirectoryError, a traceback."""
    plan = _plan(_write(tmp_path / "zones.csv", f"Full name,Time zone\nAna,{zone}\nBo,UTC\n"))
    assert [r.status for r in plan.rows] == [RowStatus.PROBLEM, RowStatus.NEW]
    assert plan.rows[0].reason == f"'{zone}' is not a time zone; pick one such as Europe/London"
    with pytest.raises(ValidationError, match="not a time zone"):
        directory.validate(PersonData("Ana", time_zone=zone))
