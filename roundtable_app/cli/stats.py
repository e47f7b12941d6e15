"""``roundtable-app stats``: the headline figures of a period, a series or a roundtable.

It prints what the exports print (``statistics.export_tables``): output that
can travel (a pipe, a file, an e-mail) follows the "fewer than 3" rule, as the
report does; the exact numbers are on the Statistics page. With ``--out`` it
also writes the figures as CSV or .xlsx, or the PDF attendance report.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from roundtable_app.core.errors import RoundtableError

if TYPE_CHECKING:
    from roundtable_app.services.statistics import ExportTable, History, Scope

OUT_FORMATS = (".csv", ".xlsx", ".pdf")


def day(text: str) -> dt.date:
    """An option's YYYY-MM-DD date (for argparse's ``type``)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-03-31"
        ) from None


def add_stats_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    database_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """The ``stats`` command and its options (``database_option`` adds ``--database``)."""
    stats = commands.add_parser(
        "stats",
        help="what the roundtables achieved: attendance, sectors, new connections, reach",
        description=(
            "Print the headline figures of the roundtables that took place (all of them, a "
            "series, a period or one roundtable) and, with --out, write them to a file. "
            "Counts below 3 of lived-experience participants, or of a sector at one "
            "roundtable, print as 'fewer than 3'; the Statistics page shows exact numbers."
        ),
    )
    stats.add_argument("--series", metavar="NAME", help="only this series (any case)")
    stats.add_argument(
        "--from", dest="start", type=day, metavar="YYYY-MM-DD", help="from this day on"
    )
    stats.add_argument("--to", dest="end", type=day, metavar="YYYY-MM-DD", help="up to this day")
    stats.add_argument(
        "--roundtable", type=int, metavar="ID", help="one roundtable instead (see 'roundtables')"
    )
    stats.add_argument(
        "--out",
        metavar="FILE",
        help="also write FILE.csv or FILE.xlsx (the figures) or FILE.pdf (the report)",
    )
    database_option(stats)


def _scope(args: argparse.Namespace, history: History) -> Scope:
    from roundtable_app.services.statistics import Scope

    if args.start and args.end and args.start > args.end:
        raise RoundtableError(
            f"--from {args.start} is after --to {args.end}; swap them or change one."
        )
    if args.roundtable is not None:
        if args.series or args.start or args.end:
            raise RoundtableError(
                "--roundtable counts one roundtable: leave out --series, --from and --to."
            )
        if history.position(args.roundtable) is None:
            raise RoundtableError(
                f"Roundtable {args.roundtable} has not taken place (or does not exist): "
                "statistics count roundtables that were held; list them with "
                "'roundtable-app roundtables --past'."
            )
        return Scope(roundtable_id=args.roundtable)
    series_id = None
    if args.series:
        wanted = args.series.strip().casefold()
        found = [i for i, name in history.series_names.items() if name.casefold() == wanted]
        if not found:
            names = ", ".join(sorted(history.series_names.values(), key=str.casefold))
            listed = f"the series are: {names}" if names else "there are no series yet"
            raise RoundtableError(f"There is no series '{args.series}'; {listed}.")
        series_id = found[0]
    return Scope(series_id=series_id, start=args.start, end=args.end)


def _print_table(table: ExportTable, *, first: int = 34) -> None:
    from roundtable_app.services.statistics import cell_text

    widths = [
        max(len(table.headers[c]), *(len(cell_text(row[c])) for row in table.rows))
        for c in range(len(table.headers))
    ]
    widths[0] = max(widths[0], first)

    def line(cells: list[str]) -> str:
        head, *rest = cells
        right = (c.rjust(w) for c, w in zip(rest, widths[1:], strict=True))
        return "  ".join([head.ljust(widths[0]), *right]).rstrip()

    print(line(list(table.headers)))
    for row in table.rows:
        print(line([cell_text(c) for c in row]))


def cmd_stats(args: argparse.Namespace) -> int:
    from roundtable_app.config import resolve_database_url
    from roundtable_app.services import reports, statistics
    from roundtable_app.storage.unit_of_work import open_database

    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in OUT_FORMATS:
        raise RoundtableError(
            f"--out {out.name}: write a .csv or .xlsx file (the figures) or a .pdf (the report)."
        )
    db = open_database(resolve_database_url(args.database), create=False)
    try:
        with db.reading() as session:
            history = statistics.load_history(session)
    finally:
        db.close()
    figures = statistics.compute(history, _scope(args, history))
    summary, by_sector, *_ = statistics.export_tables(figures)
    print(figures.label)
    if not figures.roundtables:
        print("No roundtable took place in this period or series.")
    else:
        print()
        _print_table(replace(summary, rows=summary.rows[1:]))  # the scope is printed above
        print()
        _print_table(by_sector, first=0)
        print()
        print(statistics.PROTECTION_NOTE)
    if out is not None:
        if out.suffix.lower() == ".pdf":
            reports.write_attendance_report_pdf(figures, out)
        else:
            statistics.write_statistics(figures, out)
        print(f"Wrote {out}.")
    return 0
