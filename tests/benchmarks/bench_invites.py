"""Benchmark writing invitations for 500 invitees (not collected by pytest).

Usage::

    python tests/benchmarks/bench_invites.py [--invitees 500] [--database URL]

Builds a scheduled roundtable with N invitees in a fresh SQLite file (or the
given empty database), then times the whole delivery as a user runs it
(``sending.deliver``: planning, building each .ics with its VTIMEZONE, writing
it in binary mode, and recording each invitee as sent in its own transaction),
once for .ics files and once for .eml drafts. Budget (issue 4, section 5):
invitations for 500 invitees written in at most 2 s, each kind.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BUDGET_S = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invitees", type=int, default=500)
    parser.add_argument("--database", help="an empty database URL (default: a temporary file)")
    args = parser.parse_args()

    from sqlalchemy import insert

    from roundtable_app.core.model import Format, RoundtableStatus
    from roundtable_app.services import invitations, roundtables
    from roundtable_app.services.invitations import Organiser
    from roundtable_app.services.roundtables import RoundtableData
    from roundtable_app.storage.models import Person
    from roundtable_app.storage.unit_of_work import open_database

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'bench.db'}"
        db = open_database(url)
        start = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)
        with db.transaction() as s:
            s.execute(
                insert(Person),
                [
                    {
                        "full_name": f"Invitee Ünïcode {i}",
                        "email": f"invitee{i}@example.org",
                        "email_key": f"invitee{i}@example.org",
                        "time_zone": "Europe/London",
                    }
                    for i in range(args.invitees)
                ],
            )
            ids = list(range(1, args.invitees + 1))
            rt = roundtables.create_roundtable(
                s,
                RoundtableData(
                    title="Forced labour in supply chains: priorities for the next three years",
                    purpose="Agree the shared challenges and evidence needs. " * 5,
                    format=Format.HYBRID,
                    venue="Wilberforce Room",
                    venue_address="1 Example Street\nLondon EC1A 1AA",
                    online_link="https://meet.example.org/j/1234567890",
                    accessibility_contact="access@centre.example",
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=3),
                ),
            )
            roundtables.add_invitees(s, rt.id, ids)
            roundtables.set_status(s, rt.id, RoundtableStatus.SCHEDULED, rt.version)
        organiser = Organiser("Events Team", "events@centre.example")
        figures = {}
        for mode in (invitations.Mode.ICS_FILES, invitations.Mode.EML_DRAFTS):
            folder = Path(tmp) / mode.value
            t0 = time.perf_counter()
            report = invitations.deliver(
                db, rt.id, organiser, mode=mode, folder=folder, only_pending=False
            )
            elapsed = time.perf_counter() - t0
            assert report.sent == args.invitees, report.failed[:3]
            assert len(list(folder.iterdir())) == args.invitees
            figures[mode.value] = elapsed
            verdict = "within" if elapsed <= BUDGET_S else "OVER"
            print(
                f"{args.invitees} .{mode.value} invitations written and recorded in "
                f"{elapsed:.2f} s ({elapsed / args.invitees * 1000:.1f} ms each; "
                f"{verdict} the {BUDGET_S:.0f} s budget) on {db.dialect}"
            )
        db.close()
    return 0 if all(v <= BUDGET_S for v in figures.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
