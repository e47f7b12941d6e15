"""What a summary says, with the privacy rules applied: every output prints this.

The PDF and the .docx are two layouts of one :class:`SummaryContent`, so the
rules are decided here, once:
- nothing in the discussion sections names an invitee (names are replaced,
  acknowledged or not; an organisation is named only where staff acknowledged
  it, as a public source);
- a note is attributed to sectors only where at least ``threshold`` people of
  that sector took part (at the table, or in the room), never to a person and
  never to lived experience;
- counts by sector fold sectors below ``threshold`` into "Other sectors", and
  lived-experience participation below it reads "fewer than 3";
- the participant list appears only when asked for, with only those who
  consented to be named (name and organisation), never lived experience.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roundtable_app.core.discussion import (
    Attribution,
    NoteKind,
    SummaryState,
    attribute,
    evidence_questions,
    redact,
)
from roundtable_app.core.discussion.attribution import DEFAULT_THRESHOLD
from roundtable_app.core.errors import NotFoundError
from roundtable_app.core.model import Attendance, Format, Priority, Response
from roundtable_app.core.names import surname_key
from roundtable_app.core.privacy import fewer_than, reveals_lived_experience
from roundtable_app.services.discussion.flags import roundtable_guard
from roundtable_app.services.discussion.notes import Note, list_notes, note_tables, summary_state
from roundtable_app.storage.models import (
    Invitation,
    Person,
    Roundtable,
)

CHATHAM_HOUSE = (
    "This roundtable was held under the Chatham House Rule: participants are free to use "
    "the information received, but neither the identity nor the affiliation of the speaker, "
    "nor that of any other participant, may be revealed. Nothing in this summary is "
    "attributed to a person."
)
OTHER_SECTORS = "Other sectors"
_PRIORITY_ORDER = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2, None: 3}


@dataclass(frozen=True, slots=True)
class Item:
    """One note as printed: its text (names removed) and who raised it, as may be said."""

    text: str
    attribution: str = ""
    details: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ThemeBlock:
    theme: str
    needs: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class QuestionBlock:
    number: int
    question: str
    needs: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class SectorCount:
    sector: str
    count: int | str  # "fewer than 3" for a folded group that is still small


@dataclass(frozen=True, slots=True)
class SummaryContent:
    title: str
    date_text: str
    format_text: str
    venue: str
    series: str
    themes: tuple[str, ...]
    purpose: str
    questions: tuple[QuestionBlock, ...]
    took_part: int | str
    sectors: tuple[SectorCount, ...]
    lived_experience: int | str
    new_connections: int
    participants: tuple[tuple[str, str], ...] | None
    challenges: tuple[Item, ...]
    needs_by_theme: tuple[ThemeBlock, ...]
    actions: tuple[Item, ...]
    points: tuple[Item, ...]
    state: SummaryState
    revision: int
    threshold: int

    @property
    def draft(self) -> bool:
        return self.state == SummaryState.DRAFT

    @property
    def empty(self) -> bool:
        return not (self.challenges or self.needs_by_theme or self.actions or self.points)


def _when(roundtable: Roundtable) -> str:
    if roundtable.starts_at is None:
        return "Date to be set"
    zone = ZoneInfo(roundtable.time_zone or "Europe/London")
    start = roundtable.starts_at.astimezone(zone)
    text = f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M}"
    if roundtable.ends_at is not None:
        text += f"–{roundtable.ends_at.astimezone(zone):%H:%M}"
    return f"{text} ({zone.key.replace('_', ' ')} time)"


def _took_part(rows: list[Invitation]) -> list[Invitation]:
    attended = [i for i in rows if i.attendance == Attendance.ATTENDED.value]
    if attended:
        return attended
    return [i for i in rows if i.response in (Response.ACCEPTED.value, Response.TENTATIVE.value)]


def new_connections(session: Session, roundtable: Roundtable, took_part: list[Invitation]) -> int:
    """Pairs who sat at the same table here, both attending, and never had before."""
    tables: dict[int, list[int]] = defaultdict(list)
    for inv in took_part:
        if inv.table_id is not None and inv.person_id is not None:
            tables[inv.table_id].append(inv.person_id)
    pairs = {tuple(sorted(p)) for members in tables.values() for p in combinations(members, 2)}
    if not pairs or roundtable.starts_at is None:
        return len(pairs)
    people = {p for pair in pairs for p in pair}
    earlier: dict[tuple[int, int | None], list[int | None]] = defaultdict(list)
    for rt_id, table_id, person_id in session.execute(
        select(Invitation.roundtable_id, Invitation.table_id, Invitation.person_id)
        .join(Roundtable, Roundtable.id == Invitation.roundtable_id)
        .where(
            Invitation.person_id.in_(people),
            Invitation.attendance == Attendance.ATTENDED.value,
            Invitation.table_id.is_not(None),
            Roundtable.starts_at < roundtable.starts_at,
        )
    ):
        earlier[(rt_id, table_id)].append(person_id)
    met = {
        tuple(sorted(p))  # type: ignore[type-var]
        for members in earlier.values()
        for p in combinations(members, 2)
    }
    return len(pairs - met)


def _sector_counts(counts: Counter[str], threshold: int) -> tuple[SectorCount, ...]:
    shown = [
        SectorCount(sector, n)
        for sector, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= threshold and not reveals_lived_experience(sector)
    ]
    folded = sum(n for s, n in counts.items() if n < threshold or reveals_lived_experience(s))
    if folded:
        shown.append(SectorCount(OTHER_SECTORS, fewer_than(folded, threshold)))
    return tuple(shown)


def build_summary(
    session: Session,
    roundtable_id: int,
    *,
    with_participants: bool = False,
    threshold: int = DEFAULT_THRESHOLD,
    notes: list[Note] | None = None,
    final_revision: int | None = None,
) -> SummaryContent:
    """Everything a summary prints, with the privacy rules of the module applied.

    ``notes`` (the roundtable's notes as they are now when None) and
    ``final_revision`` (the summary's state as it is now when None) make the
    summary of a final revision: the notes it kept, marked final.
    """
    roundtable = session.get(
        Roundtable,
        roundtable_id,
        options=[selectinload(Roundtable.themes), selectinload(Roundtable.series)],
    )
    if roundtable is None:
        raise NotFoundError(f"Roundtable {roundtable_id} no longer exists.")
    invitations = list(
        session.scalars(
            select(Invitation)
            .where(Invitation.roundtable_id == roundtable_id)
            .options(
                selectinload(Invitation.sector),
                selectinload(Invitation.person).selectinload(Person.organisation),
            )
        )
    )
    took_part = _took_part(invitations)
    sector_of = {i.id: (i.sector.name if i.sector else "No sector") for i in took_part}
    room = Counter(sector_of.values())
    at_table: dict[int, Counter[str]] = defaultdict(Counter)
    for inv in took_part:
        if inv.table_id is not None:
            at_table[inv.table_id][sector_of[inv.id]] += 1
    labels = {t.id: t.label for t in note_tables(session, roundtable_id)}
    guard = roundtable_guard(session, roundtable_id, threshold)
    if notes is None:
        notes = list_notes(session, roundtable_id)
    notes = [n for n in notes if n.text.strip()]

    def item(note: Note, *details: str) -> Item:
        if note.table_id is not None and note.table_id in labels:
            credit: Attribution = attribute(
                note.sectors,
                at_table[note.table_id],
                place=labels[note.table_id],
                threshold=threshold,
            )
        else:
            credit = attribute(note.sectors, room, threshold=threshold)
        return Item(
            redact(guard, note.text, note.acknowledged),
            credit.text,
            tuple(d for d in details if d),
        )

    questions = evidence_questions(roundtable.evidence_questions or "")
    needs = sorted(
        (n for n in notes if n.kind == NoteKind.NEED),
        key=lambda n: (_PRIORITY_ORDER[n.priority], n.position),
    )

    def need_item(note: Note) -> Item:
        return item(
            note,
            f"{note.priority.value.capitalize()} priority" if note.priority else "",
            note.evidence_kind.label if note.evidence_kind else "",
        )

    by_theme: dict[str, list[Item]] = defaultdict(list)
    for note in needs:
        for theme in note.themes or ("Other evidence needs",):
            by_theme[theme].append(need_item(note))
    themes_order = sorted(by_theme, key=lambda t: (t == "Other evidence needs", t.casefold()))
    consented = (
        tuple(
            sorted(
                (
                    (
                        inv.person.shown_name,
                        inv.person.organisation.name if inv.person.organisation else "",
                    )
                    for inv in took_part
                    if inv.person is not None and inv.person.may_be_named
                ),
                key=lambda pair: surname_key(pair[0]),
            )
        )
        if with_participants
        else None
    )
    lived = sum(1 for inv in took_part if inv.lived_experience)
    if final_revision is None:
        state, revision = summary_state(session, roundtable_id)
    else:
        state, revision = SummaryState.FINAL, final_revision
    return SummaryContent(
        title=roundtable.title,
        date_text=_when(roundtable),
        format_text=Format(roundtable.format).label,
        venue=roundtable.venue or "",
        series=roundtable.series.name if roundtable.series else "",
        themes=tuple(t.name for t in roundtable.themes),
        purpose=roundtable.purpose or "",
        questions=tuple(
            QuestionBlock(
                i,
                question,
                tuple(need_item(n) for n in needs if n.question_no == i),
            )
            for i, question in enumerate(questions, start=1)
        ),
        took_part=len(took_part),
        sectors=_sector_counts(room, threshold),
        lived_experience=fewer_than(lived, threshold),
        new_connections=new_connections(session, roundtable, took_part),
        participants=consented,
        challenges=tuple(item(n) for n in notes if n.kind == NoteKind.CHALLENGE),
        needs_by_theme=tuple(ThemeBlock(t, tuple(by_theme[t])) for t in themes_order),
        actions=tuple(
            item(
                n,
                f"Owner: {redact(guard, n.owner)}" if n.owner else "",
                f"Due {n.due_on.day} {n.due_on:%B %Y}" if n.due_on else "",
                n.action_status.label if n.action_status else "",
            )
            for n in notes
            if n.kind == NoteKind.ACTION
        ),
        points=tuple(item(n) for n in notes if n.kind == NoteKind.POINT),
        state=state,
        revision=revision,
        threshold=threshold,
    )
