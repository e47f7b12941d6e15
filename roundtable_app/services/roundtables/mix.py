"""Who to invite: ranked suggestions, and the mix of the list as it grows.

Suggestions score each contactable person not yet invited by the roundtable's
themes they share, each theme weighted by its rarity in the directory
(``log(N / people with the theme)``, at least a small floor): sharing a niche
theme says more than sharing one everybody lists. Ties go to people from
sectors the list has fewest of, which nudges the mix towards balance.

The mix (sector counts, lived experience represented, a sector above 40 %,
pairs who have never sat at a table together) counts invitees who are not
withdrawn and have not declined.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roundtable_app.core.model import Response
from roundtable_app.services import grouping
from roundtable_app.services.roundtables.counts import InviteCounts, invite_counts, on_the_list
from roundtable_app.services.roundtables.records import load_model
from roundtable_app.storage.models import (
    Invitation,
    Organisation,
    Person,
    Sector,
    Theme,
    person_theme,
)

DOMINANT_SHARE = 0.40


@dataclass(frozen=True, slots=True)
class Suggestion:
    person_id: int
    name: str
    organisation: str
    sector: str
    lived_experience: bool
    score: float
    #: The roundtable's themes this person shares, rarest first (the "why").
    matched: tuple[str, ...]


def suggest_invitees(session: Session, roundtable_id: int, limit: int = 50) -> list[Suggestion]:
    """People to invite, best first (see the module docstring for the ranking)."""
    rt = load_model(session, roundtable_id)
    theme_ids = [t.id for t in rt.themes]
    if not theme_ids:
        return []
    total = session.scalar(select(func.count()).select_from(Person)) or 1
    counts: dict[int, int] = dict(
        session.execute(
            select(person_theme.c.theme_id, func.count())
            .where(person_theme.c.theme_id.in_(theme_ids))
            .group_by(person_theme.c.theme_id)
        ).all()
    )
    weight = {tid: max(math.log(total / max(counts.get(tid, 0), 1)), 0.1) for tid in theme_ids}
    names = {t.id: t.name for t in rt.themes}
    invited = select(Invitation.person_id).where(
        Invitation.roundtable_id == roundtable_id,
        on_the_list(),
        Invitation.person_id.is_not(None),
    )
    matches: dict[int, list[int]] = {}
    for pid, tid in session.execute(
        select(person_theme.c.person_id, person_theme.c.theme_id)
        .join(Person, Person.id == person_theme.c.person_id)
        .where(
            person_theme.c.theme_id.in_(theme_ids),
            Person.may_contact.is_(True),
            person_theme.c.person_id.not_in(invited),
        )
    ):
        matches.setdefault(pid, []).append(tid)
    mix = invitee_mix(session, roundtable_id, with_pairs=False).sectors
    scored = sorted(
        matches.items(),
        key=lambda item: -sum(weight[t] for t in item[1]),
    )[: max(limit * 4, limit)]
    details = {
        pid: (name, org or "", sector or "", bool(lived))
        for pid, name, org, sector, lived in session.execute(
            select(
                Person.id,
                Person.full_name,
                Organisation.name,
                Sector.name,
                Person.lived_experience,
            )
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .outerjoin(Sector, Sector.id == Person.sector_id)
            .where(Person.id.in_([pid for pid, _ in scored]))
        )
    }
    result = [
        Suggestion(
            person_id=pid,
            name=details[pid][0],
            organisation=details[pid][1],
            sector=details[pid][2],
            lived_experience=details[pid][3],
            score=round(sum(weight[t] for t in tids), 3),
            matched=tuple(names[t] for t in sorted(tids, key=lambda t: -weight[t])),
        )
        for pid, tids in scored
        if pid in details
    ]
    result.sort(key=lambda s: (-s.score, mix.get(s.sector, 0), s.name.lower(), s.person_id))
    return result[:limit]


def people_interested_in(session: Session, theme_name: str) -> list[int]:
    """Contactable people with an interest (for "add everyone interested in …")."""
    return list(
        session.scalars(
            select(Person.id)
            .join(person_theme, person_theme.c.person_id == Person.id)
            .join(Theme, Theme.id == person_theme.c.theme_id)
            .where(func.lower(Theme.name) == theme_name.strip().lower(), Person.may_contact)
            .order_by(Person.id)
        )
    )


@dataclass(frozen=True, slots=True)
class Mix:
    """The invitee list's balance, shown as it grows.

    ``invited``, ``accepted`` and ``declined`` are :func:`.counts.invite_counts`;
    the balance itself (sectors, lived experience, pairs, capacity) is of the
    ``expected``: the invited who have not declined.
    """

    invited: int
    accepted: int
    declined: int
    expected: int
    sectors: dict[str, int]
    lived_experience: int
    #: The sector above 40 % of the list, if one is.
    dominant_sector: str | None
    dominant_share: float
    pairs: int
    #: Pairs who have never sat at a table together before.
    new_pairs: int
    capacity: int | None

    @property
    def over_capacity(self) -> int:
        return max(0, self.expected - self.capacity) if self.capacity else 0

    @property
    def warnings(self) -> list[str]:
        out = []
        if self.expected and not self.lived_experience:
            out.append("No one with lived experience is invited yet.")
        if self.dominant_sector:
            out.append(
                f"{self.dominant_sector} is {self.dominant_share:.0%} of the invitees "
                f"(more than {DOMINANT_SHARE:.0%})."
            )
        if self.over_capacity:
            out.append(f"{self.over_capacity} over the capacity of {self.capacity}.")
        return out


def invitee_mix(session: Session, roundtable_id: int, *, with_pairs: bool = True) -> Mix:
    """The mix of the current list (``with_pairs`` False skips the past-tables query)."""
    rt = load_model(session, roundtable_id)
    rows = session.execute(
        select(Invitation.person_id, Sector.name, Invitation.lived_experience)
        .outerjoin(Sector, Sector.id == Invitation.sector_id)
        .where(
            Invitation.roundtable_id == roundtable_id,
            on_the_list(),
            Invitation.response != Response.DECLINED.value,
        )
    ).all()
    sectors = Counter(name or "No sector" for _, name, _ in rows)
    n = len(rows)
    top, top_count = sectors.most_common(1)[0] if sectors else (None, 0)
    share = top_count / n if n else 0.0
    pairs = n * (n - 1) // 2
    new_pairs = pairs
    people = [pid for pid, _, _ in rows if pid is not None]
    if with_pairs and len(people) > 1:
        pool = grouping.pool_from_people(session, people)
        new_pairs = pairs - len(pool.past_pairs)
    counts = invite_counts(session, [roundtable_id]).get(roundtable_id, InviteCounts())
    return Mix(
        invited=counts.invited,
        accepted=counts.accepted,
        declined=counts.declined,
        expected=n,
        sectors=dict(sectors.most_common()),
        lived_experience=sum(1 for _, _, lived in rows if lived),
        dominant_sector=top if share > DOMINANT_SHARE and n >= 3 else None,
        dominant_share=share,
        pairs=pairs,
        new_pairs=new_pairs,
        capacity=rt.capacity,
    )
