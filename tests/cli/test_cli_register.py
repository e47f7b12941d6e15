"""``roundtable-app register``: the register a user shares, on both backends, and its errors."""

from __future__ import annotations

import csv
import os
import stat

import pytest
from pypdf import PdfReader

from roundtable_app.cli import main
from roundtable_app.storage.unit_of_work import open_database
from tests.register_data import FORCED, NAMED, SERIES, make_register


@pytest.fixture
def url(any_url):  # type: ignore[no-untyped-def]
    db = open_database(any_url)
    make_register(db)
    db.close()
    return any_url


def test_writes_the_whole_register_as_a_pdf_and_says_what_it_holds(url, tmp_path, capsys):  # type: ignore[no-untyped-def]
    out = tmp_path / "register.pdf"
    code = main(["register", "--out", str(out), "--database", url])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert printed.out == f"Wrote {out}: 9 evidence needs from 5 roundtables.\n"
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    assert FORCED in text and "Evidence-needs register" in text
    assert NAMED not in text


def test_filters_by_series_dates_and_theme_in_any_case(url, tmp_path, capsys):  # type: ignore[no-untyped-def]
    out = tmp_path / "register.csv"
    code = main(
        ["register", "--series", SERIES.upper(), "--from", "2026-02-01", "--to", "2026-12-31",
         "--theme", "survivor SUPPORT", "--out", str(out), "--database", url]
    )  # fmt: skip
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert printed.out == (
        f"Wrote {out}: 2 evidence needs from 2 roundtables (Series: {SERIES} · Held 1 "
        "February 2026 to 31 December 2026 · Theme: Survivor support).\n"
    )
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["Evidence need"] for r in rows} == {
        "What support services lead to better long-term recovery for survivors?",
        "Which survivor support services improve long-term recovery outcomes?",
    }


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--theme", "Nope"], "--theme 'Nope': no evidence need has this theme. The themes"),
        (["--series", "Other"], f"--series 'Other': no evidence need has this series. The "
         f"series with evidence needs are: '{SERIES}'."),
        (["--from", "2026-05-01", "--to", "2026-01-01"], "--from 2026-05-01 is after --to"),
    ],
)  # fmt: skip
def test_a_bad_filter_is_one_clear_line_and_writes_nothing(url, tmp_path, capsys, options, message):  # type: ignore[no-untyped-def]
    out = tmp_path / "register.pdf"
    code = main(["register", *options, "--out", str(out), "--database", url])
    printed = capsys.readouterr()
    assert code != 0
    assert message in printed.err
    assert len(printed.err.strip().splitlines()) == 1
    assert not out.exists()


def test_an_unknown_file_type_is_refused(url, tmp_path, capsys):  # type: ignore[no-untyped-def]
    code = main(["register", "--out", str(tmp_path / "r.txt"), "--database", url])
    assert code != 0
    assert "must end in .pdf (to print or share), .csv or .xlsx" in capsys.readouterr().err
