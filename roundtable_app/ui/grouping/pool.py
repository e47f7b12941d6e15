"""Who to seat: a roundtable's invitees, or the people matching a directory filter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from roundtable_app.core.model import PersonRow
from roundtable_app.services import directory, roundtables
from roundtable_app.services.roundtables import RoundtableRow, View
from roundtable_app.ui.common import filter_box
from roundtable_app.ui.context import AppContext

if TYPE_CHECKING:
    from roundtable_app.storage.unit_of_work import Session

ALL_SECTORS = "All sectors"
ALL_INTERESTS = "All interests"
INTEREST_SEPARATOR = "; "  # how directory.list_rows joins a person's interests
FILTER_DELAY_MS = 200


def roundtable_label(row: RoundtableRow) -> str:
    """E.g. "Forced labour in supply chains — 12 Mar 2027 · 40 invitees"."""
    local = row.local_start if row.starts_at else None
    when = local.strftime("%-d %b %Y") if isinstance(local, dt.datetime) else "no date"
    noun = "invitee" if row.invitees == 1 else "invitees"
    return f"{row.title} — {when} · {row.invitees} {noun}"


def empty_message(people: int, chooser: PoolChooser) -> tuple[str, str, bool]:
    """The grouping page's title and text while there is no plan; True: offer Run."""
    if people == 0 and not chooser.roundtables and not chooser.has_filter():
        return (
            "Nobody to seat yet",
            "Invite people to a roundtable on the Roundtables page, or choose people "
            "from the directory with the filter on the left (a word, a sector or an "
            "interest).",
            False,
        )
    if people < 2:
        return (
            "Choose at least two people",
            "Pick a roundtable with invitees, or widen the filter on the left.",
            False,
        )
    row = chooser.roundtable_row()
    left_out = row.invitees - people if row is not None else 0
    absent = (
        f"{left_out} invitee{'s' if left_out != 1 else ''} who declined or sent "
        "apologies will not be seated. "
        if left_out > 0
        else ""
    )
    return (
        f"Seat {people:,} people at tables",
        f"{absent}Choose the number of tables and what matters more on the left, then press "
        "Run. Each table will share interests, mix sectors and bring together people "
        "who have not met. Afterwards, drag people between tables, lock them where "
        "they are, keep people together or apart (right-click them) and re-optimise "
        "the rest, then save the plan to the roundtable, export it or print it.",
        True,
    )


@dataclass(frozen=True)
class PoolChoices:
    """What the chooser offers, read in one go (off the GUI thread: see :meth:`fetch`).

    ``upcoming`` soonest first, ``past`` most recent first, ``others`` any the two miss.
    """

    upcoming: list[RoundtableRow]
    past: list[RoundtableRow]
    others: list[RoundtableRow]
    rows: list[PersonRow]
    sectors: list[str]
    themes: list[str]


class PoolChooser(QGroupBox):
    """Radio buttons for the kind of pool, a roundtable combo and a directory filter.

    Signals:
        pool_changed(): the choice changed (the page reloads the pool).
    """

    pool_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Who to seat", parent)
        self.ctx = ctx
        self.roundtables: list[RoundtableRow] = []
        self.rows: list[PersonRow] = []
        self.by_roundtable = QRadioButton("A roundtable’s invitees")
        self.by_filter = QRadioButton("People matching a filter")
        group = QButtonGroup(self)
        group.addButton(self.by_roundtable)
        group.addButton(self.by_filter)
        self.by_roundtable.setChecked(True)
        self.roundtable_combo = QComboBox()
        self.roundtable_combo.setAccessibleName("Roundtable")
        self.roundtable_combo.setMinimumContentsLength(12)
        self.roundtable_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.search_edit = QLineEdit(placeholderText="Name, organisation or interest")
        self.search_edit.setClearButtonEnabled(True)
        filter_box(self.search_edit)  # Escape clears the search
        self.sector_combo = QComboBox()
        self.sector_combo.setMinimumContentsLength(8)
        self.sector_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.interest_combo = QComboBox()
        self.interest_combo.setMinimumContentsLength(8)
        self.interest_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.count_label = QLabel("")
        self.count_label.setObjectName("hint")
        grid = QGridLayout(self)
        grid.addWidget(self.by_roundtable, 0, 0, 1, 2)
        grid.addWidget(self.roundtable_combo, 1, 0, 1, 2)
        grid.addWidget(self.by_filter, 2, 0, 1, 2)
        grid.addWidget(self.search_edit, 3, 0, 1, 2)
        grid.addWidget(self.sector_combo, 4, 0)
        grid.addWidget(self.interest_combo, 4, 1)
        grid.addWidget(self.count_label, 5, 0, 1, 2)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FILTER_DELAY_MS)
        self._timer.timeout.connect(self._filter_changed)
        self.by_roundtable.toggled.connect(self._mode_changed)
        self.roundtable_combo.currentIndexChanged.connect(lambda _i: self._emit_if(True))
        self.search_edit.textChanged.connect(lambda _t: self._timer.start())
        self.sector_combo.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self.interest_combo.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self._mode_changed()

    # --- loading ---------------------------------------------------------------------

    def reload(self) -> None:
        """Read the roundtables with invitees (upcoming, then past) and the directory, now."""
        with self.ctx.db.transaction() as session:
            self.apply(self.fetch(session))

    @staticmethod
    def fetch(session: Session) -> PoolChoices:
        """Read what :meth:`apply` shows (no widgets touched: safe on any thread)."""
        return PoolChoices(
            upcoming=roundtables.list_roundtables(session, View.UPCOMING),
            past=roundtables.list_roundtables(session, View.PAST),
            others=roundtables.list_roundtables(session, View.ALL),
            rows=list(directory.list_rows(session)),
            sectors=list(directory.sector_names(session)),
            themes=list(directory.theme_names(session)),
        )

    def apply(self, choices: PoolChoices) -> None:
        """Show the roundtables and filter choices read by :meth:`fetch`.

        Upcoming roundtables come first, soonest first (the one staff are most
        likely planning is chosen at once), then the past ones, latest first.
        """
        sectors, themes = choices.sectors, choices.themes
        self.rows = choices.rows
        ordered = {r.id: r for r in [*choices.upcoming, *choices.past, *choices.others]}
        rows = [r for r in ordered.values() if r.invitees > 0 and r.status.value != "cancelled"]
        current = self.roundtable_id()
        self.roundtables = rows
        for combo, items, everything in (
            (self.sector_combo, sectors, ALL_SECTORS),
            (self.interest_combo, themes, ALL_INTERESTS),
        ):
            keep = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([everything, *items])
            combo.setCurrentIndex(max(0, combo.findText(keep)))
            combo.blockSignals(False)
        self.roundtable_combo.blockSignals(True)
        self.roundtable_combo.clear()
        for row in rows:
            self.roundtable_combo.addItem(roundtable_label(row), row.id)
            self.roundtable_combo.setItemData(
                self.roundtable_combo.count() - 1, row.title, role=3
            )  # 3: tooltip role
        index = self.roundtable_combo.findData(current) if current is not None else 0
        self.roundtable_combo.setCurrentIndex(max(0, index) if rows else -1)
        self.roundtable_combo.blockSignals(False)
        if not rows and self.by_roundtable.isChecked():
            self.by_filter.setChecked(True)
        self.by_roundtable.setEnabled(bool(rows))
        self._update_count()

    # --- reading ---------------------------------------------------------------------

    @property
    def is_roundtable(self) -> bool:
        return self.by_roundtable.isChecked()

    def roundtable_id(self) -> int | None:
        if not self.is_roundtable or self.roundtable_combo.currentIndex() < 0:
            return None
        value = self.roundtable_combo.currentData()
        return int(value) if value is not None else None

    def roundtable_row(self) -> RoundtableRow | None:
        rid = self.roundtable_id()
        return next((r for r in self.roundtables if r.id == rid), None)

    def select_roundtable(self, roundtable_id: int) -> None:
        self.by_roundtable.setChecked(True)
        self.roundtable_combo.setCurrentIndex(self.roundtable_combo.findData(roundtable_id))

    def has_filter(self) -> bool:
        return bool(
            self.search_edit.text().strip()
            or self.sector_combo.currentIndex() > 0
            or self.interest_combo.currentIndex() > 0
        )

    def filtered_ids(self) -> list[int]:
        """The ids of the people matching the filter (none while the filter is empty)."""
        if not self.has_filter():
            return []
        words = self.search_edit.text().lower().split()
        sector = self.sector_combo.currentText() if self.sector_combo.currentIndex() > 0 else ""
        interest = (
            self.interest_combo.currentText() if self.interest_combo.currentIndex() > 0 else ""
        )
        out = []
        for row in self.rows:
            if sector and row.sector != sector:
                continue
            if interest and interest not in row.interests.split(INTEREST_SEPARATOR):
                continue
            text = f"{row.full_name} {row.organisation} {row.interests}".lower()
            if all(w in text for w in words):
                out.append(row.id)
        return out

    # --- reactions -------------------------------------------------------------------

    def _mode_changed(self) -> None:
        by_rt = self.by_roundtable.isChecked()
        self.roundtable_combo.setEnabled(by_rt)
        for widget in (self.search_edit, self.sector_combo, self.interest_combo):
            widget.setEnabled(not by_rt)
        self._update_count()
        self.pool_changed.emit()

    def _filter_changed(self) -> None:
        self._update_count()
        self._emit_if(False)

    def _emit_if(self, roundtable: bool) -> None:
        if roundtable == self.is_roundtable:
            self.pool_changed.emit()

    def _update_count(self) -> None:
        if self.is_roundtable:
            self.count_label.setText("")
            self.count_label.setVisible(False)
            return
        self.count_label.setVisible(True)
        if not self.has_filter():
            self.count_label.setText("Type a word or choose a sector or interest.")
        else:
            n = len(self.filtered_ids())
            self.count_label.setText(f"{n:,} {'person matches' if n == 1 else 'people match'}")
