"""The top of the Send invitations dialog: what stops or weakens this send, said at once.

A draft, a roundtable without a date or venue, a held one, a chair who is not
invited: each is a line in red (nothing can be sent) or amber (you may send
anyway), with the button that fixes it where the dialog can ("Add … as Chair").
The checks themselves are :func:`roundtable_app.services.invitations.preflight`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from roundtable_app.core.errors import RoundtableError
from roundtable_app.services import invitations
from roundtable_app.services.invitations import Check, Method, Preflight
from roundtable_app.ui import messages
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.invitations.commands import InviteChairCommand

_BLOCKING = "color: #8a1c12; background: #fdecea; border: 1px solid #f3c2bd;"
_WARNING = "color: #6b4500; background: #fff6e0; border: 1px solid #f0d9a8;"


class SendChecks(QWidget):
    """The checks for one roundtable and method, each with its fix where there is one.

    Signals:
        fixed(): a fix changed the roundtable or its invitees (the dialog reloads).
    """

    fixed = Signal()

    def __init__(
        self, ctx: AppContext, roundtable_id: int, method: Method | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.roundtable_id = roundtable_id
        self.method = method
        self.checks: list[Preflight] = []
        self.buttons: dict[Check, QPushButton] = {}
        self._labels: list[QLabel] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)

    def reload(self) -> list[Preflight]:
        """Read the checks again and show them; returns them."""
        try:
            with self.ctx.db.reading() as session:
                self.checks = invitations.preflight(session, self.roundtable_id, self.method)
        except RoundtableError:
            self.checks = []  # the dialog says why it cannot load the roundtable
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = {}
        self._labels = []
        for check in self.checks:
            self._layout.addWidget(self._line(check))
        self.setVisible(bool(self.checks))
        return self.checks

    @property
    def blocking(self) -> list[Preflight]:
        return [c for c in self.checks if c.blocking]

    def has(self, check: Check) -> bool:
        return any(c.check == check for c in self.checks)

    def texts(self) -> list[str]:
        """The lines as shown (without their ⚠ or ⛔ sign)."""
        return [label.text()[2:] for label in self._labels]

    def _line(self, check: Preflight) -> QWidget:
        box = QWidget()
        box.setObjectName(f"check_{check.check.value}")
        box.setStyleSheet(
            f"QWidget#check_{check.check.value} {{ {_BLOCKING if check.blocking else _WARNING}"
            " border-radius: 4px; }"
        )
        row = QHBoxLayout(box)
        row.setContentsMargins(8, 6, 8, 6)
        label = QLabel(("⛔ " if check.blocking else "⚠ ") + check.text)
        label.setObjectName("checkText")
        label.setTextFormat(Qt.TextFormat.PlainText)  # titles may hold < & '
        label.setWordWrap(True)
        self._labels.append(label)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setStyleSheet("background: transparent; border: none;")
        row.addWidget(label, 1)
        if check.check == Check.CHAIR and check.fixable:
            button = QPushButton(f"Add {check.name} as Chair")
            button.setAutoDefault(False)
            button.setToolTip("Puts the chair on the invitee list with the role Chair (undoable)")
            button.clicked.connect(lambda: self.invite_chair(check.name))
            row.addWidget(button)
            self.buttons[check.check] = button
        return box

    def invite_chair(self, name: str) -> None:
        """The fix for a chair who is not on the list (one undoable step)."""
        try:
            command = InviteChairCommand.execute(self.ctx, self.roundtable_id, name)
        except RoundtableError as exc:
            messages.show_error(self, f"Cannot add {name} as Chair", str(exc))
            return
        self.ctx.undo_stack.push(command)
        self.fixed.emit()
