"""``roundtable-app summary``: write a roundtable's summary as a PDF or a Word document."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

SUFFIXES = (".pdf", ".docx")


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    database_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """The ``summary`` command and its options."""
    summary = commands.add_parser(
        "summary",
        help="write a roundtable's summary (PDF or Word)",
        description=(
            "Write the summary of a roundtable's discussion, held under the Chatham House "
            "Rule, as an A4 PDF (FILE.pdf) or a Word document to edit (FILE.docx). Nothing "
            "in it is attributed to a person: names in notes are replaced, and sectors with "
            "fewer than 3 people present are not named. A draft summary is marked 'Draft' "
            "on every page. The file is readable by you only."
        ),
    )
    summary.add_argument(
        "--roundtable", type=int, required=True, metavar="ID", help="roundtable id"
    )
    summary.add_argument(
        "--out", required=True, metavar="FILE.pdf|FILE.docx", help="the file to write"
    )
    summary.add_argument(
        "--with-participants",
        action="store_true",
        help="add the list of participants who agreed to be named (name and organisation)",
    )
    summary.add_argument(
        "--final",
        action="store_true",
        help="make the summary final first (refused while a note still names someone)",
    )
    database_option(summary)


def cmd_summary(args: argparse.Namespace) -> int:
    from roundtable_app.config import resolve_database_url
    from roundtable_app.core.discussion import SummaryState
    from roundtable_app.core.errors import RoundtableError
    from roundtable_app.services import discussion, reports, roundtables
    from roundtable_app.storage.unit_of_work import open_database

    out = Path(args.out)
    if out.suffix.lower() not in SUFFIXES:
        raise RoundtableError(
            f"--out {out} must end in .pdf (a PDF to print or share) or .docx (a Word "
            "document to edit)."
        )
    # Only an existing database: a mistyped path is an error, never a new empty file.
    db = open_database(resolve_database_url(args.database), create=False)
    finalised = None
    try:
        if args.final:
            with db.transaction() as session:
                roundtables.get_roundtable(session, args.roundtable)
                state, revision = discussion.summary_state(session, args.roundtable)
                if state == SummaryState.DRAFT:
                    finalised = discussion.finalise(session, args.roundtable, revision)
        with db.reading() as session:
            roundtables.get_roundtable(session, args.roundtable)  # the CLI's "no such" message
            content = discussion.build_summary(
                session, args.roundtable, with_participants=args.with_participants
            )
    finally:
        db.close()
    if out.suffix.lower() == ".docx":
        reports.write_summary_docx(content, out)
    else:
        reports.write_summary_pdf(content, out)
    shown = "draft" if content.draft else "final"
    made = f"made the summary final (revision {finalised}); " if finalised is not None else ""
    people = (
        f", with {len(content.participants)} participant"
        f"{'' if len(content.participants) == 1 else 's'} who agreed to be named"
        if content.participants is not None
        else ""
    )
    print(
        f"Wrote {out}: {made}the {shown} summary (revision {content.revision}) of "
        f"'{content.title}'{people}."
    )
    return 0
