"""The command line: open the app, or run a use case headless.

Every subcommand is a thin front end over the same services the window uses,
prints a one-line error and exits non-zero on bad input, and has ``--help``.
No Qt here: the window is imported only when it is opened.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from roundtable_app import APP_NAME, __version__
from roundtable_app.config import (
    ENV_DATABASE_URL,
    demo_database_path,
    resolve_database_url,
    sqlite_url,
)
from roundtable_app.core.errors import RoundtableError

if TYPE_CHECKING:
    from roundtable_app.services.directory import VocabularyKind
    from roundtable_app.services.invitations import Organiser
    from roundtable_app.storage.unit_of_work import Database, Session

PROG = "roundtable-app"
EXIT_ERROR = 1
EXIT_PIPE_CLOSED = 128 + 13  # as the shell reports a program stopped by SIGPIPE
ENV_ORGANISER_EMAIL = "ROUNDTABLE_ORGANISER_EMAIL"
ENV_ORGANISER_NAME = "ROUNDTABLE_ORGANISER_NAME"


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


def _open(url_or_path: str | None, *, create: bool = False) -> Database:
    """The database to work on. Only ``init`` creates one: a command given a path
    that does not hold a database yet says so instead of making an empty one."""
    from roundtable_app.storage.unit_of_work import open_database

    return open_database(resolve_database_url(url_or_path), create=create)


def cmd_init(args: argparse.Namespace) -> int:
    db = _open(args.database, create=True)
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
    from roundtable_app.services import transfer

    table = transfer.read_table(Path(args.file))
    plan = transfer.prepare(table, transfer.guess_mapping(table.headers))
    db = _open(args.database)
    try:
        with db.transaction() as session:
            report = transfer.apply_import(
                session, plan, on_duplicate=args.on_duplicate, skip_bad_rows=args.skip_bad_rows
            )
    finally:
        db.close()
    print(
        f"Added {report.added}, merged {report.merged}, skipped {report.skipped}, "
        f"rejected {len(report.rejected)}."
    )
    for problem in report.rejected:
        print(f"  {problem.message}")
    for line in report.new_names_lines():
        print(line)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from roundtable_app.services.transfer import export_people_csv

    db = _open(args.database)
    try:
        with db.reading() as session:
            count = export_people_csv(session, Path(args.file))
    finally:
        db.close()
    print(f"Exported {count:,} people to {args.file}.")
    return 0


def cmd_group(args: argparse.Namespace) -> int:
    from roundtable_app.core.progress import Progress
    from roundtable_app.services import grouping

    if args.time_limit <= 0:
        raise RoundtableError(f"--time-limit must be more than 0 seconds, not {args.time_limit}.")
    db = _open(args.database)
    try:
        with db.reading() as session:
            pool = grouping.load_pool(session, args.roundtable)
            kept = grouping.load_arrangement(session, args.roundtable, pool)
        plan = grouping.replan(
            pool,
            kept,
            tables=args.tables,
            size=args.size,
            min_size=args.min_size,
            max_size=args.max_size,
            seed=args.seed,
            time_limit=args.time_limit,
            max_iterations=args.iterations,
            progress=Progress(),
        )
        with db.transaction() as session:
            grouping.save_plan(session, args.roundtable, plan)
    finally:
        db.close()
    sizes = sorted(set(plan.sizes))
    size_text = "–".join(str(x) for x in (sizes[0], sizes[-1])) if len(sizes) > 1 else sizes[0]
    explanation = plan.explanation
    print(
        f"Seated {plan.people} people at {len(plan.tables)} "
        f"table{'s' if len(plan.tables) != 1 else ''} of {size_text} "
        f"(score {plan.score:,.1f}; {plan.iterations:,} steps in {plan.elapsed:.1f} s)."
    )
    for line in grouping.summary_lines(plan):
        print(f"  {line}")
    rules = len(kept.rules.together) + len(kept.rules.apart)
    saved_locks, locked = kept.locked_at(), kept.locked_at(len(plan.tables))
    if rules or saved_locks:
        dropped = len(saved_locks) - len(locked)
        print(
            f"Kept the saved rules: {rules} keep-together/apart, {len(locked)} locked"
            + (f" ({dropped} locks dropped: their table is gone)" if dropped else "")
            + "."
        )
    print(f"New pairings: {explanation.new_pairings} of {explanation.pairs}.")
    if explanation.warnings:
        print("Warnings:")
        for warning in explanation.warnings:
            print(f"  {warning}")
    print(f"Saved the plan to roundtable {args.roundtable}.")
    if args.out:
        grouping.export_plan_csv(plan, Path(args.out))
        print(f"Wrote {args.out}.")
    return 0


def cmd_roundtables(args: argparse.Namespace) -> int:
    from roundtable_app.services import roundtables

    if args.limit is not None and args.limit < 1:
        raise RoundtableError(f"--limit must be at least 1, not {args.limit}.")
    view = roundtables.View(args.view or "all")
    db = _open(args.database)
    try:
        with db.reading() as session:
            # One more than asked for: to tell whether any were left out.
            more = None if args.limit is None else args.limit + 1
            rows = roundtables.list_roundtables(session, view, args.search, limit=more)
    finally:
        db.close()
    if not rows:
        kind = "" if view == roundtables.View.ALL else f"{view.value} "
        match = f" match '{args.search}'" if args.search.strip() else ""
        # On stderr: stdout holds only roundtables, for a script reading it.
        print(f"No {kind}roundtables{match or ' yet'}.", file=sys.stderr)
    shown = rows if args.limit is None else rows[: args.limit]
    for row in shown:
        start = row.local_start
        when = f"{start:%Y-%m-%d %H:%M} {row.time_zone}" if start else "(no date)"
        print(
            f"{row.id:>5}  {when:<28}  {row.status.value:<9}  "
            f"{row.invitees:>3} invitees  {row.title}"
        )
    if len(shown) < len(rows):
        print(f"(Only the first {len(shown):,} shown; raise --limit to see more.)", file=sys.stderr)
    return 0


def _organiser(args: argparse.Namespace) -> Organiser:
    from roundtable_app.services.invitations import Organiser

    address = args.organiser_email or os.environ.get(ENV_ORGANISER_EMAIL)
    if not address:
        raise RoundtableError(
            f"The invitations need an organiser: pass --organiser-email ADDRESS "
            f"(and --organiser-name NAME) or set ${ENV_ORGANISER_EMAIL}."
        )
    name = args.organiser_name or os.environ.get(ENV_ORGANISER_NAME) or address
    return Organiser(name=name, email=address.strip())


def cmd_invites(args: argparse.Namespace) -> int:
    from roundtable_app.core.model import RoundtableStatus
    from roundtable_app.services import invitations, roundtables
    from roundtable_app.services.invitations import Method, Mode

    organiser = _organiser(args)
    method = Method.CANCEL if args.method == "cancel" else Method.REQUEST
    if args.cancel_roundtable and method != Method.CANCEL:
        raise RoundtableError("--cancel-roundtable goes with --method cancel.")
    db = _open(args.database)
    try:
        if args.cancel_roundtable:
            with db.transaction() as session:
                info = roundtables.get_roundtable(session, args.roundtable)
                if info.status != RoundtableStatus.CANCELLED:
                    roundtables.set_status(
                        session, info.id, RoundtableStatus.CANCELLED, info.version
                    )
                    print(f"Marked roundtable {info.id} '{info.data.title}' as cancelled.")
        report = invitations.deliver(
            db,
            args.roundtable,
            organiser,
            mode=Mode.EML_DRAFTS if args.eml else Mode.ICS_FILES,
            folder=Path(args.out),
            method=method,
            only_pending=args.pending,
        )
    finally:
        db.close()
    kind = "cancellation" if method == Method.CANCEL else "invitation"
    if not report.results and not report.skipped:
        hint = ""
        if method == Method.CANCEL:
            hint = (
                " Nobody was withdrawn and the roundtable is not cancelled; "
                "add --cancel-roundtable to cancel it for everyone."
            )
        print(f"No {kind}s to write.{hint}")
        return 0
    for result in report.results:
        mark = "ok  " if result.ok else "FAIL"
        print(f"  {mark} {result.name} <{result.email}>: {result.detail}")
    for skipped in report.skipped:
        print(f"  skip {skipped.name}: {skipped.reason}")
    print(
        f"Wrote {report.sent} {kind} file(s) to {args.out}; {len(report.failed)} failed, "
        f"{len(report.skipped)} skipped. Written files are recorded as sent."
    )
    return EXIT_ERROR if report.failed else 0


def cmd_replies(args: argparse.Namespace) -> int:
    from roundtable_app.services import invitations

    db = _open(args.database)
    try:
        with db.transaction() as session:
            report = invitations.apply_reply_files(
                session, [Path(f) for f in args.files], accept_forwarded=args.accept_forwarded
            )
    finally:
        db.close()
    # Each file's outcome, in the order the files were given.
    lines: dict[str, list[str]] = {Path(f).name: [] for f in args.files}
    for change in report.changes:
        forwarded = f" (forwarded by {change.forwarded_by})" if change.forwarded_by else ""
        lines.setdefault(change.source, []).append(
            f"{change.name} <{change.email}>, '{change.roundtable_title}': "
            f"{change.old.value} → {change.new.value}{forwarded}"
        )
    for issue in report.issues:
        lines.setdefault(issue.source, []).append(issue.message)
    for held in report.held:
        lines.setdefault(held.source, []).append(
            f"not applied: {held.message}; if you do, run again with --accept-forwarded"
        )
    for source, outcomes in lines.items():
        for outcome in outcomes:
            print(f"{source}: {outcome}")
    not_applied = sum(1 for i in report.issues if i.kind not in invitations.APPLIED_KINDS)
    not_applied += len(report.held)
    print(
        f"{len(report.changes)} response(s) changed from {len(args.files)} file(s); "
        f"{not_applied} not applied."
    )
    return 0 if report.all_applied else EXIT_ERROR


def cmd_vocabulary(args: argparse.Namespace) -> int:
    from roundtable_app.services import directory

    kind = directory.VocabularyKind(args.kind)
    done: list[str] = []  # printed once the change is committed
    db = _open(args.database)
    try:
        if args.action == "list":
            with db.reading() as session:
                done.append(
                    directory.vocabulary_text(kind, directory.list_vocabulary(session, kind))
                )
        else:
            with db.transaction() as session:
                done = _change_vocabulary(session, args, kind)
    finally:
        db.close()
    print("\n".join(done))
    return 0


def _change_vocabulary(
    session: Session, args: argparse.Namespace, kind: VocabularyKind
) -> list[str]:
    from roundtable_app.services import directory

    find = functools.partial(directory.find_entry, session, kind)
    if args.action == "rename":
        renamed = directory.rename_entry(session, find(args.old), args.new)
        if renamed.old_name == renamed.new_name:
            return [f"The {kind} is already called '{renamed.new_name}'; nothing changed."]
        people = directory.people_text(renamed.people)
        return [f"Renamed the {kind} '{renamed.old_name}' to '{renamed.new_name}' ({people})."]
    if args.action == "merge":
        into = find(args.into)
        return [
            f"Merged the {kind} '{merged.entry.name}' into '{into.name}': "
            f"{directory.people_text(merged.people)} moved."
            for merged in directory.merge_entries(session, [find(n) for n in args.names], into)
        ]
    gone = directory.delete_entries(session, [find(n) for n in args.names])
    return [f"Deleted the {kind} '{item.entry.name}'." for item in gone]


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
    }
    try:
        if args.command is None:
            return open_gui(args)
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
