"""``roundtable-app``: parse the command, run it, and turn failures into one-line errors."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from roundtable_app.config import (
    POSTGRES_SCHEMES,
    demo_database_path,
    resolve_database_url,
    sqlite_url,
)
from roundtable_app.core.errors import RoundtableError

if TYPE_CHECKING:
    from roundtable_app.storage.unit_of_work import Database

from roundtable_app.cli.attendance import cmd_attendance
from roundtable_app.cli.audit import ENV_STAFF_NAME, cmd_audit
from roundtable_app.cli.backup import cmd_backup, cmd_restore
from roundtable_app.cli.commands import (
    cmd_demo,
    cmd_export,
    cmd_group,
    cmd_import,
    cmd_init,
    cmd_invites,
    cmd_replies,
    cmd_roundtables,
    cmd_vocabulary,
)
from roundtable_app.cli.notes import cmd_notes
from roundtable_app.cli.parser import EXIT_ERROR, EXIT_PIPE_CLOSED, PROG, build_parser
from roundtable_app.cli.person import cmd_person
from roundtable_app.cli.register import cmd_register
from roundtable_app.cli.retention import cmd_retention
from roundtable_app.cli.sign_in_sheet import cmd_sign_in_sheet
from roundtable_app.cli.stats import cmd_stats
from roundtable_app.cli.summary import cmd_summary
from roundtable_app.cli.team import cmd_team


def open_gui(args: argparse.Namespace) -> int:
    opened: list[Database] = []

    def opener() -> Database:
        """Runs on a worker thread while the window is already on screen."""
        from roundtable_app.services.temporary import remove_leftovers
        from roundtable_app.storage.unit_of_work import open_database

        # What a crash left in the app's temporary folder (a printed plan's PDF) goes now.
        remove_leftovers()

        if args.demo:
            from roundtable_app.services.demo import generate_demo

            path = demo_database_path()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            db = open_database(sqlite_url(path))
            # "Now" in the demo is today, so upcoming roundtables are still to come.
            today = dt.datetime.now(dt.UTC).replace(hour=9, minute=0, second=0, microsecond=0)
            generate_demo(db, anchor=today)
        else:
            db = open_database(resolve_database_url(args.database))
        opened.append(db)
        return db

    # Before the window: an address the app cannot open is a one-line error here.
    # Not for the demo: its file is made afresh by the opener.
    first_screen_of = None if args.demo else resolve_database_url(args.database)

    from roundtable_app.ui.app import run_gui

    try:
        if first_screen_of is not None and urlsplit(first_screen_of).scheme in POSTGRES_SCHEMES:
            # A team's server: which role the login has decides which window opens.
            from roundtable_app.services import team

            db = opener()
            return run_gui(db, role=team.current_role(db))
        return run_gui(opener, demo=args.demo, first_screen_of=first_screen_of)
    finally:
        for db in opened:
            db.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {
        "init": cmd_init,
        "demo": cmd_demo,
        "import": cmd_import,
        "export": cmd_export,
        "group": cmd_group,
        "roundtables": cmd_roundtables,
        "invites": cmd_invites,
        "replies": cmd_replies,
        "vocabulary": cmd_vocabulary,
        "notes": cmd_notes,
        "sign-in-sheet": cmd_sign_in_sheet,
        "attendance": cmd_attendance,
        "stats": cmd_stats,
        "summary": cmd_summary,
        "register": cmd_register,
        "backup": cmd_backup,
        "restore": cmd_restore,
        "person": cmd_person,
        "audit": cmd_audit,
        "retention": cmd_retention,
        "team": cmd_team,
    }
    try:
        if args.command is None:
            return open_gui(args)
        _name_staff()
        code = handlers[args.command](args)
        sys.stdout.flush()  # here, so that a closed pipe is noticed below, not at exit
        return code
    except BrokenPipeError:
        return _pipe_closed()
    except RoundtableError as exc:
        _error(exc.for_cli)
        return EXIT_ERROR
    except OSError as exc:  # a full disk, a locked or unreadable file
        where = f" ({exc.filename})" if exc.filename else ""
        _error(f"{exc.strerror or exc}{where}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error("stopped; nothing was changed.", prefix="")
        return 130


def _name_staff() -> None:
    """Changes made from the command line name $ROUNDTABLE_STAFF_NAME, else the login name."""
    name = os.environ.get(ENV_STAFF_NAME, "").strip()
    if name:
        from roundtable_app.services import audit

        audit.set_staff_name(name)


def _error(message: str, *, prefix: str = "error: ") -> None:
    try:
        print(f"{PROG}: {prefix}{message}", file=sys.stderr)
    except OSError:
        pass  # stderr is gone too: nothing left to tell


def _pipe_closed() -> int:
    """The reader of our output went away (``| head``): stop quietly, like other Unix tools.

    Whatever is still buffered for stdout goes nowhere, so Python's flush at exit
    has nothing to complain about; the exit status is the shell's for a program
    stopped by a closed pipe (128 + SIGPIPE).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return EXIT_PIPE_CLOSED
