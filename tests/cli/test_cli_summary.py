"""``roundtable-app summary``: the PDF or .docx a user shares, on both backends, and its errors."""

from __future__ import annotations

import datetime as dt
import os
import stat
from contextlib import closing

import docx
import pytest
from pypdf import PdfReader

from roundtable_app.cli import main
from roundtable_app.core.discussion import NoteKind
from roundtable_app.core.model import Attendance
from roundtable_app.services import discussion, roundtables
from roundtable_app.storage.models import Invitation
from roundtable_app.storage.unit_of_work import open_database

PAST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def held(any_url, make_person):  # type: ignore[no-untyped-def]
    db = open_database(any_url)
    named = make_person(db, full_name="Zoe Abara", organisation="Home Office", may_be_named=True)
    hidden = make_person(db, full_name="Amina Yusuf", organisation="Hope Trust")
    data = roundtables.RoundtableData(
        title="Supply chains", starts_at=PAST, ends_at=PAST + dt.timedelta(hours=2)
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, [named, hidden])
        for inv in s.query(Invitation).filter_by(roundtable_id=rid):
            inv.attendance = Attendance.ATTENDED.value
        discussion.add_note(
            s, rid, NoteKind.NEED, fields=discussion.NoteFields(text="How many are exploited?")
        )
    db.close()
    return any_url, rid


def _text(path) -> str:  # type: ignore[no-untyped-def]
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def test_writes_a_draft_pdf_owner_only_and_says_what_it_wrote(held, tmp_path, capsys):  # type: ignore[no-untyped-def]
    url, rid = held
    out = tmp_path / "summary.pdf"
    code = main(["summary", "--roundtable", str(rid), "--out", str(out), "--database", url])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert printed.out == f"Wrote {out}: the draft summary (revision 1) of 'Supply chains'.\n"
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    text = _text(out)
    assert "How many are exploited?" in text and "DRAFT" in text
    assert "Zoe Abara" not in text and "Amina Yusuf" not in text


def test_final_with_participants_as_word_lists_only_who_consented(held, tmp_path, capsys):  # type: ignore[no-untyped-def]
    url, rid = held
    out = tmp_path / "summary.docx"
    code = main(
        ["summary", "--roundtable", str(rid), "--out", str(out), "--with-participants",
         "--final", "--database", url]
    )  # fmt: skip
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert printed.out == (
        f"Wrote {out}: made the summary final (revision 1); the final summary (revision 1) "
        "of 'Supply chains', with 1 participant who agreed to be named.\n"
    )
    document = docx.Document(str(out))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Zoe Abara" in cells and "Home Office" in cells
    everything = " ".join([*(p.text for p in document.paragraphs), *cells])
    assert "Amina" not in everything and "Hope Trust" not in everything
    assert "RoundtableDraftWatermark" not in document.sections[0].header._element.xml
    with closing(open_database(url, create=False)) as db, db.reading() as s:
        assert discussion.summary_state(s, rid)[0].value == "final"


def test_final_is_refused_while_a_note_names_someone(held, tmp_path, capsys):  # type: ignore[no-untyped-def]
    url, rid = held
    with closing(open_database(url, create=False)) as db, db.transaction() as s:
        discussion.add_note(
            s, rid, NoteKind.POINT, fields=discussion.NoteFields(text="Amina Yusuf agreed")
        )
    out = tmp_path / "summary.pdf"
    code = main(
        ["summary", "--roundtable", str(rid), "--out", str(out), "--final", "--database", url]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("roundtable-app: error: 1 note still names a participant")
    assert "“Amina Yusuf”" in err
    assert not out.exists()
    with closing(open_database(url, create=False)) as db, db.reading() as s:
        assert discussion.summary_state(s, rid)[0].value == "draft"


def test_a_missing_roundtable_and_a_wrong_suffix_are_one_line_errors(held, tmp_path, capsys):  # type: ignore[no-untyped-def]
    url, _ = held
    out = tmp_path / "summary.pdf"
    assert main(["summary", "--roundtable", "4242", "--out", str(out), "--database", url]) == 1
    assert capsys.readouterr().err == (
        "roundtable-app: error: There is no roundtable 4242; list the roundtables and their "
        "ids with roundtable-app roundtables.\n"
    )
    txt = tmp_path / "summary.txt"
    assert main(["summary", "--roundtable", "1", "--out", str(txt), "--database", url]) == 1
    assert "must end in .pdf" in capsys.readouterr().err
    assert not out.exists() and not txt.exists()
