"""How one person's line looks on the check-in screen: large, calm, readable from a metre.

A round mark (hollow: still to come; green with a tick: arrived; amber: late),
the name in bold with the organisation beside it, and on the right the
arrival time, a discreet mark for noted arrangements and the table number.
The mark's tooltip explains it without naming any need: others can see the
screen.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from roundtable_app.services.attendance import AttendanceRow
from roundtable_app.ui.attendance import checkin_model as cm

Index = QModelIndex | QPersistentModelIndex

NAME_POINTS = 19.0
DETAIL_POINTS = 14.0
MARK = 26
STATUS_WIDTH = 250
TABLE_WIDTH = 118
NEEDS_WIDTH = 40
NEEDS_MARK = "◆"
_DRAWN_KEPT = 4000  # lines kept drawn (a 500-person list, twice over, and more)
_WARM_SLICE_S = 0.004  # drawing ahead never holds a keystroke up longer than this

_INK = QColor("#1d2830")
_MUTED = QColor("#66737e")
_GREEN = QColor("#23724a")
_AMBER = QColor("#a15c00")
_RING = QColor("#9aa6b0")
_SELECTED = QColor("#d6e7f7")
_ACCENT = QColor("#1f6fb2")
_STRIPE = QColor("#f6f8fa")
_HOVER = QColor("#edf3f9")
_BADGE = QColor("#edf1f4")
_BADGE_LINE = QColor("#cfd6dc")
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)
_ELIDE_RIGHT = Qt.TextElideMode.ElideRight
_ANTIALIASING = QPainter.RenderHint.Antialiasing
_STATE_SELECTED = QStyle.StateFlag.State_Selected
_STATE_HOVER = QStyle.StateFlag.State_MouseOver
_NO_PEN = Qt.PenStyle.NoPen
_NO_BRUSH = Qt.BrushStyle.NoBrush
_STATUS_COLOURS = {
    cm.State.ARRIVED: _GREEN,
    cm.State.LATE: _AMBER,
    cm.State.EXPECTED: _MUTED,
    cm.State.NOT_EXPECTED: _MUTED,
}


@dataclass(frozen=True)
class _Parts:
    mark: QRect
    text: QRect
    status: QRect
    needs: QRect
    table: QRect


def _parts(rect: QRect) -> _Parts:
    right = rect.right() - 14
    table = QRect(right - TABLE_WIDTH, rect.top(), TABLE_WIDTH, rect.height())
    needs = QRect(table.left() - NEEDS_WIDTH - 6, rect.top(), NEEDS_WIDTH, rect.height())
    status = QRect(needs.left() - STATUS_WIDTH - 8, rect.top(), STATUS_WIDTH, rect.height())
    mark = QRect(rect.left() + 18, rect.center().y() - MARK // 2, MARK, MARK)
    text = QRect(mark.right() + 18, rect.top(), status.left() - mark.right() - 30, rect.height())
    return _Parts(mark, text, status, needs, table)


class CheckInDelegate(QStyledItemDelegate):
    """Paints a :class:`~roundtable_app.ui.attendance.checkin_model.CheckInModel` row.

    Painting runs for every visible row on every keystroke, so each row's line
    is drawn once into a pixmap and kept (keyed by the row, its status and the
    width); painting fills the background and places the pixmap. :meth:`warm`
    draws the whole list ahead while the door is idle.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.name_font = QFont(parent.font())
        self.name_font.setPointSizeF(NAME_POINTS)
        self.name_font.setWeight(QFont.Weight.DemiBold)
        self.detail_font = QFont(parent.font())
        self.detail_font.setPointSizeF(DETAIL_POINTS)
        self.badge_font = QFont(self.detail_font)
        self.badge_font.setWeight(QFont.Weight.DemiBold)
        self.name_metrics = QFontMetrics(self.name_font)
        self.detail_metrics = QFontMetrics(self.detail_font)
        self.row_height = self.name_metrics.height() + 28
        self._ascent = self.name_metrics.ascent()
        self._tick = QPen(QColor("white"), 3)
        self._tick.setCapStyle(Qt.PenCapStyle.RoundCap)
        self._tick.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        self._ring = QPen(_RING, 2)
        self._dotted_ring = QPen(_RING, 2)
        self._dotted_ring.setStyle(Qt.PenStyle.DotLine)
        self._badge_line = QPen(_BADGE_LINE, 1)
        self._elided: dict[tuple[bool, str, int], str] = {}
        self._drawn: dict[tuple[AttendanceRow, str, int, float], QPixmap] = {}
        self._warming: tuple[cm.CheckInModel, QWidget, list[AttendanceRow]] | None = None
        self._warm_timer = QTimer(self)
        self._warm_timer.setInterval(0)
        self._warm_timer.timeout.connect(self._warm_step)

    def _elide(self, name: bool, text: str, width: int) -> str:
        key = (name, text, width)
        found = self._elided.get(key)
        if found is None:
            if len(self._elided) > 20_000:
                self._elided.clear()
            metrics = self.name_metrics if name else self.detail_metrics
            found = metrics.elidedText(text, _ELIDE_RIGHT, max(width, 0))
            self._elided[key] = found
        return found

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        # The view gives each row its full width; the width asked for here only sets
        # when a horizontal scroll bar would appear (never: the text is elided).
        return QSize(320, self.row_height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        if not isinstance(model, cm.CheckInModel):
            return
        n = index.row()
        row = model.row_at(n)
        if row is None:
            return
        rect: QRect = option.rect
        state = option.state
        if state & _STATE_SELECTED:
            painter.fillRect(rect, _SELECTED)
            painter.fillRect(QRect(rect.left(), rect.top(), 5, rect.height()), _ACCENT)
        elif state & _STATE_HOVER:
            painter.fillRect(rect, _HOVER)
        elif n % 2:
            painter.fillRect(rect, _STRIPE)
        ratio = painter.device().devicePixelRatioF()
        painter.drawPixmap(rect.topLeft(), self._content(model, row, rect.width(), ratio))

    def _content(
        self, model: cm.CheckInModel, row: AttendanceRow, width: int, ratio: float
    ) -> QPixmap:
        """The row's line (everything but its background), drawn once and kept."""
        status = model.status_text(row)
        key = (row, status, width, ratio)
        found = self._drawn.get(key)
        if found is not None:
            return found
        if len(self._drawn) > _DRAWN_KEPT:
            self._drawn.clear()
        height = self.row_height
        pixmap = QPixmap(math.ceil(width * ratio), math.ceil(height * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(_ANTIALIASING)
        parts = _parts(QRect(0, 0, width, height))
        row_state = model.state(row)
        self._paint_mark(painter, parts.mark, row_state)
        self._paint_text(painter, parts.text, row.name, model.detail(row))
        painter.setFont(self.detail_font)
        painter.setPen(_STATUS_COLOURS[row_state])
        painter.drawText(parts.status, _RIGHT, self._elide(False, status, parts.status.width()))
        if row.has_needs:
            painter.setPen(_MUTED)
            painter.drawText(parts.needs, _CENTRE, NEEDS_MARK)
        if row.table is not None:
            badge = parts.table.adjusted(0, 12, 0, -12)
            painter.setPen(self._badge_line)
            painter.setBrush(_BADGE)
            painter.drawRoundedRect(badge, 6, 6)
            painter.setFont(self.badge_font)
            painter.setPen(_INK)
            painter.drawText(badge, _CENTRE, f"Table {row.table}")
        painter.end()
        self._drawn[key] = pixmap
        return pixmap

    def warm(self, view: QAbstractItemView) -> None:
        """Draw every row of the list ahead, a few at a time while the door is idle.

        Typing then only places lines already drawn: a keystroke repaints the
        whole visible list, and drawing a line of large text takes a frame's
        share by itself.
        """
        model = view.model()
        if not isinstance(model, cm.CheckInModel):
            return
        self._warming = (model, view.viewport(), list(model.all_rows()))
        self._warm_timer.start()

    def busy(self) -> bool:
        """Whether rows are still being drawn ahead."""
        return self._warming is not None

    def _warm_step(self) -> None:
        if self._warming is None:
            self._warm_timer.stop()
            return
        model, viewport, rows = self._warming
        width, ratio = viewport.width(), viewport.devicePixelRatioF()
        deadline = time.perf_counter() + _WARM_SLICE_S
        while rows and time.perf_counter() < deadline:
            self._content(model, rows.pop(), width, ratio)
        if not rows:
            self._warming = None
            self._warm_timer.stop()

    def _paint_mark(self, painter: QPainter, mark: QRect, state: cm.State) -> None:
        if state in (cm.State.ARRIVED, cm.State.LATE):
            painter.setPen(_NO_PEN)
            painter.setBrush(_GREEN if state == cm.State.ARRIVED else _AMBER)
            painter.drawEllipse(mark)
            painter.setPen(self._tick)
            x, y, w = mark.left(), mark.top(), mark.width()
            painter.drawPolyline(
                [
                    QPoint(x + int(w * 0.27), y + int(w * 0.52)),
                    QPoint(x + int(w * 0.44), y + int(w * 0.68)),
                    QPoint(x + int(w * 0.74), y + int(w * 0.34)),
                ]
            )
            return
        painter.setPen(self._dotted_ring if state == cm.State.NOT_EXPECTED else self._ring)
        painter.setBrush(_NO_BRUSH)
        painter.drawEllipse(mark.adjusted(1, 1, -1, -1))

    def _paint_text(self, painter: QPainter, area: QRect, name: str, detail: str) -> None:
        name = self._elide(True, name, int(area.width() * 0.62))
        painter.setFont(self.name_font)
        painter.setPen(_INK)
        painter.drawText(area, _LEFT, name)
        if not detail:
            return
        used = self.name_metrics.horizontalAdvance(name) + 22
        # Same baseline as the name, so the line reads as one.
        baseline = area.center().y() + self._ascent // 2 - 2
        painter.setFont(self.detail_font)
        painter.setPen(_MUTED)
        painter.drawText(
            QPoint(area.left() + used, baseline), self._elide(False, detail, area.width() - used)
        )

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        """The needs mark explains itself; nothing else has a tooltip."""
        if event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        needs = _parts(option.rect).needs
        if index.data(cm.NEEDS_ROLE) and needs.contains(event.pos()):
            QToolTip.showText(event.globalPos(), cm.NEEDS_TOOLTIP, view)
        else:
            QToolTip.hideText()
            event.ignore()
        return True


def needs_mark_centre(view: QAbstractItemView, index: Index) -> QPoint:
    """Where the needs mark of ``index`` is drawn (for tests and tooltips)."""
    return _parts(view.visualRect(index)).needs.center()
