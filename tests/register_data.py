"""A hand-made register for the tests: five roundtables, near-duplicate needs, a name.

Built with the services, as staff would: people, roundtables (three in a
series), everyone attended, and evidence needs noted for the whole room.
Every roundtable had 3 from Government and 3 from Academic research (named in
the register) and 1 from Frontline practice and 1 with lived experience (never
named: too few to stay anonymous).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from roundtable_app.core.discussion import EvidenceKind, NoteKind
from roundtable_app.core.model import Attendance, PersonData, Priority
from roundtable_app.services import directory, discussion, roundtables
from roundtable_app.storage.models import Invitation, Theme
from roundtable_app.storage.unit_of_work import Database

SERIES = "Research priorities 2026"
FORCED = "Forced labour in supply chains"
SUPPORT = "Survivor support"
POLICING = "Policing and prosecution"
NAMED = "José Müller"  # an invitee of the first roundtable, named in one of its notes

# (title, day, series, [(text, themes, priority, sectors)])
ROUNDTABLES = [
    (
        "Construction supply chains",
        dt.date(2026, 1, 14),
        SERIES,
        [
            (
                "What is the prevalence of forced labour in UK construction supply chains?",
                (FORCED,),
                Priority.HIGH,
                ("Government", "Frontline practice"),
            ),
            (
                "What is the prevalence of forced labour in construction in Scotland?",
                (FORCED,),
                Priority.LOW,
                ("Government",),
            ),
            (
                f"Ask {NAMED} how councils count victims placed in care homes",
                (SUPPORT,),
                Priority.MEDIUM,
                ("Academic research",),
            ),
        ],
    ),
    (
        "Agriculture and food",
        dt.date(2026, 2, 11),
        SERIES,
        [
            (
                "How prevalent is forced labour in construction supply chains in the UK?",
                (FORCED,),
                Priority.MEDIUM,
                ("Academic research",),
            ),
            (
                "What support services lead to better long-term recovery for survivors?",
                (SUPPORT,),
                Priority.HIGH,
                ("Government", "Lived experience"),
            ),
        ],
    ),
    (
        "Survivor recovery",
        dt.date(2026, 3, 18),
        SERIES,
        [
            (
                "Which survivor support services improve long-term recovery outcomes?",
                (SUPPORT,),
                Priority.MEDIUM,
                ("Academic research",),
            ),
        ],
    ),
    (
        "Policing exploitation",
        dt.date(2026, 4, 22),
        None,
        [
            (
                "Forced labour prevalence across UK construction supply chains",
                (FORCED,),
                Priority.MEDIUM,
                ("Government", "Academic research"),
            ),
            (
                "How much does police training on exploitation cost per officer?",
                (POLICING,),
                Priority.HIGH,
                ("Government",),
            ),
        ],
    ),
    (
        "County lines",
        dt.date(2026, 5, 20),
        None,
        [
            (
                "How are children recruited into county lines criminal exploitation?",
                (),
                Priority.LOW,
                (),
            ),
        ],
    ),
]


@dataclass(frozen=True)
class Register:
    db: Database
    roundtables: dict[str, int]
    needs: dict[str, int]  # text -> note id


def _person(session, n: int, sector: str, name: str | None = None, org: str = "") -> int:  # type: ignore[no-untyped-def]
    data = PersonData(
        full_name=name or f"Person {n}",
        email=f"register{n}@example.org",
        sector=sector,
        organisation=org or None,
        lived_experience=sector == "Lived experience",
    )
    return directory.create_person(session, data).id


def make_register(db: Database) -> Register:
    """The hand-made register in ``db``; returns the ids of its roundtables and needs."""
    ids: dict[str, int] = {}
    needs: dict[str, int] = {}
    n = 0
    with db.transaction() as s:
        for theme in (FORCED, SUPPORT, POLICING):
            if not s.query(Theme).filter_by(name=theme).first():
                s.add(Theme(name=theme))
        s.flush()
        for index, (title, day, series, notes) in enumerate(ROUNDTABLES):
            people = []
            for sector, count in (
                ("Government", 3),
                ("Academic research", 3),
                ("Frontline practice", 1),
                ("Lived experience", 1),
            ):
                for k in range(count):
                    n += 1
                    named = index == 0 and sector == "Government" and k == 0
                    people.append(
                        _person(
                            s,
                            n,
                            sector,
                            NAMED if named else None,
                            "Salvation Army" if named else "",
                        )
                    )
            starts = dt.datetime.combine(day, dt.time(10), dt.UTC)
            rid = roundtables.create_roundtable(
                s,
                roundtables.RoundtableData(
                    title=title,
                    series=series,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2),
                ),
            ).id
            roundtables.add_invitees(s, rid, people)
            for inv in s.query(Invitation).filter_by(roundtable_id=rid):
                inv.attendance = Attendance.ATTENDED.value
            s.flush()
            ids[title] = rid
            for text, themes, priority, sectors in notes:
                note = discussion.add_note(
                    s,
                    rid,
                    NoteKind.NEED,
                    fields=discussion.NoteFields(
                        text=text,
                        themes=themes,
                        priority=priority,
                        sectors=sectors,
                        evidence_kind=EvidenceKind.PREVALENCE,
                    ),
                )
                needs[text] = note.id
    return Register(db, ids, needs)
