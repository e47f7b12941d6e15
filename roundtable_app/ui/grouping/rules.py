"""Hard rules on the Grouping page: keep together, keep apart, and the locked people.

:class:`RulesPanel` lists the rules of the shown pool (each with a remove
button) and how many people are locked; :func:`broken_rules` says which
tables of a plan break a rule (after a hand move, or a rule added after the
run), so their cards can warn until the next run. :class:`PlanEditActions`
(a mixin of the page) turns what the user did into undoable commands.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.services.grouping import Pool
from roundtable_app.ui.grouping.commands import (
    LockCommand,
    MoveSeatCommand,
    PlanState,
    RuleCommand,
)

if TYPE_CHECKING:
    from roundtable_app.ui.context import AppContext

KIND_COLOURS = {"together": "#2e6b3f", "apart": "#a1402b"}
EMPTY_TEXT = "No rules yet — right-click people to keep them together or apart."
STYLE = """
QLabel#ruleText { color: #2b3a46; }
QToolButton#ruleRemove { border: none; color: #6a7680; padding: 0 4px; }
QToolButton#ruleRemove:hover { color: #b3261e; }
"""


def rule_text(kind: str, names: tuple[str, str]) -> str:
    """E.g. "Jane Doe + Ali Khan together", "Sam Lee / Jo Bloggs apart"."""
    joint = " + " if kind == "together" else " / "
    return f"{names[0]}{joint}{names[1]} {kind}"


def broken_rules(state: PlanState | None) -> dict[int, list[str]]:
    """Table index → warnings for the together / apart rules its seating breaks."""
    out: dict[int, list[str]] = {}
    plan = state.plan if state else None
    if state is None or plan is None:
        return out
    where = {p: t for t, members in enumerate(plan.tables) for p in members}
    names = {inv.person_id: inv.name for inv in state.pool.invitees}
    for kind, pairs in (("together", state.together), ("apart", state.apart)):
        for a, b in pairs:
            if a not in where or b not in where:
                continue
            if (where[a] == where[b]) == (kind == "together"):
                continue
            text = f"{names[a]} and {names[b]} must sit {kind}"
            for t in dict.fromkeys((where[a], where[b])):
                out.setdefault(t, []).append(text)
    return out


class RulesPanel(QGroupBox):
    """The shown pool's rules, each with a ✕, and the number of locked people.

    Signals:
        remove_requested(str, tuple): remove the rule of that kind for that pair.
    """

    remove_requested = Signal(str, tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Rules", parent)
        self.setStyleSheet(STYLE)
        self.rows: list[QWidget] = []
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        self.locked = QLabel("")
        self.locked.setObjectName("hint")
        self.list = QVBoxLayout()
        self.list.setSpacing(0)
        layout = QVBoxLayout(self)
        layout.addLayout(self.list)
        layout.addWidget(self.empty)
        layout.addWidget(self.locked)

    def show_state(self, state: PlanState | None) -> None:
        for row in self.rows:
            self.list.removeWidget(row)
            row.deleteLater()
        self.rows = []
        state = state or PlanState(pool=Pool(()))
        names = {inv.person_id: inv.name for inv in state.pool.invitees}
        for kind, pairs in (("together", state.together), ("apart", state.apart)):
            for pair in pairs:
                self._add_row(kind, pair, (names[pair[0]], names[pair[1]]))
        self.empty.setVisible(not self.rows)
        locked = len(state.locked)
        noun = "person" if locked == 1 else "people"
        self.locked.setText(f"{locked} {noun} locked" if locked else "")
        self.locked.setVisible(bool(locked))

    def rule_texts(self) -> list[str]:
        """The rules as listed, in plain text."""
        return [row.accessibleName() for row in self.rows]

    def _add_row(self, kind: str, pair: tuple[int, int], names: tuple[str, str]) -> None:
        text = rule_text(kind, names)
        row = QWidget()
        row.setAccessibleName(text)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 1, 0, 1)
        joint = " + " if kind == "together" else " / "
        colour = KIND_COLOURS[kind]
        label = QLabel(
            f"{escape(names[0])}{joint}{escape(names[1])} "
            f'<span style="color:{colour}; font-weight:600;">{kind}</span>'
        )
        label.setObjectName("ruleText")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        remove = QToolButton()
        remove.setObjectName("ruleRemove")
        remove.setText("✕")
        remove.setToolTip("Remove this rule")
        remove.setAccessibleName(f"Remove rule: {text}")
        remove.setCursor(Qt.CursorShape.PointingHandCursor)
        remove.clicked.connect(lambda: self.remove_requested.emit(kind, pair))
        line.addWidget(label, 1)
        line.addWidget(remove, 0, Qt.AlignmentFlag.AlignTop)
        self.list.addWidget(row)
        self.rows.append(row)


class PlanEditActions:
    """Hand edits on the shown plan (a mixin of the grouping page): moves, locks, rules."""

    ctx: AppContext
    _state: PlanState | None

    @property
    def is_running(self) -> bool:  # provided by the page
        raise NotImplementedError

    def move_people(self, person_ids: list[int], table: int) -> None:
        """Move people to ``table`` (0-based), undoably."""
        if self._state is None or self.is_running:
            return
        command = MoveSeatCommand.create(self, self._state, person_ids, table)  # type: ignore[arg-type]
        if command is not None:
            self.ctx.undo_stack.push(command)

    def lock_people(self, person_ids: list[int], lock: bool) -> None:
        """Lock people at their tables (or unlock them), undoably."""
        if self._state is None or self.is_running:
            return
        command = LockCommand.create(self, self._state, person_ids, lock)  # type: ignore[arg-type]
        if command is not None:
            self.ctx.undo_stack.push(command)

    def add_rule(self, person_ids: list[int], kind: str) -> None:
        """Keep these people "together" (a chain of pairs) or "apart" (every pair), undoably."""
        ids = list(dict.fromkeys(person_ids))
        if kind == "together":
            pairs = list(zip(ids, ids[1:], strict=False))
        else:
            pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
        self._push_rule(kind, pairs, add=True)

    def remove_rule(self, kind: str, pair: tuple[int, int]) -> None:
        self._push_rule(kind, [pair], add=False)

    def _push_rule(self, kind: str, pairs: list[tuple[int, int]], *, add: bool) -> None:
        if self._state is None or self.is_running:
            return
        command = RuleCommand.create(self, self._state, kind, pairs, add)  # type: ignore[arg-type]
        if command is not None:
            self.ctx.undo_stack.push(command)
