"""The attendance window's edits: attendance from the sheet, answers, walk-ins, seats.

A mixin of :class:`~roundtable_app.ui.attendance.window.AttendanceWindow`:
each edit asks what it needs (a small dialog), runs as an undoable command,
and on a refusal says why and shows the list as it is now.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from roundtable_app.core.errors import RoundtableError, ValidationError
from roundtable_app.core.model import Attendance
from roundtable_app.services import attendance
from roundtable_app.ui import messages
from roundtable_app.ui.attendance.answer_dialog import AnswerDialog
from roundtable_app.ui.attendance.commands import (
    NewWalkInCommand,
    RecordAnswerCommand,
    RemoveWalkInCommand,
    SeatCommand,
    SetAttendanceCommand,
    WalkInCommand,
    people_text,
)
from roundtable_app.ui.attendance.list_model import AttendanceModel
from roundtable_app.ui.attendance.walk_in_dialog import WalkInChoice, WalkInDialog
from roundtable_app.ui.context import AppContext

NO_TABLE = "No table"


class ListEdits:
    """Every edit of the attendance window: attendance, answers, walk-ins, seats."""

    ctx: AppContext
    roundtable_id: int
    model: AttendanceModel
    tables: list[int]
    started: bool

    # What the window provides.
    def targets(self) -> list[attendance.AttendanceRow]:
        raise NotImplementedError

    def _refused(self, title: str, exc: RoundtableError) -> None:
        raise NotImplementedError

    def _show_rows(self, invitation_ids: tuple[int, ...]) -> None:
        raise NotImplementedError

    def _names(self) -> dict[int, str]:
        raise NotImplementedError

    def _title(self) -> str:
        raise NotImplementedError

    def _go_to(self, row: int) -> None:
        raise NotImplementedError

    def _accepted_unrecorded(self) -> list[attendance.AttendanceRow]:
        raise NotImplementedError

    def _say(self, message: str) -> None:
        raise NotImplementedError

    def _widget(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    # --- attendance ------------------------------------------------------------------

    def mark(self, value: Attendance) -> None:
        """Mark the rows selected (or the current one) ``value``, then move to the next row."""
        rows = self.targets()
        if not rows or not self.started:
            return
        last = max(self.model.row_of(r.invitation_id) or 0 for r in rows)
        changes = [
            attendance.AttendanceChange(r.invitation_id, r.attendance, value)
            for r in rows
            if r.attendance != value
        ]
        if changes and not self._record(changes):
            return
        if last + 1 < self.model.rowCount():
            self._go_to(last + 1)
        else:
            self._go_to(last)  # the last row: stay, and keep only it selected

    def accepted_attended(self) -> None:
        """Everyone who accepted (of the selection, if several rows) and is not recorded."""
        rows = self._accepted_unrecorded()
        if not rows:
            return
        changes = [
            attendance.AttendanceChange(r.invitation_id, r.attendance, Attendance.ATTENDED)
            for r in rows
        ]
        if self._record(changes):
            self._say(
                f"Marked {people_text(len(changes))} who accepted as attended; Ctrl+Z undoes it."
            )

    def _record(self, changes: list[attendance.AttendanceChange]) -> bool:
        try:
            command = SetAttendanceCommand.execute(
                self.ctx, self.roundtable_id, changes, self._names()
            )
        except RoundtableError as exc:
            self._refused("Cannot record attendance", exc)
            return False
        if command is not None:
            self.ctx.undo_stack.push(command)
        return True

    # --- answers ---------------------------------------------------------------------

    def record_answer(self) -> None:
        """Ask for the current person's answer and how it came; record it (undoable)."""
        rows = self.targets()
        if len(rows) != 1 or rows[0].walk_in:
            return
        row = rows[0]
        before = (row.response, row.response_channel)
        dialog = AnswerDialog(row.name, before, self._widget())
        try:
            if not dialog.exec():
                return
            answer = dialog.answer()
        finally:
            dialog.deleteLater()
        try:
            command = RecordAnswerCommand.execute(
                self.ctx, self.roundtable_id, row.invitation_id, before, answer, row.name
            )
        except RoundtableError as exc:
            self._refused("Cannot record the answer", exc)
            return
        if command is not None:
            self.ctx.undo_stack.push(command)

    # --- walk-ins --------------------------------------------------------------------

    def add_walk_in(self) -> None:
        """Find the walk-in in the directory or add them as new; they are marked attended."""
        if not self.started:
            return
        added: list[int] = []

        def add(choice: WalkInChoice) -> None:
            added.append(self._add_walk_in(choice))

        dialog = WalkInDialog(
            self.ctx, self.roundtable_id, self._title(), self.tables, add, self._widget()
        )
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
        if added:
            self._show_rows(tuple(added))

    def _add_walk_in(self, choice: WalkInChoice) -> int:
        """Add ``choice`` as one undoable command; returns their invitation (raises if refused)."""
        if choice.new_person is not None:
            new = NewWalkInCommand.execute(
                self.ctx, self.roundtable_id, choice.new_person, choice.table
            )
            self.ctx.undo_stack.push(new)
            return new.invitation_ids[0]
        assert choice.person_id is not None
        if choice.on_list:  # invited after all: just attended
            return self._mark_listed(choice.person_id, choice.name)
        command = WalkInCommand.execute(
            self.ctx, self.roundtable_id, choice.person_id, choice.table
        )
        self.ctx.undo_stack.push(command)
        return command.invitation_ids[0]

    def _mark_listed(self, person_id: int, name: str) -> int:
        row = next((r for r in self.model.rows() if r.person_id == person_id), None)
        if row is None:
            raise ValidationError(
                f"{name} is no longer on the list (taken off meanwhile?); search again."
            )
        change = attendance.AttendanceChange(row.invitation_id, row.attendance, Attendance.ATTENDED)
        command = SetAttendanceCommand.execute(
            self.ctx, self.roundtable_id, [change], self._names()
        )
        if command is not None:  # None: attended already
            self.ctx.undo_stack.push(command)
        return row.invitation_id

    def remove_walk_in(self) -> None:
        """Take a walk-in added by mistake off the list (undoable)."""
        rows = self.targets()
        if len(rows) != 1 or not rows[0].walk_in:
            return
        try:
            command = RemoveWalkInCommand.execute(self.ctx, self.roundtable_id, rows[0])
        except RoundtableError as exc:
            self._refused("Cannot remove the walk-in", exc)
            return
        self.ctx.undo_stack.push(command)

    # --- seats -----------------------------------------------------------------------

    def seat_selected(self) -> None:
        """Seat the selected people at a table of the plan, or at none (undoable)."""
        rows = self.targets()
        if not rows or not self.tables:
            return
        who = rows[0].name if len(rows) == 1 else f"{len(rows)} people"
        items = [f"Table {n}" for n in self.tables] + [NO_TABLE]
        chosen = messages.choose(self._widget(), "Seat at table", f"Seat {who} at:", items)
        if chosen is None:
            return
        table = None if chosen == NO_TABLE else int(chosen.removeprefix("Table "))
        try:
            command = SeatCommand.execute(
                self.ctx,
                self.roundtable_id,
                [(r.invitation_id, r.table) for r in rows],
                table,
                self._names(),
            )
        except RoundtableError as exc:
            self._refused("Cannot seat them", exc)
            return
        if command is not None:
            self.ctx.undo_stack.push(command)
