"""`roundtable-app sign-in-sheet`: the PDF a user prints, on both backends, and its errors."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from roundtable_app.cli import main
from roundtable_app.core.model import Response
from roundtable_app.services import roundtables
from roundtable_app.storage.models import Invitation

START = dt.datetime(2027, 3, 10, 10, tzinfo=dt.UTC)


def _roundtable(db, make_person) -> int:  # type: ignore[no-untyped-def]
    named = make_person(db, full_name="Zoe Abara", organisation="Home Office", may_be_named=True)
    hidden = make_person(db, full_name="Amina Yusuf", organisation="Hope Trust")
    declined = make_person(db, full_name="Adam Zielinski", may_be_named=True)
    data = roundtables.RoundtableData(
        title="Forced labour", starts_at=START, ends_at=START + dt.timedelta(hours=2),
        venue="Oakhaven Institute",
    )  # fmt: skip
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, [named, hidden, declined])
        for inv in s.query(Invitation).filter_by(roundtable_id=rid):
            inv.response = (
                Response.DECLINED if inv.person_id == declined else Response.ACCEPTED
            ).value
    return rid


def test_writes_the_sheet_owner_only_and_says_what_it_wrote(
    db, any_url, make_person, tmp_path, capsys
):  # type: ignore[no-untyped-def]
    rid = _roundtable(db, make_person)
    out = tmp_path / "sheet.pdf"
    code = main(
        ["sign-in-sheet", "--roundtable", str(rid), "--out", str(out), "--database", any_url]
    )
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert printed.out.startswith(f"Wrote {out}: the sign-in sheet of 'Forced labour'")
    assert "2 people expected" in printed.out and "destroy the printed sheet" in printed.out
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    assert "Wednesday 10 March 2027, 10:00–12:00 GMT · Oakhaven Institute" in text
    assert text.index("Zoe Abara") < text.index("Amina Y.")  # Abara before Yusuf
    assert "Yusuf" not in text and "Zielinski" not in text


def test_a_roundtable_that_does_not_exist_is_a_one_line_error(db, any_url, tmp_path, capsys):  # type: ignore[no-untyped-def]
    out = tmp_path / "sheet.pdf"
    code = main(["sign-in-sheet", "--roundtable", "4242", "--out", str(out), "--database", any_url])
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        "roundtable-app: error: There is no roundtable 4242; list the roundtables and their "
        "ids with roundtable-app roundtables.\n"
    )
    assert not out.exists()


def test_a_folder_that_does_not_exist_is_named(db, any_url, make_person, tmp_path, capsys):  # type: ignore[no-untyped-def]
    rid = _roundtable(db, make_person)
    out = tmp_path / "missing" / "sheet.pdf"
    code = main(
        ["sign-in-sheet", "--roundtable", str(rid), "--out", str(out), "--database", any_url]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert f"The sign-in sheet could not be written to {out}" in err
    assert "Check that the folder exists" in err


def test_a_mistyped_database_path_is_an_error_not_a_new_file(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = subprocess.run(
        [sys.executable, "-m", "roundtable_app", "sign-in-sheet", "--roundtable", "1",
         "--out", str(tmp_path / "s.pdf"), "--database", str(missing)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == (
        f"roundtable-app: error: no database at {missing}; create it with roundtable-app init\n"
    )
    assert not missing.exists() and not (tmp_path / "s.pdf").exists()
