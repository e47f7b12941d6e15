"""A register of 5,000 evidence needs from 500 roundtables, for the register's benchmarks.

The demo's history of 500 past roundtables (its people, invitations, tables
and notes: about 1,700 needs) topped up to ``needs`` with more needs at each
held roundtable: the demo's own needs reworded (a place, a group of people or a
time added), so that many read alike across roundtables as real notes do, with
the themes, priorities, kinds and sectors of the need they reword.

Not a test: ``python tests/benchmarks/register_fixture.py --out FILE.db``, or
``make_register_db(url)`` from a benchmark.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's package

ROUNDTABLES = 500
NEEDS = 5_000
PEOPLE = 5_000

_PLACES = (
    "in Wales", "in Scotland", "in Northern Ireland", "in London", "in the North East",
    "in rural areas", "in port towns", "across the UK", "in the Midlands", "in coastal towns",
)  # fmt: skip
_WHO = (
    "for children", "for women", "for men", "for young adults", "for foreign nationals",
    "for British nationals", "for people in care", "for seasonal workers",
)  # fmt: skip
_WHEN = (
    "since 2020", "over the last five years", "after the pandemic", "in the next decade",
    "after release from support", "during the National Referral Mechanism",
)  # fmt: skip


def _reworded(text: str, rng: random.Random) -> str:
    base = text.rstrip("?. ")
    extra = [rng.choice(pool) for pool in (_PLACES, _WHO, _WHEN) if rng.random() < 0.5]
    if not extra:
        extra = [rng.choice(_PLACES)]
    return f"{base} {' '.join(extra)}{'?' if text.rstrip().endswith('?') else ''}"


def make_register_db(
    url: str, *, roundtables: int = ROUNDTABLES, needs: int = NEEDS, seed: int = 12
) -> int:
    """Fill the empty database ``url``; returns how many evidence needs it holds."""
    from sqlalchemy import func, insert, select

    from roundtable_app.core.discussion import NoteKind
    from roundtable_app.services.demo import generate_demo
    from roundtable_app.storage.models import DiscussionNote, note_sector, note_theme
    from roundtable_app.storage.unit_of_work import open_database

    db = open_database(url)
    try:
        generate_demo(db, people=PEOPLE, roundtables=roundtables, invitees=20)
        rng = random.Random(seed)
        with db.transaction() as s:
            rows = s.execute(
                select(DiscussionNote).where(DiscussionNote.kind == NoteKind.NEED.value)
            ).scalars()
            existing = list(rows)
            have = len(existing)
            themes: dict[int, list[int]] = {}
            sectors: dict[int, list[int]] = {}
            for note_id, theme_id in s.execute(select(note_theme.c.note_id, note_theme.c.theme_id)):
                themes.setdefault(note_id, []).append(theme_id)
            for note_id, sector_id in s.execute(
                select(note_sector.c.note_id, note_sector.c.sector_id)
            ):
                sectors.setdefault(note_id, []).append(sector_id)
            by_roundtable: dict[int, list[DiscussionNote]] = {}
            for note in existing:
                by_roundtable.setdefault(note.roundtable_id, []).append(note)
            held = sorted(by_roundtable)
            position = (s.scalar(select(func.max(DiscussionNote.position))) or 0) + 1
            next_id = (s.scalar(select(func.max(DiscussionNote.id))) or 0) + 1
            notes, theme_links, sector_links = [], [], []
            for k in range(max(0, needs - have)):
                rid = held[k % len(held)]
                model = rng.choice(existing)  # a need from anywhere, said here again
                table = rng.choice(by_roundtable[rid]).table_id
                notes.append(
                    {
                        "id": next_id,
                        "roundtable_id": rid,
                        "table_id": table,
                        "kind": NoteKind.NEED.value,
                        "position": position,
                        "text": _reworded(model.text, rng),
                        "priority": model.priority,
                        "evidence_kind": model.evidence_kind,
                        "acknowledged": "",
                        "answer_reference": "",
                        "centre_owner": "",
                        "version": 1,
                    }
                )
                theme_links += [
                    {"note_id": next_id, "theme_id": t} for t in themes.get(model.id, [])
                ]
                sector_links += [
                    {"note_id": next_id, "sector_id": t} for t in sectors.get(model.id, [])
                ]
                next_id += 1
                position += 1
            if notes:
                s.execute(insert(DiscussionNote), notes)
                if theme_links:
                    s.execute(insert(note_theme), theme_links)
                if sector_links:
                    s.execute(insert(note_sector), sector_links)
            return have + len(notes)
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="the SQLite file to write (must not exist)")
    parser.add_argument("--needs", type=int, default=NEEDS)
    parser.add_argument("--roundtables", type=int, default=ROUNDTABLES)
    args = parser.parse_args()
    if Path(args.out).exists():
        sys.exit(f"{args.out} exists already; give a new file.")
    t0 = time.perf_counter()
    count = make_register_db(
        f"sqlite:///{Path(args.out).resolve()}", roundtables=args.roundtables, needs=args.needs
    )
    print(f"Wrote {args.out}: {count:,} evidence needs in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
