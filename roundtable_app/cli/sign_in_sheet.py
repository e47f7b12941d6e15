"""``roundtable-app sign-in-sheet``: write a roundtable's sign-in sheet as a PDF."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    database_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """The ``sign-in-sheet`` command and its options."""
    sheet = commands.add_parser(
        "sign-in-sheet",
        help="write a roundtable's sign-in sheet (PDF) to print",
        description=(
            "Write the sign-in sheet of a roundtable as an A4 PDF: everyone expected "
            "(accepted, tentative, and the chair, speakers and note-takers), sorted by "
            "surname, with a box to sign and blank rows for walk-ins. People who have not "
            "consented to be named appear as first name and initial. The file is readable "
            "by you only; it holds personal data, so destroy the printed sheet once "
            "attendance is entered."
        ),
    )
    sheet.add_argument("--roundtable", type=int, required=True, metavar="ID", help="roundtable id")
    sheet.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF file to write")
    database_option(sheet)


def cmd_sign_in_sheet(args: argparse.Namespace) -> int:
    from roundtable_app.config import resolve_database_url
    from roundtable_app.services import reports
    from roundtable_app.storage.unit_of_work import open_database

    # Only an existing database: a mistyped path is an error, never a new empty file.
    db = open_database(resolve_database_url(args.database), create=False)
    try:
        with db.reading() as session:
            sheet = reports.load_sign_in_sheet(session, args.roundtable)
    finally:
        db.close()
    out = Path(args.out)
    reports.write_sign_in_sheet_pdf(sheet, out)
    count = len(sheet.lines)
    when = f" ({sheet.when})" if sheet.when else ""
    print(
        f"Wrote {out}: the sign-in sheet of '{sheet.title}'{when}, "
        f"{count} {'person' if count == 1 else 'people'} expected. It holds personal data: "
        "destroy the printed sheet once attendance is entered."
    )
    return 0
