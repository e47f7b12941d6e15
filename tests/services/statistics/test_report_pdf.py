"""The attendance report PDF, read back with pypdf: its figures, its charts' words, no names."""

from __future__ import annotations

import os
from pathlib import Path

from pypdf import PdfReader

from roundtable_app.services import reports, statistics
from roundtable_app.services.statistics import Scope


def figures(fx, scope: Scope | None = None) -> statistics.Figures:  # type: ignore[no-untyped-def]
    with fx.db.reading() as s:
        return statistics.compute(statistics.load_history(s, now=fx.now), scope or Scope())


def text_of(path: Path) -> tuple[int, str]:
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.replace("\u00a0", " ").split())


def test_the_report_of_all_roundtables(history_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.pdf"
    reports.write_attendance_report_pdf(
        figures(history_db), path, targets=statistics.DEFAULT_TARGETS
    )
    pages, text = text_of(path)
    assert "ATTENDANCE REPORT" in text and "All roundtables · all time" in text
    assert "4 roundtables · 10 Feb 2026 to 1 Jun 2026" in text
    assert "5 new connections: of the 6 pairs of people seated at the same table" in text
    assert "1 of these roundtables have no attendance recorded yet" in text
    assert "Sector mix against the target" in text and "Target share" in text
    assert "Sector mix over time" in text  # four months: a chart of them
    assert "6 people from 2 organisations came, of 6 people invited." in text
    assert "1 people were invited 3 times or more and never came" in text
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    # The Lived experience sector (Eve: invited twice, came once) prints no count below 3.
    withheld = " ".join(["fewer than 3"] * 3 + ["not shown"] * 4)
    assert f"Lived experience {withheld}" in text
    for name in ("Ann Archer", "Cat Cole", "Eve Ezra", "Fay Fox"):
        assert name not in text
    assert os.stat(path).st_mode & 0o077 == 0


def test_the_report_of_one_roundtable_hides_small_sectors(history_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "one.pdf"
    reports.write_attendance_report_pdf(
        figures(history_db, Scope(roundtable_id=history_db.rts[2])), path
    )
    _, text = text_of(path)
    assert "Roundtable 2 · 15 Mar 2026" in text and "1 roundtable" in text
    assert "Academic research fewer than 3 fewer than 3 fewer than 3 not shown" in text
    assert "Government 0 0 0" in text
    assert "Sector mix over time" not in text  # one roundtable: no time to chart
    assert "Target share" not in text  # no targets given (the command line)
    assert "LIVED-EXPERIENCE PARTICIPANTS" in text.upper()


def test_a_period_without_roundtables_says_so(history_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "none.pdf"
    reports.write_attendance_report_pdf(
        figures(history_db, Scope(series_id=history_db.series_id, start=dt_date(2027))), path
    )
    pages, text = text_of(path)
    assert pages == 1 and "No roundtable took place in this period or series." in text


def dt_date(year: int):  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.date(year, 1, 1)
