"""The printed table plan and the CSV: layout facts, privacy, atomic writing (no database)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from pypdf import PdfReader

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.grouping.scoring import Invitee, Preferences
from roundtable_app.services.grouping import (
    WITHHELD,
    Pool,
    export_plan_csv,
    plan_from_tables,
    printable,
)
from roundtable_app.services.reports import write_table_plan_pdf


def _pool() -> Pool:
    specs = [
        ("Amara Okafor", "Home Office", "Government", {"Policing and prosecution"}, False, True),
        ("Ben Hart", '=HYPERLINK("x")', "Business", {"Policing and prosecution"}, False, True),
        ("Chloe Ng", "Unseen", "Lived experience", {"Survivor support"}, True, False),
        ("Dev Patel", "Hope Trust", "Lived experience", {"Survivor support"}, True, True),
        ("Eve Adams", "Uni of Y", "Academic research", {"Survivor support"}, False, False),
        ("Femi Bello", None, None, set(), False, True),
    ]
    invitees = tuple(
        Invitee(i, 10 + i, name, sector, org, frozenset(interests), le, named)
        for i, (name, org, sector, interests, le, named) in enumerate(specs)
    )
    return Pool(invitees=invitees, past_pairs={(0, 1): 1})


def test_printable_hides_unconsented_and_never_labels_lived_experience():
    pool = _pool()
    hidden, named = printable(pool.invitees[2]), printable(pool.invitees[3])
    assert (hidden.name, hidden.organisation, hidden.sector, hidden.withheld) == (
        WITHHELD,
        "",
        "",
        True,
    )
    assert (named.name, named.organisation, named.sector) == ("Dev Patel", "Hope Trust", "")
    # Anyone else who did not consent is printed as the sign-in sheet prints them.
    eve = printable(pool.invitees[4])
    assert (eve.name, eve.organisation, eve.withheld) == ("Eve A.", "Uni of Y", False)


def test_csv_guards_formulas_and_withholds_names(tmp_path):
    plan = plan_from_tables(_pool(), [[10, 11, 12], [13, 14, 15]], Preferences())
    path = tmp_path / "plan.csv"
    assert export_plan_csv(plan, path) == 6
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Table", "Name", "Organisation", "Sector", "Interests"]
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["Ben Hart"][2] == '\'=HYPERLINK("x")'
    assert by_name[WITHHELD] == ["Table 1", WITHHELD, "", "", ""]
    assert "Chloe" not in path.read_text(encoding="utf-8-sig")
    assert "lived experience" not in path.read_text(encoding="utf-8-sig").lower()


def test_pdf_has_every_table_and_named_member_and_no_lived_experience(tmp_path):
    plan = plan_from_tables(_pool(), [[10, 11, 12], [13, 14, 15]], Preferences())
    path = tmp_path / "plan.pdf"
    write_table_plan_pdf(
        plan,
        "Survivor support: evidence gaps",
        path,
        when=dt.datetime(2027, 3, 10, 10, 0),
        venue="Oakhaven Institute",
    )
    reader = PdfReader(path)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    for expected in (
        "Survivor support: evidence gaps",
        "Wednesday 10 March 2027, 10:00",
        "Oakhaven Institute",
        "2 tables · 6 people",
        "Table 1",
        "Table 2",
        "Amara Okafor",
        "Dev Patel",
        "Femi Bello",
        "Eve A.",
        "Policing and prosecution (2)",
        "Page 1 of 1",
        WITHHELD,
    ):
        assert expected in text, expected
    assert "Chloe" not in text
    assert "Eve Adams" not in text
    assert "lived experience" not in text.lower()


def test_a_failed_write_keeps_the_old_file_and_says_why(tmp_path, monkeypatch):
    plan = plan_from_tables(_pool(), [[10, 11, 12, 13, 14, 15]], Preferences())
    with pytest.raises(RoundtableError, match="could not be written"):
        write_table_plan_pdf(plan, "T", tmp_path / "missing-folder" / "plan.pdf")
    target = tmp_path / "plan.csv"
    target.write_text("old")

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("roundtable_app.services.files.os.replace", disk_full)
    with pytest.raises(RoundtableError, match="No space left on device"):
        export_plan_csv(plan, target)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.csv"]  # no temporary file left
