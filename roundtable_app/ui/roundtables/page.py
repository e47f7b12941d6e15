"""The Roundtables page: the list (upcoming, past, drafts, cancelled), search, status
changes, and the selected roundtable's invitees below.

Every edit goes through an undoable command (:mod:`roundtable_app.ui.roundtables.commands`);
the page refreshes in its ``changes_published`` slot.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Changes, RoundtableStatus
from roundtable_app.services import attendance, roundtables
from roundtable_app.services.roundtables import View
from roundtable_app.ui import messages
from roundtable_app.ui.common import ElidedLabel, EmptyState, filter_box, style_list_table
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.privacy import PrivacyActions
from roundtable_app.ui.roundtables import roundtables_model as rm
from roundtable_app.ui.roundtables.attendance_flag import AttendanceFlag, ask_for_attendance
from roundtable_app.ui.roundtables.commands import SetStatusCommand
from roundtable_app.ui.roundtables.day_bar import DayBar, started
from roundtable_app.ui.roundtables.invitees_panel import InviteesPanel
from roundtable_app.ui.settings import ROUNDTABLES_SPLITTER_STATE

VIEWS = (
    (View.UPCOMING, "Upcoming"),
    (View.PAST, "Past"),
    (View.DRAFTS, "Drafts"),
    (View.CANCELLED, "Cancelled"),
    (View.ALL, "All"),
)
SEARCH_DELAY_MS = 150
COLUMN_WIDTHS = {
    rm.DATE: 200,
    rm.TITLE: 290,
    rm.STATUS: 90,
    rm.FORMAT: 85,
    rm.VENUE: 160,
    rm.INVITEES: 160,
}
STYLE = """
QTableView#roundtablesTable, QTableView#inviteesTable { border: 1px solid #d4d8dd;
    border-radius: 4px; alternate-background-color: #f6f8fa;
    selection-background-color: #cfe2f3; selection-color: #111111; }
QTableView#roundtablesTable QHeaderView::section, QTableView#inviteesTable QHeaderView::section {
    background: #f0f2f4; border: none; border-bottom: 1px solid #d4d8dd;
    border-right: 1px solid #e2e5e8; padding: 5px 8px; font-weight: 600; }
QLabel#detailTitle { font-size: 12pt; font-weight: 600; color: #2b3a46; }
QLabel#detailWhen { color: #46525c; }
"""


class RoundtablesPage(QWidget):
    """The list of roundtables with its view tabs, search, actions and invitee pane.

    Signals:
        rows_loaded(): the list was (re)loaded.
        current_changed(int): the selected roundtable (-1: none).
    """

    rows_loaded = Signal()
    current_changed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = rm.RoundtablesModel(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self._build()
        self._build_actions()
        self._connect()
        self.reload()

    # --- building --------------------------------------------------------------------

    def _build(self) -> None:
        self.setStyleSheet(STYLE)
        self.tabs = QTabBar()
        self.tabs.setObjectName("roundtableViews")
        self.tabs.setDocumentMode(True)
        self.tabs.setDrawBase(False)
        self.tabs.setExpanding(False)
        for _view, label in VIEWS:
            self.tabs.addTab(label)
        self.search_edit = QLineEdit(placeholderText="Search roundtables")
        self.search_edit.setClearButtonEnabled(True)
        filter_box(self.search_edit)  # Escape clears the search
        self.search_edit.setToolTip("Matches titles, purposes, venues and series")
        self.search_edit.setMinimumWidth(220)
        self.new_button = QPushButton("New roundtable")
        self.open_button = QPushButton("Open")
        self.schedule_button = QPushButton("Schedule")
        self.held_button = QPushButton("Mark held")
        self.cancel_button = QPushButton("Cancel roundtable…")

        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.tabs)
        bar.addSpacing(8)
        bar.addWidget(self.search_edit, 1)
        bar.addSpacing(12)
        for button in (
            self.new_button,
            self.open_button,
            self.schedule_button,
            self.held_button,
            self.cancel_button,
        ):
            bar.addWidget(button)

        self.table = QTableView()
        self.table.setObjectName("roundtablesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        style_list_table(self.table, COLUMN_WIDTHS)

        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        # Elided, not sized to the text: a long title must not widen the window.
        self.detail_title = ElidedLabel()
        self.detail_title.setObjectName("detailTitle")
        self.detail_when = ElidedLabel()
        self.detail_when.setObjectName("detailWhen")
        self.edit_button = QPushButton("Edit details…")
        heading = QHBoxLayout()
        heading.setSpacing(12)
        heading.addWidget(self.detail_title, 3)
        heading.addWidget(self.detail_when, 2)
        heading.addWidget(self.edit_button)
        # The roundtable's day and after: a row of its own, so that a usual title keeps
        # room to show whole.
        self.day = DayBar(self.ctx, self.current_id, self)
        self.attendance_flag = AttendanceFlag()
        self.invitees = InviteesPanel(self.ctx)
        self.detail = QWidget()
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.setContentsMargins(0, 6, 0, 0)
        detail_layout.setSpacing(8)
        detail_layout.addLayout(heading)
        detail_layout.addWidget(self.day)
        detail_layout.addWidget(self.attendance_flag)
        detail_layout.addWidget(self.invitees, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("roundtablesSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([260, 440])
        state = self.ctx.settings.get(ROUNDTABLES_SPLITTER_STATE)
        if not state.isEmpty():
            self.splitter.restoreState(state)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

    def _build_actions(self) -> None:
        self.new_action = QAction("New &roundtable…", self)
        self.new_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_action.triggered.connect(self.new_roundtable)
        self.addAction(self.new_action)
        self.find_action = QAction("&Find roundtable…", self)
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_action.triggered.connect(self.focus_search)
        self.addAction(self.find_action)
        # History… and Audit trail… (added to the page, so to its Edit menu).
        self.privacy = PrivacyActions(self.ctx, self, "roundtable", self._selected)
        for sequence in ("Return", "Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_current)

    def _connect(self) -> None:
        self.tabs.currentChanged.connect(lambda _i: self.reload())
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.new_button.clicked.connect(self.new_roundtable)
        self.open_button.clicked.connect(self.open_current)
        self.edit_button.clicked.connect(self.open_current)
        self.attendance_flag.record_requested.connect(self.day.open_attendance)
        self.schedule_button.clicked.connect(lambda: self.change_status(RoundtableStatus.SCHEDULED))
        self.held_button.clicked.connect(lambda: self.change_status(RoundtableStatus.HELD))
        self.cancel_button.clicked.connect(lambda: self.change_status(RoundtableStatus.CANCELLED))
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.splitter.splitterMoved.connect(
            lambda *_a: self.ctx.settings.set(ROUNDTABLES_SPLITTER_STATE, self.splitter.saveState())
        )
        # The selection, not the current index: a mouse click moves the current index
        # first and selects afterwards, so a currentRowChanged handler would still read
        # the previous selection (the panel followed the click before).
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._on_current())
        self.ctx.changes_published.connect(self.apply_changes)
        self.invitees.roundtable_scheduled.connect(self.show_roundtable)

    # --- loading ---------------------------------------------------------------------

    @property
    def view(self) -> View:
        return VIEWS[max(self.tabs.currentIndex(), 0)][0]

    def set_view(self, view: View) -> None:
        """Switch to the tab of ``view``."""
        self.tabs.setCurrentIndex([v for v, _ in VIEWS].index(view))

    def reload(self, select_id: int | None = None) -> None:
        """Read the current view again, keeping (or moving to) the selected roundtable."""
        keep = select_id if select_id is not None else self.current_id()
        rows_now = self.table.selectionModel().selectedRows()
        was_at = rows_now[0].row() if rows_now else 0
        try:
            with self.ctx.db.reading() as session:
                rows = roundtables.list_roundtables(session, self.view, self.search_edit.text())
                unrecorded = attendance.held_without_attendance(session)
        except RoundtableError as exc:
            self.ctx.report_error("Cannot load the roundtables", str(exc))
            return
        self.model.set_rows(rows, unrecorded)
        row = self.model.row_of(keep) if keep is not None else None
        if row is None and self.model.rowCount():
            # The selected roundtable left this view (undone, cancelled elsewhere):
            # its neighbour, not the top of the list, keeps the user's place.
            row = min(was_at, self.model.rowCount() - 1)
        if row is not None:
            flags = QItemSelectionModel.SelectionFlag
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0), flags.ClearAndSelect | flags.Rows
            )
            self.table.scrollTo(self.model.index(row, 0))
        self._on_current()
        self.rows_loaded.emit()

    def apply_changes(self, changes: Changes) -> None:
        """Reload after a roundtable (or a person on one) changed."""
        if changes.roundtables or changes.all_roundtables:
            new = next(iter(changes.roundtables)) if len(changes.roundtables) == 1 else None
            exists = new is not None and self._exists(new)
            self.reload(select_id=new if exists else None)
        elif changes.all_people:
            self.reload()

    def _exists(self, roundtable_id: int) -> bool:
        with self.ctx.db.reading() as session:
            try:
                roundtables.get_roundtable(session, roundtable_id)
            except RoundtableError:
                return False
        return True

    # --- state -----------------------------------------------------------------------

    def current_id(self) -> int | None:
        """The selected roundtable's id, if one is selected."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or not self.model.rowCount():
            return None
        return self.model.row_at(rows[0].row()).id

    def _selected(self) -> tuple[int, str] | None:
        """The selected roundtable (id, title), for its History."""
        rid = self.current_id()
        row = self.model.row_of(rid) if rid is not None else None
        return None if rid is None or row is None else (rid, self.model.row_at(row).title)

    def select_id(self, roundtable_id: int) -> bool:
        """Select ``roundtable_id`` if it is in the current view."""
        row = self.model.row_of(roundtable_id)
        if row is None:
            return False
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0), flags.ClearAndSelect | flags.Rows
        )
        return True

    def show_roundtable(self, roundtable_id: int) -> None:
        """Select ``roundtable_id``, switching to a tab that lists it when this one does not.

        After the user created, scheduled or edited a roundtable here, the list shows
        that roundtable, whichever tab they were on (a new draft from Past, say).
        """
        if self.select_id(roundtable_id):
            return
        try:
            with self.ctx.db.reading() as session:
                holding = roundtables.views_holding(session, roundtable_id)
        except RoundtableError:
            return
        if not holding:
            return  # deleted meanwhile
        if self.search_edit.text():
            self.search_edit.clear()  # the search hid it; the tab may be right
            self._search_timer.stop()
            self.reload(select_id=roundtable_id)
            if self.select_id(roundtable_id):
                return
        preferred = (View.UPCOMING, View.DRAFTS, View.PAST, View.CANCELLED, View.ALL)
        view = self.view if self.view in holding else next(v for v in preferred if v in holding)
        self.tabs.blockSignals(True)
        self.set_view(view)
        self.tabs.blockSignals(False)
        self.reload(select_id=roundtable_id)

    def _on_current(self) -> None:
        rid = self.current_id()
        if rid != self.invitees.roundtable_id or rid is None:
            self.invitees.set_roundtable(rid)
        self._update_state()
        self.current_changed.emit(rid if rid is not None else -1)

    def _update_state(self) -> None:
        rid = self.current_id()
        row = self.model.row_at(self.model.row_of(rid) or 0) if rid is not None else None
        allowed = roundtables.TRANSITIONS[row.status] if row is not None else frozenset()
        self.open_button.setEnabled(row is not None)
        self.privacy.update_state()
        self.schedule_button.setEnabled(RoundtableStatus.SCHEDULED in allowed)
        self.schedule_button.setText(
            "Reinstate"
            if row is not None and row.status == RoundtableStatus.CANCELLED
            else "Schedule"
        )
        can_hold = RoundtableStatus.HELD in allowed and started(row)
        self.held_button.setEnabled(can_hold)
        self.held_button.setToolTip(
            f"'{row.title}' has not started yet; mark it held once it has taken place."
            if row is not None and RoundtableStatus.HELD in allowed and not can_hold
            else "Record that the roundtable took place"
        )
        self.cancel_button.setEnabled(RoundtableStatus.CANCELLED in allowed)
        self.detail.setVisible(row is not None)
        self.day.update_for(row)
        self.attendance_flag.setVisible(row is not None and self.model.needs_attendance(row.id))
        if row is None:
            self.detail_title.setText("")
            self.detail_when.setText("")
            self.edit_button.setEnabled(False)
        else:
            self.detail_title.setText(row.title)
            parts = [rm.when_text(row.local_start), row.format.label]
            if row.venue:
                parts.append(row.venue)
            parts.append(rm.STATUS_LABELS[row.status])
            self.detail_when.setText(" · ".join(parts))
            self.edit_button.setEnabled(True)
        self._update_empty()

    def _update_empty(self) -> None:
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.table)
            return
        text = self.search_edit.text().strip()
        if text:
            self.empty.show_message(
                f"No roundtable matches '{text}'",
                "Check the spelling, or clear the search to see every roundtable in this view.",
                [("Clear search", self.search_edit.clear)],
            )
        elif self.view in (View.UPCOMING, View.ALL, View.DRAFTS) and not self._any():
            self.empty.show_message(
                "No roundtables yet — plan your first roundtable",
                "Give it a title and themes; you can add a date, a venue and invitees as the "
                "plan firms up.",
                [("New roundtable", self.new_roundtable)],
            )
        else:
            label = dict(VIEWS)[self.view].lower()
            self.empty.show_message(
                f"No {label} roundtables", "", [("New roundtable", self.new_roundtable)]
            )
        self.stack.setCurrentWidget(self.empty)

    def _any(self) -> bool:
        with self.ctx.db.reading() as session:
            return bool(roundtables.list_roundtables(session, View.ALL))

    def _status_slot(self, status: RoundtableStatus) -> Callable[[], None]:
        def slot() -> None:
            self.change_status(status)

        return slot

    def context_menu(self) -> QMenu | None:
        """The selected roundtable's menu: open, and the status changes allowed now."""
        rid = self.current_id()
        if rid is None:
            return None
        row = self.model.row_at(self.model.row_of(rid) or 0)
        allowed = roundtables.TRANSITIONS[row.status]
        menu = QMenu(self)
        menu.addAction("Open…", self.open_current)
        menu.addAction(self.day.notes_action)
        menu.addAction(self.day.sheet_action)
        menu.addAction(self.day.summary_action)
        menu.addAction("Attendance…", self.day.open_attendance).setEnabled(
            self.day.attendance_button.isEnabled()
        )
        menu.addSeparator()
        for status, label in (
            (RoundtableStatus.SCHEDULED, self.schedule_button.text()),
            (RoundtableStatus.HELD, "Mark held"),
            (RoundtableStatus.DRAFT, "Back to draft"),
            (RoundtableStatus.CANCELLED, "Cancel roundtable…"),
        ):
            action = menu.addAction(label)
            action.triggered.connect(self._status_slot(status))
            action.setEnabled(
                status in allowed and (status != RoundtableStatus.HELD or started(row))
            )
        return menu

    def _context_menu(self, position: QPoint) -> None:
        menu = self.context_menu()
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(position))
            menu.deleteLater()

    # --- actions ---------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def new_roundtable(self) -> None:
        """Open the editor on a new roundtable; the new one is selected after saving."""
        from roundtable_app.ui.roundtables.roundtable_dialog import open_roundtable_editor

        created = open_roundtable_editor(self.ctx, None, self)
        if created is not None:
            self.show_roundtable(created)

    def open_current(self) -> None:
        """Open the selected roundtable in the editor."""
        rid = self.current_id()
        if rid is None:
            return
        from roundtable_app.ui.roundtables.roundtable_dialog import open_roundtable_editor

        if open_roundtable_editor(self.ctx, rid, self) is not None:
            self.show_roundtable(rid)  # a new date may have moved it to another tab

    def change_status(self, status: RoundtableStatus) -> None:
        """Move the selected roundtable to ``status`` (cancelling asks first); undoable."""
        rid = self.current_id()
        if rid is None:
            return
        try:
            with self.ctx.db.reading() as session:
                info = roundtables.get_roundtable(session, rid)
                sent = roundtables.any_sent(session, rid)
        except RoundtableError as exc:
            messages.show_error(self, "Cannot change the status", str(exc))
            return
        if status == RoundtableStatus.CANCELLED:
            extra = (
                " Invitations have been sent: everyone invited will need the cancellation "
                "(Send invitations… after cancelling)."
                if sent
                else ""
            )
            if not messages.confirm(
                self,
                "Cancel roundtable",
                f"Cancel '{info.data.title}'?{extra} You can undo this.",
                "Cancel roundtable",
            ):
                return
        try:
            command = SetStatusCommand.execute(self.ctx, rid, status, info.version)
        except RoundtableError as exc:
            messages.show_error(self, "Cannot change the status", str(exc))
            return
        self.ctx.undo_stack.push(command)
        self.show_roundtable(rid)  # scheduled from Drafts: now under Upcoming
        if status == RoundtableStatus.HELD and ask_for_attendance(
            self.ctx, self, rid, info.data.title
        ):
            self.day.open_attendance()
