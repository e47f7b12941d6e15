"""Locks and keep-together / keep-apart rules, saved with a roundtable's seating plan.

The grouping page saves them with the plan (:func:`save_rules`) and brings
them back when the roundtable is opened again (:func:`load_rules`), so a
re-optimisation next week keeps what staff decided this week. People are
person ids; a lock means "keep this invitee at the table they are saved at".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from roundtable_app.core.errors import ValidationError
from roundtable_app.storage.models import Invitation, SeatingRule

Pair = tuple[int, int]


@dataclass(frozen=True)
class SavedRules:
    """Who is locked where they sit, and the pairs to keep together or apart."""

    locked: frozenset[int] = frozenset()
    together: tuple[Pair, ...] = ()
    apart: tuple[Pair, ...] = ()


def _pairs(pairs: Iterable[Pair]) -> list[Pair]:
    """Each pair once, smaller id first, in the order given; a person with themselves dropped."""
    out: dict[Pair, None] = {}
    for a, b in pairs:
        if a != b:
            out[(min(a, b), max(a, b))] = None
    return list(out)


def save_rules(session: Session, roundtable_id: int, rules: SavedRules) -> None:
    """Replace the roundtable's saved locks and rules with ``rules``.

    Every person named must be invited to the roundtable; only seated
    invitees can be locked. Runs inside the caller's transaction.
    """
    invited = set(
        session.scalars(
            select(Invitation.person_id).where(Invitation.roundtable_id == roundtable_id)
        )
    )
    named = set(rules.locked) | {p for pair in (*rules.together, *rules.apart) for p in pair}
    strangers = named - invited
    if strangers:
        raise ValidationError(
            f"{len(strangers)} people in the seating rules are not invited to this roundtable; "
            "remove those rules and save again.",
            "rules",
        )
    session.execute(
        update(Invitation)
        .where(Invitation.roundtable_id == roundtable_id)
        .values(seat_locked=False)
    )
    if rules.locked:
        session.execute(
            update(Invitation)
            .where(
                Invitation.roundtable_id == roundtable_id,
                Invitation.person_id.in_(sorted(rules.locked)),
            )
            .values(seat_locked=True)
        )
    session.execute(delete(SeatingRule).where(SeatingRule.roundtable_id == roundtable_id))
    for kind, pairs in (("together", rules.together), ("apart", rules.apart)):
        for a, b in _pairs(pairs):
            session.add(
                SeatingRule(roundtable_id=roundtable_id, kind=kind, person_a_id=a, person_b_id=b)
            )
    session.flush()


def load_rules(session: Session, roundtable_id: int) -> SavedRules:
    """The roundtable's saved locks (seated invitees only) and rules, in the order saved."""
    locked = frozenset(
        pid
        for pid in session.scalars(
            select(Invitation.person_id).where(
                Invitation.roundtable_id == roundtable_id,
                Invitation.seat_locked.is_(True),
                Invitation.table_id.is_not(None),
            )
        )
        if pid is not None
    )
    rows = session.execute(
        select(SeatingRule.kind, SeatingRule.person_a_id, SeatingRule.person_b_id)
        .where(SeatingRule.roundtable_id == roundtable_id)
        .order_by(SeatingRule.id)
    ).all()
    return SavedRules(
        locked=locked,
        together=tuple((a, b) for kind, a, b in rows if kind == "together"),
        apart=tuple((a, b) for kind, a, b in rows if kind == "apart"),
    )
