"""``roundtable-app person erase EMAIL --yes``: the right to be forgotten, from the command line."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from roundtable_app.core.errors import RoundtableError


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    database_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """The ``person`` command and its actions."""
    person = commands.add_parser(
        "person", help="act on one person's rights over their data (erase)"
    )
    actions = person.add_subparsers(dest="action", required=True, metavar="ACTION")
    erase = actions.add_parser(
        "erase",
        help="erase a person for good (cannot be undone)",
        description=(
            "Erase the person with this address: their record, interests and seating rules "
            "go, and their name is replaced wherever a discussion note mentions it. Their "
            "invitations stay without their name (sector, lived-experience status and "
            "attendance), so that the statistics still add up. The database file is then "
            "rewritten so that no trace is left in it. Backups made before still hold the "
            "person until they expire. This cannot be undone."
        ),
    )
    erase.add_argument("email", metavar="EMAIL", help="the person's e-mail address (any case)")
    erase.add_argument("--yes", action="store_true", help="erase without asking (required)")
    database_option(erase)
    scrub = actions.add_parser(
        "scrub",
        help="rewrite the database file so that erased data leaves no trace",
        description=(
            "Rewrite the database's files so that the bytes of erased people are gone from "
            "them. Erasing does this itself; run it when an erasure said the file could not "
            "be rewritten because the database was in use."
        ),
    )
    database_option(scrub)


def cmd_person(args: argparse.Namespace) -> int:
    from roundtable_app.config import resolve_database_url
    from roundtable_app.services import directory, privacy
    from roundtable_app.storage.unit_of_work import open_database

    # Only an existing database: a mistyped path is an error, never a new empty file.
    db = open_database(resolve_database_url(args.database), create=False)
    try:
        if args.action == "scrub":
            privacy.clean_up(db)
            print("Rewrote the database files: no erased data is left in them.")
            return 0
        with db.reading() as session:
            found = directory.find_by_email(session, args.email)
            if found is None:
                raise RoundtableError(
                    f"No one in the directory has the address {args.email}; nothing was erased."
                )
            preview = privacy.erasure_preview(session, found[0])
        if not args.yes:
            raise RoundtableError(
                f"Erasing {preview.name} <{preview.email}> cannot be undone; add --yes to "
                "erase them."
            )
        with db.transaction() as session:
            privacy.erase_person(session, preview.person_id)
        privacy.clean_up(db)
    finally:
        db.close()
    print(
        f"Erased {preview.name} <{preview.email}> (person #{preview.person_id}). "
        f"{preview.stays()}. Backups made before still hold them until they expire."
    )
    return 0
