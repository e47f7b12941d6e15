"""The demo's roundtables: series, past events with tables and notes, upcoming ones.

Steps of the demo generator (:mod:`.generator`), split off to keep each module
readable; it draws from the same seeded random source, in the same order.

Past roundtables have the attendance of real ones: turnout that differs by
sector (``words.SECTOR_TURNOUT``), a few people who say yes and rarely come,
no-shows and apologies, walk-ins seated at a table, check-in times around the
start (some late) in the room, and answers that came by calendar reply, e-mail
or phone. All of that is drawn from a stream of its own (``self.history``), so
that a seed still makes the same people, roundtables and seats as before.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from roundtable_app.core.model import (
    Attendance,
    Format,
    InviteeRole,
    Response,
    ResponseChannel,
)
from roundtable_app.core.model import RoundtableStatus as Status
from roundtable_app.services.demo import words
from roundtable_app.services.demo.talk import DiscussionMixin
from roundtable_app.services.demo.world import MEAN_INVITEES, table_of
from roundtable_app.storage.models import (
    DiscussionNote,
    DiscussionTable,
    Invitation,
    Roundtable,
    Series,
    note_sector,
    note_theme,
    roundtable_theme,
)

LONDON = ZoneInfo("Europe/London")
ROUNDTABLE_CHUNK = 250
CENTRE_EVENTS = "events@evidence-centre.example"


_ATTENDANCE: dict[Response, tuple[tuple[Attendance, ...], tuple[int, ...]]] = {
    Response.ACCEPTED: (
        (Attendance.ATTENDED, Attendance.NO_SHOW, Attendance.APOLOGIES),
        (88, 7, 5),
    ),
    Response.TENTATIVE: (
        (Attendance.ATTENDED, Attendance.APOLOGIES, Attendance.NO_SHOW),
        (5, 3, 2),
    ),
    Response.NEEDS_ACTION: ((Attendance.ATTENDED, Attendance.UNKNOWN), (2, 8)),
    Response.DECLINED: ((Attendance.UNKNOWN,), (1,)),
}


class RoundtableMixin(DiscussionMixin):
    """Roundtables for :class:`roundtable_app.services.demo.generator._Generator`."""

    def _series(self) -> None:
        rows = []
        existing = set(self.session.scalars(select(Series.name)))
        self.series_ids: dict[str, int] = {}
        for name, description in words.SERIES:
            label = name if name not in existing else f"{name} (demo)"
            self.series_ids[name] = self._new_id(table_of(Series))
            rows.append({"id": self.series_ids[name], "name": label, "description": description})
        self._write(table_of(Series), rows)

    def _series_for(self, theme: str) -> int | None:
        r = self.rng.random()
        if theme in words.SECTOR_THEME_BOOST["Business"] and r < 0.7:
            return self.series_ids["Supply chains programme"]
        if theme in words.SECTOR_THEME_BOOST["Law enforcement"] and r < 0.7:
            return self.series_ids["Policing and justice dialogues"]
        if r < 0.15:
            return self.series_ids["Lived experience engagement"]
        if r < 0.35:
            return self.series_ids["Research priorities consultation"]
        if r < 0.5:
            return self.series_ids["Regional roundtables"]
        return None

    def _roundtables(self) -> None:
        r = self.rng
        self.unreliable = bytearray(
            self.history.random() < words.UNRELIABLE_SHARE for _ in range(self.n_people)
        )
        days = 3 * 365
        past = sorted(r.randrange(7, days) for _ in range(self.n_past))
        upcoming = sorted(r.randrange(14, 140) for _ in range(self.n_upcoming))
        plan = [(self.anchor.date() - dt.timedelta(days=d), Status.HELD) for d in reversed(past)]
        for i, d in enumerate(upcoming):
            last = i == len(upcoming) - 1
            draft = last or (i == len(upcoming) - 2 and r.random() < 0.5)
            plan.append(
                (
                    self.anchor.date() + dt.timedelta(days=d),
                    Status.DRAFT if draft else Status.SCHEDULED,
                )
            )
        for i, (day, status) in enumerate(plan):
            self._roundtable(day, status)
            if (i + 1) % ROUNDTABLE_CHUNK == 0 or i == len(plan) - 1:
                self._flush()
                done = self.n_people + i + 1
                self.progress.update(done, self.total, f"Generated {i + 1:,} roundtables")

    def _flush(self) -> None:
        for table in (
            table_of(Roundtable),
            roundtable_theme,
            table_of(DiscussionTable),
            table_of(Invitation),
            table_of(DiscussionNote),
            note_theme,
            note_sector,
        ):
            self._write(table, self.pending.pop(table.name, []))

    def _invitees(self, themes: list[int], size: int) -> list[int]:
        """People mostly sharing the themes, contactable, no sector above ~35%."""
        r = self.rng
        chosen: list[int] = []
        seen: set[int] = set()
        per_sector = [0] * len(self.sector_names)
        cap = math.ceil(size * 0.35) + 1
        for _ in range(size * 6):
            if len(chosen) >= size:
                break
            members = self.theme_members[r.choice(themes)]
            if r.random() < 0.85 and members:
                pid = r.choice(members)
            else:
                pid = self.first_person + r.randrange(self.n_people)
            idx = pid - self.first_person
            s = self.person_sector[idx]
            if pid in seen or not self.person_contact[idx] or per_sector[s] >= cap:
                continue
            seen.add(pid)
            per_sector[s] += 1
            chosen.append(pid)
        return chosen

    def _roundtable(self, day: dt.date, status: Status) -> None:
        r = self.rng
        held = status == Status.HELD
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        hour, minute, hours = r.choice(
            ((9, 30, 3), (10, 0, 2), (13, 30, 3), (14, 0, 2), (10, 0, 6))
        )
        local = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)
        starts = local.astimezone(dt.UTC)
        ends = (local + dt.timedelta(hours=hours)).astimezone(dt.UTC)
        themes = [self._pick(self.theme_cum)]
        for _ in range(r.choice((0, 1, 1, 2))):
            t = self._pick(self.theme_cum)
            if t not in themes:
                themes.append(t)
        theme = words.THEMES[themes[0]]
        fmt = r.choices((Format.IN_PERSON, Format.ONLINE, Format.HYBRID), (50, 30, 20))[0]
        venue, address = r.choice(words.VENUES) if fmt != Format.ONLINE else ("", "")
        link = (
            f"https://meet.example.org/j/{r.randrange(10**9, 10**10)}"
            if fmt != Format.IN_PERSON
            else ""
        )
        size = 8 + int(32 * r.random() ** 1.6) if held else r.randint(12, 40)
        if held and self.invitees is not None:  # a history scaled for benchmarks
            size = max(2, min(self.n_people, round(size * self.invitees / MEAN_INVITEES)))
        invitees = self._invitees(themes, size)
        questions = r.sample(words.EVIDENCE_NEEDS, 2)
        if held:  # 2 to 4 questions, the extra ones from the discussion's own stream
            more = [q for q in self.talk.sample(words.EVIDENCE_NEEDS, 4) if q not in questions]
            questions += more[: self.talk.randint(0, 2)]
        created = (local - dt.timedelta(days=r.randint(30, 60))).astimezone(dt.UTC)
        if not held:
            created = min(created, self.anchor - dt.timedelta(days=r.randint(1, 10)))
        chair = next((p for p in invitees if not self.person_lived[p - self.first_person]), None)
        row = self._add(
            table_of(Roundtable),
            title=f"{theme}: {r.choice(words.TITLE_ANGLES)}",
            purpose=(
                f"Bring researchers, practitioners and policymakers together on "
                f"{theme.lower()} to agree shared challenges and the evidence most needed."
            ),
            evidence_questions="\n".join(q.format(t=theme.lower()) for q in questions),
            series_id=self._series_for(theme),
            format=fmt.value,
            venue=venue,
            venue_address=address,
            online_link=link,
            capacity=max(10, math.ceil(len(invitees) / 5) * 5),
            chair_id=chair,
            accessibility_contact=CENTRE_EVENTS,
            starts_at=starts,
            ends_at=ends,
            time_zone="Europe/London",
            status=status.value,
            ical_uid=f"{uuid.UUID(int=r.getrandbits(128), version=4)}@roundtable.invalid",
            ical_sequence=0,
            created_at=created,
            updated_at=ends + dt.timedelta(days=r.randint(1, 10)) if held else created,
            version=1,
        )
        rt_id = row["id"]
        for t in sorted(themes):
            self._add(roundtable_theme, roundtable_id=rt_id, theme_id=self.theme_ids[t])
        seated = self._invitations(rt_id, invitees, chair, status, created, starts, fmt)
        if held:
            self.held.append((rt_id, ends))
            table_ids = self._tables_and_notes(rt_id, seated, themes, ends, questions)
            if fmt != Format.ONLINE:
                self._walk_ins(rt_id, themes, set(invitees), table_ids, starts)

    def _reply(self, status: Status) -> tuple[Response, Attendance]:
        choices = self.rng.choices
        if status == Status.DRAFT:
            return Response.NEEDS_ACTION, Attendance.UNKNOWN
        if status == Status.SCHEDULED:
            return choices(list(Response), (45, 35, 10, 10))[0], Attendance.UNKNOWN
        response = choices(list(Response), (5, 75, 15, 5))[0]
        outcomes, weights = _ATTENDANCE[response]
        return response, choices(outcomes, weights)[0]

    def _came(self, idx: int, response: Response, attendance: Attendance) -> Attendance:
        """Whether someone who said they would come did: by sector, and by person."""
        if response not in (Response.ACCEPTED, Response.TENTATIVE):
            return attendance
        h = self.history
        turnout, no_show = words.SECTOR_TURNOUT[self.sector_names[self.person_sector[idx]]]
        if self.unreliable[idx]:
            turnout = words.UNRELIABLE_TURNOUT
        if response == Response.TENTATIVE:
            turnout *= 0.55
        if h.random() < turnout:
            return Attendance.ATTENDED
        return Attendance.NO_SHOW if h.random() < no_show else Attendance.APOLOGIES

    def _arrival(self, starts: dt.datetime) -> dt.datetime:
        """When someone checked in: mostly before the start, one in ten late."""
        h = self.history
        minutes = min(max(h.gauss(-12, 7), -40), 2)
        if h.random() < 0.1:
            minutes = h.uniform(3, 35)
        return starts + dt.timedelta(minutes=minutes, seconds=h.randrange(60))

    def _channel(self) -> str:
        return self.history.choices(
            (ResponseChannel.REPLY, ResponseChannel.EMAIL, ResponseChannel.PHONE), (84, 11, 5)
        )[0].value

    def _invitations(
        self,
        rt_id: int,
        invitees: list[int],
        chair: int | None,
        status: Status,
        created: dt.datetime,
        starts: dt.datetime,
        fmt: Format,
    ) -> list[dict[str, Any]]:
        """Add the invitation rows; return those to seat (held roundtables only)."""
        r = self.rng
        held = status == Status.HELD
        in_room = {Format.IN_PERSON: 1.0, Format.HYBRID: 0.7}.get(fmt, 0.0)
        observer_sectors = {self.sector_index["Funder"], self.sector_index["Parliament"]}
        speakers = set(r.sample(invitees, min(len(invitees), r.randint(0, 2))))
        sent = status != Status.DRAFT
        seated = []
        for pid in invitees:
            idx = pid - self.first_person
            s = self.person_sector[idx]
            response, attendance = self._reply(status)
            role = InviteeRole.PARTICIPANT
            if pid == chair:
                role = InviteeRole.CHAIR
                response = Response.ACCEPTED
                attendance = Attendance.ATTENDED if status == Status.HELD else Attendance.UNKNOWN
            elif pid in speakers:
                role = InviteeRole.SPEAKER
            elif s in observer_sectors and r.random() < 0.4:
                role = InviteeRole.OBSERVER
            replied = sent and response != Response.NEEDS_ACTION
            expected = response in (Response.ACCEPTED, Response.TENTATIVE)
            if held and pid != chair:
                attendance = self._came(idx, response, attendance)
            checked_in = None
            if attendance == Attendance.ATTENDED and self.history.random() < in_room:
                checked_in = self._arrival(starts)
            row = self._add(
                table_of(Invitation),
                roundtable_id=rt_id,
                person_id=pid,
                role=role.value,
                response=response.value,
                response_channel=self._channel() if replied else None,
                attendance=attendance.value,
                walk_in=False,
                checked_in_at=checked_in,
                table_id=None,
                sector_id=self.sector_ids[s],
                lived_experience=bool(self.person_lived[idx]),
                sent_sequence=0 if sent else None,
                sent_at=created if sent else None,
                reply_stamp=created + dt.timedelta(hours=r.randint(2, 400)) if replied else None,
                reply_sequence=0 if replied else None,
                created_at=created,
            )
            if expected or attendance == Attendance.ATTENDED:
                seated.append(row)
        return seated

    def _walk_ins(
        self,
        rt_id: int,
        themes: list[int],
        invited: set[int],
        table_ids: list[int],
        starts: dt.datetime,
    ) -> None:
        """A few people who came without an invitation, seated where there was room."""
        h = self.history
        count = h.choices(*words.WALK_INS)[0]
        for _ in range(count * 4):
            if count == 0:
                break
            members = self.theme_members[h.choice(themes)]
            pid = h.choice(members) if members else self.first_person + h.randrange(self.n_people)
            if pid in invited:
                continue
            invited.add(pid)
            count -= 1
            idx = pid - self.first_person
            self._add(
                table_of(Invitation),
                roundtable_id=rt_id,
                person_id=pid,
                role=InviteeRole.PARTICIPANT.value,
                response=Response.ACCEPTED.value,
                response_channel=ResponseChannel.IN_PERSON.value,
                attendance=Attendance.ATTENDED.value,
                walk_in=True,
                checked_in_at=starts + dt.timedelta(minutes=h.uniform(-10, 30)),
                table_id=h.choice(table_ids),
                sector_id=self.sector_ids[self.person_sector[idx]],
                lived_experience=bool(self.person_lived[idx]),
                sent_sequence=None,
                sent_at=None,
                reply_stamp=None,
                reply_sequence=None,
                created_at=starts,
            )
