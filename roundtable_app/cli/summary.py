"""``roundtable-app summary``: write a roundtable's summary as a PDF or a Word document."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from roundtable_app.services.discussion import SummaryContent
    from roundtable_app.storage.unit_of_work import Database

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
    from roundtable_app.core.team import TeamRole
    from roundtable_app.services import discussion, roundtables, team
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
        role = team.current_role(db)
        if role == TeamRole.CHECKIN:
            raise RoundtableError(
                "A check-in login cannot print summaries: ask staff, or a read-only member."
            )
        if role == TeamRole.READONLY:
            return _read_only_summary(db, args, out)
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
    _write(content, out)
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


def _write(content: SummaryContent, out: Path) -> None:
    from roundtable_app.services import reports

    if out.suffix.lower() == ".docx":
        reports.write_summary_docx(content, out)
    else:
        reports.write_summary_pdf(content, out)


def _read_only_summary(db: Database, args: argparse.Namespace, out: Path) -> int:
    """A read-only member prints the latest final summary, as staff made it final."""
    from roundtable_app.core.errors import RoundtableError
    from roundtable_app.services import discussion

    if args.with_participants:
        raise RoundtableError(
            "A read-only login prints final summaries without the participant list (who "
            "agreed to be named is for staff to check): leave out --with-participants."
        )
    with db.reading() as session:
        content = discussion.final_summary(session, args.roundtable)
    _write(content, out)
    print(
        f"Wrote {out}: the final summary (revision {content.revision}) of '{content.title}'"
        f"{'' if args.final else ' (a read-only login prints final summaries only)'}."
    )
    return 0
