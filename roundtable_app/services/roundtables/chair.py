"""The chair and the Chair role, kept in step.

A roundtable's chair (``chair_id``) is the invitee whose role is Chair, and only
they are: choosing a chair in the editor gives them the Chair role (and, when
the caller asks, invites them, for a chair who gets no invitation cannot come),
while giving someone the Chair role in the invitee list makes them the chair.
The editor, the invitee list, the Send invitations dialog and the command line
all go through these functions; each returns what undo needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from roundtable_app.core.errors import NotFoundError, ValidationError
from roundtable_app.core.model import InviteeRole, RoundtableStatus
from roundtable_app.core.privacy import invitation_address
from roundtable_app.core.validation import is_valid_email
from roundtable_app.services.roundtables.counts import on_the_list
from roundtable_app.services.roundtables.invitees import add_invitees, withdraw_invitees
from roundtable_app.services.roundtables.records import (
    RoundtableData,
    RoundtableEdit,
    RoundtableInfo,
    create_roundtable,
    get_roundtable,
    load_model,
    update_roundtable,
)
from roundtable_app.storage.models import Invitation, Person

_OPEN = (RoundtableStatus.DRAFT.value, RoundtableStatus.SCHEDULED.value)


@dataclass(frozen=True, slots=True)
class ChairSync:
    """What :func:`sync_chair` changed. Undo: :func:`undo_chair_sync`."""

    roundtable_id: int
    #: Invitations whose role changed, with the role they had.
    roles: dict[int, InviteeRole]
    #: Invitations added (or brought back) so that the chair is invited.
    added: tuple[int, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.roles or self.added)


def sync_chair(session: Session, roundtable_id: int, *, invite: bool = False) -> ChairSync:
    """Make the invitee list agree with the roundtable's chair.

    The chair's invitation gets the role Chair; anyone else with that role becomes
    a participant. With ``invite``, a chair not on the list is invited as Chair
    (unless they do not consent to be contacted, or the roundtable is held or
    cancelled).
    """
    rt = load_model(session, roundtable_id)
    roles: dict[int, InviteeRole] = {}
    chair_invitation = None
    for inv in _on_list(session, roundtable_id):
        if inv.person_id == rt.chair_id and rt.chair_id is not None:
            chair_invitation = inv
            if inv.role != InviteeRole.CHAIR.value:
                roles[inv.id] = InviteeRole(inv.role)
                inv.role = InviteeRole.CHAIR.value
        elif inv.role == InviteeRole.CHAIR.value:
            roles[inv.id] = InviteeRole.CHAIR
            inv.role = InviteeRole.PARTICIPANT.value
    added: tuple[int, ...] = ()
    if invite and rt.chair_id is not None and chair_invitation is None and rt.status in _OPEN:
        added = add_invitees(session, roundtable_id, [rt.chair_id], InviteeRole.CHAIR).undo_ids
    session.flush()
    return ChairSync(roundtable_id, roles, added)


def undo_chair_sync(session: Session, sync: ChairSync) -> None:
    """Put the invitee list back as it was before :func:`sync_chair`."""
    if sync.added:
        withdraw_invitees(session, list(sync.added))
    for inv_id, role in sync.roles.items():
        inv = session.get(Invitation, inv_id)
        if inv is None:
            raise NotFoundError(f"Invitation {inv_id} no longer exists; refresh the list.")
        inv.role = role.value
    session.flush()


def _on_list(session: Session, roundtable_id: int) -> list[Invitation]:
    return list(
        session.scalars(
            select(Invitation).where(Invitation.roundtable_id == roundtable_id, on_the_list())
        )
    )


# --- the editor: saving with the chair in step ----------------------------------------


@dataclass(frozen=True, slots=True)
class ChairedEdit:
    """A create or update and what it did to the invitee list (undo: ``sync`` first)."""

    info: RoundtableInfo
    sync: ChairSync
    #: The update itself (None for a create).
    edit: RoundtableEdit | None = None


def create_with_chair(
    session: Session, data: RoundtableData, *, invite_chair: bool = True
) -> ChairedEdit:
    """Create a roundtable; its chair (if any) is invited as Chair when ``invite_chair``.

    Undo: ``delete_roundtable`` (which takes the invitations with it).
    """
    info = create_roundtable(session, data)
    return ChairedEdit(info, sync_chair(session, info.id, invite=invite_chair))


def update_with_chair(
    session: Session,
    roundtable_id: int,
    data: RoundtableData,
    expected_version: int,
    *,
    invite_chair: bool = False,
) -> ChairedEdit:
    """:func:`update_roundtable`; a new chair gets the Chair role (the old one loses it).

    With ``invite_chair``, a chair not on the invitee list is added as Chair.
    Undo: ``undo_chair_sync(result.sync)``, then ``update_roundtable`` with
    ``result.edit.before.data``.
    """
    edit = update_roundtable(session, roundtable_id, data, expected_version)
    if invite_chair or edit.before.data.chair_id != edit.after.data.chair_id:
        sync = sync_chair(session, roundtable_id, invite=invite_chair)
    else:
        sync = ChairSync(roundtable_id, {})
    return ChairedEdit(edit.after, sync, edit)


# --- the invitee list: roles, with the chair in step ----------------------------------


@dataclass(frozen=True, slots=True)
class RoleChange:
    """What :func:`change_roles` did. Undo: :func:`undo_roles`."""

    roundtable_id: int
    #: Every invitation whose role changed, with the role it had.
    roles: dict[int, InviteeRole]
    chair_before: int | None
    chair_after: int | None


def change_roles(
    session: Session, roundtable_id: int, invitation_ids: Sequence[int], role: InviteeRole
) -> RoleChange:
    """Give invitees ``role``; the Chair role makes that person the roundtable's chair.

    A roundtable has one chair: the Chair role goes to one invitee at a time, and
    whoever had it becomes a participant. Taking the Chair role away from the chair
    leaves the roundtable without one.
    """
    rt = load_model(session, roundtable_id)
    chosen: list[Invitation] = []
    for inv_id in invitation_ids:
        inv = session.get(Invitation, inv_id)
        if inv is None or inv.roundtable_id != roundtable_id:
            raise NotFoundError(f"Invitation {inv_id} no longer exists; refresh the list.")
        chosen.append(inv)
    roles: dict[int, InviteeRole] = {}
    chair_before = rt.chair_id
    chair_after = chair_before
    if role == InviteeRole.CHAIR:
        if len(chosen) != 1:
            raise ValidationError(
                "A roundtable has one chair: give the Chair role to one person.", "role"
            )
        [new] = chosen
        if new.person_id is None or new.withdrawn_at is not None:
            raise ValidationError(
                "Only someone on the invitee list can chair the roundtable.", "role"
            )
        for inv in _on_list(session, roundtable_id):
            if inv.id != new.id and inv.role == InviteeRole.CHAIR.value:
                roles[inv.id] = InviteeRole.CHAIR
                inv.role = InviteeRole.PARTICIPANT.value
        chair_after = new.person_id
    for inv in chosen:
        if inv.role != role.value:
            roles[inv.id] = InviteeRole(inv.role)
            if inv.role == InviteeRole.CHAIR.value and inv.person_id == chair_before:
                chair_after = None
            inv.role = role.value
    if chair_after != chair_before:
        rt.chair_id = chair_after
    session.flush()
    return RoleChange(roundtable_id, roles, chair_before, chair_after)


def undo_roles(session: Session, change: RoleChange) -> None:
    """Give every invitation its role back, and the roundtable its chair."""
    rt = load_model(session, change.roundtable_id)
    for inv_id, role in change.roles.items():
        inv = session.get(Invitation, inv_id)
        if inv is None:
            raise NotFoundError(f"Invitation {inv_id} no longer exists; refresh the list.")
        inv.role = role.value
    if rt.chair_id != change.chair_before:
        rt.chair_id = change.chair_before
    session.flush()


# --- sending: will the chair get an invitation? ----------------------------------------


@dataclass(frozen=True, slots=True)
class ChairCheck:
    """Why the chair would get no invitation, and whether :func:`invite_chair` can fix it."""

    person_id: int
    name: str
    text: str
    can_invite: bool


def chair_check(session: Session, roundtable_id: int) -> ChairCheck | None:
    """None when the chair will be invited (or there is no chair); else what is wrong."""
    rt = load_model(session, roundtable_id)
    if rt.chair_id is None:
        return None
    person = session.get(Person, rt.chair_id)
    if person is None:
        return None
    invitation = next(
        (inv for inv in _on_list(session, roundtable_id) if inv.person_id == person.id), None
    )
    name = person.full_name
    if invitation is not None:
        if invitation.role != InviteeRole.CHAIR.value:
            return ChairCheck(
                person.id,
                name,
                f"The chair, {name}, is invited as {invitation.role.replace('_', '-')}, "
                "not as Chair.",
                True,
            )
        address = invitation_address(person.email, person.contact_via_email)
        if not address or not is_valid_email(address):
            return ChairCheck(
                person.id,
                name,
                f"The chair, {name}, has no usable e-mail address and will get no "
                "invitation; add one in the directory.",
                False,
            )
        return None
    if not person.may_contact:
        return ChairCheck(
            person.id,
            name,
            f"The chair, {name}, is not on the invitee list and has not agreed to be "
            "contacted; choose another chair in Edit details….",
            False,
        )
    return ChairCheck(
        person.id,
        name,
        f"The chair, {name}, is not on the invitee list, so gets no invitation.",
        rt.status in _OPEN,
    )


def invite_chair(session: Session, roundtable_id: int) -> ChairSync:
    """Put the chair on the invitee list with the role Chair. Undo: :func:`undo_chair_sync`."""
    get_roundtable(session, roundtable_id)  # NotFoundError first
    return sync_chair(session, roundtable_id, invite=True)
