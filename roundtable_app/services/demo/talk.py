"""What was said at the demo's past roundtables: tables, notes, and summaries made final.

Each held roundtable gets tables (everyone seated), evidence needs (with themes,
priorities, kinds, the sector of someone at the note's table, and the number of
the evidence question they answer), shared challenges, actions and key points.
A few needs are the same need reworded at different roundtables, so that the
evidence-needs register has something to group; the latest roundtable has a
note that names a participant, so that the Chatham House guard has something
to flag; and a few earlier summaries were made final, one of them reopened,
changed and made final again, another reopened and being revised.

The tables, needs, challenges and actions are drawn from the generator's own
stream as they always were; everything added since (question numbers, key
points, reworded needs, the sector at the table) from a stream of its own
(``self.talk``), so that a seed still makes the same people, roundtables and
seats as before.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sqlalchemy import select

from roundtable_app.core.discussion import EvidenceKind
from roundtable_app.core.model import Attendance, Priority
from roundtable_app.services import discussion
from roundtable_app.services.demo import words
from roundtable_app.services.demo.world import DemoWorld, table_of
from roundtable_app.storage.models import (
    DiscussionNote,
    DiscussionTable,
    Invitation,
    Person,
    SummaryRevision,
    note_sector,
    note_theme,
)

#: Who made the demo's summaries final, as the revision list shows it.
DEMO_EDITOR = "events.team"


class DiscussionMixin(DemoWorld):
    """Tables, notes and summaries for the demo generator (:mod:`.generator`)."""

    def _tables_and_notes(
        self,
        rt_id: int,
        seated: list[dict[str, Any]],
        themes: list[int],
        ends: dt.datetime,
        questions: list[str],
    ) -> list[int]:
        """The tables (their ids are returned), who sits where, and the discussion's notes.

        ``questions`` are the templates of the roundtable's evidence questions, in order.
        """
        r, talk = self.rng, self.talk
        k = max(1, math.ceil(len(seated) / r.choice((5, 6, 7, 8))))
        table_ids = [
            self._add(table_of(DiscussionTable), roundtable_id=rt_id, number=n, name=f"Table {n}")[
                "id"
            ]
            for n in range(1, k + 1)
        ]
        # Shuffle, then deal sector by sector so that every table gets a mix.
        r.shuffle(seated)
        seated.sort(key=lambda row: row["sector_id"])
        for i, row in enumerate(seated):
            row["table_id"] = table_ids[i % k]
        present = [row["sector_id"] for row in seated] or self.sector_ids
        at_table = {
            t: [row["sector_id"] for row in seated if row["table_id"] == t] for t in table_ids
        }
        written = ends + dt.timedelta(days=2)

        def question_of(template: str) -> int | None:
            if template in questions:
                return questions.index(template) + 1
            return talk.randint(1, len(questions)) if talk.random() < 0.45 else None

        for _ in range(r.randint(2, 4)):
            t = r.choice(themes)
            template = r.choice(words.EVIDENCE_NEEDS)
            table = r.choice(table_ids)
            note = self._note(
                rt_id,
                "need",
                template.format(t=words.THEMES[t].lower()),
                written,
                table_id=table,
                priority=r.choices(list(Priority), (30, 50, 20))[0].value,
                evidence_kind=r.choice(list(EvidenceKind)).value,
                need_status="open",
                question_no=question_of(template),
            )
            self._add(note_theme, note_id=note, theme_id=self.theme_ids[t])
            in_room = r.choice(present)  # drawn as ever; the sector is someone's at the table
            sector = talk.choice(at_table[table]) if at_table[table] else in_room
            self._add(note_sector, note_id=note, sector_id=sector)
        if talk.random() < 0.4:  # the same need as another roundtable put it
            t = talk.choice(themes)
            table = talk.choice(table_ids)
            note = self._note(
                rt_id,
                "need",
                talk.choice(talk.choice(words.REWORDED_NEEDS)),
                written,
                table_id=table,
                priority=talk.choice((Priority.HIGH, Priority.MEDIUM)).value,
                evidence_kind=talk.choice(list(EvidenceKind)).value,
                need_status="open",
                question_no=question_of(""),
            )
            self._add(note_theme, note_id=note, theme_id=self.theme_ids[t])
            if at_table[table]:
                self._add(note_sector, note_id=note, sector_id=talk.choice(at_table[table]))
        challenges: set[tuple[str, int | None]] = set()
        for _ in range(r.randint(1, 3)):
            t = r.choice(themes)
            text = r.choice(words.CHALLENGES).format(t=words.THEMES[t].lower())
            table = r.choice(table_ids)
            if (text, table) in challenges:
                continue  # no table writes down the same challenge twice
            challenges.add((text, table))
            note = self._note(rt_id, "challenge", text, written, table_id=table)
            self._add(note_theme, note_id=note, theme_id=self.theme_ids[t])
        for _ in range(r.choice((0, 1, 1, 2))):
            description, owner = r.choice(words.ACTIONS)
            due = (ends + dt.timedelta(days=r.randint(14, 90))).date()
            done = due < self.anchor.date() and r.random() < 0.7
            self._note(
                rt_id,
                "action",
                description,
                written,
                owner=owner,
                due_on=due,
                action_status="done" if done else "open",
            )
        for point in talk.sample(words.KEY_POINTS, talk.randint(1, 3)):
            theme = words.THEMES[talk.choice(themes)].lower()
            self._note(rt_id, "point", point.format(t=theme), written)
        return table_ids

    def _note(self, rt_id: int, kind: str, text: str, written: dt.datetime, **values: Any) -> int:
        """Queue one discussion note, after the ones before it; returns its id."""
        row = {
            "table_id": None,
            "priority": None,
            "evidence_kind": None,
            "question_no": None,
            "need_status": None,
            "answer_reference": "",
            "centre_owner": "",
            "group_id": None,
            "owner": "",
            "due_on": None,
            "action_status": None,
            "acknowledged": "",
            "version": 1,
            **values,
        }
        added = self._add(
            table_of(DiscussionNote),
            roundtable_id=rt_id,
            kind=kind,
            position=0,
            text=text,
            created_at=written,
            updated_at=written,
            **row,
        )
        added["position"] = added["id"]
        return int(added["id"])

    def _summaries(self) -> None:
        """A note naming someone at the latest roundtable; a few earlier summaries made final.

        Runs once every roundtable is written, through the discussion service, so
        that the revisions hold exactly what the app would have kept.
        """
        held = self.held
        if not held:
            return
        latest, ends = held[-1]
        name = self.session.scalar(
            select(Person.full_name)
            .join(Invitation, Invitation.person_id == Person.id)
            .where(
                Invitation.roundtable_id == latest,
                Invitation.attendance == Attendance.ATTENDED.value,
            )
            .order_by(Invitation.id)
            .limit(1)
        )
        if name:
            text = self.talk.choice(words.NAMING_NOTES).format(
                name=name, t=words.THEMES[self.talk.randrange(len(words.THEMES))].lower()
            )
            self._note(latest, "point", text, ends + dt.timedelta(days=1))
            self._write(table_of(DiscussionNote), self.pending.pop("discussion_note", []))
        s = self.session
        # Final: the three before the latest; the oldest of them reopened, changed and
        # made final again, the newest reopened and being revised.
        chosen = held[-4:-1]
        for i, (rt_id, ends) in enumerate(chosen):
            discussion.finalise(s, rt_id, 1)
            if i == 0 and len(chosen) == 3:
                discussion.reopen(s, rt_id, 1)
                note = discussion.list_notes(s, rt_id)[0]
                changed = discussion.NoteFields(text=f"{note.text} (Clarified after the meeting.)")
                discussion.update_note(s, note.id, note.version, changed)
                discussion.finalise(s, rt_id, 2)
            elif i == len(chosen) - 1 and len(chosen) > 1:
                discussion.reopen(s, rt_id, 1)
            for n, revision in enumerate(
                s.scalars(
                    select(SummaryRevision)
                    .where(SummaryRevision.roundtable_id == rt_id)
                    .order_by(SummaryRevision.number)
                )
            ):
                revision.finalised_at = ends + dt.timedelta(days=3 + 5 * n)
                revision.finalised_by = DEMO_EDITOR
        s.flush()
