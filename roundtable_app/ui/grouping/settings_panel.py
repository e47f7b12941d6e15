"""The grouping page's settings: table sizes, what matters more, balance rules, advanced.

Plain widgets with no database: the page asks :class:`GroupingSettings` for the
:class:`~roundtable_app.core.grouping.scoring.Preferences` and the size request when it runs.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.grouping.scoring import (
    Preferences,
    default_table_count,
    table_bounds,
)

SLIDER_MAX = 100
SLIDER_DEFAULT = 50  # one unit of importance: Preferences' default
SLIDERS = (
    ("interests", "Shared interests", "Seat people who care about the same themes together"),
    ("new_pairings", "New pairings", "Prefer people who have not sat at a table together before"),
    ("sector_balance", "Sector balance", "Mix sectors so that no sector dominates a table"),
)
LIVED_EXPERIENCE_CHOICES = (("none", 0), ("at least 1", 1), ("at least 2", 2))


def default_time_limit(people: int) -> float:
    """Seconds to search by default: short for a normal event, longer for a large one."""
    if people <= 300:
        return 5.0
    if people <= 1000:
        return 10.0
    return 30.0


def sizes_in_words(people: int, tables: int) -> str:
    """E.g. "60 people → 6 tables of 10" or "61 people → 7 tables: 5 of 9, 2 of 8"."""
    noun = "person" if people == 1 else "people"
    if tables < 1:
        return f"{people} {noun}"
    small, extra = divmod(people, tables)
    head = f"{people} {noun} → {tables} {'table' if tables == 1 else 'tables'}"
    if extra == 0:
        return f"{head} of {small}"
    return f"{head}: {extra} of {small + 1}, {tables - extra} of {small}"


class GroupingSettings(QWidget):
    """Sizes, sliders, balance rules and the advanced search options.

    The table count follows the pool (:func:`default_table_count`: tables of
    8–10) until staff choose the sizes themselves; their choice is kept for
    that pool (a roundtable, or the directory filter) for the session.

    Signals:
        changed(): any setting changed (the page refreshes its size summary).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._people = 0
        self._time_touched = False
        self._pool_key: object = None
        self._sizes_chosen: dict[object, tuple[bool, int, int]] = {}  # pool → by size, k, size
        self._following_pool = False  # sizes being set for a pool, not by the user
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self._build_sizes())
        layout.addWidget(self._build_sliders())
        layout.addWidget(self._build_balance())
        layout.addWidget(self._build_advanced())
        layout.addStretch(1)

    # --- building --------------------------------------------------------------------

    def _build_sizes(self) -> QGroupBox:
        box = QGroupBox("Tables")
        self.by_tables = QRadioButton("Number of tables")
        self.by_size = QRadioButton("People per table")
        self.by_tables.setChecked(True)
        group = QButtonGroup(box)
        group.addButton(self.by_tables)
        group.addButton(self.by_size)
        self.tables_spin = QSpinBox(minimum=1, maximum=999, value=6)
        self.size_spin = QSpinBox(minimum=2, maximum=99, value=8)
        self.size_spin.setEnabled(False)
        self.sizes_label = QLabel("")
        self.sizes_label.setObjectName("hint")
        self.sizes_label.setWordWrap(True)
        grid = QGridLayout(box)
        grid.addWidget(self.by_tables, 0, 0)
        grid.addWidget(self.tables_spin, 0, 1)
        grid.addWidget(self.by_size, 1, 0)
        grid.addWidget(self.size_spin, 1, 1)
        grid.addWidget(self.sizes_label, 2, 0, 1, 2)
        grid.setRowMinimumHeight(0, 26)
        grid.setColumnStretch(0, 1)
        for radio in (self.by_tables, self.by_size):
            radio.toggled.connect(self._mode_changed)
        self.tables_spin.valueChanged.connect(self._sizes_edited)
        self.size_spin.valueChanged.connect(self._sizes_edited)
        return box

    def _build_sliders(self) -> QGroupBox:
        box = QGroupBox("What matters more")
        grid = QGridLayout(box)
        grid.setVerticalSpacing(2)
        self.sliders: dict[str, QSlider] = {}
        for row, (key, label, tip) in enumerate(SLIDERS):
            title = QLabel(label)
            title.setToolTip(tip)
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, SLIDER_MAX)
            slider.setValue(SLIDER_DEFAULT)
            slider.setToolTip(tip)
            slider.setAccessibleName(label)
            slider.valueChanged.connect(self.changed)
            less, more = QLabel("less"), QLabel("more")
            less.setObjectName("hint")
            more.setObjectName("hint")
            grid.addWidget(title, 2 * row, 0, 1, 3)
            grid.addWidget(less, 2 * row + 1, 0)
            grid.addWidget(slider, 2 * row + 1, 1)
            grid.addWidget(more, 2 * row + 1, 2)
            self.sliders[key] = slider
        grid.setColumnStretch(1, 1)
        return box

    def _build_balance(self) -> QGroupBox:
        box = QGroupBox("Balance")
        grid = QGridLayout(box)
        self.sector_share = QSpinBox(minimum=10, maximum=100, value=40, suffix=" %")
        self.sector_share.setAccessibleName("Largest sector share")
        self.sector_required = QCheckBox("Required")
        sector_row = QHBoxLayout()
        sector_row.addWidget(self.sector_share)
        sector_row.addWidget(QLabel("of a table"))
        sector_row.addStretch(1)
        grid.addWidget(QLabel("No sector more than"), 0, 0, 1, 2)
        grid.addLayout(sector_row, 1, 0)
        grid.addWidget(self.sector_required, 1, 1)

        self.lived_experience = QComboBox()
        for text, value in LIVED_EXPERIENCE_CHOICES:
            self.lived_experience.addItem(text, value)
        self.lived_experience.setCurrentIndex(1)
        self.lived_experience.setAccessibleName("Lived-experience participants per table")
        self.lived_required = QCheckBox("Required")
        le_label = QLabel("Lived-experience participants per table")
        le_label.setWordWrap(True)
        grid.addWidget(le_label, 2, 0, 1, 2)
        grid.addWidget(self.lived_experience, 3, 0)
        grid.addWidget(self.lived_required, 3, 1)
        grid.setRowMinimumHeight(4, 6)

        self.one_per_org = QCheckBox("At most one person per\norganisation per table")
        self.one_per_org.setChecked(True)
        self.org_required = QCheckBox("Required")
        org_label = self.one_per_org
        org_label.setToolTip("Keeps colleagues apart so each table hears more voices")
        grid.addWidget(org_label, 5, 0)
        grid.addWidget(self.org_required, 5, 1)
        for check in (self.sector_required, self.lived_required, self.org_required):
            check.setToolTip("Required: never break this rule. Otherwise: avoid breaking it.")
        self.one_per_org.toggled.connect(self.org_required.setEnabled)
        self.lived_experience.currentIndexChanged.connect(
            lambda i: self.lived_required.setEnabled(i > 0)
        )
        grid.setColumnStretch(0, 1)
        return box

    def _build_advanced(self) -> QWidget:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setText("Advanced")
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_toggle.setAutoRaise(True)
        self.advanced = QWidget()
        form = QFormLayout(self.advanced)
        form.setContentsMargins(16, 0, 0, 0)
        self.time_limit = QDoubleSpinBox(minimum=0.2, maximum=600.0, value=5.0, suffix=" s")
        self.time_limit.setDecimals(1)
        self.time_limit.setToolTip("How long to search; you can also stop early while it runs")
        self.time_limit.valueChanged.connect(self._time_edited)
        self.seed = QSpinBox(minimum=0, maximum=2_000_000_000, value=1)
        self.seed.setToolTip("The same seed and settings give the same plan")
        self.max_iterations = QSpinBox(minimum=0, maximum=100_000_000, value=0)
        self.max_iterations.setSpecialValueText("no cap")
        self.max_iterations.setToolTip("Stop after this many search rounds (0: no cap)")
        form.addRow("Time limit", self.time_limit)
        form.addRow("Seed", self.seed)
        form.addRow("Iteration cap", self.max_iterations)
        self.advanced.setVisible(False)
        self.advanced_toggle.toggled.connect(self._toggle_advanced)
        column.addWidget(self.advanced_toggle)
        column.addWidget(self.advanced)
        return holder

    # --- reactions -------------------------------------------------------------------

    def _toggle_advanced(self, shown: bool) -> None:
        self.advanced.setVisible(shown)
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self.advanced_toggle.setArrowType(arrow)

    def _time_edited(self) -> None:
        self._time_touched = True

    def _mode_changed(self) -> None:
        self.tables_spin.setEnabled(self.by_tables.isChecked())
        self.size_spin.setEnabled(self.by_size.isChecked())
        self._sizes_edited()

    def _sizes_edited(self) -> None:
        if not self._following_pool:  # staff chose: keep it for this pool
            self._sizes_chosen[self._pool_key] = (
                self.by_size.isChecked(),
                self.tables_spin.value(),
                self.size_spin.value(),
            )
        self._update_sizes()

    def _update_sizes(self) -> None:
        self.sizes_label.setText(self.sizes_text())
        self.changed.emit()

    # --- reading ---------------------------------------------------------------------

    def set_people(self, people: int, pool: object = None, tables: int | None = None) -> None:
        """Tell the settings which pool is shown (any key) and how many people it has.

        The sizes are the ones staff chose for ``pool`` this session, else
        ``tables`` (the tables of its saved plan), else
        :func:`default_table_count`; the time limit follows the pool's size
        unless staff set it.
        """
        self._people = people
        self._pool_key = pool
        self._following_pool = True
        try:
            if people >= 2:
                self._follow_pool(people, self._sizes_chosen.get(pool), tables)
        finally:
            self._following_pool = False
        if not self._time_touched:
            self.time_limit.blockSignals(True)
            self.time_limit.setValue(default_time_limit(people))
            self.time_limit.blockSignals(False)
        self._update_sizes()

    def _follow_pool(
        self, people: int, chosen: tuple[bool, int, int] | None, tables: int | None
    ) -> None:
        self.tables_spin.setMaximum(max(1, people // 2))
        if chosen is None:
            tables = tables or default_table_count(people)
            chosen = (False, tables, max(2, round(people / tables)))
        by_size, tables, size = chosen
        (self.by_size if by_size else self.by_tables).setChecked(True)
        self.tables_spin.setValue(min(tables, self.tables_spin.maximum()))
        self.size_spin.setValue(size)

    def table_count(self) -> int:
        """How many tables the current choice makes (0 if it cannot be met)."""
        try:
            lower, _upper = table_bounds(self._people, **self.size_request())
        except ValidationError:
            return 0
        return len(lower)

    def sizes_text(self) -> str:
        if self._people < 2:
            return "Choose at least 2 people to seat."
        try:
            lower, _upper = table_bounds(self._people, **self.size_request())
        except ValidationError as exc:
            return str(exc)
        return sizes_in_words(self._people, len(lower))

    def size_request(self) -> dict[str, int]:
        """``tables=`` or ``size=`` for :func:`~roundtable_app.services.grouping.plan_groups`."""
        if self.by_size.isChecked():
            return {"size": self.size_spin.value()}
        return {"tables": self.tables_spin.value()}

    def preferences(self) -> Preferences:
        """The sliders and balance rules as :class:`Preferences`."""
        weights = {key: s.value() / SLIDER_DEFAULT for key, s in self.sliders.items()}
        return Preferences(
            interests=weights["interests"],
            new_pairings=weights["new_pairings"],
            sector_balance=weights["sector_balance"],
            sector_share=self.sector_share.value() / 100,
            sector_required=self.sector_required.isChecked(),
            lived_experience_min=int(self.lived_experience.currentData()),
            lived_experience_required=self.lived_required.isChecked()
            and self.lived_experience.currentIndex() > 0,
            one_per_organisation=self.one_per_org.isChecked(),
            organisation_required=self.org_required.isChecked() and self.one_per_org.isChecked(),
        )

    def search_options(self) -> dict[str, Any]:
        """``seed``, ``time_limit`` and ``max_iterations`` for the optimiser."""
        cap = self.max_iterations.value()
        return {
            "seed": self.seed.value(),
            "time_limit": self.time_limit.value(),
            "max_iterations": cap or None,
        }
