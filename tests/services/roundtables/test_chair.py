"""The chair and the Chair role kept in step: the editor, the invitee list, sending."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.model import InviteeRole, RoundtableStatus
from roundtable_app.services import roundtables
from roundtable_app.services.roundtables import RoundtableData

START = dt.datetime(2027, 3, 3, 10, tzinfo=dt.UTC)


def data(**changes: object) -> RoundtableData:
    values: dict[str, object] = dict(
        title="Forced labour roundtable", starts_at=START, ends_at=START + dt.timedelta(hours=2)
    )
    values.update(changes)
    return RoundtableData(**values)  # type: ignore[arg-type]


def roles(db, rt_id: int) -> dict[int | None, InviteeRole]:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return {r.person_id: r.role for r in roundtables.invitee_rows(s, rt_id) if not r.withdrawn}


def chair_of(db, rt_id: int) -> int | None:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return roundtables.get_roundtable(s, rt_id).data.chair_id


def test_a_new_roundtable_invites_its_chair_as_chair(db, make_person):
    chair = make_person(db)
    with db.transaction() as s:
        made = roundtables.create_with_chair(s, data(chair_id=chair))
    assert roles(db, made.info.id) == {chair: InviteeRole.CHAIR}
    with db.transaction() as s:
        quiet = roundtables.create_with_chair(s, data(chair_id=chair), invite_chair=False)
    assert roles(db, quiet.info.id) == {}


def test_changing_the_chair_in_the_editor_moves_the_chair_role_and_undoes(db, make_person):
    old, new, other = make_person(db), make_person(db), make_person(db)
    with db.transaction() as s:
        info = roundtables.create_with_chair(s, data(chair_id=old)).info
        roundtables.add_invitees(s, info.id, [new, other])
        info = roundtables.get_roundtable(s, info.id)
    with db.transaction() as s:
        saved = roundtables.update_with_chair(s, info.id, data(chair_id=new), info.version)
    assert roles(db, info.id) == {
        old: InviteeRole.PARTICIPANT,
        new: InviteeRole.CHAIR,
        other: InviteeRole.PARTICIPANT,
    }
    assert saved.edit is not None and not saved.sync.added
    with db.transaction() as s:  # undo, as the editor's command does it
        roundtables.undo_chair_sync(s, saved.sync)
        roundtables.update_roundtable(s, info.id, saved.edit.before.data, saved.info.version)
    assert roles(db, info.id)[old] == InviteeRole.CHAIR
    assert roles(db, info.id)[new] == InviteeRole.PARTICIPANT
    assert chair_of(db, info.id) == old


def test_a_chair_not_invited_is_added_only_when_asked(db, make_person):
    first, second = make_person(db), make_person(db)
    with db.transaction() as s:
        info = roundtables.create_with_chair(s, data(chair_id=first)).info
    with db.transaction() as s:
        saved = roundtables.update_with_chair(s, info.id, data(chair_id=second), info.version)
    assert roles(db, info.id) == {first: InviteeRole.PARTICIPANT}  # not invited: not asked
    with db.reading() as s:
        check = roundtables.chair_check(s, info.id)
    assert check is not None and check.person_id == second and check.can_invite
    assert "is not on the invitee list, so gets no invitation" in check.text
    with db.transaction() as s:
        sync = roundtables.invite_chair(s, info.id)
    assert roles(db, info.id) == {first: InviteeRole.PARTICIPANT, second: InviteeRole.CHAIR}
    with db.reading() as s:
        assert roundtables.chair_check(s, info.id) is None
    with db.transaction() as s:
        roundtables.undo_chair_sync(s, sync)
    assert roles(db, info.id) == {first: InviteeRole.PARTICIPANT}
    assert saved.info.data.chair_id == second


def test_the_chair_role_in_the_list_makes_the_chair(db, make_person):
    a, b, c = make_person(db), make_person(db), make_person(db)
    with db.transaction() as s:
        info = roundtables.create_with_chair(s, data(chair_id=a)).info
        added = roundtables.add_invitees(s, info.id, [b, c]).added
    with db.transaction() as s:
        change = roundtables.change_roles(s, info.id, [added[0]], InviteeRole.CHAIR)
    assert chair_of(db, info.id) == b
    assert roles(db, info.id) == {
        a: InviteeRole.PARTICIPANT,
        b: InviteeRole.CHAIR,
        c: InviteeRole.PARTICIPANT,
    }
    with db.transaction() as s:
        roundtables.undo_roles(s, change)
    assert chair_of(db, info.id) == a and roles(db, info.id)[a] == InviteeRole.CHAIR
    with db.transaction() as s:  # the chair becomes a speaker: no chair any more
        chair_invitation = next(
            r.invitation_id for r in roundtables.invitee_rows(s, info.id) if r.person_id == a
        )
        roundtables.change_roles(s, info.id, [chair_invitation], InviteeRole.SPEAKER)
    assert chair_of(db, info.id) is None
    with db.transaction() as s, pytest.raises(ValidationError, match="one chair"):
        roundtables.change_roles(s, info.id, list(added), InviteeRole.CHAIR)


def test_chair_check_names_what_is_wrong(db, make_person):
    quiet = make_person(db, may_contact=False)
    with db.transaction() as s:
        info = roundtables.create_with_chair(s, data(chair_id=quiet)).info
    with db.reading() as s:
        check = roundtables.chair_check(s, info.id)
    assert check is not None and not check.can_invite
    assert "has not agreed to be contacted; choose another chair" in check.text
    with db.transaction() as s:
        plain = roundtables.create_with_chair(s, data()).info
        roundtables.set_status(s, plain.id, RoundtableStatus.SCHEDULED, plain.version)
    with db.reading() as s:
        assert roundtables.chair_check(s, plain.id) is None  # no chair, nothing to say
