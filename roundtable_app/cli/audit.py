"""``roundtable-app audit``: the audit trail (who changed what kind of record, and when).

Newest first, filtered by dates (local days, both included), staff member,
kind of record and action; printed, or written to a CSV file or an Excel
workbook with ``--out``. Entries never hold values, so neither does the output.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from roundtable_app.cli.stats import day
from roundtable_app.core.errors import RoundtableError

ENV_STAFF_NAME = "ROUNDTABLE_STAFF_NAME"


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    database_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """The ``audit`` command and its options."""
    audit = commands.add_parser(
        "audit",
        help="list or export the audit trail (who changed what, and when)",
        description=(
            "List the audit trail, newest first: when (local time), the member of staff, the "
            "kind of record and its number, what was done and which fields changed (never "
            "their values). Changes made from the command line name the member of staff "
            f"from ${ENV_STAFF_NAME}, else the login name."
        ),
    )
    audit.add_argument("--from", dest="first", type=day, metavar="DATE", help="from this day")
    audit.add_argument("--to", dest="last", type=day, metavar="DATE", help="up to this day")
    audit.add_argument("--actor", metavar="NAME", default="", help="only this staff member")
    audit.add_argument(
        "--entity",
        metavar="KIND",
        default="",
        help="only this kind of record: person, roundtable, invitation, summary, …",
    )
    audit.add_argument("--action", metavar="ACTION", default="", help="only this action")
    audit.add_argument(
        "--out", metavar="FILE", help="write a .csv or .xlsx file instead of printing"
    )
    database_option(audit)


def cmd_audit(args: argparse.Namespace) -> int:
    from roundtable_app.config import resolve_database_url
    from roundtable_app.services import privacy
    from roundtable_app.storage.unit_of_work import open_database

    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in privacy.FORMATS:
        raise RoundtableError(f"--out {out.name}: write a .csv or .xlsx file.")
    since, before = privacy.day_range(args.first, args.last)
    kind = args.entity.strip().lower().replace(" ", "_")
    labels = {label.lower(): key for key, label in privacy.KIND_LABELS.items()}
    filters = privacy.AuditFilter(
        actor=args.actor.strip(),
        entity=labels.get(kind.replace("_", " "), kind),
        action=args.action.strip().lower(),
        since=since,
        before=before,
    )
    db = open_database(resolve_database_url(args.database), create=False)
    try:
        with db.reading() as session:
            if out is not None:
                count = privacy.write_audit(session, out, filters)
                print(f"Wrote {out}: {count:,} entr{'y' if count == 1 else 'ies'}.")
                return 0
            count = 0
            for record in privacy.iter_audit(session, filters):
                local = record.at.astimezone()
                print(
                    f"{local:%Y-%m-%d %H:%M}  {record.actor or '(unknown)':<20}  "
                    f"{record.record:<22}  {record.what}"
                    + (f": {record.detail}" if record.detail else "")
                )
                count += 1
    finally:
        db.close()
    if not count:
        print(
            "No audit entries"
            + (
                " match these filters."
                if filters.actor or filters.entity or filters.action or since or before
                else " yet."
            )
        )
    return 0
