"""The command line: open the app, or run a use case headless.

Every subcommand is a thin front end over the same services the window uses,
prints a one-line error and exits non-zero on bad input, and has ``--help``.
No Qt here: the window is imported only when it is opened.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from roundtable_app import APP_NAME, __version__
from roundtable_app.config import (
    ENV_DATABASE_URL,
    demo_database_path,
    resolve_database_url,
    sqlite_url,
)
from roundtable_app.core.errors import RoundtableError

PROG = "roundtable-app"
EXIT_ERROR = 1


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

    exp = commands.add_parser("export", help="export data to a file")
    exp_what = exp.add_subparsers(dest="what", metavar="WHAT", required=True)
    exp_people = exp_what.add_parser("people", help="export the directory to CSV")
    exp_people.add_argument("file", metavar="FILE.csv")
    _database_option(exp_people)
    return parser


def _open(url_or_path: str | None):  # -> Database (typed loosely to keep start-up imports lean)
    from roundtable_app.storage.unit_of_work import open_database

    return open_database(resolve_database_url(url_or_path))


def cmd_init(args: argparse.Namespace) -> int:
    db = _open(args.database)
    result = db.upgrade_result
    if result is not None and result.from_revision is None:
        print(f"Created a new database at {db.url}.")
    elif result is not None and result.changed:
        print(f"Upgraded {db.url} from {result.from_revision} to {result.to_revision}.")
        if result.backup:
            print(f"A copy of the database as it was is at {result.backup}.")
    else:
        print(f"{db.url} is up to date.")
    db.close()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from roundtable_app.services.demo import generate_demo
    from roundtable_app.storage.unit_of_work import open_database

    if args.people < 1:
        raise RoundtableError(f"--people must be at least 1, not {args.people}.")
    out = Path(args.out)
    if out.exists():
        raise RoundtableError(f"{out} already exists; choose a new file name or delete it first.")
    db = open_database(sqlite_url(out))
    try:
        summary = generate_demo(db, people=args.people, seed=args.seed)
    except BaseException:
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{out}{suffix}").unlink(missing_ok=True)
        raise
    db.close()
    print(
        f"Wrote {out}: {summary.people:,} people, {summary.organisations:,} organisations, "
        f"{summary.themes} themes, {summary.roundtables:,} roundtables, "
        f"{summary.invitations:,} invitations."
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from roundtable_app.services import importing

    table = importing.read_table(Path(args.file))
    plan = importing.prepare(table, importing.guess_mapping(table.headers))
    db = _open(args.database)
    try:
        with db.transaction() as session:
            report = importing.apply_import(
                session, plan, on_duplicate=args.on_duplicate, skip_bad_rows=args.skip_bad_rows
            )
    finally:
        db.close()
    print(
        f"Added {report.added}, merged {report.merged}, skipped {report.skipped}, "
        f"rejected {len(report.rejected)}."
    )
    for problem in report.rejected:
        print(f"  Row {problem.row_number}: {problem.reason}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from roundtable_app.services.exporting import export_people_csv

    db = _open(args.database)
    try:
        with db.reading() as session:
            count = export_people_csv(session, Path(args.file))
    finally:
        db.close()
    print(f"Exported {count:,} people to {args.file}.")
    return 0


def open_gui(args: argparse.Namespace) -> int:
    from roundtable_app.storage.unit_of_work import open_database

    if args.demo:
        from roundtable_app.services.demo import generate_demo

        path = demo_database_path()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        db = open_database(sqlite_url(path))
        generate_demo(db)
    else:
        db = open_database(resolve_database_url(args.database))
    from roundtable_app.ui.app import run_gui

    try:
        return run_gui(db, demo=args.demo)
    finally:
        db.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"init": cmd_init, "demo": cmd_demo, "import": cmd_import, "export": cmd_export}
    try:
        if args.command is None:
            return open_gui(args)
        return handlers[args.command](args)
    except RoundtableError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:  # a full disk, a locked or unreadable file
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"{PROG}: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"{PROG}: stopped; nothing was changed.", file=sys.stderr)
        return 130
