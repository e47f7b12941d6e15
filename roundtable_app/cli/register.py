"""``roundtable-app register``: the evidence-needs register as a PDF, CSV or Excel file."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from roundtable_app.cli.stats import day
from roundtable_app.core.errors import RoundtableError

SUFFIXES = (".pdf", ".csv", ".xlsx")


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    database_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """The ``register`` command and its options."""
    register = commands.add_parser(
        "register",
        help="write the evidence-needs register (PDF, CSV or Excel)",
        description=(
            "Write every evidence need raised at roundtables, grouped by theme and ranked by "
            "how many roundtables and sectors raised it and by priority: as an A4 PDF "
            "(FILE.pdf), or one row per need (FILE.csv, FILE.xlsx). Nothing in it names a "
            "person; a sector is named only where enough people from it took part. "
            "Similar needs that staff grouped (on the Evidence needs page) are one entry."
        ),
    )
    register.add_argument("--series", metavar="NAME", help="only roundtables of this series")
    register.add_argument(
        "--from", dest="start", type=day, metavar="YYYY-MM-DD", help="held on or after this day"
    )
    register.add_argument(
        "--to", dest="end", type=day, metavar="YYYY-MM-DD", help="held on or before this day"
    )
    register.add_argument("--theme", metavar="T", help="only needs with this theme")
    register.add_argument(
        "--priority", choices=("high", "medium", "low"), help="only needs of this priority"
    )
    register.add_argument(
        "--status",
        choices=("open", "researching", "answered"),
        help="only needs the centre has not taken up, is researching, or has answered",
    )
    register.add_argument(
        "--out", required=True, metavar="FILE.pdf|FILE.csv|FILE.xlsx", help="the file to write"
    )
    database_option(register)


def _known(value: str | None, choices: Sequence[str], what: str, option: str) -> str | None:
    """``value`` as the register spells it, or an error that lists what there is."""
    if value is None:
        return None
    for choice in choices:
        if choice.casefold() == value.strip().casefold():
            return choice
    listed = ", ".join(f"'{c}'" for c in choices)
    raise RoundtableError(
        f"{option} '{value}': no evidence need has this {what}. "
        + (
            f"The {what if what == 'series' else what + 's'} with evidence needs are: {listed}."
            if choices
            else f"No evidence need has a {what} yet."
        )
    )


def cmd_register(args: argparse.Namespace) -> int:
    from roundtable_app.config import resolve_database_url
    from roundtable_app.core.discussion import NeedStatus
    from roundtable_app.core.model import Priority
    from roundtable_app.services import register
    from roundtable_app.storage.unit_of_work import open_database

    out = Path(args.out)
    if out.suffix.lower() not in SUFFIXES:
        raise RoundtableError(
            f"--out {out} must end in .pdf (to print or share), .csv or .xlsx (a spreadsheet)."
        )
    if args.start and args.end and args.start > args.end:
        raise RoundtableError(
            f"--from {args.start} is after --to {args.end}; swap them or change one."
        )
    # Only an existing database: a mistyped path is an error, never a new empty file.
    db = open_database(resolve_database_url(args.database), create=False)
    try:
        with db.reading() as session:
            choices = register.filter_choices(session)
            criteria = register.RegisterFilter(
                series=_known(args.series, choices.series, "series", "--series"),
                theme=_known(args.theme, choices.themes, "theme", "--theme"),
                date_from=args.start,
                date_to=args.end,
                priority=Priority(args.priority) if args.priority else None,
                status=NeedStatus(args.status) if args.status else None,
            )
            content = register.build_register(session, criteria)
    finally:
        db.close()
    register.write_register(content, out)
    scope = f" ({content.scope})" if content.scope else ""
    print(f"Wrote {out}: {content.counts_text}{scope}.")
    return 0
