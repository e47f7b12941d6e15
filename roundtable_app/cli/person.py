"""``roundtable-app person export|erase|scrub``: the rights people have, from the command line."""

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
        "person", help="one person's rights over their data: export everything held, or erase"
    )
    actions = person.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export",
        help="write everything held on a person to a ZIP (a PDF to read and a JSON file)",
        description=(
            "Write everything held on the person with this address (their right of access): "
            "the directory record, interests and consents, every invitation with its answer, "
            "attendance and table, seating rules, roundtables chaired, notes that mention "
            "them (with everyone else's name replaced) and the changes made to their record "
            "(who and when, never values). Nothing about anyone else. The ZIP holds a PDF "
            "to read and a JSON file, and is readable by you only."
        ),
    )
    export.add_argument("email", metavar="EMAIL", help="the person's e-mail address (any case)")
    export.add_argument("--out", required=True, metavar="FILE.zip", help="the ZIP to write")
    database_option(export)
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
                done = "nothing was written" if args.action == "export" else "nothing was erased"
                raise RoundtableError(
                    f"No one in the directory has the address {args.email}; {done}."
                )
            if args.action == "export":
                if not args.out.lower().endswith(".zip"):
                    raise RoundtableError(f"--out {args.out} must end in .zip.")
                content = privacy.subject_access(session, found[0])
            else:
                preview = privacy.erasure_preview(session, found[0])
        if args.action == "export":
            privacy.write_subject_access(content, args.out)
            print(
                f"Wrote {args.out}: everything held on {found[1]} <{content['person']['email']}> "
                f"({len(content['invitations'])} invitation"
                f"{'' if len(content['invitations']) == 1 else 's'}), as a PDF and a JSON file."
            )
            return 0
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
