"""``roundtable-app team setup|add``: team roles the PostgreSQL server enforces.

Run by whoever administers the server, as the owner of the app's tables with
the right to create roles. ``setup`` makes the staff, check-in and read-only
group roles (again, after an upgrade); ``add`` makes a member's login.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.team import TeamRole


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    database_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """The ``team`` command and its actions."""
    team = commands.add_parser(
        "team", help="team roles the PostgreSQL server enforces: staff, check-in, read-only"
    )
    actions = team.add_subparsers(dest="action", required=True, metavar="ACTION")
    setup = actions.add_parser(
        "setup",
        help="create the staff, check-in and read-only roles of a PostgreSQL database",
        description=(
            "Create three PostgreSQL group roles for the database, with their grants: "
            "PREFIX_staff may do everything; PREFIX_checkin reads the names, organisations and "
            "lists of the day's roundtables and marks arrivals, nothing else; PREFIX_readonly "
            "reads what the statistics need. Lived experience, access and dietary needs, "
            "notes, consents, discussion notes and summaries, and the audit trail are for "
            "staff only: the other roles cannot read them even with their own SQL client. "
            "Run it as the owner of the database's tables, with the right to create roles; "
            "running it again changes nothing, and brings the grants up to date after an "
            "upgrade of the app."
        ),
    )
    setup.add_argument(
        "--prefix",
        metavar="NAME",
        help="how the roles' names start (default: the database's name)",
    )
    database_option(setup)
    add = actions.add_parser(
        "add",
        help="add a member: a PostgreSQL login with one of the roles",
        description=(
            "Create a PostgreSQL login for a member of the team with one of the roles (or "
            "give an existing login that role instead of its others, and a new password). "
            "The password is asked for, or read from standard input with --password-stdin. "
            "The member then opens the app with --database "
            "postgresql://LOGIN:PASSWORD@HOST/DATABASE."
        ),
    )
    add.add_argument("login", metavar="LOGIN", help="the member's login name")
    add.add_argument(
        "--role",
        required=True,
        choices=[role.value for role in TeamRole],
        help="staff: everything; checkin: the check-in at the door; readonly: statistics",
    )
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.add_argument("--prefix", metavar="NAME", help="the roles' prefix given to setup")
    database_option(add)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise RoundtableError("No terminal to ask for the password: give it with --password-stdin.")
    first = getpass.getpass(f"Password for {args.login}: ")
    if first != getpass.getpass("The same again: "):
        raise RoundtableError("The two passwords differ; nothing was changed.")
    return first


def cmd_team(args: argparse.Namespace) -> int:
    from roundtable_app.config import resolve_database_url
    from roundtable_app.services import team

    url = resolve_database_url(args.database)
    if args.action == "setup":
        report = team.set_up(url, args.prefix)
        made = f" (new: {', '.join(report.created)})" if report.created else " (already there)"
        print(f"Team roles ready{made}:")
        for role, name in report.roles.items():
            print(f"  {name:<28} {role.label}: {role.offers}")
        filled = _summaries_for_read_only(url)
        if filled:
            print(
                f"{filled} final summar{'y' if filled == 1 else 'ies'} made before this "
                "version kept as printed, for read-only members."
            )
        print("Add a member with: roundtable-app team add LOGIN --role staff|checkin|readonly")
        return 0
    role = TeamRole(args.role)
    new = team.add_member(url, args.login, role, _password(args), args.prefix)
    what = "Added" if new else "Updated"
    print(f"{what} {args.login}: {role.label} ({role.offers}).")
    return 0


def _summaries_for_read_only(url: str) -> int:
    """Final revisions made before they were kept as printed get it now (as the owner)."""
    from roundtable_app.services import discussion
    from roundtable_app.storage.unit_of_work import open_database

    db = open_database(url, create=False)
    try:
        with db.transaction() as session:
            return discussion.fill_printed(session)
    finally:
        db.close()
