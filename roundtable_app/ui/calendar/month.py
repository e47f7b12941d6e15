"""The month grid: weeks × 7 days, each day listing its roundtables as coloured chips.

Painted by hand for speed. Chips can be dragged to another day (the page keeps
the time of day) and double-clicked to open the roundtable. A crowded day shows
as many chips as fit and "+3 more" (its tooltip lists them all).
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
    month_grid_range,
)

HEADER = 26
DAY_LABEL = 22
CHIP_GAP = 2
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class MonthGrid(QWidget):
    """A month of roundtables.

    Signals:
        roundtable_activated(int): a chip was double-clicked.
        roundtable_dropped(int, object): a chip was dragged to another day (a ``date``).
    """

    roundtable_activated = Signal(int)
    roundtable_dropped = Signal(int, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarMonth")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.month = dt.date.today().replace(day=1)
        self.today = dt.date.today()
        self.start, self.weeks = month_grid_range(self.month)
        self.items: list[CalendarItem] = []
        self._by_day: dict[dt.date, list[CalendarItem]] = {}
        self._chips: list[tuple[QRect, CalendarItem]] = []
        self._more: list[tuple[QRect, dt.date, int]] = []
        self._pressed: tuple[CalendarItem, QPoint] | None = None
        self._dragging: CalendarItem | None = None
        self._drop_day: dt.date | None = None
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.9, 7.0))
        self._chip_font = font
        self._chip_height = QFontMetrics(font).height() + 4

    def sizeHint(self) -> QSize:
        return QSize(900, 640)

    # --- data -------------------------------------------------------------------------------

    def set_month(self, month: dt.date, items: list[CalendarItem], today: dt.date) -> None:
        """Show ``month`` (any day in it) with ``items`` (in the display zone)."""
        self.month = month.replace(day=1)
        self.today = today
        self.start, self.weeks = month_grid_range(self.month)
        self.items = items
        by_day: dict[dt.date, list[CalendarItem]] = defaultdict(list)
        for item in items:
            by_day[item.start.date()].append(item)
        self._by_day = by_day
        self._cancel_drag()
        self._layout()
        self.update()

    def items_on(self, day: dt.date) -> list[CalendarItem]:
        return list(self._by_day.get(day, ()))

    # --- geometry ----------------------------------------------------------------------------

    def _cell(self, index: int) -> QRect:
        """The rectangle of the grid's ``index``-th day (0 = the top-left Monday)."""
        width, height = self.width(), self.height() - HEADER
        row, column = divmod(index, 7)
        x0 = column * width // 7
        x1 = (column + 1) * width // 7
        y0 = HEADER + row * height // self.weeks
        y1 = HEADER + (row + 1) * height // self.weeks
        return QRect(x0, y0, x1 - x0, y1 - y0)

    def day_rect(self, day: dt.date) -> QRect:
        return self._cell((day - self.start).days)

    def day_at(self, pos: QPoint) -> dt.date | None:
        if pos.y() < HEADER or not self.rect().contains(pos):
            return None
        column = min(pos.x() * 7 // max(self.width(), 1), 6)
        row = min((pos.y() - HEADER) * self.weeks // max(self.height() - HEADER, 1), self.weeks - 1)
        return self.start + dt.timedelta(days=row * 7 + column)

    def chip_rect(self, roundtable_id: int) -> QRect | None:
        for rect, item in self._chips:
            if item.id == roundtable_id:
                return QRect(rect)
        return None

    def _layout(self) -> None:
        """Place the chips (done on data or size changes, never while painting)."""
        self._chips, self._more = [], []
        step = self._chip_height + CHIP_GAP
        for index in range(self.weeks * 7):
            day = self.start + dt.timedelta(days=index)
            day_items = self._by_day.get(day)
            if not day_items:
                continue
            cell = self._cell(index)
            room = max((cell.height() - DAY_LABEL - 2) // step, 0)
            shown = day_items if len(day_items) <= room else day_items[: max(room - 1, 0)]
            y = cell.top() + DAY_LABEL
            for item in shown:
                rect = QRect(cell.left() + 3, y, cell.width() - 6, self._chip_height)
                self._chips.append((rect, item))
                y += step
            hidden = len(day_items) - len(shown)
            if hidden:
                rect = QRect(cell.left() + 3, y, cell.width() - 6, self._chip_height)
                self._more.append((rect, day, hidden))

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
        painter.setPen(muted)
        for column, name in enumerate(WEEKDAYS):
            x0, x1 = column * self.width() // 7, (column + 1) * self.width() // 7
            painter.drawText(QRect(x0, 0, x1 - x0, HEADER), Qt.AlignmentFlag.AlignCenter, name)
        outside = QColor(base).darker(106)
        weekend = QColor(base).darker(102)
        bold = QFont(self.font())
        bold.setBold(True)
        for index in range(self.weeks * 7):
            day = self.start + dt.timedelta(days=index)
            cell = self._cell(index)
            in_month = day.month == self.month.month
            if day == self.today:
                painter.fillRect(cell, TODAY_COLOUR)
            elif not in_month:
                painter.fillRect(cell, outside)
            elif day.weekday() >= 5:
                painter.fillRect(cell, weekend)
            if day == self._drop_day:
                painter.fillRect(cell, DROP_COLOUR)
            label = QRect(cell.left() + 6, cell.top() + 3, 24, DAY_LABEL - 4)
            if day == self.today:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(TODAY_ACCENT)
                painter.drawEllipse(QRectF(label.left() - 3, label.top() - 1, 22, 20))
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
                painter.setPen(QColor("white"))
                painter.setFont(bold)
            else:
                painter.setPen(text if in_month else muted)
                painter.setFont(bold if in_month else self.font())
            number = str(day.day) if day.day != 1 else f"{day.day} {day:%b}"
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            if day == self.today:
                flags = Qt.AlignmentFlag.AlignCenter
                label = QRect(label.left() - 3, label.top() - 1, 22, 20)
            painter.drawText(label.adjusted(0, 0, 40, 0) if day.day == 1 else label, flags, number)
        painter.setFont(self.font())
        painter.setPen(QPen(GRID_COLOUR, 1))
        for column in range(1, 7):
            x = column * self.width() // 7
            painter.drawLine(x, HEADER, x, self.height())
        for row in range(self.weeks):
            y = HEADER + row * (self.height() - HEADER) // self.weeks
            painter.drawLine(0, y, self.width(), y)
        self._paint_chips(painter, muted)
        painter.end()

    def _paint_chips(self, painter: QPainter, muted: QColor) -> None:
        painter.setFont(self._chip_font)
        metrics = QFontMetrics(self._chip_font)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for rect, item in self._chips:
            background, foreground, border = STATUS_COLOURS[item.status]
            if item is self._dragging:
                background = QColor(background)
                background.setAlpha(110)
            painter.setPen(QPen(border, 1))
            painter.setBrush(background)
            painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
            painter.fillRect(QRect(rect.left() + 1, rect.top() + 2, 3, rect.height() - 4), border)
            label = f"{item.start:%H:%M} {item.title}"
            inner = rect.adjusted(7, 0, -4, 0)
            elided = metrics.elidedText(label, Qt.TextElideMode.ElideRight, inner.width())
            font = QFont(self._chip_font)
            font.setStrikeOut(item.status.value == "cancelled")
            painter.setFont(font)
            painter.setPen(foreground)
            painter.drawText(inner, Qt.AlignmentFlag.AlignVCenter, elided)
        painter.setFont(self._chip_font)
        painter.setPen(muted)
        for rect, _day, hidden in self._more:
            painter.drawText(
                rect.adjusted(6, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, f"+{hidden} more"
            )
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    # --- mouse ---------------------------------------------------------------------------------

    def item_at(self, pos: QPoint) -> CalendarItem | None:
        for rect, item in self._chips:
            if rect.contains(pos):
                return item
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self._tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def _tooltip_at(self, pos: QPoint) -> str:
        item = self.item_at(pos)
        if item is not None:
            return item.tooltip()
        for rect, day, _hidden in self._more:
            if rect.contains(pos):
                return "<br>".join(f"{i.start:%H:%M} {i.title}" for i in self._by_day.get(day, ()))
        return ""

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            item = self.item_at(event.position().toPoint())
            self._pressed = (item, event.position().toPoint()) if item is not None else None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._pressed is not None and self._dragging is None:
            item, origin = self._pressed
            far = (pos - origin).manhattanLength() >= QApplication.startDragDistance()
            if far and item.movable:
                self._dragging = item
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
        if self._dragging is not None:
            day = self.day_at(pos)
            if day != self._drop_day:
                self._drop_day = day
                self.update()
        else:
            hover = self.item_at(pos)
            movable = hover is not None and hover.movable
            self.setCursor(Qt.CursorShape.OpenHandCursor if movable else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        item, day = self._dragging, self._drop_day
        self._cancel_drag()
        if item is not None and day is not None and day != item.start.date():
            self.roundtable_dropped.emit(item.id, day)
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        item = self.item_at(event.position().toPoint())
        self._cancel_drag()
        if item is not None:
            self.roundtable_activated.emit(item.id)
        super().mouseDoubleClickEvent(event)

    def _cancel_drag(self) -> None:
        if self._dragging is not None or self._drop_day is not None:
            self.update()
        self._pressed, self._dragging, self._drop_day = None, None, None
        self.unsetCursor()
