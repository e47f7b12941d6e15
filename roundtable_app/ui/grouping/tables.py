"""The tables of a plan side by side: one card per table, members dragged between them.

Each :class:`TableCard` shows its members (name, sector; interests in the
tooltip; a lock when locked; a small "LE" badge for lived-experience
participants, for staff only) and, below, why the table is as it is: the
interests it shares, its new pairings, its sector mix and its warnings
(including together / apart rules its seating breaks).
The widget only reports what the user did (``people_moved``, ``lock_requested``,
``rule_requested``);
the page turns that into undoable commands and shows the new plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from html import escape

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QDropEvent,
    QFont,
    QFontMetrics,
    QPainter,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.grouping.scoring import Invitee
from roundtable_app.services.grouping import Plan

MIME = "application/x-roundtable-person-ids"
PERSON_ROLE = Qt.ItemDataRole.UserRole + 1
SECTOR_ROLE = Qt.ItemDataRole.UserRole + 2
LOCKED_ROLE = Qt.ItemDataRole.UserRole + 3
LIVED_ROLE = Qt.ItemDataRole.UserRole + 4
CARD_WIDTH = 300  # the narrowest a card gets; cards widen to fill a row
ROW_HEIGHT = 24
TOP_INTERESTS = 3
STYLE = """
QFrame#tableCard { background: #ffffff; border: 1px solid #d4d8dd; border-radius: 6px; }
QLabel#cardTitle { font-weight: 600; font-size: 11pt; color: #2b3a46; }
QLabel#cardFacts { color: #46525c; }
QLabel#cardWarnings { color: #8a4b00; background: #fff4e0; border-radius: 4px; padding: 4px 6px; }
QListWidget#members { border: none; background: transparent; }
QWidget#tablesCanvas { background: #f3f5f7; }
"""


def _chip(text: str) -> str:
    return (
        f'<span style="background-color:#e8eef4; color:#2b3a46;">&nbsp;'
        f"{escape(text).replace(' ', '&nbsp;')}&nbsp;</span>"
    )


class MemberDelegate(QStyledItemDelegate):
    """Paints a member: name, sector in grey on the right, lock and "LE" badge."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(CARD_WIDTH - 30, ROW_HEIGHT)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        painter.save()
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, QColor("#cfe2f3"))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, QColor("#f0f4f8"))
        x = rect.left() + 6
        if index.data(LOCKED_ROLE):
            self._lock(painter, QRect(x, rect.top() + 5, 10, 14))
        x += 16
        font = QFont(option.font)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        right = rect.right() - 6
        if index.data(LIVED_ROLE):
            badge = QRect(right - 22, rect.top() + 5, 22, rect.height() - 10)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#ece6f5"))
            painter.drawRoundedRect(badge, 3, 3)
            small = QFont(font)
            small.setPointSizeF(max(6.0, font.pointSizeF() * 0.75))
            painter.setFont(small)
            painter.setPen(QColor("#5b3f8a"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "LE")
            painter.setFont(font)
            right = badge.left() - 6
        sector = str(index.data(SECTOR_ROLE) or "")
        name_text = str(index.data())
        avail = right - x
        # (+2: elidedText() elides a text exactly as wide as its own advance)
        sector_w = metrics.horizontalAdvance(sector) + 2
        name_w = metrics.horizontalAdvance(name_text) + 2
        if name_w + sector_w + 8 > avail:  # share the row: the name keeps at least half
            sector_w = min(sector_w, max(avail // 2, avail - name_w - 8))
        painter.setPen(QColor("#6a7680"))
        sector_rect = QRect(right - sector_w, rect.top(), sector_w, rect.height())
        elided = metrics.elidedText(sector, Qt.TextElideMode.ElideRight, sector_w)
        painter.drawText(
            sector_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, elided
        )
        name_rect = QRect(x, rect.top(), right - sector_w - 8 - x, rect.height())
        name = metrics.elidedText(name_text, Qt.TextElideMode.ElideRight, name_rect.width())
        painter.setPen(QColor("#111111"))
        painter.drawText(
            name_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name
        )
        painter.restore()

    @staticmethod
    def _lock(painter: QPainter, r: QRect) -> None:
        painter.setPen(QPen(QColor("#5c6b78"), 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawArc(r.left() + 1, r.top(), r.width() - 2, 10, 0, 180 * 16)
        painter.drawLine(r.left() + 1, r.top() + 5, r.left() + 1, r.top() + 7)
        painter.drawLine(r.right() - 1, r.top() + 5, r.right() - 1, r.top() + 7)
        painter.setBrush(QColor("#5c6b78"))
        painter.drawRoundedRect(QRect(r.left(), r.top() + 7, r.width(), r.height() - 7), 1.5, 1.5)


class MemberList(QListWidget):
    """The members of one table; a drag carries person ids, a drop reports a move.

    Signals:
        people_dropped(list[int], int): people dropped here (this table's 0-based index).
    """

    people_dropped = Signal(list, int)

    def __init__(self, table: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.setObjectName("members")
        self.setItemDelegate(MemberDelegate(self))
        self.setMouseTracking(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        ids = ",".join(str(item.data(PERSON_ROLE)) for item in items)
        data.setData(MIME, QByteArray(ids.encode()))
        return data

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def dropEvent(self, event: QDropEvent) -> None:
        if not event.mimeData().hasFormat(MIME):
            event.ignore()
            return
        raw = bytes(event.mimeData().data(MIME).data()).decode()
        ids = [int(x) for x in raw.split(",") if x]
        # Copy, so the source list does not remove the items itself; the page rebuilds
        # the cards after the drag has returned (never inside the source's drag loop).
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        QTimer.singleShot(0, lambda: self.people_dropped.emit(ids, self.table))

    def selected_ids(self) -> list[int]:
        return [int(item.data(PERSON_ROLE)) for item in self.selectedItems()]


class TableCard(QFrame):
    """One table: a header, its members, and why it is as it is."""

    def __init__(
        self,
        plan: Plan,
        table: int,
        locked: frozenset[int],
        parent: QWidget | None = None,
        broken: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tableCard")
        self.setMinimumWidth(CARD_WIDTH)
        info = plan.explanation.tables[table]
        by_id = {inv.person_id: inv for inv in plan.invitees}
        members = [by_id[p] for p in plan.tables[table]]
        noun = "person" if len(members) == 1 else "people"
        self.title = QLabel(f"Table {table + 1} · {len(members)} {noun}")
        self.title.setObjectName("cardTitle")
        self.members = MemberList(table)
        self.members.setAccessibleName(f"Table {table + 1}")
        for inv in sorted(members, key=lambda m: m.name.lower()):
            self.members.addItem(_item(inv, inv.person_id in locked))
        self.members.setFixedHeight(max(1, len(members)) * ROW_HEIGHT + 4)

        shared = ", ".join(f"{escape(n)} ({c})" for n, c in info.shared_interests[:TOP_INTERESTS])
        facts = [
            f"<b>Shares</b> {shared}" if shared else "<b>Shares</b> no common interest",
            f"<b>New pairings</b> {info.new_pairings} of {info.pairs}",
            " ".join(_chip(f"{s} {c}") for s, c in info.sector_mix),
        ]
        self.facts = QLabel("<br>".join(facts))
        self.facts.setObjectName("cardFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        warnings = [*broken, *info.warnings]
        self.warnings = QLabel("<br>".join("⚠ " + escape(w) for w in warnings))
        self.warnings.setObjectName("cardWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setVisible(bool(warnings))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.members)
        layout.addWidget(self.facts)
        layout.addWidget(self.warnings)
        layout.addStretch(1)


def _item(inv: Invitee, locked: bool) -> QListWidgetItem:
    item = QListWidgetItem(inv.name)
    item.setData(PERSON_ROLE, inv.person_id)
    item.setData(SECTOR_ROLE, inv.sector or "")
    item.setData(LOCKED_ROLE, locked)
    item.setData(LIVED_ROLE, inv.lived_experience)
    lines = [f"<b>{escape(inv.name)}</b>"]
    if inv.organisation:
        lines.append(escape(inv.organisation))
    if inv.sector:
        lines.append(f"Sector: {escape(inv.sector)}")
    interests = ", ".join(sorted(inv.interests, key=str.lower)) or "none recorded"
    lines.append(f"Interests: {escape(interests)}")
    if inv.lived_experience:
        lines.append("<i>LE: lived-experience participant (shown to staff only)</i>")
    if locked:
        lines.append("Locked at this table")
    item.setToolTip("<br>".join(lines))
    return item


class TablesView(QScrollArea):
    """A scrollable grid of :class:`TableCard`, as many columns as fit.

    Signals:
        people_moved(list[int], int): the user moved people to a table (0-based).
        lock_requested(list[int], bool): the user asked to lock (True) or unlock people.
        rule_requested(list[int], str): keep these people "together" or "apart".
    """

    people_moved = Signal(list, int)
    lock_requested = Signal(list, bool)
    rule_requested = Signal(list, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.canvas = QWidget()
        self.canvas.setObjectName("tablesCanvas")
        self.grid = QGridLayout(self.canvas)
        self.grid.setContentsMargins(12, 12, 12, 12)
        self.grid.setSpacing(12)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setWidget(self.canvas)
        self.cards: list[TableCard] = []
        self._columns = 0
        self._plan: Plan | None = None

    def show_plan(
        self,
        plan: Plan | None,
        locked: frozenset[int] = frozenset(),
        broken: dict[int, list[str]] | None = None,
    ) -> None:
        """Show ``plan`` (None: no cards), ``locked`` people marked, ``broken`` rules warned."""
        for card in self.cards:
            self.grid.removeWidget(card)
            card.deleteLater()
        self.cards = []
        self._plan = plan
        if plan is None:
            return
        for t in range(len(plan.tables)):
            card = TableCard(plan, t, locked, self.canvas, (broken or {}).get(t, ()))
            card.members.people_dropped.connect(self.people_moved)
            card.members.itemPressed.connect(lambda _i, lst=card.members: self._pressed(lst))
            card.members.customContextMenuRequested.connect(
                lambda pos, lst=card.members: self._menu(lst, pos)
            )
            self.cards.append(card)
        self._columns = 0
        self._relayout()

    def _relayout(self) -> None:
        width = self.viewport().width() - 24
        columns = max(1, (width + 12) // (CARD_WIDTH + 12))
        card_width = max(CARD_WIDTH, (width - 12 * (columns - 1)) // columns)
        for card in self.cards:
            card.setFixedWidth(card_width)
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        for i, card in enumerate(self.cards):
            self.grid.addWidget(card, i // columns, i % columns, Qt.AlignmentFlag.AlignTop)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def _pressed(self, members: MemberList) -> None:
        """A plain click selects in one card; Ctrl/Shift-click keeps the other cards' selection.

        A right-click keeps it too: the menu's rules apply to everyone highlighted.
        """
        mods = QApplication.keyboardModifiers()
        if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            return
        if QApplication.mouseButtons() & Qt.MouseButton.RightButton:
            return
        for card in self.cards:
            if card.members is not members:
                card.members.clearSelection()

    def selected_ids(self) -> list[int]:
        """The people selected in every card, card by card."""
        return [p for card in self.cards for p in card.members.selected_ids()]

    def _menu(self, members: MemberList, pos: QPoint) -> None:
        item = members.itemAt(pos)
        if item is None or self._plan is None:
            return
        if not item.isSelected():
            members.clearSelection()
            item.setSelected(True)
        menu, actions = self.member_menu(members)
        chosen = menu.exec(members.viewport().mapToGlobal(pos))
        if chosen in actions:
            actions[chosen]()

    def member_menu(self, members: MemberList) -> tuple[QMenu, dict[QAction, Callable[[], None]]]:
        """The menu for the people selected in ``members``, and what each action does."""
        assert self._plan is not None
        ids = members.selected_ids()
        everyone = self.selected_ids()  # the rules take everyone highlighted, in any card
        menu = QMenu(self)
        locked = all(
            members.item(i).data(LOCKED_ROLE)
            for i in range(members.count())
            if int(members.item(i).data(PERSON_ROLE)) in ids
        )
        actions: dict[QAction, Callable[[], None]] = {}
        lock = menu.addAction("Unlock" if locked else "Lock at this table")
        actions[lock] = lambda: self.lock_requested.emit(ids, not locked)
        move = menu.addMenu("Move to")
        for t in range(len(self._plan.tables)):
            if t != members.table:
                target = move.addAction(f"Table {t + 1}")
                actions[target] = partial(self.people_moved.emit, ids, t)
        menu.addSeparator()
        names = {inv.person_id: inv.name for inv in self._plan.invitees}
        if len(everyone) == 2:  # name them: the two may sit in different cards
            who = f"{names[everyone[0]]} and {names[everyone[1]]}"
        else:
            who = f"these {len(everyone)} people" if len(everyone) > 2 else "these"
        for kind in ("together", "apart"):
            rule = menu.addAction(f"Keep {who} {kind}")
            rule.setEnabled(len(everyone) >= 2)
            if len(everyone) < 2:
                rule.setToolTip("Select two or more people (Ctrl-click, in any tables)")
            actions[rule] = partial(self.rule_requested.emit, everyone, kind)
        menu.setToolTipsVisible(True)
        return menu, actions
