"""Undoable attendance edits: ``QUndoCommand``s over the attendance services.

As everywhere in the app, ``execute`` does the edit in one transaction and
raises if it cannot (a colleague changed the same person: ConflictError), the
command pushed on ``ctx.undo_stack`` does nothing on its first ``redo``, and
undo and redo each run one transaction with what the service returned. Each
command knows the people it touched (:attr:`invitation_ids`), so that the
attendance window can show them again after an undo.
"""

from __future__ import annotations

from collections.abc import Sequence

from roundtable_app.core.errors import ConflictError, ValidationError
from roundtable_app.core.model import Attendance, Changes, PersonData, Response, ResponseChannel
from roundtable_app.services import attendance
from roundtable_app.ui.common import ServiceCommand
from roundtable_app.ui.context import AppContext

ATTENDANCE_VERBS = {
    Attendance.ATTENDED: "attended",
    Attendance.NO_SHOW: "no-show",
    Attendance.APOLOGIES: "sent apologies",
}


def people_text(count: int) -> str:
    return "1 person" if count == 1 else f"{count:,} people"


def _changed(roundtable_id: int, people: Sequence[int] = ()) -> Changes:
    return Changes(roundtables=frozenset({roundtable_id}), people=frozenset(people))


class AttendanceCommand(ServiceCommand):
    """An edit of one roundtable's list; steps refresh that roundtable."""

    def __init__(
        self, ctx: AppContext, text: str, roundtable_id: int, invitation_ids: Sequence[int]
    ) -> None:
        super().__init__(ctx, text, refresh_on_error=_changed(roundtable_id))
        self.roundtable_id = roundtable_id
        self.invitation_ids = tuple(invitation_ids)

    def changes(self) -> Changes:
        return _changed(self.roundtable_id)


def attendance_text(changes: Sequence[attendance.AttendanceChange], names: dict[int, str]) -> str:
    """ "Mark Zoe Abara attended", "Mark 3 people no-show", "Clear Mei Lin's attendance"."""
    after = {c.after for c in changes}
    who = names.get(changes[0].invitation_id, "") if len(changes) == 1 else ""
    if after == {Attendance.UNKNOWN}:
        return f"Clear {who}'s attendance" if who else f"Clear {people_text(len(changes))}"
    verb = ATTENDANCE_VERBS.get(next(iter(after))) if len(after) == 1 else None
    if verb is None:
        return f"Record {people_text(len(changes))}'s attendance"
    return f"Mark {who or people_text(len(changes))} {verb}"


class SetAttendanceCommand(AttendanceCommand):
    """Record attendance for some people, from what the user saw; undo puts theirs back."""

    def __init__(
        self,
        ctx: AppContext,
        roundtable_id: int,
        done: list[attendance.AttendanceChange],
        text: str,
    ) -> None:
        super().__init__(ctx, text, roundtable_id, [c.invitation_id for c in done])
        self.done = done

    @classmethod
    def execute(
        cls,
        ctx: AppContext,
        roundtable_id: int,
        changes: Sequence[attendance.AttendanceChange],
        names: dict[int, str],
    ) -> SetAttendanceCommand | None:
        """Apply ``changes`` (their ``before`` is what the user saw); None if nothing changed."""
        with ctx.db.transaction() as session:
            done = attendance.set_attendance(session, changes)
        if not done:
            return None
        ctx.publish(_changed(roundtable_id))
        return cls(ctx, roundtable_id, done, attendance_text(done, names))

    def _undo(self) -> None:
        with self.ctx.db.transaction() as session:
            attendance.set_attendance(session, [c.reversed() for c in reversed(self.done)])

    def _redo(self) -> None:
        with self.ctx.db.transaction() as session:
            attendance.set_attendance(session, self.done)


class RecordAnswerCommand(AttendanceCommand):
    """An answer given by phone, e-mail or in person; undo puts back the one before."""

    def __init__(
        self, ctx: AppContext, roundtable_id: int, change: attendance.ResponseChange, name: str
    ) -> None:
        super().__init__(ctx, f"Record {name}'s answer", roundtable_id, [change.invitation_id])
        self.change = change

    @classmethod
    def execute(
        cls,
        ctx: AppContext,
        roundtable_id: int,
        invitation_id: int,
        before: tuple[Response, ResponseChannel | None],
        answer: tuple[Response, ResponseChannel],
        name: str,
    ) -> RecordAnswerCommand | None:
        """Record ``answer`` over ``before`` (what the user saw); None if it is the same."""
        with ctx.db.transaction() as session:
            change = attendance.record_response(session, invitation_id, before, *answer)
        if change is None:
            return None
        ctx.publish(_changed(roundtable_id))
        return cls(ctx, roundtable_id, change, name)

    def _undo(self) -> None:
        with self.ctx.db.transaction() as session:
            attendance.apply_response(session, self.change.reversed())

    def _redo(self) -> None:
        with self.ctx.db.transaction() as session:
            attendance.apply_response(session, self.change)


class WalkInCommand(AttendanceCommand):
    """Someone from the directory who came uninvited; undo takes them off the list."""

    def __init__(
        self, ctx: AppContext, roundtable_id: int, walk_in: attendance.WalkIn, table: int | None
    ) -> None:
        super().__init__(ctx, f"Add walk-in {walk_in.name}", roundtable_id, [walk_in.invitation_id])
        self.walk_in = walk_in
        self.table = table

    @classmethod
    def execute(
        cls, ctx: AppContext, roundtable_id: int, person_id: int, table: int | None
    ) -> WalkInCommand:
        """Add the walk-in; raises if they are on the list already (mark them attended instead)."""
        with ctx.db.transaction() as session:
            done = attendance.add_walk_in(session, roundtable_id, person_id, table=table)
            if not isinstance(done, attendance.WalkIn):
                raise attendance_conflict("is on the list already")
        ctx.publish(_changed(roundtable_id))
        return cls(ctx, roundtable_id, done, table)

    def _undo(self) -> None:
        with self.ctx.db.transaction() as session:
            attendance.remove_walk_in(session, self.walk_in.invitation_id)

    def _redo(self) -> None:
        with self.ctx.db.transaction() as session:
            done = attendance.add_walk_in(
                session, self.roundtable_id, self.walk_in.person_id, table=self.table
            )
            if not isinstance(done, attendance.WalkIn):
                raise attendance_conflict(f"{self.walk_in.name} is on the list again already")
        self.walk_in = done
        self.invitation_ids = (done.invitation_id,)


def attendance_conflict(what: str) -> ConflictError:
    """A walk-in who is on the list after all (added meanwhile)."""
    return ConflictError(f"That person {what}; mark them attended in the list instead.")


class NewWalkInCommand(AttendanceCommand):
    """A walk-in new to the directory; undo takes them off the list and out of the directory."""

    def __init__(
        self, ctx: AppContext, roundtable_id: int, added: attendance.NewWalkIn, table: int | None
    ) -> None:
        super().__init__(
            ctx,
            f"Add walk-in {added.walk_in.name}",
            roundtable_id,
            [added.walk_in.invitation_id],
        )
        self.added = added
        self.table = table

    def changes(self) -> Changes:
        return Changes(
            roundtables=frozenset({self.roundtable_id}),
            people=frozenset({self.added.walk_in.person_id}),
            organisations=True,
        )

    @classmethod
    def execute(
        cls, ctx: AppContext, roundtable_id: int, data: PersonData, table: int | None
    ) -> NewWalkInCommand:
        with ctx.db.transaction() as session:
            added = attendance.add_new_walk_in(session, roundtable_id, data, table=table)
        command = cls(ctx, roundtable_id, added, table)
        ctx.publish(command.changes())
        return command

    def _undo(self) -> None:
        with self.ctx.db.transaction() as session:
            self.added = attendance.remove_new_walk_in(session, self.added)

    def _redo(self) -> None:
        with self.ctx.db.transaction() as session:
            self.added = attendance.redo_new_walk_in(
                session, self.roundtable_id, self.added, table=self.table
            )
        self.invitation_ids = (self.added.walk_in.invitation_id,)


class RemoveWalkInCommand(AttendanceCommand):
    """Take a walk-in added by mistake off the list; undo adds them again, at their table."""

    def __init__(self, ctx: AppContext, roundtable_id: int, row: attendance.AttendanceRow) -> None:
        super().__init__(ctx, f"Remove walk-in {row.name}", roundtable_id, [row.invitation_id])
        assert row.person_id is not None
        self.person_id = row.person_id
        self.table = row.table

    @classmethod
    def execute(
        cls, ctx: AppContext, roundtable_id: int, row: attendance.AttendanceRow
    ) -> RemoveWalkInCommand:
        if row.person_id is None:
            raise ValidationError(
                "This walk-in's personal data has been erased; they stay on the list "
                "for the statistics."
            )
        with ctx.db.transaction() as session:
            attendance.remove_walk_in(session, row.invitation_id)
        ctx.publish(_changed(roundtable_id))
        return cls(ctx, roundtable_id, row)

    def _undo(self) -> None:
        with self.ctx.db.transaction() as session:
            done = attendance.add_walk_in(
                session, self.roundtable_id, self.person_id, table=self.table
            )
        if isinstance(done, attendance.WalkIn):
            self.invitation_ids = (done.invitation_id,)

    def _redo(self) -> None:
        with self.ctx.db.transaction() as session:
            attendance.remove_walk_in(session, self.invitation_ids[0])


class SeatCommand(AttendanceCommand):
    """Seat people at a table (or at none), from where the user saw them; undo moves them back."""

    def __init__(
        self,
        ctx: AppContext,
        roundtable_id: int,
        moves: list[tuple[int, int | None, int | None]],
        text: str,
    ) -> None:
        super().__init__(ctx, text, roundtable_id, [m[0] for m in moves])
        self.moves = moves

    @classmethod
    def execute(
        cls,
        ctx: AppContext,
        roundtable_id: int,
        seen: Sequence[tuple[int, int | None]],
        table: int | None,
        names: dict[int, str],
    ) -> SeatCommand | None:
        """Move each ``(invitation, table seen)`` to ``table``; None if nobody moves."""
        moves = [(inv, before, table) for inv, before in seen if before != table]
        if not moves:
            return None
        with ctx.db.transaction() as session:
            for inv, before, after in moves:
                attendance.move_seat(session, inv, before, after)
        ctx.publish(_changed(roundtable_id))
        who = names.get(moves[0][0], "") if len(moves) == 1 else people_text(len(moves))
        where = f"at table {table}" if table is not None else "at no table"
        return cls(ctx, roundtable_id, moves, f"Seat {who} {where}")

    def _move(self, backwards: bool) -> None:
        with self.ctx.db.transaction() as session:
            for inv, before, after in self.moves:
                if backwards:
                    attendance.move_seat(session, inv, after, before)
                else:
                    attendance.move_seat(session, inv, before, after)

    def _undo(self) -> None:
        self._move(backwards=True)

    def _redo(self) -> None:
        self._move(backwards=False)
