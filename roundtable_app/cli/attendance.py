"""``roundtable-app attendance``: a roundtable's answers and attendance, listed and recorded.

Without an action it lists everyone on the list in the sign-in sheet's order
(by surname): attendance, the answer and how it came, name, address,
organisation, table. ``--set`` records attendance for people named by their
address, ``--accepted-attended`` marks everyone who accepted as attended, and
``--walk-in`` adds someone who came without an invitation (a new address
creates the person, with ``--name``). Nothing is changed when any address is
wrong.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from roundtable_app.config import resolve_database_url
from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Attendance, Response, ResponseChannel

if TYPE_CHECKING:
    from roundtable_app.services.attendance import AttendanceRow
    from roundtable_app.storage.unit_of_work import Database, Session

#: What ``--set`` takes, and what the list prints: the same words both ways.
ATTENDANCE_WORDS = {
    "attended": Attendance.ATTENDED,
    "no-show": Attendance.NO_SHOW,
    "apologies": Attendance.APOLOGIES,
    "unknown": Attendance.UNKNOWN,
}
WORD_OF = {value: word for word, value in ATTENDANCE_WORDS.items()}
SUMMARY_WORDS = {
    a: a.label.lower()
    for a in (Attendance.ATTENDED, Attendance.NO_SHOW, Attendance.APOLOGIES, Attendance.UNKNOWN)
}
RESPONSE_WORDS = {
    Response.NEEDS_ACTION: "no answer",
    Response.ACCEPTED: "accepted",
    Response.DECLINED: "declined",
    Response.TENTATIVE: "tentative",
}
CHANNEL_WORDS = {
    ResponseChannel.PHONE: "by phone",
    ResponseChannel.EMAIL: "by e-mail",
    ResponseChannel.IN_PERSON: "in person",
    ResponseChannel.OTHER: "other",
}


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    database_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Declare ``attendance`` and its options on the command line."""
    parser = commands.add_parser(
        "attendance",
        help="list or record who came to a roundtable",
        description=(
            "Without an action: list each person on the roundtable's list, in the sign-in "
            "sheet's order (by surname), with their attendance and their answer. The actions "
            "record attendance once the roundtable has begun; nothing is changed when any "
            "address is wrong."
        ),
    )
    parser.add_argument("--roundtable", type=int, required=True, metavar="ID", help="roundtable id")
    action = parser.add_mutually_exclusive_group()
    action.add_argument(
        "--set",
        nargs="+",
        metavar=("STATUS", "EMAIL"),
        help="record attended, no-show, apologies or unknown (not recorded) for these people",
    )
    action.add_argument(
        "--accepted-attended",
        action="store_true",
        help="everyone who accepted and has no attendance recorded yet attended",
    )
    action.add_argument(
        "--walk-in",
        metavar="EMAIL",
        help="add someone who came without an invitation, as attended",
    )
    parser.add_argument(
        "--name",
        metavar="NAME",
        help="with --walk-in: their name, to add a new address to the directory",
    )
    parser.add_argument(
        "--table",
        type=int,
        metavar="N",
        help="with --walk-in: seat them at table N of the roundtable's plan",
    )
    database_option(parser)


def _open(url_or_path: str | None) -> Database:
    from roundtable_app.storage.unit_of_work import open_database

    return open_database(resolve_database_url(url_or_path), create=False)


def cmd_attendance(args: argparse.Namespace) -> int:
    if (args.name is not None or args.table is not None) and args.walk_in is None:
        raise RoundtableError("--name and --table go with --walk-in EMAIL.")
    status, emails = _set_arguments(args.set)
    db = _open(getattr(args, "database", None))
    try:
        if args.set is not None:
            lines = _set(db, args.roundtable, status, emails)
        elif args.accepted_attended:
            lines = _accepted_attended(db, args.roundtable)
        elif args.walk_in is not None:
            lines = _walk_in(db, args.roundtable, args.walk_in, args.name, args.table)
        else:
            lines = _listing(db, args.roundtable)
    finally:
        db.close()
    print("\n".join(lines))
    return 0


def _set_arguments(values: list[str] | None) -> tuple[Attendance, list[str]]:
    if values is None:
        return Attendance.UNKNOWN, []
    word, *emails = values
    status = ATTENDANCE_WORDS.get(word.strip().lower())
    if status is None:
        raise RoundtableError(
            f"--set takes attended, no-show, apologies or unknown first, not '{word}'."
        )
    if not emails:
        raise RoundtableError(f"--set {word} needs the addresses of the people to mark.")
    return status, list(dict.fromkeys(emails))  # each once, in the order given


def _title(session: Session, roundtable_id: int) -> str:
    from roundtable_app.services import roundtables

    info = roundtables.get_roundtable(session, roundtable_id)
    return f"roundtable {roundtable_id} '{info.data.title}'"


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count:,} people"


def _set(db: Database, roundtable_id: int, status: Attendance, emails: list[str]) -> list[str]:
    from roundtable_app.services import attendance

    with db.transaction() as session:
        title = _title(session, roundtable_id)
        ids = attendance.listed_by_email(session, roundtable_id, emails)
        done = {c.invitation_id for c in attendance.mark(session, ids.values(), status)}
        rows = attendance.attendance_rows(session, roundtable_id)
    names = {row.invitation_id: row.name for row in rows}
    word = WORD_OF[status]
    changed = [names[i] for i in ids.values() if i in done]
    same = [names[i] for i in ids.values() if i not in done]
    lines = []
    if changed:
        lines.append(f"Marked {_people(len(changed))} {word} at {title}: {', '.join(changed)}.")
    if same:
        verb = "is" if len(same) == 1 else "are"
        lines.append(f"{', '.join(same)} {verb} marked {word} already; nothing changed.")
    return lines


def _accepted_attended(db: Database, roundtable_id: int) -> list[str]:
    from roundtable_app.services import attendance

    with db.transaction() as session:
        title = _title(session, roundtable_id)
        done = attendance.accepted_attended(session, roundtable_id)
    if not done:
        return [
            f"Everyone who accepted {title} has their attendance recorded already; nothing changed."
        ]
    return [f"Marked {_people(len(done))} who accepted {title} as attended."]


def _walk_in(
    db: Database, roundtable_id: int, email: str, name: str | None, table: int | None
) -> list[str]:
    from roundtable_app.services import attendance

    with db.transaction() as session:
        title = _title(session, roundtable_id)
        done = attendance.add_walk_in_by_email(session, roundtable_id, email, name, table=table)
        rows = {r.invitation_id: r for r in attendance.attendance_rows(session, roundtable_id)}
    at_table = f", seated at table {table}" if table is not None else ""
    if isinstance(done, attendance.AttendanceChange):
        row = rows[done.invitation_id]
        if done.before == Attendance.ATTENDED:
            return [f"{row.name} <{row.email}> is on the list and attended already{at_table}."]
        return [f"{row.name} <{row.email}> is on the list of {title}: marked attended{at_table}."]
    if isinstance(done, attendance.NewWalkIn):
        row = rows[done.walk_in.invitation_id]
        return [
            f"Added {row.name} <{row.email}> to the directory, and to {title} "
            f"as a walk-in who attended{at_table}."
        ]
    row = rows[done.invitation_id]
    lines = [f"Added {row.name} <{row.email}> to {title} as a walk-in who attended{at_table}."]
    if name is not None and " ".join(name.split()) != row.name:
        lines.append(f"(The directory knows {row.email} as {row.name}; --name was not used.)")
    return lines


def _listing(db: Database, roundtable_id: int) -> list[str]:
    from roundtable_app.services import attendance

    with db.reading() as session:
        title = _title(session, roundtable_id)
        rows = attendance.attendance_rows(session, roundtable_id)
    if not rows:
        return [f"Nobody is on the list of {title} yet."]
    lines = [f"{'ATTENDANCE':<11}  {'ANSWER':<22}  PERSON"]
    lines += [_row_line(row) for row in rows]
    counts = Counter(row.attendance for row in rows)
    parts = [f"{counts[a]} {word}" for a, word in SUMMARY_WORDS.items() if counts[a]]
    walk_ins = sum(row.walk_in for row in rows)
    walked = f"; {walk_ins} walk-in{'s' if walk_ins != 1 else ''}" if walk_ins else ""
    lines.append(f"{_people(len(rows))} on the list of {title}: {', '.join(parts)}{walked}.")
    return lines


def _answer(row: AttendanceRow) -> str:
    if row.walk_in:
        return "walk-in"
    answer = RESPONSE_WORDS[row.response]
    channel = CHANNEL_WORDS.get(row.response_channel) if row.response_channel else None
    return f"{answer} ({channel})" if channel else answer


def _row_line(row: AttendanceRow) -> str:
    who = f"{row.name} <{row.email}>" if row.email else row.name
    extra = [part for part in (row.organisation,) if part]
    if row.table is not None:
        extra.append(f"table {row.table}")
    details = f", {', '.join(extra)}" if extra else ""
    return f"{WORD_OF[row.attendance]:<11}  {_answer(row):<22}  {who}{details}"
