"""The commands and options of ``roundtable-app``, with their help."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from roundtable_app import APP_NAME, __version__
from roundtable_app.cli import (
    attendance,
    audit,
    backup,
    notes,
    person,
    register,
    retention,
    sign_in_sheet,
    summary,
    team,
)
from roundtable_app.cli.stats import add_stats_parser
from roundtable_app.config import (
    ENV_DATABASE_URL,
)

if TYPE_CHECKING:
    pass

PROG = "roundtable-app"
EXIT_ERROR = 1
EXIT_PIPE_CLOSED = 128 + 13  # as the shell reports a program stopped by SIGPIPE
ENV_ORGANISER_EMAIL = "ROUNDTABLE_ORGANISER_EMAIL"
ENV_ORGANISER_NAME = "ROUNDTABLE_ORGANISER_NAME"


#: How long ``import`` waits for another import writing to the same database (``--wait``).
IMPORT_WAIT_S = 120.0


def _database_option(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    parser.add_argument(
        "--database",
        metavar="URL",
        # On a subcommand, an absent option must not hide one given before the command.
        default=argparse.SUPPRESS if sub else None,
        help=(
            "a SQLite file or database URL such as postgresql://user:password@host/roundtable "
            f"(default: ${ENV_DATABASE_URL}, else your own database in the user data folder)"
        ),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=f"{APP_NAME}: plan roundtable discussions. Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on freshly generated demo data, kept apart from your own",
    )
    _database_option(parser, sub=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = commands.add_parser("init", help="create or upgrade a database")
    _database_option(init)

    demo = commands.add_parser("demo", help="write a demo database of a realistic network")
    demo.add_argument("--people", type=int, default=300, metavar="N", help="how many people")
    demo.add_argument("--out", required=True, metavar="FILE.db", help="the SQLite file to write")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="same seed, same data")
    demo.add_argument(
        "--roundtables", type=int, metavar="N", help="past roundtables (default: people / 10)"
    )
    demo.add_argument(
        "--invitees", type=int, metavar="N", help="about how many each invites (default: ~20)"
    )

    imp = commands.add_parser("import", help="import people from a CSV or Excel file")
    imp.add_argument("file", metavar="FILE", help="a .csv, .txt or .xlsx file")
    _database_option(imp)
    imp.add_argument(
        "--on-duplicate",
        choices=("merge", "skip"),
        default="merge",
        help="what to do with an e-mail already in the directory (default: merge)",
    )
    imp.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the good rows and report the bad ones (default: import nothing if any "
        "row is bad)",
    )
    imp.add_argument(
        "--encoding",
        metavar="NAME",
        help="read a CSV file in this encoding: utf-8, cp1252, latin-1, utf-16, or mixed "
        "(each line in UTF-8 if it is, else cp1252); default: detect it, and refuse a file "
        "whose lines disagree",
    )
    imp.add_argument(
        "--wait",
        type=float,
        default=IMPORT_WAIT_S,
        metavar="SECONDS",
        help="while another import is writing to the database, wait this long for it to "
        f"finish before giving up (default: {IMPORT_WAIT_S:.0f})",
    )

    exp = commands.add_parser("export", help="export data to a file")
    exp_what = exp.add_subparsers(dest="what", metavar="WHAT", required=True)
    exp_people = exp_what.add_parser("people", help="export the directory to CSV")
    exp_people.add_argument("file", metavar="FILE.csv")
    exp_people.add_argument(
        "--include-sensitive",
        action="store_true",
        help="also write who has lived experience, access and dietary needs, support "
        "contacts and the team's notes "
        "(left out unless asked for: the file then identifies survivors)",
    )
    _database_option(exp_people)

    group = commands.add_parser(
        "group", help="seat a roundtable's invitees at tables and store the plan"
    )
    group.add_argument("--roundtable", type=int, required=True, metavar="ID", help="roundtable id")
    count = group.add_mutually_exclusive_group(required=True)
    count.add_argument("--tables", type=int, metavar="K", help="how many tables")
    count.add_argument("--size", type=int, metavar="N", help="or: about how many per table")
    group.add_argument("--min-size", type=int, metavar="L", help="smallest table (default: even)")
    group.add_argument("--max-size", type=int, metavar="U", help="largest table (default: even)")
    group.add_argument("--seed", type=int, default=1, metavar="S", help="same seed, same plan")
    group.add_argument(
        "--time-limit", type=float, default=10.0, metavar="T", help="seconds to search (default 10)"
    )
    group.add_argument(
        "--iterations",
        type=int,
        metavar="N",
        help="stop after N search steps (with --seed: the same plan on every machine)",
    )
    group.add_argument("--out", metavar="FILE.csv", help="also write the plan to this CSV file")
    _database_option(group)

    rts = commands.add_parser(
        "roundtables",
        help="list roundtables with their ids",
        description="List roundtables, one a line: id, start, status, invitees, title. "
        "All of them by default, soonest first.",
    )
    which = rts.add_mutually_exclusive_group()
    which.add_argument(
        "--upcoming",
        dest="view",
        action="store_const",
        const="upcoming",
        help="only those still to come (drafts and scheduled), soonest first",
    )
    which.add_argument(
        "--past",
        dest="view",
        action="store_const",
        const="past",
        help="only those that have taken place, latest first",
    )
    rts.add_argument(
        "--search",
        metavar="TEXT",
        default="",
        help="only those whose title, purpose, venue or series contains TEXT (any case)",
    )
    rts.add_argument(
        "--limit", type=int, metavar="N", help="at most N roundtables (the first N listed)"
    )
    _database_option(rts)

    invites = commands.add_parser(
        "invites", help="write one calendar invitation (.ics or .eml) per invitee"
    )
    invites.add_argument(
        "--roundtable", type=int, required=True, metavar="ID", help="roundtable id"
    )
    invites.add_argument("--out", required=True, metavar="DIR", help="the folder to write to")
    invites.add_argument(
        "--method",
        choices=("request", "cancel"),
        default="request",
        help="invitations and updates (default), or cancellations",
    )
    invites.add_argument(
        "--eml", action="store_true", help="write e-mail drafts (.eml) instead of .ics files"
    )
    invites.add_argument(
        "--pending",
        action="store_true",
        help="only invitees who have not been sent the latest version",
    )
    invites.add_argument(
        "--cancel-roundtable",
        action="store_true",
        help="with --method cancel: mark the whole roundtable cancelled first",
    )
    invites.add_argument(
        "--organiser-email",
        metavar="ADDRESS",
        help=f"the organiser's address (default: ${ENV_ORGANISER_EMAIL})",
    )
    invites.add_argument(
        "--organiser-name",
        metavar="NAME",
        help=f"the organiser's name (default: ${ENV_ORGANISER_NAME}, else the address)",
    )
    _database_option(invites)

    replies = commands.add_parser(
        "replies",
        help="read invitees' calendar replies (.ics, .eml)",
        description=(
            "Apply invitees' calendar replies to their responses. Exits 0 when every file "
            "was applied (or had already been), 1 when any file was unreadable, refused or "
            "not applied; the reason for each file is printed either way."
        ),
    )
    replies.add_argument("files", nargs="+", metavar="FILE", help="reply files")
    replies.add_argument(
        "--accept-forwarded",
        action="store_true",
        help=(
            "also apply e-mailed replies sent by someone other than the invitee "
            "(forwarded by an assistant, say); without it they are reported and not applied"
        ),
    )
    _database_option(replies)
    _vocabulary_parser(commands)
    notes.add_parser(commands, _database_option)
    sign_in_sheet.add_parser(commands, _database_option)
    summary.add_parser(commands, _database_option)
    register.add_parser(commands, _database_option)
    person.add_parser(commands, _database_option)
    attendance.add_parser(commands, _database_option)
    audit.add_parser(commands, _database_option)
    retention.add_parser(commands, _database_option)
    add_stats_parser(commands, _database_option)
    backup.add_parsers(commands, _database_option)
    team.add_parser(commands, _database_option)
    return parser


def _kind(text: str) -> str:
    word = text.strip().lower().removesuffix("s")
    kind = "interest" if word == "theme" else word
    if kind not in ("sector", "interest", "organisation"):
        raise argparse.ArgumentTypeError(f"choose sectors, interests or organisations: {text!r}")
    return kind


def _vocabulary_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    vocab = commands.add_parser(
        "vocabulary", help="list, rename, merge or delete sectors, interests and organisations"
    )
    actions = vocab.add_subparsers(dest="action", metavar="ACTION", required=True)
    kind = {"type": _kind, "metavar": "KIND", "help": "sectors, interests or organisations"}
    listing = actions.add_parser("list", help="list them with how many people use each")
    rename = actions.add_parser("rename", help="rename one everywhere it is used")
    merge = actions.add_parser("merge", help="merge some into one: their people move to it")
    remove = actions.add_parser("delete", help="delete ones that nobody uses")
    for parser in (listing, rename, merge, remove):
        parser.add_argument("kind", **kind)  # type: ignore[arg-type]
        _database_option(parser)
    rename.add_argument("old", metavar="NAME", help="its name now (any case)")
    rename.add_argument("new", metavar="NEW_NAME", help="the name it should have")
    merge.add_argument("names", nargs="+", metavar="NAME", help="the ones to merge away")
    merge.add_argument("--into", required=True, metavar="NAME", help="the one to keep")
    remove.add_argument("names", nargs="+", metavar="NAME", help="the ones to delete")
