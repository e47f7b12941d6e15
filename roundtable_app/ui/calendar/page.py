"""The Calendar page: roundtables by month or week; drag one to reschedule it.

Only the visible period is read (``list_between``, one indexed query), so paging
stays instant at thousands of roundtables. Times are shown in the display zone
(settings: default time zone). Moving a roundtable is one undoable command; if
invitations had gone out, a notice offers to send the update straight away.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Changes
from roundtable_app.services import roundtables
from roundtable_app.services.roundtables import list_between
from roundtable_app.ui import messages
from roundtable_app.ui import settings as keys
from roundtable_app.ui.calendar.commands import RescheduleCommand
from roundtable_app.ui.calendar.common import (
    STATUS_COLOURS,
    STATUS_LABELS,
    items_from_rows,
    monday_of,
    month_grid_range,
)
from roundtable_app.ui.calendar.month import MonthGrid
from roundtable_app.ui.calendar.week import WeekGrid
from roundtable_app.ui.common import ElidedLabel
from roundtable_app.ui.context import AppContext

MONTH, WEEK = "month", "week"


class Notice(QFrame):
    """A non-modal notice above the calendar, with an optional action and a close button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarNotice")
        self.setStyleSheet(
            "#calendarNotice { background: #fffaeb; border: 1px solid #fedf89;"
            " border-radius: 4px; }"
        )
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.action = QPushButton()
        self.action.setAutoDefault(False)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action)
        layout.addWidget(close)
        self.hide()

    def show_notice(self, html: str, action: str = "") -> None:
        self.label.setText(html)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.show()


class CalendarPage(QWidget):
    """Month and week views of the roundtables.

    Signals:
        period_changed(str): the shown period changed (its title, e.g. "December 2026").
    """

    period_changed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view = MONTH if ctx.settings.get(keys.CALENDAR_VIEW) != WEEK else WEEK
        self.anchor = dt.date.today()
        self._dirty = True
        self._update_target: int | None = None
        self.count = 0

        self.today_button = QPushButton("Today")
        self.prev_button = QToolButton()
        self.prev_button.setText("‹")
        self.next_button = QToolButton()
        self.next_button.setText("›")
        for button, tip in (
            (self.prev_button, "Previous (PgUp)"),
            (self.next_button, "Next (PgDn)"),
        ):
            button.setToolTip(tip)
            button.setAutoRaise(True)
            font = QFont(button.font())
            font.setPointSizeF(font.pointSizeF() * 1.5)
            button.setFont(font)
        self.today_button.clicked.connect(self.go_today)
        self.prev_button.clicked.connect(lambda: self.page(-1))
        self.next_button.clicked.connect(lambda: self.page(1))
        self.title = QLabel()
        self.title.setObjectName("calendarTitle")
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.5)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.hint = ElidedLabel()  # never widens the window (issue 9, defect 5)
        self.hint.setObjectName("calendarHint")
        self.hint.setStyleSheet("color: palette(placeholder-text);")

        self.month_button = QToolButton()
        self.month_button.setText("Month")
        self.week_button = QToolButton()
        self.week_button.setText("Week")
        self.view_group = QButtonGroup(self)
        for button in (self.month_button, self.week_button):
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumWidth(64)
            self.view_group.addButton(button)
        self.month_button.clicked.connect(lambda: self.set_view(MONTH))
        self.week_button.clicked.connect(lambda: self.set_view(WEEK))

        toolbar = QHBoxLayout()
        toolbar.addWidget(self.today_button)
        toolbar.addWidget(self.prev_button)
        toolbar.addWidget(self.next_button)
        toolbar.addSpacing(8)
        toolbar.addWidget(self.title)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.hint, 1)
        toolbar.addWidget(self._legend())
        toolbar.addSpacing(12)
        toolbar.addWidget(self.month_button)
        toolbar.addWidget(self.week_button)

        self.notice = Notice()
        self.notice.action.clicked.connect(self._send_update)
        self.month = MonthGrid()
        self.week = WeekGrid()
        for grid in (self.month, self.week):
            grid.roundtable_activated.connect(self.open_roundtable)
        self.month.roundtable_dropped.connect(self._dropped_on_day)
        self.week.roundtable_dropped.connect(self._dropped_on_slot)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.month)
        self.stack.addWidget(self.week)

        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(self.notice)
        layout.addWidget(self.stack, 1)

        for keys_, step in (
            ("PgUp", -1),
            ("PgDown", 1),
            ("Ctrl+Left", -1),
            ("Ctrl+Right", 1),
        ):
            shortcut = QShortcut(QKeySequence(keys_), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.page(step))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        ctx.changes_published.connect(self._on_changes)
        self._notice_index = -1
        ctx.undo_stack.indexChanged.connect(self._undo_index_changed)
        self._show_view_buttons()

    def _legend(self) -> QWidget:
        """The status colours, drawn as the grids draw a roundtable: a small tinted chip
        with a coloured left edge and its name inside (empty squares beside the names
        looked like unticked checkboxes). Flat, small and captioned, so that they read
        as a key, not as buttons."""
        legend = QWidget()
        legend.setObjectName("calendarLegend")
        legend.setToolTip("Roundtables are coloured by their status")
        layout = QHBoxLayout(legend)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        caption = QLabel("Status:")
        caption.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(caption)
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() * 0.9, 7.0))
        for status, label in STATUS_LABELS.items():
            background, foreground, border = STATUS_COLOURS[status]
            chip = QLabel(label)
            chip.setObjectName("legendChip")
            chip.setFont(small)
            chip.setStyleSheet(
                f"QLabel#legendChip {{ background: {background.name()};"
                f" color: {foreground.name()}; border: none;"
                f" border-left: 3px solid {border.name()}; border-radius: 2px;"
                " padding: 1px 5px; }"
            )
            layout.addWidget(chip)
        return legend

    # --- period ---------------------------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.ctx.settings.get(keys.DEFAULT_TIME_ZONE))
        except Exception:  # a zone this machine does not know: fall back, never crash
            return ZoneInfo("Europe/London")

    def period(self) -> tuple[dt.date, dt.date]:
        """The first day shown and the day after the last."""
        if self.view == MONTH:
            start, weeks = month_grid_range(self.anchor)
            return start, start + dt.timedelta(weeks=weeks)
        start = monday_of(self.anchor)
        return start, start + dt.timedelta(days=7)

    def period_title(self) -> str:
        if self.view == MONTH:
            return f"{self.anchor:%B %Y}"
        start = monday_of(self.anchor)
        end = start + dt.timedelta(days=6)
        if start.month == end.month:
            return f"{start.day}–{end.day} {end:%B %Y}"
        if start.year == end.year:
            return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
        return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"

    def set_period(self, day: dt.date) -> None:
        """Show the month or week containing ``day``."""
        self.anchor = day
        self.reload()

    def page(self, step: int) -> None:
        """Go ``step`` months (or weeks) forward; negative goes back."""
        if self.view == MONTH:
            month = self.anchor.year * 12 + self.anchor.month - 1 + step
            self.set_period(dt.date(month // 12, month % 12 + 1, 1))
        else:
            self.set_period(self.anchor + dt.timedelta(weeks=step))

    def go_today(self) -> None:
        self.set_period(dt.date.today())

    def set_view(self, view: str) -> None:
        """Switch between ``"month"`` and ``"week"`` (remembered in the settings)."""
        if view == self.view:
            self._show_view_buttons()
            return
        if view == WEEK and self.view == MONTH:
            self.anchor = self._first_week_day()
        self.view = view
        self.ctx.settings.set(keys.CALENDAR_VIEW, view)
        self._show_view_buttons()
        self.reload()

    def _first_week_day(self) -> dt.date:
        """Where the week view opens from a month: today, else the month's first roundtable."""
        today = dt.date.today()
        month = self.anchor.replace(day=1)
        if today.replace(day=1) == month:
            return today
        days = [i.start.date() for i in self.month.items if i.start.date().replace(day=1) == month]
        return min(days, default=month)

    def _show_view_buttons(self) -> None:
        self.month_button.setChecked(self.view == MONTH)
        self.week_button.setChecked(self.view == WEEK)
        self.stack.setCurrentWidget(self.month if self.view == MONTH else self.week)

    # --- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the roundtables of the shown period and draw them."""
        self._dirty = False
        zone = self.zone
        first, after = self.period()
        start = dt.datetime.combine(first, dt.time(), tzinfo=zone).astimezone(dt.UTC)
        end = dt.datetime.combine(after, dt.time(), tzinfo=zone).astimezone(dt.UTC)
        try:
            with self.ctx.db.reading() as session:
                rows = list_between(session, start, end)
        except RoundtableError as exc:
            self.ctx.report_error("Cannot show the calendar", str(exc))
            rows = []
        items = items_from_rows(rows, zone)
        today = dt.datetime.now(zone).date()
        if self.view == MONTH:
            self.month.set_month(self.anchor, items, today)
            month = self.anchor.month
            self.count = sum(i.start.date().month == month for i in items)
        else:
            self.week.set_week(self.anchor, items, today)
            self.count = sum(first <= i.start.date() < after for i in items)
        title = self.period_title()
        self.title.setText(title)
        what = "this month" if self.view == MONTH else "this week"
        if self.count:
            noun = "roundtable" if self.count == 1 else "roundtables"
            self.hint.setText(f"{self.count} {noun} · times in {zone.key}")
        else:
            self.hint.setText(f"No roundtables {what}. Use ‹ › or PgUp/PgDn to look around.")
        self.period_changed.emit(title)

    def _on_changes(self, changes: Changes) -> None:
        if not (changes.roundtables or changes.all_roundtables):
            return
        if self.isVisible():
            self.reload()
        else:
            self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._dirty:
            self.reload()
        super().showEvent(event)

    # --- opening -------------------------------------------------------------------------------

    def open_roundtable(self, roundtable_id: int) -> None:
        """Open the roundtable editor."""
        from roundtable_app.ui.roundtables import open_roundtable_editor

        open_roundtable_editor(self.ctx, roundtable_id, self)

    # --- moving --------------------------------------------------------------------------------

    def _dropped_on_day(self, roundtable_id: int, day: dt.date) -> None:
        """Month view: the same time of day (in the roundtable's own zone), another day."""
        try:
            with self.ctx.db.reading() as session:
                info = roundtables.get_roundtable(session, roundtable_id)
        except RoundtableError as exc:
            messages.show_error(self, "Cannot move the roundtable", str(exc))
            return
        starts, ends = info.data.starts_at, info.data.ends_at
        if starts is None or ends is None:
            return
        own = ZoneInfo(info.data.time_zone)
        shown = starts.astimezone(self.zone).date()
        local = starts.astimezone(own)
        target = local.date() + (day - shown)
        try:
            new_start, _end = roundtables.local_times(
                target, local.time(), ends - starts, info.data.time_zone
            )
        except RoundtableError as exc:
            messages.show_error(self, "Cannot move the roundtable", str(exc))
            return
        self.move_roundtable(roundtable_id, new_start, info.version, info.data.time_zone)

    def _dropped_on_slot(self, roundtable_id: int, when: dt.datetime) -> None:
        """Week view: a new wall-clock start in the display zone."""
        try:
            with self.ctx.db.reading() as session:
                info = roundtables.get_roundtable(session, roundtable_id)
        except RoundtableError as exc:
            messages.show_error(self, "Cannot move the roundtable", str(exc))
            return
        new_start = when.replace(tzinfo=self.zone).astimezone(dt.UTC)
        self.move_roundtable(roundtable_id, new_start, info.version, info.data.time_zone)

    def move_roundtable(
        self, roundtable_id: int, new_start: dt.datetime, version: int, time_zone: str
    ) -> RescheduleCommand | None:
        """Reschedule (undoable), then say what follows: weekend, clashes, the update to send."""
        try:
            command = RescheduleCommand.execute(self.ctx, roundtable_id, new_start, version)
        except RoundtableError as exc:
            messages.show_error(self, "Cannot move the roundtable", str(exc))
            self.reload()
            return None
        self.ctx.undo_stack.push(command)
        move = command.move
        local = new_start.astimezone(ZoneInfo(time_zone))
        lines = [
            f"Moved <b>{command.text().removeprefix('Move ')}</b> to {local:%a %d %b %Y, %H:%M}."
        ]
        if move.weekend:
            lines.append(f"⚠ {move.weekend}")
        clashes, waiting = move.clashes, move.needs_update
        if clashes:
            more = f" (and {len(clashes) - 1} more)" if len(clashes) > 1 else ""
            lines.append(f"⚠ Clash: {clashes[0].message}{more}")
        action = ""
        self._update_target = None
        if waiting:
            noun = "invitee needs" if waiting == 1 else "invitees need"
            lines.append(f"{waiting} {noun} the update.")
            action = "Send update…"
            self._update_target = roundtable_id
        self.notice.show_notice("<br>".join(lines), action)
        self._notice_index = self.ctx.undo_stack.index()
        return command

    def _undo_index_changed(self, index: int) -> None:
        # The notice is about the move just made; undoing it (or anything) retires it.
        if index != self._notice_index:
            self.notice.hide()

    def _send_update(self) -> None:
        if self._update_target is None:
            return
        from roundtable_app.ui.invitations import SendInvitationsDialog

        dialog = SendInvitationsDialog(self.ctx, self._update_target, self)
        dialog.exec()
        dialog.deleteLater()
        self.notice.hide()
