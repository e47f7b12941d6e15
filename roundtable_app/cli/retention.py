"""``roundtable-app retention``: the team's retention rule, who it would erase, and erasing them.

``--review`` lists who has had no invitation, attendance or change for the
team's period (or ``--years N``); ``--apply --yes`` erases them as ``person
erase`` does, then rewrites the database file once. ``--years N`` alone sets
the team's rule, ``--off`` turns it off. Ctrl+C while applying stops after the
person being erased; those erased stay erased.
"""

from __future__ import annotations

import argparse
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING

from roundtable_app.core.errors import RoundtableError

if TYPE_CHECKING:
    from roundtable_app.storage.unit_of_work import Database


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    database_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """The ``retention`` command and its options."""
    retention = commands.add_parser(
        "retention",
        help="review or apply the team's retention rule (erase people inactive for N years)",
        description=(
            "People with no invitation (to a roundtable in the period), attendance or change "
            "to their record for N years can be erased, as 'person erase' does: their record "
            "goes, their invitations stay in the statistics without their name, and the "
            "database file is rewritten. The rule is off until set (3 years is usual) and "
            "holds for everyone using the database. Backups made before keep them until they "
            "expire. Erasing cannot be undone."
        ),
    )
    what = retention.add_mutually_exclusive_group()
    what.add_argument("--review", action="store_true", help="list who would be erased, and why")
    what.add_argument("--apply", action="store_true", help="erase them (needs --yes)")
    what.add_argument("--off", action="store_true", help="turn the team's rule off")
    retention.add_argument(
        "--years",
        type=int,
        metavar="N",
        help="with --review or --apply: this period instead of the team's; alone: set the rule",
    )
    retention.add_argument("--yes", action="store_true", help="erase without asking (--apply)")
    database_option(retention)


def _people(count: int) -> str:
    return f"{count:,} person" if count == 1 else f"{count:,} people"


def _years(count: int) -> str:
    return "1 year" if count == 1 else f"{count} years"


def cmd_retention(args: argparse.Namespace) -> int:
    from roundtable_app.config import resolve_database_url
    from roundtable_app.core.progress import Progress
    from roundtable_app.services import privacy
    from roundtable_app.storage.unit_of_work import open_database

    if args.years is not None:
        privacy.check_years(args.years)
    db = open_database(resolve_database_url(args.database), create=False)
    try:
        if args.off or not (args.review or args.apply):
            return _setting(db, args)
        with db.reading() as session:
            years = args.years or privacy.retention_years(session)
            if years is None:
                off = (
                    "Retention is off: turn it on with 'roundtable-app retention --years 3' "
                    "(or Edit > Privacy settings… in the window), or give --years N for this run."
                )
                if args.apply:
                    raise RoundtableError(off + " Nothing was erased.")
                print(off)
                return 0
            found = privacy.retention_review(session, years)
        if args.review:
            for c in found:
                print(f"{c.name} <{c.email}>  {c.why()}" if c.email else f"{c.name}  {c.why()}")
            print(
                f"{_people(len(found))} "
                f"{'has' if len(found) == 1 else 'have'} had no invitation, attendance or change "
                f"for {_years(years)}"
                + ("; 'retention --apply --yes' erases them." if found else ".")
            )
            return 0
        if not found:
            print(f"No one has been inactive for {_years(years)}; nothing was erased.")
            return 0
        if not args.yes:
            raise RoundtableError(
                f"Erasing {_people(len(found))} cannot be undone; add --yes to erase them "
                "('retention --review' lists them)."
            )
        progress = Progress()
        previous = signal.signal(signal.SIGINT, lambda *_a: progress.cancel())
        try:
            result = privacy.apply_retention(
                db, [c.person_id for c in found], years, progress=progress
            )
        finally:
            signal.signal(signal.SIGINT, previous)
    finally:
        db.close()
    text = f"Erased {_people(result.erased)}"
    if result.stopped:
        text += " before you stopped"
    if result.skipped:
        text += f"; kept {_people(result.skipped)} who had become active meanwhile"
    print(
        text + f". {result.invitations_kept:,} invitation"
        f"{'' if result.invitations_kept == 1 else 's'} stay in the statistics without names; "
        "backups made before still hold them until they expire."
    )
    return 0


def _setting(db: Database, args: argparse.Namespace) -> int:
    """Set, turn off or say the team's rule."""
    from roundtable_app.services import privacy

    if args.off or args.years is not None:
        with db.transaction() as session:
            privacy.set_retention_years(session, None if args.off else args.years)
        if args.off:
            print("Retention is off: no one is erased for being inactive.")
        else:
            print(
                f"Retention is on: people inactive for {_years(args.years)} can be erased "
                "('retention --review' lists them; nobody is erased until 'retention --apply')."
            )
        return 0
    with db.reading() as session:
        years = privacy.retention_years(session)
    if years is None:
        print("Retention is off; turn it on with 'roundtable-app retention --years 3'.")
    else:
        print(f"Retention is on: {_years(years)} ('retention --review' lists who would be erased).")
    return 0
