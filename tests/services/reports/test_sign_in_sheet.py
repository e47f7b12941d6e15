"""The sign-in sheet, read back from the PDF: who is on it, in what order, under what name.

The sheet is loaded from a real database (SQLite and PostgreSQL) and written
to a PDF; the assertions are on the text a reader copies out of it (pypdf), as
the person at the door would read it.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from roundtable_app.core.errors import NotFoundError
from roundtable_app.core.model import Format, InviteeRole, Response
from roundtable_app.services import attendance, roundtables
from roundtable_app.services.reports import load_sign_in_sheet, write_sign_in_sheet_pdf
from roundtable_app.services.reports.sign_in_sheet import NOTICE, WALK_IN_LABEL
from roundtable_app.storage.models import DiscussionTable, Invitation, Person
from roundtable_app.storage.unit_of_work import Database

# 02:00 UTC on 1 July is 22:00 on 30 June in New York: the sheet prints the local date.
START = dt.datetime(2027, 7, 1, 2, 0, tzinfo=dt.UTC)

#: (name, organisation, sector, response, role, may be named, lived experience)
PEOPLE = [
    ("Zoe Abara", "Home Office", "Government", "accepted", "participant", True, False),
    ("Amina Yusuf", "Hope Trust", "Civil society", "accepted", "participant", False, False),
    (
        "Olena Коваленко",
        "Центр підтримки",
        "Civil society",
        "tentative",
        "participant",
        True,
        False,
    ),
    ("王芳", "北京大学", "Academic research", "accepted", "participant", True, False),
    ("张雪梅", "Lindenholm Project", "Civil society", "accepted", "participant", False, False),
    ("محمد الأحمد", "جمعية الأمل", "Frontline practice", "accepted", "speaker", True, False),
    (
        "Γιώργος Παπαδόπουλος",
        "Πανεπιστήμιο",
        "Academic research",
        "accepted",
        "participant",
        True,
        False,
    ),  # noqa: E501
    (
        "Leila Usman",
        "Survivors' Network",
        "Lived experience",
        "accepted",
        "participant",
        False,
        True,
    ),  # noqa: E501
    (
        "Dev Patel",
        "Lived Experience Advisory Panel",
        "Lived experience",
        "accepted",
        "participant",
        True,
        True,
    ),  # noqa: E501
    ("Priya Shah", "Unseen", "Civil society", "needs_action", "chair", True, False),
    ("Noor Khan", "Kent Police", "Law enforcement", "needs_action", "note_taker", True, False),
    ("Adam Zielinski", "Acme Ltd", "Business", "declined", "participant", True, False),
    ("Mei Lin", "Uni of Y", "Academic research", "needs_action", "participant", True, False),
    ("Tom Declined-Chair", "Unseen", "Civil society", "declined", "chair", True, False),
]


def _pdf_text(path: Path) -> list[str]:
    """Each page's copied text, white space collapsed, Arabic in the letters typed (NFKC)."""
    reader = PdfReader(path)
    return [
        " ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
        for page in reader.pages
    ]


def _people(db: Database, make_person, specs) -> dict[str, int]:  # type: ignore[no-untyped-def]
    ids = {}
    for name, org, sector, _response, _role, named, lived in specs:
        ids[name] = make_person(
            db,
            full_name=name,
            organisation=org,
            sector=sector,
            may_be_named=named,
            lived_experience=lived,
        )
    return ids


def _roundtable(db: Database, ids: dict[str, int], specs, **data: object) -> int:  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "title": "Survivor support: evidence gaps",
        "starts_at": START,
        "ends_at": START + dt.timedelta(hours=2),
        "time_zone": "America/New_York",
        "venue": "Oakhaven Institute",
        "venue_address": "Institute Road, Oakhaven",
    }
    values.update(data)
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, roundtables.RoundtableData(**values)).id  # type: ignore[arg-type]
        roundtables.add_invitees(s, rid, list(ids.values()))
        by_person = {inv.person_id: inv for inv in s.query(Invitation).filter_by(roundtable_id=rid)}
        for name, _org, _sector, response, role, _named, _lived in specs:
            inv = by_person[ids[name]]
            inv.response = Response(response).value
            inv.role = InviteeRole(role).value
    return rid


@pytest.fixture
def sheet_pdf(db, make_person, tmp_path):  # type: ignore[no-untyped-def]
    ids = _people(db, make_person, PEOPLE)
    rid = _roundtable(db, ids, PEOPLE)
    with db.transaction() as s:
        s.add_all([DiscussionTable(roundtable_id=rid, number=n) for n in (1, 2)])
        s.flush()
        invs = {inv.person_id: inv.id for inv in s.query(Invitation).filter_by(roundtable_id=rid)}
        attendance.seat(s, invs[ids["Zoe Abara"]], 2)
        attendance.seat(s, invs[ids["Amina Yusuf"]], 1)
    path = tmp_path / "sheet.pdf"
    with db.reading() as s:
        sheet = load_sign_in_sheet(s, rid)
    write_sign_in_sheet_pdf(sheet, path)
    return path, sheet


def test_one_row_per_expected_person_sorted_by_surname(sheet_pdf) -> None:  # type: ignore[no-untyped-def]
    _path, sheet = sheet_pdf
    # By surname (the last word), Latin first, then other scripts in Unicode's order.
    assert [line.name for line in sheet.lines] == [
        "Zoe Abara",
        "Noor Khan",  # the note-taker, though she never answered
        "Dev Patel",
        "Priya Shah",  # the chair, likewise
        "Leila U.",
        "Amina Y.",
        "Γιώργος Παπαδόπουλος",
        "Olena Коваленко",
        "محمد الأحمد",
        "张＊＊",
        "王芳",
    ]
    names = {line.name for line in sheet.lines}
    # Declined (a chair too) or not answered: not expected; they write in a blank row.
    assert not names & {"Adam Zielinski", "Mei Lin", "Tom Declined-Chair"}
    assert [(line.name, line.table) for line in sheet.lines if line.table] == [
        ("Zoe Abara", 2),
        ("Amina Y.", 1),
    ]


def test_the_pdf_reads_as_the_person_at_the_door_needs(sheet_pdf) -> None:  # type: ignore[no-untyped-def]
    path, _sheet = sheet_pdf
    pages = _pdf_text(path)
    text = " ".join(pages)
    assert PdfReader(path).pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    header = pages[0]
    assert "SIGN-IN SHEET" in header and "Survivor support: evidence gaps" in header
    # The roundtable's own zone: 22:00 on 30 June in New York, not 1 July (UTC).
    assert "Wednesday 30 June 2027, 22:00–00:00" not in header  # ends after midnight
    assert "Wednesday 30 June 2027, 22:00 – 1 July, 00:00 EDT" in header
    assert "Oakhaven Institute, Institute Road, Oakhaven" in header
    assert "11 people expected" in header
    for heading in ("NAME", "ORGANISATION", "TABLE", "SIGNATURE"):
        assert heading in header
    # Names in their own scripts, intact; unconsented ones as first name and initial.
    for name in ("Olena Коваленко", "王芳", "محمد الأحمد", "Γιώργος Παπαδόπουλος"):
        assert name in text, name
    assert "张**" in text  # 张＊＊: full-width asterisks, which NFKC reads as "*"
    assert "Amina Y." in text and "Yusuf" not in text
    assert "张雪梅" not in text and "雪梅" not in text
    assert "Центр підтримки" in text and "北京大学" in text and "جمعية الأمل" in text
    assert WALK_IN_LABEL in pages[-1]


def test_nothing_on_the_sheet_says_who_has_lived_experience(sheet_pdf) -> None:  # type: ignore[no-untyped-def]
    path, sheet = sheet_pdf
    text = " ".join(_pdf_text(path))
    assert "lived experience" not in text.casefold()
    assert "survivor" not in text.casefold().replace("survivor support", "")
    lived = {
        line.name: line.organisation
        for line in sheet.lines
        if line.name in ("Leila U.", "Dev Patel")
    }
    # Their organisations would say it ("Survivors' Network"): left blank, consent or not.
    assert lived == {"Leila U.": "", "Dev Patel": ""}
    assert "Leila U." in text and "Usman" not in text


def test_someone_found_to_have_lived_experience_after_the_invitation_is_protected(
    db, make_person, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    specs = [
        ("Sam Reed", "Survivor Voices", "Civil society", "accepted", "participant", True, False)
    ]
    ids = _people(db, make_person, specs)
    rid = _roundtable(db, ids, specs)
    with db.transaction() as s:
        s.get(Person, ids["Sam Reed"]).lived_experience = True  # the invitation keeps False
    with db.reading() as s:
        sheet = load_sign_in_sheet(s, rid)
    assert [(line.name, line.organisation) for line in sheet.lines] == [("Sam Reed", "")]


def test_an_erased_person_and_a_walk_in(db, make_person, tmp_path) -> None:  # type: ignore[no-untyped-def]
    specs = [
        ("Gone Person", "Org", "Business", "accepted", "participant", True, False),
        ("Stays Here", "Org", "Business", "accepted", "participant", True, False),
    ]
    ids = _people(db, make_person, specs)
    rid = _roundtable(db, ids, specs, starts_at=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC),
                      ends_at=dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC))  # fmt: skip
    walker = make_person(db, full_name="Walk Inn", organisation="Door Ltd", may_be_named=True)
    with db.transaction() as s:
        inv = s.query(Invitation).filter_by(roundtable_id=rid, person_id=ids["Gone Person"]).one()
        inv.person_id = None  # erased: the invitation stays for the statistics
        attendance.add_walk_in(s, rid, walker)
    with db.reading() as s:
        names = [line.name for line in load_sign_in_sheet(s, rid).lines]
    assert names == ["Stays Here", "Walk Inn"]  # by surname: Here, Inn


def test_a_long_sheet_numbers_its_pages_and_warns_on_each(db, make_person, tmp_path) -> None:  # type: ignore[no-untyped-def]
    specs = [
        (
            f"Person Number{n:02d}",
            f"Organisation {n}",
            "Business",
            "accepted",
            "participant",
            True,
            False,
        )  # noqa: E501
        for n in range(45)
    ]
    ids = _people(db, make_person, specs)
    rid = _roundtable(db, ids, specs)
    with db.reading() as s:
        sheet = load_sign_in_sheet(s, rid)
    path = tmp_path / "long.pdf"
    write_sign_in_sheet_pdf(sheet, path)
    pages = _pdf_text(path)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert " ".join(NOTICE.split()) in page
        assert "Survivor support: evidence gaps · Sign-in sheet · Wednesday 30 June 2027" in page
    # The column headings repeat on every page that continues the list.
    assert all("SIGNATURE" in page for page in pages)
    order = [p for page in pages for p in page.split() if p.startswith("Number")]
    assert order == [f"Number{n:02d}" for n in range(45)]
    assert WALK_IN_LABEL in pages[-1] and WALK_IN_LABEL not in " ".join(pages[:-1])


def test_a_sheet_with_nobody_expected_yet_still_has_rows_to_sign(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        rid = roundtables.create_roundtable(
            s,
            roundtables.RoundtableData(
                title="Online only", format=Format.ONLINE, online_link="https://meet.example/x"
            ),
        ).id
    with db.reading() as s:
        sheet = load_sign_in_sheet(s, rid)
    path = tmp_path / "empty.pdf"
    write_sign_in_sheet_pdf(sheet, path)
    (page,) = _pdf_text(path)
    assert "0 people expected" in page and "Date not set yet · Online" in page
    assert WALK_IN_LABEL in page and "Page 1 of 1" in page
    assert sheet.file_name == "Online only - sign-in sheet.pdf"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_roundtable_that_does_not_exist_is_named(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError, match="Roundtable 4242 no longer exists"):
        with db.reading() as s:
            load_sign_in_sheet(s, 4242)
