"""The week grid: 7 day columns × the hours 07:00–21:00, roundtables as blocks.

Blocks are sized by duration in the display zone; roundtables that overlap on
one day share the column side by side. Dragging a block moves it to another
day and time, snapped to 15 minutes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolTip, QWidget

from roundtable_app.ui.calendar.common import (
    DROP_COLOUR,
    GRID_COLOUR,
    STATUS_COLOURS,
    TODAY_ACCENT,
    TODAY_COLOUR,
    CalendarItem,
    monday_of,
)

FIRST_HOUR, LAST_HOUR = 7, 21
HEADER = 40
GUTTER = 52
SNAP_MINUTES = 15


class WeekGrid(QWidget):
    """A week of roundtables.

    Signals:
        roundtable_activated(int): a block was double-clicked.
        roundtable_dropped(int, object): a block was dragged to a new start
            (a naive ``datetime``, wall-clock time in the display zone).
    """

    roundtable_activated = Signal(int)
    roundtable_dropped = Signal(int, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarWeek")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.today = dt.date.today()
        self.start = monday_of(self.today)
        self.items: list[CalendarItem] = []
        self._blocks: list[tuple[QRect, CalendarItem]] = []
        self._pressed: tuple[CalendarItem, QPoint, QRect] | None = None
        self._dragging: CalendarItem | None = None
        self._ghost: QRect | None = None
        self._drop: dt.datetime | None = None
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.9, 7.0))
        self._block_font = font

    def sizeHint(self) -> QSize:
        return QSize(900, 640)

    def set_week(self, day: dt.date, items: list[CalendarItem], today: dt.date) -> None:
        """Show the week (Monday to Sunday) containing ``day``."""
        self.start = monday_of(day)
        self.today = today
        self.items = items
        self._cancel_drag()
        self._layout()
        self.update()

    # --- geometry -----------------------------------------------------------------------------

    def _column(self, index: int) -> tuple[int, int]:
        width = self.width() - GUTTER
        return GUTTER + index * width // 7, GUTTER + (index + 1) * width // 7

    @property
    def _hour_height(self) -> float:
        return max(self.height() - HEADER, 1) / (LAST_HOUR - FIRST_HOUR)

    def _y(self, moment: dt.datetime | dt.time) -> int:
        hours = moment.hour + moment.minute / 60 - FIRST_HOUR
        hours = min(max(hours, 0.0), LAST_HOUR - FIRST_HOUR)
        return HEADER + round(hours * self._hour_height)

    def column_rect(self, day: dt.date) -> QRect:
        x0, x1 = self._column((day - self.start).days)
        return QRect(x0, HEADER, x1 - x0, self.height() - HEADER)

    def block_rect(self, roundtable_id: int) -> QRect | None:
        for rect, item in self._blocks:
            if item.id == roundtable_id:
                return QRect(rect)
        return None

    def slot_at(self, pos: QPoint) -> dt.datetime | None:
        """The 15-minute slot under ``pos`` (naive wall-clock time), or None outside the grid."""
        if pos.x() < GUTTER or pos.y() < HEADER or not self.rect().contains(pos):
            return None
        column = min((pos.x() - GUTTER) * 7 // max(self.width() - GUTTER, 1), 6)
        minutes = (pos.y() - HEADER) / self._hour_height * 60
        minutes = round(minutes / SNAP_MINUTES) * SNAP_MINUTES
        day = self.start + dt.timedelta(days=column)
        return dt.datetime.combine(day, dt.time(FIRST_HOUR)) + dt.timedelta(minutes=minutes)

    def _layout(self) -> None:
        """Place the blocks; overlapping roundtables on a day share its width in lanes."""
        self._blocks = []
        by_day: dict[dt.date, list[CalendarItem]] = defaultdict(list)
        for item in self.items:
            offset = (item.start.date() - self.start).days
            if 0 <= offset < 7:
                by_day[item.start.date()].append(item)
        for day, items in by_day.items():
            items.sort(key=lambda i: (i.start, i.end))
            lanes: list[dt.datetime] = []  # the end of the last block in each lane
            placed: list[tuple[CalendarItem, int]] = []
            for item in items:
                lane = next((n for n, end in enumerate(lanes) if end <= item.start), len(lanes))
                if lane == len(lanes):
                    lanes.append(item.end)
                else:
                    lanes[lane] = item.end
                placed.append((item, lane))
            x0, x1 = self._column((day - self.start).days)
            width = (x1 - x0 - 4) / max(len(lanes), 1)
            for item, lane in placed:
                top = self._y(item.start)
                end = item.end if item.end.date() == day else dt.time(23, 59)
                bottom = max(self._y(end), top + 18)
                left = round(x0 + 2 + lane * width)
                rect = QRect(left, top + 1, round(width) - 2, bottom - top - 2)
                self._blocks.append((rect, item))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._layout()
        super().resizeEvent(event)

    # --- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        text = palette.color(QPalette.ColorRole.Text)
        painter.fillRect(self.rect(), base)
        painter.fillRect(
            QRect(0, 0, self.width(), HEADER), palette.color(QPalette.ColorRole.Window)
        )
        bold = QFont(self.font())
        bold.setBold(True)
        weekend = QColor(base).darker(104)
        for index in range(7):
            day = self.start + dt.timedelta(days=index)
            x0, x1 = self._column(index)
            column = QRect(x0, HEADER, x1 - x0, self.height() - HEADER)
            if day == self.today:
                painter.fillRect(column, TODAY_COLOUR)
            elif day.weekday() >= 5:
                painter.fillRect(column, weekend)
            header = QRect(x0, 0, x1 - x0, HEADER)
            painter.setFont(bold if day == self.today else self.font())
            painter.setPen(TODAY_ACCENT if day == self.today else text)
            painter.drawText(header, Qt.AlignmentFlag.AlignCenter, f"{day:%a} {day.day} {day:%b}")
        painter.setFont(self.font())
        for hour in range(FIRST_HOUR, LAST_HOUR + 1):
            y = self._y(dt.time(hour)) if hour < 24 else self.height()
            y = min(y, self.height() - 1)
            painter.setPen(QPen(GRID_COLOUR, 1))
            painter.drawLine(GUTTER, y, self.width(), y)
            if hour < LAST_HOUR:
                painter.setPen(muted)
                label = QRect(0, y - 1, GUTTER - 6, 16)
                painter.drawText(
                    label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, f"{hour:02d}:00"
                )
        painter.setPen(QPen(GRID_COLOUR, 1))
        for index in range(8):
            x = self._column(index)[0] if index < 7 else self.width() - 1
            painter.drawLine(x, 0 if index == 0 else HEADER, x, self.height())
        if self._ghost is not None:
            painter.fillRect(self._ghost, DROP_COLOUR)
            painter.setPen(QPen(TODAY_ACCENT, 1, Qt.PenStyle.DashLine))
            painter.drawRect(self._ghost.adjusted(0, 0, -1, -1))
            if self._drop is not None:
                painter.setPen(TODAY_ACCENT)
                painter.drawText(self._ghost.adjusted(6, 2, 0, 0), f"{self._drop:%a %H:%M}")
        self._paint_blocks(painter)
        painter.end()

    def _paint_blocks(self, painter: QPainter) -> None:
        metrics = QFontMetrics(self._block_font)
        bold = QFont(self._block_font)
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for rect, item in self._blocks:
            background, foreground, border = STATUS_COLOURS[item.status]
            if item is self._dragging:
                background = QColor(background)
                background.setAlpha(110)
            painter.setPen(QPen(border, 1))
            painter.setBrush(background)
            painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
            painter.fillRect(QRect(rect.left() + 1, rect.top() + 2, 3, rect.height() - 4), border)
            inner = rect.adjusted(8, 3, -4, -2)
            painter.save()
            painter.setClipRect(inner)
            painter.setPen(foreground)
            painter.setFont(bold)
            line = metrics.height()
            title = bold_metrics.elidedText(item.title, Qt.TextElideMode.ElideRight, inner.width())
            painter.drawText(inner.left(), inner.top() + metrics.ascent(), title)
            painter.setFont(self._block_font)
            lines = [f"{item.start:%H:%M}–{item.end:%H:%M}"]
            if item.venue:
                lines.append(item.venue)
            for n, text in enumerate(lines, start=1):
                if inner.height() < (n + 1) * line:
                    break
                text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, inner.width())
                painter.drawText(inner.left(), inner.top() + n * line + metrics.ascent(), text)
            painter.restore()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    # --- mouse ---------------------------------------------------------------------------------

    def item_at(self, pos: QPoint) -> CalendarItem | None:
        for rect, item in reversed(self._blocks):
            if rect.contains(pos):
                return item
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            item = self.item_at(event.pos())
            if item is not None:
                QToolTip.showText(event.globalPos(), item.tooltip(), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        item = self.item_at(pos)
        if event.button() == Qt.MouseButton.LeftButton and item is not None:
            rect = self.block_rect(item.id) or QRect()
            self._pressed = (item, pos, rect)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._pressed is not None and self._dragging is None:
            item, origin, _rect = self._pressed
            far = (pos - origin).manhattanLength() >= QApplication.startDragDistance()
            if far and item.movable:
                self._dragging = item
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
        if self._dragging is not None and self._pressed is not None:
            _item, origin, rect = self._pressed
            # The block's top follows the mouse, keeping where it was grabbed.
            top = QPoint(pos.x(), pos.y() - (origin.y() - rect.top()))
            self._drop = self.slot_at(QPoint(top.x(), max(top.y(), HEADER)))
            self._ghost = None
            if self._drop is not None:
                column = self.column_rect(self._drop.date())
                y = self._y(self._drop.time())
                self._ghost = QRect(column.left() + 2, y, column.width() - 4, rect.height())
            self.update()
        else:
            hover = self.item_at(pos)
            movable = hover is not None and hover.movable
            self.setCursor(Qt.CursorShape.OpenHandCursor if movable else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        item, drop = self._dragging, self._drop
        self._cancel_drag()
        if item is not None and drop is not None and drop != item.start.replace(tzinfo=None):
            self.roundtable_dropped.emit(item.id, drop)
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        item = self.item_at(event.position().toPoint())
        self._cancel_drag()
        if item is not None:
            self.roundtable_activated.emit(item.id)
        super().mouseDoubleClickEvent(event)

    def _cancel_drag(self) -> None:
        if self._dragging is not None:
            self.update()
        self._pressed, self._dragging, self._ghost, self._drop = None, None, None, None
        self.unsetCursor()
