"""The exports read back: CSV (csv module) and .xlsx (openpyxl), small numbers protected."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import openpyxl
import pytest

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.privacy import FEWER_THAN_3, NOT_SHOWN
from roundtable_app.services import statistics
from roundtable_app.services.statistics import Scope


def figures(fx, scope: Scope | None = None) -> statistics.Figures:  # type: ignore[no-untyped-def]
    with fx.db.reading() as s:
        return statistics.compute(statistics.load_history(s, now=fx.now), scope or Scope())


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def section(rows: list[list[str]], title: str) -> list[dict[str, str]]:
    """The rows of the table under ``title`` as dictionaries by header."""
    start = next(i for i, row in enumerate(rows) if row == [title])
    headers = rows[start + 1]
    out = []
    for row in rows[start + 2 :]:
        if len(row) != len(headers):
            break
        out.append(dict(zip(headers, row, strict=True)))
    return out


def test_csv_of_all_roundtables(history_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "stats.csv"
    statistics.write_statistics(figures(history_db), path, targets=statistics.DEFAULT_TARGETS)
    rows = read_csv(path)
    assert rows[0] == ["Roundtable statistics"] and rows[1] == ["All roundtables · all time"]
    summary = {r["Figure"]: r["Value"] for r in section(rows, "Headline figures")}
    assert summary["Invited"] == "17" and summary["Attended (walk-ins included)"] == "9"
    assert summary["Turnout (of those expected)"] == "66.7%"
    assert summary["Lived-experience participants"] == "3"
    assert summary["New connections"] == "5"
    assert summary["Invited 3 times or more, never came"] == "1"
    sectors = {r["Sector"]: r for r in section(rows, "By sector")}
    # The Lived experience sector is protected in any scope: 1 attended.
    assert sectors["Lived experience"]["Attended"] == FEWER_THAN_3
    assert sectors["Lived experience"]["Turnout"] == NOT_SHOWN
    assert sectors["Lived experience"]["Apology rate"] == NOT_SHOWN  # Eve, once
    assert sectors["Lived experience"]["Share of attendees"] == NOT_SHOWN
    # Other sectors across several roundtables print exactly.
    assert sectors["Government"]["Attended"] == "1"
    assert sectors["Academic research"]["Turnout"] == "66.7%"
    assert sectors["Academic research"]["Target share"] == "20.0%"
    per_rt = section(rows, "Roundtable by roundtable")
    assert [r["New connections"] for r in per_rt] == ["1", "3", "1", "0"]
    assert [r["Lived-experience participants"] for r in per_rt] == [
        FEWER_THAN_3,  # Cat
        FEWER_THAN_3,  # Cat and Eve
        "0",
        "",  # nothing recorded: no count to give
    ]
    assert per_rt[3]["Attended"] == "not recorded"
    assert "Ann Archer" not in path.read_text(encoding="utf-8-sig")  # figures, never names
    assert os.stat(path).st_mode & 0o077 == 0  # owner-only, like every file the app writes


def test_csv_of_one_roundtable_protects_every_small_sector(history_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "one.csv"
    statistics.write_statistics(figures(history_db, Scope(roundtable_id=history_db.rts[2])), path)
    rows = read_csv(path)
    sectors = {r["Sector"]: r for r in section(rows, "By sector")}
    academic = sectors["Academic research"]
    assert (academic["Invited"], academic["Attended"]) == (FEWER_THAN_3, FEWER_THAN_3)
    assert academic["Turnout"] == NOT_SHOWN
    assert sectors["Business"]["Invited"] == FEWER_THAN_3  # Fay, who had not answered
    assert sectors["Government"]["Invited"] == "0"  # nobody: says which sectors were missing
    assert "Target share" not in rows[rows.index(["By sector"]) + 1]
    summary = {r["Figure"]: r["Value"] for r in section(rows, "Headline figures")}
    assert summary["Lived-experience participants"] == FEWER_THAN_3
    assert summary["Lived-experience share of attendees"] == NOT_SHOWN
    assert summary["Attended (walk-ins included)"] == "5"  # totals are no sector


def test_xlsx_reads_back_with_numbers_as_numbers(history_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "stats.xlsx"
    statistics.write_statistics(
        figures(history_db, Scope(series_id=history_db.series_id)), path, targets={"Funder": 100}
    )
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "Summary",
        "By sector",
        "Roundtables",
        "New connections",
        "Sector mix",
    ]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Invited"] == 11 and summary["New connections"] == 4
    assert summary["Turnout (of those expected)"] == pytest.approx(6 / 8)
    sheet = book["By sector"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r and r[0] == "Sector"))
    by_name = {r[0]: r for r in rows[header + 1 :] if r and r[0]}
    assert by_name["Academic research"][1:4] == (4, 4, 3)
    assert by_name["Lived experience"][3] == FEWER_THAN_3
    assert by_name["Funder"][-1] == 1.0
    rts = list(book["Roundtables"].iter_rows(values_only=True))
    assert ("2026-02-10", "Roundtable 1", "Supply chains") in [r[:3] for r in rts]


def test_a_title_that_looks_like_a_formula_stays_text(history_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fx = history_db
    from roundtable_app.storage.models import Roundtable

    with fx.db.transaction() as s:
        rt = s.get(Roundtable, fx.rts[1])
        rt.title = '=HYPERLINK("http://x.example")'
    f = figures(fx)
    statistics.write_statistics(f, tmp_path / "f.csv")
    statistics.write_statistics(f, tmp_path / "f.xlsx")
    assert section(read_csv(tmp_path / "f.csv"), "Roundtable by roundtable")[0]["Roundtable"] == (
        '\'=HYPERLINK("http://x.example")'
    )
    book = openpyxl.load_workbook(tmp_path / "f.xlsx")
    cells = [c for row in book["Roundtables"].iter_rows() for c in row if c.value]
    formula = next(c for c in cells if str(c.value).startswith("=HYPER"))
    assert formula.data_type == "s"


def test_an_unknown_format_is_refused_with_what_to_use(history_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match=r"stats\.txt: .*\.csv or \.xlsx"):
        statistics.write_statistics(figures(history_db), tmp_path / "stats.txt")
    assert not (tmp_path / "stats.txt").exists()
