"""The check-in screen: a focused window for a laptop at the door.

Large type, keyboard first. Type two or three letters of a name or an
organisation and the list narrows (people expected first); Up/Down move the
highlight; Enter checks the highlighted person in and clears the field for
the next. When nobody on the list matches, Enter offers a walk-in. The mouse
works too: click a person, then Check in (or double-click them).

Every check-in is saved at once, so Escape leaves without asking. Ctrl+Z (and
the Undo button) take back the last check-in made here. The screen reads the
list again every couple of seconds on a worker thread, so a second laptop at
another door sees this one's check-ins (and the other way round) without the
typed text or the highlight moving. Lived experience is never shown: the room
can see this screen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QLabel,
    QWidget,
)

from roundtable_app.core.errors import NotFoundError, RoundtableError
from roundtable_app.core.model import Attendance, Changes
from roundtable_app.services import attendance
from roundtable_app.ui import messages
from roundtable_app.ui.attendance import checkin_model as cm
from roundtable_app.ui.attendance.checkin_commands import CheckInCommand, WalkInCommand
from roundtable_app.ui.attendance.checkin_layout import CheckInLayout
from roundtable_app.ui.attendance.checkin_live import POLL_MS, DoorWatch
from roundtable_app.ui.attendance.checkin_walk_in import WalkInChoice, WalkInDialog
from roundtable_app.ui.context import AppContext

Clock = Callable[[], dt.datetime]

#: Said where a walk-in would be offered, at a door that may only mark arrivals.
STAFF_ADD_WALK_INS = (
    "Someone not on the list is added by staff: this check-in login may only mark "
    "arrivals. Note their name, and ask a member of staff."
)


class _SearchKeys(QObject):
    """Keys typed into the search that belong to the list or the window.

    Up/Down/Page Up/Page Down move the highlight; Ctrl+Z and redo go to the
    window (its last check-in), not to the field's own text undo.
    """

    def __init__(self, window: CheckInWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            # Not accepted: the window's Undo/Redo shortcuts get the key.
            return bool(
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
            )
        if event.type() != QEvent.Type.KeyPress:
            return False
        steps = {
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_PageUp: -self.window.page_step(),
            Qt.Key.Key_PageDown: self.window.page_step(),
        }
        step = steps.get(Qt.Key(event.key()))
        if step is None:
            return False
        self.window.move_highlight(step)
        return True


class CheckInWindow(CheckInLayout):
    """Check people in at the door of one roundtable (see the module's description).

    Signals:
        rows_refreshed(): the list was read again (a poll, or after an undo).
        checked_in(int): someone was checked in here (their invitation id).
    """

    rows_refreshed = Signal()
    checked_in = Signal(int)

    def __init__(
        self,
        ctx: AppContext,
        door: attendance.Door,
        parent: QWidget | None = None,
        *,
        clock: Clock | None = None,
        poll_ms: int | None = None,
        walk_ins: bool = True,
    ) -> None:
        """``walk_ins`` False: only arrivals are marked (the database's check-in role)."""
        self.walk_ins = walk_ins
        self.model = cm.CheckInModel()
        super().__init__(parent, self.model)
        self.model.setParent(self)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("checkInWindow")
        self.ctx = ctx
        self.roundtable_id = door.roundtable_id
        self.clock = clock
        self.setWindowTitle(f"Check-in — {door.title}")
        self._build()
        self._build_actions()
        self._show_door(door)
        self.model.set_query("")
        self.watch = DoorWatch(
            ctx, self.roundtable_id, POLL_MS if poll_ms is None else poll_ms, self
        )
        self.watch.door_read.connect(self._refreshed)
        self.watch.read_failed.connect(self._lost)
        self._update_state()

    # --- building --------------------------------------------------------------------

    def _build(self) -> None:
        self.search.installEventFilter(_SearchKeys(self))
        self._say("", "info")

        self.search.textChanged.connect(self._on_typed)
        self.search.returnPressed.connect(self.enter)
        self.check_in_button.clicked.connect(self.check_in_highlighted)
        self.walk_in_button.clicked.connect(lambda: self.add_walk_in(self.search.text()))
        self.undo_button.clicked.connect(self.undo)
        self.undo_button.hide()
        self.full_screen_button.clicked.connect(self.toggle_full_screen)
        self.close_button.clicked.connect(self.close)
        self.view.doubleClicked.connect(lambda _i: self.check_in_highlighted())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_state())
        # Straight to the button (not through the window): the stack also says this
        # as it is destroyed, when the window's own state is no longer there to read.
        self.undo_stack.canUndoChanged.connect(self.undo_button.setVisible)
        self.undo_stack.undoTextChanged.connect(
            lambda text: self.undo_button.setText(f"Undo: {text}")
        )

    def _build_actions(self) -> None:
        def action(text: str, keys: QKeySequence, slot: Callable[[], Any]) -> QAction:
            act = QAction(text, self)
            act.setShortcut(keys)
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        Key = QKeySequence.StandardKey
        self.undo_action = action("Undo the last check-in", QKeySequence(Key.Undo), self.undo)
        self.redo_action = action("Redo", QKeySequence(Key.Redo), self.redo)
        self.full_screen_action = action(
            "Full screen", QKeySequence("F11"), self.toggle_full_screen
        )
        self.walk_in_action = action(
            "Walk-in…", QKeySequence("Ctrl+N"), lambda: self.add_walk_in(self.search.text())
        )
        self.refresh_action = action("Refresh", QKeySequence(Key.Refresh), self.poll_now)
        self.close_action = action("Leave", QKeySequence("Escape"), self.close)
        self.walk_in_button.setVisible(self.walk_ins)
        self.walk_in_action.setEnabled(self.walk_ins)
        if not self.walk_ins:
            self.keys_label.setText(self.keys_label.text().replace("  ·  Ctrl+N walk-in", ""))

    # --- what is shown ---------------------------------------------------------------

    @property
    def door(self) -> attendance.Door:
        door = self.model.door
        assert door is not None
        return door

    def _show_door(self, door: attendance.Door) -> None:
        keep = self.highlighted()
        scroll = self.view.verticalScrollBar().value()
        if self.model.set_door(door):
            self.delegate.warm(self.view)
        if keep is not None:
            self._highlight(self.model.position_of(keep.invitation_id))
            self.view.verticalScrollBar().setValue(scroll)
        self.title_label.setText(door.title)
        self.when_label.setText(_when(door))
        self._update_counts()
        self._update_state()

    def _update_counts(self) -> None:
        door = self.door
        headline, others = attendance.counts_text(door.arrivals, self.model.walk_ins_arrived())
        self.count_label.setText(headline)
        # Always there (a space when empty): the first walk-in must not move the screen.
        self.others_label.setText(others or "\u00a0")
        self.progress.setRange(0, max(door.arrivals.expected, 1))
        self.progress.setValue(min(door.arrivals.arrived, door.arrivals.expected))

    def _say(self, text: str, tone: str) -> None:
        """The line under the search: what just happened ("done", "info" or "problem")."""
        self.banner.setText(text or "Type the first letters of a name, then press Enter.")
        self._tone(self.banner, tone if text else "info")

    def _tone(self, label: QLabel, tone: str) -> None:
        label.setProperty("tone", tone)
        label.style().unpolish(label)
        label.style().polish(label)

    def _update_state(self) -> None:
        row = self.highlighted()
        self.check_in_button.setEnabled(row is not None)
        self.check_in_button.setText(
            "Checked in" if row is not None and row.arrived and row.checked_in_at else "Check in"
        )
        self._update_empty()

    def _update_empty(self) -> None:
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.view)
            return
        text = self.search.text().strip()
        if not self.walk_ins:
            title = f"Nobody on the list matches “{text}”" if text else "Nobody is on the list"
            self.empty.show_message(title, STAFF_ADD_WALK_INS, [])
        elif text:
            self.empty.show_message(
                f"Nobody on the list matches “{text}”",
                "Check the spelling, or check them in as a walk-in: from the directory, "
                "or as someone new.",
                [("Add a walk-in… (Enter)", lambda: self.add_walk_in(self.search.text()))],
            )
        else:
            self.empty.show_message(
                "Nobody is on this roundtable's list yet",
                "Walk-ins can still be checked in.",
                [("Add a walk-in…", lambda: self.add_walk_in(""))],
            )
        self.stack.setCurrentWidget(self.empty)

    # --- the highlight ---------------------------------------------------------------

    def highlighted(self) -> attendance.AttendanceRow | None:
        """The person Enter would check in (None: nobody highlighted)."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _highlight(self, position: int | None) -> None:
        selection = self.view.selectionModel()
        if position is None or not 0 <= position < self.model.rowCount():
            selection.clearSelection()
            selection.setCurrentIndex(self.model.index(-1), QItemSelectionModel.SelectionFlag.Clear)
            return
        index = self.model.index(position)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(index)

    def move_highlight(self, step: int) -> None:
        """Up/Down (and Page Up/Down) from the search field."""
        count = self.model.rowCount()
        if not count:
            return
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            self._highlight(0 if step > 0 else count - 1)
        else:
            self._highlight(min(max(rows[0].row() + step, 0), count - 1))

    def page_step(self) -> int:
        height = self.view.sizeHintForRow(0) if self.model.rowCount() else 0
        return max(self.view.viewport().height() // height, 1) if height > 0 else 5

    def _on_typed(self, text: str) -> None:
        self.model.set_query(text)
        self._highlight(0 if text.strip() and self.model.rowCount() else None)
        self.view.scrollToTop()
        self._update_state()

    # --- checking in -----------------------------------------------------------------

    def _now(self) -> dt.datetime | None:
        return self.clock() if self.clock is not None else None

    def enter(self) -> None:
        """Enter: check in the highlighted person; with nobody matching, offer a walk-in."""
        if self.highlighted() is not None:
            self.check_in_highlighted()
        elif self.search.text().strip() and not self.model.rowCount():
            self.add_walk_in(self.search.text())

    def check_in_highlighted(self) -> None:
        row = self.highlighted()
        if row is not None:
            self.check_in(row)

    def check_in(self, row: attendance.AttendanceRow) -> None:
        """Check ``row`` in (saved at once), update the count, clear the field for the next."""
        self.watch.changing()
        try:
            with self.ctx.db.transaction() as session:
                done = attendance.check_in(session, row.invitation_id, self._now())
                arrivals = attendance.arrival_counts(session, self.roundtable_id)
        except RoundtableError as exc:
            self._say(f"{row.name} was not checked in: {exc}", "problem")
            if isinstance(exc, NotFoundError):
                self.poll_now()
            return
        arrived = dataclasses.replace(
            row, attendance=Attendance.ATTENDED, checked_in_at=done.checked_in_at
        )
        self.model.replace_row(arrived, arrivals)
        if done.changed:
            command = CheckInCommand(self.ctx.db, self, self.roundtable_id, done, row.name)
            self.undo_stack.push(command)
            self._say(self._arrived_text(arrived), "done")
            self.watch.changed(command.changes())
        else:
            at = cm.clock(self.door.local(done.checked_in_at))
            self._say(f"{row.name} was already checked in, at {at}.", "info")
        self.search.clear()
        self._update_counts()
        self._update_state()
        self.checked_in.emit(row.invitation_id)

    def _arrived_text(self, row: attendance.AttendanceRow) -> str:
        parts = [f"✓  {row.name} is checked in"]
        if row.table is not None:
            parts.append(f"Table {row.table}")
        late = self.door.late_by(row)
        if late is not None and late >= dt.timedelta(minutes=1):
            parts.append(f"late by {cm.duration(int(late.total_seconds() // 60))}")
        return "  ·  ".join(parts)

    def add_walk_in(self, typed: str) -> None:
        """Check in someone not on the list: from the directory, or someone new."""
        if not self.walk_ins:
            self._say(STAFF_ADD_WALK_INS, "problem")
            return

        def perform(choice: WalkInChoice) -> str | None:
            return self._perform_walk_in(choice)

        dialog = WalkInDialog(self.ctx, self.door, typed.strip(), perform, self)
        dialog.exec()
        dialog.deleteLater()
        self.activateWindow()  # back to the door: typing goes on in the search
        self.search.setFocus()

    def _perform_walk_in(self, choice: WalkInChoice) -> str | None:
        self.watch.changing()
        try:
            with self.ctx.db.transaction() as session:
                if choice.person_id is not None:
                    done = attendance.check_in_walk_in(
                        session,
                        self.roundtable_id,
                        choice.person_id,
                        table=choice.table,
                        at=self._now(),
                    )
                else:
                    assert choice.data is not None
                    done = attendance.check_in_new_person(
                        session, self.roundtable_id, choice.data, table=choice.table, at=self._now()
                    )
                door = attendance.door(session, self.roundtable_id)
        except RoundtableError as exc:
            return str(exc)
        self.search.clear()
        self._show_door(door)
        if isinstance(done, attendance.CheckIn):  # on the list after all (another door?)
            name = next(r.name for r in door.rows if r.invitation_id == done.invitation_id)
            if done.changed:
                self.undo_stack.push(
                    CheckInCommand(self.ctx.db, self, door.roundtable_id, done, name)
                )
            self._say(f"✓  {name} was on the list: checked in.", "done")
            self.watch.changed(Changes(roundtables=frozenset({self.roundtable_id})))
            return None
        command = WalkInCommand(self.ctx.db, self, self.roundtable_id, done)
        self.undo_stack.push(command)
        row = next(r for r in door.rows if r.invitation_id == done.walk_in.invitation_id)
        self._say(self._arrived_text(row) + "  ·  walk-in", "done")
        self.watch.changed(command.changes())
        self.checked_in.emit(done.walk_in.invitation_id)
        return None

    # --- undo ------------------------------------------------------------------------

    def undo(self) -> None:
        if self.undo_stack.canUndo():
            self.watch.changing()
            self.undo_stack.undo()

    def redo(self) -> None:
        if self.undo_stack.canRedo():
            self.watch.changing()
            self.undo_stack.redo()

    def step_done(self, message: str, changes: Changes) -> None:
        """An undo or redo went through: show it and read the list again."""
        self.reload()
        self._say(message, "info")
        self.watch.changed(changes)

    def step_failed(self, title: str, message: str) -> None:
        self.reload()
        self._say(f"{title}: {message}", "problem")

    # --- staying up to date ----------------------------------------------------------

    def reload(self) -> None:
        """Read the list now, on this thread (after an undo)."""
        try:
            with self.ctx.db.reading() as session:
                door = attendance.door(session, self.roundtable_id)
        except RoundtableError as exc:
            self._lost(exc)
            return
        self._refreshed(door)

    def poll_now(self) -> None:
        """Read the list again on a worker thread (every few seconds, and on F5)."""
        self.watch.read_now()

    def _refreshed(self, door: attendance.Door) -> None:
        self._show_door(door)
        self.live_label.setText("Up to date: other doors' check-ins show within seconds")
        self._tone(self.live_label, "")
        self.rows_refreshed.emit()

    def _lost(self, exc: BaseException) -> None:
        if isinstance(exc, NotFoundError):
            text = "This roundtable was deleted meanwhile: close this screen."
            self.watch.timer.stop()
        else:
            text = "Cannot read the list just now (check-ins made here are saved); retrying…"
        self.live_label.setText(text)
        self._tone(self.live_label, "problem")

    # --- the window ------------------------------------------------------------------

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showMaximized()
            self.full_screen_button.setText("Full screen (F11)")
        else:
            self.showFullScreen()
            self.full_screen_button.setText("Leave full screen (F11)")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.delegate.warm(self.view)  # the lines are drawn for the list's width

    def closeEvent(self, event: QCloseEvent) -> None:
        """Leave without asking: every check-in is already saved."""
        self.watch.stop()
        super().closeEvent(event)


def _when(door: attendance.Door) -> str:
    """ "Tue 5 Mar 2030 · 10:00–13:00 GMT · Wilberforce Room"."""
    if door.starts_at is None:
        return door.venue
    start = door.local(door.starts_at)
    times = f"{start:%H:%M}"
    if door.ends_at is not None:
        times += f"–{door.local(door.ends_at):%H:%M}"
    parts = [f"{start:%a} {start.day} {start:%b %Y}", f"{times} {start.tzname()}"]
    if door.venue:
        parts.append(door.venue)
    return "  ·  ".join(parts)


def open_check_in(
    ctx: AppContext,
    roundtable_id: int,
    parent: QWidget,
    *,
    clock: Clock | None = None,
    walk_ins: bool = True,
) -> CheckInWindow | None:
    """Open (or bring forward) the check-in screen of ``roundtable_id``.

    Says why, and opens nothing, when the roundtable is not on today (or is
    cancelled, or was deleted meanwhile).
    """
    for window in parent.findChildren(CheckInWindow):
        if window.roundtable_id == roundtable_id and window.isVisible():
            window.raise_()
            window.activateWindow()
            return window
    try:
        with ctx.db.reading() as session:
            door = attendance.door(session, roundtable_id)
    except RoundtableError as exc:
        messages.show_error(parent, "Cannot open the check-in", str(exc))
        return None
    closed = attendance.door_closed(
        door.title,
        door.status,
        door.starts_at,
        door.ends_at,
        door.time_zone,
        clock() if clock is not None else None,
    )
    if closed is not None:
        messages.show_error(parent, "Cannot open the check-in", closed)
        return None
    window = CheckInWindow(ctx, door, parent, clock=clock, walk_ins=walk_ins)
    window.showMaximized()
    window.activateWindow()
    window.search.setFocus()
    return window
