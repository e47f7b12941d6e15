"""What each command does: a thin front end over the services, printing for a terminal."""

from __future__ import annotations

import argparse
import functools
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from roundtable_app.config import (
    resolve_database_url,
    sqlite_url,
)
from roundtable_app.core.errors import RoundtableError

if TYPE_CHECKING:
    from roundtable_app.core.progress import Progress
    from roundtable_app.services.directory import VocabularyKind
    from roundtable_app.services.invitations import Organiser
    from roundtable_app.storage.unit_of_work import Database, Session

from roundtable_app.cli.parser import ENV_ORGANISER_EMAIL, ENV_ORGANISER_NAME, EXIT_ERROR, PROG


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
        summary = generate_demo(
            db,
            people=args.people,
            seed=args.seed,
            roundtables=args.roundtables,
            invitees=args.invitees,
        )
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

    if not args.wait >= 0:
        raise RoundtableError(f"--wait must be a number of seconds, 0 or more, not {args.wait}.")
    # The file first: a typo in its name is said before anything about the database.
    table, mapping = transfer.read_for_import(Path(args.file), encoding=args.encoding)
    db = _open(args.database)
    try:
        report = transfer.import_table(
            db,
            table,
            mapping,
            on_duplicate=args.on_duplicate,
            skip_bad_rows=args.skip_bad_rows,
            progress=_waiting_notice(args.wait),
            patience=args.wait,
        )
    finally:
        db.close()
    print(
        f"Added {report.added}, merged {report.merged}, unchanged {report.unchanged}, "
        f"skipped {report.skipped}, rejected {len(report.rejected)}."
    )
    for problem in report.rejected:
        print(f"  {problem.message}")
    for line in report.new_names_lines():
        print(line)
    return 0


def _waiting_notice(patience: float) -> Progress:
    """Progress that tells someone at a terminal, once, that the import is waiting its turn.

    The wait itself ends, after ``patience`` seconds, in one error line; a
    script reading stderr gets only that line.
    """
    from roundtable_app.core.progress import Progress
    from roundtable_app.storage.contention import WAITING_MESSAGE

    told = False

    def notice(_done: int, _total: int, message: str) -> None:
        nonlocal told
        if message == WAITING_MESSAGE and not told and sys.stderr.isatty():
            told = True
            print(
                f"{PROG}: another import is writing to this database; waiting up to "
                f"{patience:.0f} s for it to finish (Ctrl+C stops)…",
                file=sys.stderr,
                flush=True,
            )

    return Progress(notice)


def cmd_export(args: argparse.Namespace) -> int:
    from roundtable_app.services.transfer import SENSITIVE_WARNING, export_people_csv

    sensitive = bool(getattr(args, "include_sensitive", False))
    db = _open(args.database)
    try:
        with db.reading() as session:
            count = export_people_csv(session, Path(args.file), sensitive=sensitive)
    finally:
        db.close()
    print(f"Exported {count:,} people to {args.file}.")
    if sensitive:
        print(f"Warning: {SENSITIVE_WARNING}", file=sys.stderr)
    else:
        print(
            "Lived experience, access and dietary needs, support contacts and notes were "
            "left out (--include-sensitive)."
        )
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
