"""The four tabs of the Statistics page: Overview, New connections, Sector mix and Reach.

How each tab is laid out and how it shows a :class:`~roundtable_app.services.statistics.Figures`;
:mod:`.page` decides what to count and when.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from roundtable_app.services.statistics import SEVERAL, Figures, day_text
from roundtable_app.ui.common import style_list_table
from roundtable_app.ui.statistics.charts import (
    ConnectionsChart,
    MixChart,
    SectorChart,
    TargetChart,
)
from roundtable_app.ui.statistics.models import (
    SORT_ROLE,
    DriftedModel,
    NeverCame,
    NeverCameModel,
    RoundtableModel,
    RowsModel,
    SectorModel,
    percent,
)

ANY_INTEREST = "Any interest"


class Card(QFrame):
    """A headline figure: a big number over its caption."""

    def __init__(self, caption: str, tip: str = "") -> None:
        super().__init__()
        self.setObjectName("statCard")
        self.setStyleSheet("#statCard { background: palette(alternate-base); border-radius: 6px; }")
        self.value = QLabel("–")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(caption)
        self.caption.setStyleSheet("color: palette(placeholder-text);")
        self.caption.setWordWrap(True)
        self.setToolTip(tip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def show_value(self, text: str, caption: str | None = None) -> None:
        self.value.setText(text)
        if caption is not None:
            self.caption.setText(caption)


def _table(model: RowsModel[Any], widths: dict[int, int]) -> tuple[QTableView, Any]:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    style_list_table(view, widths)
    # In the service's order (sectors as set up, people longest away first) until a
    # header is clicked.
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    proxy.sort(-1)
    return view, proxy


class StatisticsTabs:
    """The tabs' widgets and how they show the figures (a part of the Statistics page)."""

    targets: dict[str, int]
    subtitle: QLabel
    #: False for a login the database keeps lived experience from (read-only, ui/team):
    #: its figures would all be 0, so they are left out and the card says why.
    lived_experience_shown = True

    def hide_lived_experience(self) -> None:
        """Leave the lived-experience figures out (the database does not give them)."""
        self.lived_experience_shown = False
        column = next(
            i for i, c in enumerate(self.roundtable_model.COLUMNS) if c.header == "Lived exp."
        )
        self.roundtable_table.setColumnHidden(column, True)

    def _roundtable_activated(self, index: Any) -> None:
        raise NotImplementedError

    def load_drifted(self) -> object:
        raise NotImplementedError

    def _overview_tab(self) -> QWidget:
        tab = QWidget()
        self.cards: dict[str, Card] = {}
        grid = QGridLayout()
        grid.setSpacing(8)
        for i, (key, caption, tip) in enumerate(
            (
                ("roundtables", "roundtables", ""),
                ("invited", "invited", "On the list, walk-ins aside"),
                ("accepted", "accepted", ""),
                ("attended", "attended", "Recorded as attended, walk-ins included"),
                ("turnout", "turnout", "Of those who accepted or said maybe, the share who came"),
                ("lived", "with lived experience attended", ""),
                ("connections", "new connections", "Pairs at a table who had never sat together"),
                ("reached", "people reached", "People who came at least once"),
            )
        ):
            card = Card(caption, tip)
            self.cards[key] = card
            grid.addWidget(card, i // 4, i % 4)
        self.rates = QLabel()
        self.rates.setWordWrap(True)
        self.sector_model = SectorModel(self)
        self.sector_table, self.sector_proxy = _table(self.sector_model, {0: 140})
        for column in range(1, 9):
            self.sector_table.horizontalHeader().resizeSection(column, 66)
        self.sector_chart = SectorChart()
        split = QSplitter()
        split.addWidget(self.sector_table)
        split.addWidget(self.sector_chart)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([690, 420])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(tab)
        layout.addLayout(grid)
        layout.addWidget(self.rates)
        layout.addWidget(split, 1)
        return tab

    def _connections_tab(self) -> QWidget:
        tab = QWidget()
        self.connections_intro = QLabel()
        self.connections_intro.setWordWrap(True)
        self.connections_chart = ConnectionsChart()
        self.roundtable_model = RoundtableModel(self)
        self.roundtable_table, self.roundtable_proxy = _table(
            self.roundtable_model, {0: 100, 1: 300, 2: 64, 3: 84, 4: 64, 5: 76, 6: 56, 7: 110}
        )
        self.roundtable_table.setToolTip(
            "Double-click a roundtable (or press Enter) to see its figures alone"
        )
        # Double-click, or Enter: the roundtable alone.
        self.roundtable_table.activated.connect(self._roundtable_activated)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.connections_chart)
        split.addWidget(self.roundtable_table)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.connections_intro)
        layout.addWidget(split, 1)
        return tab

    def _mix_tab(self) -> QWidget:
        tab = QWidget()
        self.mix_chart = MixChart()
        self.target_chart = TargetChart()
        split = QSplitter()
        split.addWidget(self.mix_chart)
        split.addWidget(self.target_chart)
        split.setSizes([620, 480])
        split.setChildrenCollapsible(False)
        note = QLabel("Set the mix the centre aims for with Target mix… above.")
        note.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(tab)
        layout.addWidget(split, 1)
        layout.addWidget(note)
        return tab

    def _reach_tab(self) -> QWidget:
        tab = QWidget()
        self.reach_summary = QLabel()
        self.reach_summary.setWordWrap(True)
        self.never_title = QLabel()
        self.never_model = NeverCameModel(self)
        self.never_table, self.never_proxy = _table(
            self.never_model, {0: 180, 1: 220, 2: 130, 3: 64}
        )
        self.drift_title = QLabel()
        self.interest_combo = QComboBox()
        self.interest_combo.setObjectName("interestCombo")
        self.interest_combo.addItem(ANY_INTEREST)
        self.interest_combo.setToolTip("Only people with this interest")
        self.interest_combo.currentIndexChanged.connect(lambda _i: self.load_drifted())
        self.never_invited = QCheckBox("Include people never invited")
        self.never_invited.toggled.connect(lambda _on: self.load_drifted())
        self.drift_model = DriftedModel(self)
        self.drift_table, self.drift_proxy = _table(
            self.drift_model, {0: 180, 1: 220, 2: 130, 3: 100}
        )
        drift_bar = QHBoxLayout()
        drift_bar.addWidget(self.drift_title, 1)
        drift_bar.addWidget(QLabel("Interest"))
        drift_bar.addWidget(self.interest_combo)
        drift_bar.addWidget(self.never_invited)
        left, right = QWidget(), QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.never_title)
        left_layout.addWidget(self.never_table, 1)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(drift_bar)
        right_layout.addWidget(self.drift_table, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(left)
        split.addWidget(right)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.reach_summary)
        layout.addWidget(split, 1)
        return tab

    def _show_overview(self, f: Figures) -> None:
        t, n = f.totals, len(f.roundtables)
        first, last = f.first_day, f.last_day
        span = (
            f" · {day_text(first)} to {day_text(last)}" if first and last and first != last else ""
        )
        self.subtitle.setText(
            f"{n:,} roundtable{'s' * (n != 1)}{span}" if n else "No roundtable took place in it"
        )
        share = f" ({t.lived_attended / t.attended:.0%})" if t.attended else ""
        for key, value, caption in (
            ("roundtables", f"{n:,}", None),
            ("invited", f"{t.invited:,}", None),
            ("accepted", f"{t.accepted:,}", None),
            ("attended", f"{t.attended:,}", f"attended ({t.walk_ins:,} walked in)"),
            ("turnout", percent(t.turnout), None),
            ("lived", f"{t.lived_attended:,}", f"with lived experience attended{share}")
            if self.lived_experience_shown
            else ("lived", "–", "lived experience: for staff only"),
            ("connections", f"{f.new_connections:,}", None),
            ("reached", f"{f.reach.people_reached:,}", None),
        ):
            self.cards[key].show_value(value, caption)
        rates = (
            f"No-shows: {percent(t.no_show_rate)} of those expected · apologies: "
            f"{percent(t.apology_rate)}"
        )
        if self.lived_experience_shown:
            rates += f" · {t.lived_invited:,} people with lived experience invited."
        else:
            rates += "."
        if f.unrecorded:
            rates += (
                f" {f.unrecorded:,} roundtable{'s have' if f.unrecorded != 1 else ' has'} no "
                "attendance recorded yet and "
                f"{'are' if f.unrecorded != 1 else 'is'} left out of turnout and the rates."
            )
        self.rates.setText(rates)
        self.sector_model.set_rows(f.by_sector)
        self.sector_model.set_targets(self.targets)
        self.sector_chart.show_sectors(f.by_sector)

    def _show_connections(self, f: Figures) -> None:
        pairs = f.table_pairs
        share = f" ({f.new_connections / pairs:.0%})" if pairs else ""
        self.connections_intro.setText(
            f"<b>{f.new_connections:,} new connections</b>{share}: of the {pairs:,} pairs of "
            "people seated at the same table, both attending, these had never sat together "
            "before. Double-click a roundtable to see it alone."
        )
        self.connections_chart.show_buckets(f.buckets, f.bucket_kind)
        self.roundtable_model.set_rows(f.roundtables)

    def _show_reach(self, f: Figures, never: list[NeverCame]) -> None:
        r = f.reach
        self.reach_summary.setText(
            f"<b>{r.people_reached:,} people from {r.organisations:,} organisations came</b>, "
            f"of {r.people_invited:,} people invited."
        )
        self.never_title.setText(
            f"<b>Invited {SEVERAL} times or more, never came:</b> {len(never):,} people"
        )
        self.never_model.set_rows(never)
