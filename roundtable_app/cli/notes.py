"""``roundtable-app notes``: a roundtable's discussion notes, listed and added.

``--list`` prints the notes by table and section, each need with its
priority, kind, themes and sectors, and marks every note that names an
invitee or their organisation (the Chatham House guard) with the suggested
words. ``--add need|challenge|action|point TEXT`` adds one note (to a table
with ``--table N``); a note that names someone is saved, and the guard's
finding is printed so it can be fixed before the summary is made final.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from roundtable_app.config import resolve_database_url
from roundtable_app.core.discussion import NoteKind
from roundtable_app.core.model import Priority

if TYPE_CHECKING:
    from roundtable_app.services.discussion import Note
    from roundtable_app.storage.unit_of_work import Database

KINDS = {
    "need": NoteKind.NEED,
    "challenge": NoteKind.CHALLENGE,
    "action": NoteKind.ACTION,
    "point": NoteKind.POINT,
}


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    database_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Declare ``notes`` and its options on the command line."""
    parser = commands.add_parser("notes", help="list a roundtable's discussion notes, or add one")
    parser.add_argument("--roundtable", type=int, required=True, metavar="ID")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--list", action="store_true", help="list the notes by table and section")
    action.add_argument(
        "--add",
        nargs=2,
        metavar=("KIND", "TEXT"),
        help="add a note: KIND is need, challenge, action or point",
    )
    parser.add_argument(
        "--theme", action="append", default=[], metavar="T", help="a theme (repeat for more)"
    )
    parser.add_argument(
        "--sector",
        action="append",
        default=[],
        metavar="S",
        help="a sector that raised the need (repeat for more)",
    )
    parser.add_argument(
        "--priority", choices=[p.value for p in Priority], help="a need's priority (default medium)"
    )
    parser.add_argument("--table", type=int, metavar="N", help="the table (default: whole room)")
    database_option(parser)


def _open(url_or_path: str | None) -> Database:
    from roundtable_app.storage.unit_of_work import open_database

    return open_database(resolve_database_url(url_or_path), create=False)


def cmd_notes(args: argparse.Namespace) -> int:
    from roundtable_app.core.errors import RoundtableError

    if args.list and (args.theme or args.sector or args.priority or args.table is not None):
        raise RoundtableError("--theme, --sector, --priority and --table go with --add.")
    db = _open(getattr(args, "database", None))
    try:
        if args.list:
            lines = _listing(db, args.roundtable)
        else:
            lines = _add(db, args)
    finally:
        db.close()
    for line in lines:
        print(line)
    return 0


def _details(note: Note) -> str:
    parts = []
    if note.kind == NoteKind.NEED:
        parts += [
            f"priority {note.priority.value}" if note.priority else "",
            note.evidence_kind.label if note.evidence_kind else "",
            f"question {note.question_no}" if note.question_no else "",
            ", ".join(note.sectors),
        ]
    if note.kind == NoteKind.ACTION:
        parts += [
            f"owner {note.owner}" if note.owner else "",
            f"due {note.due_on.isoformat()}" if note.due_on else "",
            note.action_status.label if note.action_status else "",
        ]
    parts.append(", ".join(note.themes))
    shown = [p for p in parts if p]
    return f"  [{'; '.join(shown)}]" if shown else ""


def _listing(db: Database, roundtable_id: int) -> list[str]:
    from roundtable_app.services import discussion, roundtables

    with db.reading() as session:
        title = roundtables.get_roundtable(session, roundtable_id).data.title
        state, revision = discussion.summary_state(session, roundtable_id)
        tables = {t.id: t.label for t in discussion.note_tables(session, roundtable_id)}
        notes = discussion.list_notes(session, roundtable_id)
        flags = discussion.note_flags(session, roundtable_id)
    lines = [
        f"{title}: {len(notes)} note{'s' if len(notes) != 1 else ''}, "
        f"summary {state.value} (revision {revision})"
    ]
    place = section = None
    for note in notes:
        where = tables.get(note.table_id, "Whole room") if note.table_id else "Whole room"
        if where != place:
            lines.append(f"{where}")
            place, section = where, None
        if note.kind != section:
            lines.append(f"  {note.kind.label}")
            section = note.kind
        lines.append(f"    #{note.id} {note.text}{_details(note)}")
        for mention in flags.get(note.id, []):
            lines.append(f"      ! {mention.description}")
    if not notes:
        lines.append("No notes yet; add one with --add need|challenge|action|point TEXT.")
    return lines


def _add(db: Database, args: argparse.Namespace) -> list[str]:
    from roundtable_app.core.errors import RoundtableError
    from roundtable_app.services import discussion

    word, text = args.add
    kind = KINDS.get(word.strip().lower().removesuffix("s"))
    if kind is None:
        raise RoundtableError(f"A note is a need, challenge, action or point, not {word!r}.")
    if kind != NoteKind.NEED and (args.sector or args.priority):
        raise RoundtableError("--sector and --priority are for needs.")
    fields = discussion.NoteFields(
        text=text,
        themes=tuple(args.theme),
        sectors=tuple(args.sector) if kind == NoteKind.NEED else None,
        priority=Priority(args.priority) if args.priority else None,
    )
    with db.transaction() as session:
        table_id = (
            discussion.table_numbered(session, args.roundtable, args.table).id
            if args.table is not None
            else None
        )
        note = discussion.add_note(session, args.roundtable, kind, table_id=table_id, fields=fields)
        flags = discussion.note_flags(session, args.roundtable).get(note.id, [])
    lines = [f"Added {kind.label.lower().removesuffix('s')} #{note.id}."]
    lines += [f"Warning: {m.description}, or the summary cannot be made final." for m in flags]
    return lines
