"""Imports never drop or garble data silently (issue 10, section 2).

Each test writes a real file (CSV bytes, or an .xlsx made with openpyxl),
reads it back through the import, and checks what the user sees: the row
refused with its number and reason, the file refused with what to do, or
the people stored exactly as they are in the file, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.model import PersonData
from roundtable_app.services import directory
from roundtable_app.services.transfer import (
    MIXED,
    ImportReport,
    MixedEncodingError,
    RowStatus,
    apply_import,
    duplicate_columns,
    export_people_csv,
    guess_mapping,
    import_file,
    prepare,
    read_table,
)
from roundtable_app.storage.models import Person
from roundtable_app.storage.unit_of_work import Database


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _import(db: Database, path: Path, **options: object) -> ImportReport:
    table = read_table(path, encoding=options.pop("encoding", None))  # type: ignore[arg-type]
    plan = prepare(table, guess_mapping(table.headers))
    with db.transaction() as session:
        return apply_import(
            session,
            plan,
            on_duplicate=options.get("on_duplicate", "merge"),  # type: ignore[arg-type]
            skip_bad_rows=True,
        )


def _people(db: Database) -> dict[str, PersonData]:
    with db.reading() as session:
        return {
            (p.data.email or p.data.full_name): p.data
            for p in (directory.get_person(session, r.id) for r in directory.list_rows(session))
        }


def _count(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


# --- a NUL byte in a cell --------------------------------------------------------------------


def test_a_nul_byte_in_a_cell_refuses_that_row_with_its_number(
    db: Database, tmp_path: Path
) -> None:
    """PostgreSQL crashed with psycopg.DataError; SQLite stored the NUL raw."""
    path = _write(
        tmp_path / "people.csv",
        b"Full name,E-mail,Notes\n"
        b"Ada Lovelace,ada@example.org,Prefers tea\n"
        b"Bob Okafor,bob@example.org,Vegan\x00 and nut allergy\n"
        b"Cy Twombly,cy@example.org,\n",
    )
    report = _import(db, path)
    assert (report.added, [p.message for p in report.rejected]) == (
        2,
        [
            "Row 3: the “Notes” cell holds an invisible NUL character (a damaged export?), "
            "which cannot be stored"
        ],
    )
    people = _people(db)
    assert sorted(people) == ["ada@example.org", "cy@example.org"]
    assert not any("\x00" in value for p in people.values() for value in (p.notes, p.full_name))


def test_a_nul_byte_far_into_a_large_file_is_refused_too(db: Database, tmp_path: Path) -> None:
    rows = b"".join(b"Person %d,p%d@example.org\n" % (i, i) for i in range(600))
    path = _write(tmp_path / "big.csv", b"Full name,E-mail\n" + rows + b"Last\x00 One,last@x.org\n")
    report = _import(db, path)
    assert report.added == 600
    assert [p.row_number for p in report.rejected] == [602]
    assert "the “Full name” cell holds an invisible NUL" in report.rejected[0].reason
    assert _count(db) == 600


# --- mixed encodings -------------------------------------------------------------------------

MIXED_BYTES = (
    b"Full name,E-mail\n"
    + "René Côté,rene@example.org\n".encode("cp1252")
    + "Zoë Hart,zoe@example.org\n".encode("cp1252")
    + "José Müller,jose@example.org\n".encode()  # pasted in from a UTF-8 list
    + "Åsa Berg,asa@example.org\n".encode("cp1252")
)


def test_one_utf8_line_among_cp1252_lines_is_named_not_garbled(tmp_path: Path) -> None:
    path = _write(tmp_path / "mixed.csv", MIXED_BYTES)
    with pytest.raises(MixedEncodingError) as caught:
        read_table(path)
    error = caught.value
    assert (error.odd.number, error.other.number, error.main) == (4, 2, "cp1252")
    assert str(error).startswith(
        "mixed.csv mixes two encodings: line 4 is in UTF-8, but line 2 is in Windows (cp1252)."
    )
    assert "--encoding mixed" in error.for_cli and "line 4" in error.for_cli
    # The preview shows what each choice does to both lines.
    assert error.choices == (MIXED, "cp1252", "utf-8")
    assert error.odd.shown_in("utf-8") == "José Müller,jose@example.org"
    assert error.odd.shown_in("cp1252") == "JosÃ© MÃ¼ller,jose@example.org"
    assert error.other.shown_in("utf-8") == "Ren\ufffd C\ufffdt\ufffd,rene@example.org"
    assert error.odd.shown_in(MIXED) == "José Müller,jose@example.org"
    assert error.other.shown_in(MIXED) == "René Côté,rene@example.org"


def test_each_line_in_its_own_encoding_keeps_every_name(db: Database, tmp_path: Path) -> None:
    path = _write(tmp_path / "mixed.csv", MIXED_BYTES)
    table = read_table(path, encoding=MIXED)
    assert "UTF-8 and Windows (cp1252), line by line" in table.describe()
    report = _import(db, path, encoding=MIXED)
    assert report.added == 4
    names = {p.full_name for p in _people(db).values()}
    assert names == {"Åsa Berg", "José Müller", "René Côté", "Zoë Hart"}


def test_one_encoding_chosen_for_every_line_is_what_the_user_asked(tmp_path: Path) -> None:
    path = _write(tmp_path / "mixed.csv", MIXED_BYTES)
    as_windows = read_table(path, encoding="cp1252")
    assert as_windows.rows[2][0] == "JosÃ© MÃ¼ller"  # seen in the preview, then chosen
    assert as_windows.encoding == "cp1252"


def test_a_cp1252_line_in_a_utf8_file_with_a_byte_order_mark_is_named(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + "Full name,E-mail\nJosé Müller,jose@example.org\n".encode()
    data += "René Côté,rene@example.org\n".encode("cp1252")
    with pytest.raises(MixedEncodingError) as caught:
        read_table(_write(tmp_path / "bom.csv", data))
    assert (caught.value.main, caught.value.odd.number) == ("utf-8", 3)
    table = read_table(tmp_path / "bom.csv", encoding=MIXED)
    assert [r[0] for r in table.rows] == ["José Müller", "René Côté"]
    assert table.headers[0] == "Full name"  # no byte-order mark glued to it


def test_files_in_one_encoding_are_read_as_before(tmp_path: Path) -> None:
    cp = _write(tmp_path / "cp.csv", "Full name\nRené Côté\n".encode("cp1252"))
    assert (read_table(cp).encoding, read_table(cp).rows) == ("cp1252", [("René Côté",)])
    utf = _write(tmp_path / "u.csv", "Full name\nJosé Müller\n".encode())
    assert (read_table(utf).encoding, read_table(utf).rows) == ("utf-8", [("José Müller",)])


def test_an_unknown_encoding_is_refused_with_the_ones_to_use(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="'klingon' is not an encoding.*use one of mixed"):
        read_table(_write(tmp_path / "x.csv", b"Full name\nAda\n"), encoding="klingon")


# --- duplicate headers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "field", "columns"),
    [
        (["Full name", "E-mail", "Notes", "E-mail"], "email", (1, 3)),
        (["Full name", "Name", "E-mail"], "full_name", (0, 1)),
        (["First name", "Last name", "First name"], "first_name", (0, 2)),
        (["Name", "Email", "Work e-mail"], "email", (1, 2)),
    ],
)
def test_two_columns_for_one_field_are_found(
    headers: list[str], field: str, columns: tuple[int, ...]
) -> None:
    [clash] = duplicate_columns(headers)
    assert (clash.field, clash.columns) == (field, columns)


def test_outlook_and_mailchimp_exports_have_no_clashing_columns() -> None:
    outlook = [
        "First Name",
        "Last Name",
        "E-mail Address",
        "E-mail Type",
        "E-mail Display Name",
        "E-mail 2 Address",
        "E-mail 3 Address",
        "Notes",
    ]
    assert duplicate_columns(outlook) == []
    assert duplicate_columns(["Email Address", "First Name", "Last Name", "TAGS"]) == []


def test_the_all_in_one_import_refuses_a_second_email_column(db: Database, tmp_path: Path) -> None:
    """The second column's addresses were silently left out."""
    path = _write(
        tmp_path / "dup.csv",
        b"Full name,E-mail,Organisation,E-mail\nAda,ada@work.org,Engines,ada@home.org\n",
    )
    with pytest.raises(ValidationError) as caught:
        import_file(db, path)
    assert str(caught.value) == (
        "dup.csv has 2 columns for “E-mail”: column B “E-mail” and column D “E-mail”; only "
        "one can be imported, so the other column's values would be lost. Rename or delete "
        "the extra columns in the file (or import it in the app, which lets you choose), "
        "then import again."
    )
    assert _count(db) == 0


# --- e-mail addresses ------------------------------------------------------------------------


def test_an_invisible_character_in_an_address_refuses_the_row_with_the_reason(
    db: Database, tmp_path: Path
) -> None:
    """``jane\\u200b@zw.org`` became a second person beside ``jane@zw.org``."""
    text = (
        "Full name,E-mail\n"
        "Jane Doe,jane@zw.org\n"
        "Jane Doe,jane\u200b@zw.org\n"
        "Rob Roy,\u202eorg.xr@bor\n"
        "Tab Hunter,tab\x07@example.org\n"
    )
    report = _import(db, _write(tmp_path / "zw.csv", text.encode()))
    assert report.added == 1
    assert [p.message for p in report.rejected] == [
        "Row 3: 'jane[U+200B]@zw.org' holds an invisible character (zero width space, U+200B)",
        "Row 4: '[U+202E]org.xr@bor' holds an invisible character (right-to-left override, U+202E)",
        "Row 5: 'tab[U+0007]@example.org' holds a control character (U+0007)",
    ]
    assert list(_people(db)) == ["jane@zw.org"]


def test_an_address_spelled_with_a_combining_accent_is_the_same_person(
    db: Database, tmp_path: Path, make_person: Callable[..., int]
) -> None:
    pid = make_person(db, full_name="José Müller", email="jos\u00e9@example.org")
    text = "Full name,E-mail,Role\nJosé Müller,Jose\u0301@Example.org,Director\n"
    report = _import(db, _write(tmp_path / "nfd.csv", text.encode()))
    assert (report.added, report.merged, report.merged_ids) == (0, 1, (pid,))
    assert _count(db) == 1


# --- an unclosed quote -----------------------------------------------------------------------


def test_an_unclosed_quote_is_named_not_read_as_a_long_name(tmp_path: Path) -> None:
    """Everything after the quote became one "name" longer than 200 characters."""
    rows = "".join(f"Person {i},p{i}@example.org\n" for i in range(40))
    text = f'Full name,E-mail\nAda,ada@example.org\n"Bob Okafor,bob@example.org\n{rows}'
    with pytest.raises(ValidationError) as caught:
        read_table(_write(tmp_path / "q.csv", text.encode()))
    assert str(caught.value) == (
        "q.csv: unclosed quote starting at row 3; everything after it, to the end of the file, "
        "would be read as one cell, so those rows would be lost. Open the file in a text "
        'editor, close the quote (") or remove it, then import again.'
    )


def test_a_quote_closed_lines_later_is_named_with_the_lines_it_swallows(tmp_path: Path) -> None:
    text = 'Full name,E-mail\nAda,ada@x.org\n"Bob,bob@x.org\nCy,cy@x.org\n"Dee",dee@x.org\n'
    with pytest.raises(ValidationError, match="unclosed quote starting at row 3; lines 3–5"):
        read_table(_write(tmp_path / "q2.csv", text.encode()))


def test_the_row_number_counts_rows_not_lines(tmp_path: Path) -> None:
    text = (
        'Full name,Notes\n"Ada","two\nlines"\n'  # a proper multi-line cell: row 2, lines 2-3
        'Bob,fine\n"Cy,never closed\nDee,x\n'
    )
    with pytest.raises(ValidationError, match=r"starting at row 4 \(line 5 of the file\)"):
        read_table(_write(tmp_path / "q3.csv", text.encode()))


def test_stray_quotes_inside_one_line_are_read_as_before(tmp_path: Path) -> None:
    text = 'Full name,E-mail\nJane "JJ" Doe,jj@x.org\n"Kim "K" Lee",kim@x.org\n'
    table = read_table(_write(tmp_path / "ok.csv", text.encode()))
    assert [r[1] for r in table.rows] == ["jj@x.org", "kim@x.org"]
    assert table.rows[0][0] == 'Jane "JJ" Doe'


# --- formulas never calculated ---------------------------------------------------------------


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    """An .xlsx as a program that does not calculate writes it (openpyxl: no cached values)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "People"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _give_cached_value(path: Path, cell: str, value: str) -> None:
    """Save ``value`` as the calculated result of the formula in ``cell``, as Excel does."""
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    xml = members["xl/worksheets/sheet1.xml"].decode()
    xml = re.sub(
        rf'<c r="{cell}"([^>]*)>(<f>.*?</f>)(?:<v\s*/>|<v></v>)',
        rf'<c r="{cell}"\1 t="str">\2<v>{value}</v>',
        xml,
    )
    members["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)


def test_a_formula_never_calculated_refuses_its_row_naming_the_cell(
    db: Database, tmp_path: Path
) -> None:
    """openpyxl gives such a cell as empty: the row was imported without its e-mail."""
    path = _workbook(
        tmp_path / "formulas.xlsx",
        [
            ["Full name", "E-mail", "Notes"],
            ["Ada Lovelace", "ada@example.org", "=1+1"],  # not imported as… unmapped? no: Notes
            ["Bob Okafor", '=LOWER("BOB@EXAMPLE.ORG")', ""],
            ["Cy Twombly", "cy@example.org", ""],
        ],
    )
    table = read_table(path)
    assert "2 formula cells have no calculated value" in table.describe()
    report = _import(db, path)
    assert report.added == 1
    assert [p.message for p in report.rejected] == [
        "Row 2: the “Notes” cell (C2) is a formula that was never calculated, so its value is "
        "unknown (open the file in Excel or LibreOffice and save it again to calculate it)",
        "Row 3: the “E-mail” cell (B3) is a formula that was never calculated, so its value is "
        "unknown (open the file in Excel or LibreOffice and save it again to calculate it)",
    ]
    assert list(_people(db)) == ["cy@example.org"]


def test_a_calculated_formula_or_one_in_a_column_not_imported_is_fine(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "calc.xlsx",
        [
            ["Full name", "E-mail", "Score"],
            ["Ada Lovelace", '=LOWER("ADA@EXAMPLE.ORG")', "=1+1"],
        ],
    )
    _give_cached_value(path, "B2", "ada@example.org")
    table = read_table(path)
    mapping = guess_mapping(table.headers)
    assert mapping[2] is None  # "Score" is not imported: its formula does not matter
    plan = prepare(table, mapping)
    assert [r.status for r in plan.rows] == [RowStatus.NEW]
    assert plan.rows[0].email == "ada@example.org"


# --- interests with separators in their names ------------------------------------------------


def test_an_interest_with_a_comma_or_semicolon_survives_export_and_reimport(
    db: Database, tmp_path: Path, make_person: Callable[..., int]
) -> None:
    interests = ("Data; prevalence", 'The "new" slavery', "Trafficking, forced labour")
    pid = make_person(db, full_name="Ada Lovelace", email="ada@example.org", interests=interests)
    path = tmp_path / "people.csv"
    with db.reading() as session:
        export_people_csv(session, path)
    again = _import(db, path)
    assert (again.merged, again.unchanged) == (0, 1)  # not split into "Data" and "prevalence"
    with db.transaction() as session:
        directory.delete_people(session, [pid])
    assert _import(db, path).added == 1
    assert _people(db)["ada@example.org"].interests == interests


# --- re-importing the same rows --------------------------------------------------------------


def test_a_reimport_of_identical_rows_says_unchanged_not_merged(
    db: Database, tmp_path: Path
) -> None:
    text = (
        "Full name,E-mail,Organisation,Interests\n"
        "Ada Lovelace,ada@example.org,Engines,Data and prevalence\n"
        "Bob Okafor,bob@example.org,,Policing; Survivor support\n"
    )
    path = _write(tmp_path / "same.csv", text.encode())
    assert _import(db, path).added == 2
    with db.reading() as session:
        versions = sorted(
            directory.get_person(session, r.id).version for r in directory.list_rows(session)
        )
    again = _import(db, path)
    assert (again.added, again.merged, again.unchanged, again.unchanged_rows) == (0, 0, 2, (2, 3))
    assert again.summary() == (
        "0 added, 0 merged with someone of the same e-mail, 2 unchanged (nothing new to add), "
        "0 skipped as duplicates, 0 rejected."
    )
    assert "Unchanged rows (already there just so): 2–3" in again.text()
    with db.reading() as session:
        after = sorted(
            directory.get_person(session, r.id).version for r in directory.list_rows(session)
        )
    assert after == versions  # nobody was touched


def test_a_row_that_adds_something_is_merged_and_one_that_does_not_is_unchanged(
    db: Database, tmp_path: Path
) -> None:
    first = "Full name,E-mail,Role\nAda Lovelace,ada@example.org,\nBob Okafor,bob@example.org,\n"
    _import(db, _write(tmp_path / "a.csv", first.encode()))
    second = (
        "Full name,E-mail,Role\n"
        "Ada Lovelace,ada@example.org,Director\n"  # adds a role: merged
        "Bob Okafor,bob@example.org,\n"  # nothing new: unchanged
        "Cy Twombly,cy@example.org,\n"
        "Cy Twombly,CY@example.org,\n"  # the same as the row above: unchanged
    )
    report = _import(db, _write(tmp_path / "b.csv", second.encode()))
    assert (report.added, report.merged_rows, report.unchanged_rows) == (1, (2,), (3, 5))
