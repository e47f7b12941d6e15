"""The page's charts (QtCharts): new connections over time, the sector mix, the target.

Each chart is a ``QChartView`` that is given plain figures and rebuilds its
series (a few dozen points: cheaper than patching them). Colours are the
report's (``statistics.sector_colour``), so screen and paper agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QPercentBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from roundtable_app.services.statistics import (
    CONNECTIONS_COLOUR,
    CUMULATIVE_COLOUR,
    TARGET_COLOUR,
    Bucket,
    SectorCounts,
    sector_colour,
)


def _nice_top(value: float) -> float:
    """A round upper end for a value axis (at least 1)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _two_lines(label: str) -> str:
    """ "Q4 2023" → "Q4<br>’23" (a bar's width holds four letters)."""
    head, _, year = label.rpartition(" ")
    return f"{head}<br>’{year[2:]}" if head and len(year) == 4 else label


class ChartView(QChartView):
    """A chart with the app's look: no animation, antialiased, a small title."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        chart = QChart()
        chart.setTitle(title)
        font = chart.titleFont()
        font.setBold(True)
        chart.setTitleFont(font)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setChart(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(240)

    def clear(self) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)

    def categories(self, labels: Sequence[str], upright_from: int = 16) -> QBarCategoryAxis:
        """Periods on two short lines ("Q4" over "’23"), so that three years fit.

        From ``upright_from`` periods on, a bar is too narrow for even that: the labels
        stand upright on one line ("Dec ’25") rather than being cut to "…".
        """
        axis = QBarCategoryAxis()
        if len(labels) >= upright_from:
            axis.append([_two_lines(label).replace("<br>", " ") for label in labels])
            axis.setLabelsAngle(-90)
        else:
            axis.append([_two_lines(label) for label in labels])
        return axis

    def value_axis(self, top: float, label: str = "%i") -> QValueAxis:
        axis = QValueAxis()
        axis.setRange(0, _nice_top(top))
        axis.setLabelFormat(label)
        axis.applyNiceNumbers()
        return axis


class ConnectionsChart(ChartView):
    """New connections per month or quarter (bars) and their running total (a line)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("New connections over time", parent)
        self.bar_set: QBarSet | None = None
        self.line: QLineSeries | None = None

    def show_buckets(self, buckets: Sequence[Bucket], kind: str) -> None:
        self.clear()
        if not buckets:
            return
        chart = self.chart()
        bars = QBarSeries()
        self.bar_set = QBarSet(f"New connections per {kind}")
        self.bar_set.setColor(QColor(CONNECTIONS_COLOUR))
        self.bar_set.append([float(b.new_connections) for b in buckets])
        bars.append(self.bar_set)
        self.line = QLineSeries()
        self.line.setName("Running total")
        self.line.setPen(QPen(QColor(CUMULATIVE_COLOUR), 2.5))
        for i, b in enumerate(buckets):
            self.line.append(i, b.cumulative)
        chart.addSeries(bars)
        chart.addSeries(self.line)
        x = self.categories([b.label for b in buckets])
        left = self.value_axis(max(b.new_connections for b in buckets))
        right = self.value_axis(max(b.cumulative for b in buckets))
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(left, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(right, Qt.AlignmentFlag.AlignRight)
        bars.attachAxis(x)
        bars.attachAxis(left)
        self.line.attachAxis(x)
        self.line.attachAxis(right)


class MixChart(ChartView):
    """Each sector's share of the attendees, per month or quarter (100% stacked bars)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Sector mix of attendees over time", parent)
        self.sets: dict[str, QBarSet] = {}

    def show_buckets(self, buckets: Sequence[Bucket], sectors: Sequence[str]) -> None:
        self.clear()
        self.sets = {}
        if not buckets:
            return
        series = QPercentBarSeries()
        for i, name in enumerate(sectors):
            values = [float(b.attendees[i]) for b in buckets]
            if not any(values):
                continue
            bar_set = QBarSet(name)
            bar_set.setColor(QColor(sector_colour(i)))
            bar_set.setBorderColor(QColor("white"))
            bar_set.append(values)
            series.append(bar_set)
            self.sets[name] = bar_set
        chart = self.chart()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        chart.addSeries(series)
        # The legend beside it leaves the bars half the width: months stand upright.
        x = self.categories([b.label for b in buckets], upright_from=8)
        y = self.value_axis(100, "%i%%")
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)


class TargetChart(ChartView):
    """Each sector's share of the attendees beside the share the centre aims for."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Sector mix against the target", parent)
        self.actual: QBarSet | None = None
        self.target: QBarSet | None = None

    def show_mix(self, sectors: Sequence[SectorCounts], targets: Mapping[str, int]) -> None:
        self.clear()
        shown = [s for s in sectors if s.counts.invited or targets.get(s.sector)]
        if not shown:
            return
        rows = list(reversed(shown))  # a horizontal chart lists from the bottom up
        series = QHorizontalBarSeries()
        wanted = [float(targets.get(s.sector, 0)) for s in rows]
        had = [100 * (s.share or 0) for s in rows]
        self.target = QBarSet("Target")
        self.target.setColor(QColor(TARGET_COLOUR))
        self.target.append(wanted)
        self.actual = QBarSet("Share of attendees")
        self.actual.setColor(QColor(CONNECTIONS_COLOUR))
        self.actual.append(had)
        series.append(self.target)
        series.append(self.actual)
        chart = self.chart()
        chart.addSeries(series)
        y = QBarCategoryAxis()
        y.append([s.sector for s in rows])
        x = self.value_axis(max(*wanted, *had, 10), "%i%%")
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(y)
        series.attachAxis(x)


class SectorChart(ChartView):
    """Invited, accepted and attended, by sector (grouped horizontal bars)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Invited, accepted and attended, by sector", parent)
        self.sets: dict[str, QBarSet] = {}

    def show_sectors(self, sectors: Sequence[SectorCounts]) -> None:
        self.clear()
        self.sets = {}
        rows = [s for s in sectors if s.counts.invited or s.counts.attended][::-1]
        if not rows:
            return
        series = QHorizontalBarSeries()
        for name, colour, value in (
            ("Attended", CONNECTIONS_COLOUR, lambda s: s.counts.attended),
            ("Accepted", "#8fb3d9", lambda s: s.counts.accepted),
            ("Invited", TARGET_COLOUR, lambda s: s.counts.invited),
        ):
            bar_set = QBarSet(name)
            bar_set.setColor(QColor(colour))
            bar_set.append([float(value(s)) for s in rows])
            series.append(bar_set)
            self.sets[name] = bar_set
        chart = self.chart()
        chart.addSeries(series)
        y = QBarCategoryAxis()
        y.append([s.sector for s in rows])
        x = self.value_axis(max(s.counts.invited for s in rows))
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(y)
        series.attachAxis(x)
