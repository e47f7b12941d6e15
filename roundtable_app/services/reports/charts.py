"""Charts for printed reports (reportlab graphics), in the reports' fonts and colours.

Each function returns a ``Drawing`` (a flowable) of the width it is given; the
data arrive ready to draw, so a report decides what may be shown (the "fewer
than 3" rule) before a chart ever sees a number.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from roundtable_app.services.reports.fonts import REGULAR
from roundtable_app.services.reports.styles import INK, MUTED, RULE

AXIS_FONT_SIZE = 7.5


def _colour(hex_colour: str) -> colors.Color:
    return colors.HexColor(hex_colour)


def _every(labels: Sequence[str], most: int) -> list[str]:
    """Every n-th label (the others blank), so that at most ``most`` are printed."""
    step = max(1, -(-len(labels) // most))
    return [label if i % step == 0 else "" for i, label in enumerate(labels)]


def _nice_top(value: float) -> float:
    """A round upper end for a value axis (at least 1)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return top
    return 10 * magnitude


def _style_axes(chart: VerticalBarChart | HorizontalLineChart | HorizontalBarChart) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = REGULAR
        axis.labels.fontSize = AXIS_FONT_SIZE
        axis.labels.fillColor = MUTED
        axis.strokeColor = RULE
        axis.strokeWidth = 0.5
    chart.valueAxis.gridStrokeColor = colors.HexColor("#eceff3")
    chart.valueAxis.gridStrokeWidth = 0.5
    chart.valueAxis.visibleGrid = True
    chart.categoryAxis.tickShift = 0


def _legend(items: Sequence[tuple[str, str]], x: float, y: float, columns: int) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.fontName = REGULAR
    legend.fontSize = AXIS_FONT_SIZE
    legend.fillColor = INK
    legend.boxAnchor = "nw"
    legend.columnMaximum = max(1, -(-len(items) // columns))
    legend.deltax = 0
    legend.dxTextSpace = 4
    legend.dx = legend.dy = 7
    legend.deltay = 10
    legend.strokeWidth = 0
    legend.strokeColor = None
    legend.colorNamePairs = [(_colour(colour), name) for name, colour in items]
    return legend


def bars_and_running_total(
    labels: Sequence[str],
    bars: Sequence[int],
    running: Sequence[int],
    width: float,
    *,
    bar_name: str,
    line_name: str,
    bar_colour: str,
    line_colour: str,
    height: float = 170,
) -> Drawing:
    """Bars per period (left axis) and their running total as a line (right axis)."""
    drawing = Drawing(width, height)
    left, bottom, right, top = 34, 34, 40, 22
    plot_w, plot_h = width - left - right, height - bottom - top
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = left, bottom, plot_w, plot_h
    chart.data = [list(bars) or [0]]
    chart.bars[0].fillColor = _colour(bar_colour)
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 4
    chart.categoryAxis.categoryNames = _every(labels, 12) or [""]
    chart.categoryAxis.labels.angle = 0
    chart.categoryAxis.labels.dy = -3
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_top(max(bars, default=0))
    chart.valueAxis.valueStep = chart.valueAxis.valueMax / 4
    chart.valueAxis.labelTextFormat = "{:,.0f}".format
    _style_axes(chart)
    drawing.add(chart)
    line = HorizontalLineChart()
    line.x, line.y, line.width, line.height = left, bottom, plot_w, plot_h
    line.data = [list(running) or [0]]
    line.lines[0].strokeColor = _colour(line_colour)
    line.lines[0].strokeWidth = 1.6
    line.valueAxis.valueMin = 0
    line.valueAxis.valueMax = _nice_top(max(running, default=0))
    line.valueAxis.valueStep = line.valueAxis.valueMax / 4
    line.valueAxis.labelTextFormat = "{:,.0f}".format
    line.valueAxis.joinAxis = line.categoryAxis
    line.valueAxis.joinAxisMode = "right"
    line.categoryAxis.visible = False
    line.categoryAxis.categoryNames = [""] * max(1, len(labels))
    _style_axes(line)
    line.valueAxis.visibleGrid = False
    line.valueAxis.labels.dx = 4
    line.valueAxis.labels.textAnchor = "start"
    line.valueAxis.labels.boxAnchor = "w"
    drawing.add(line)
    drawing.add(
        _legend([(bar_name, bar_colour), (line_name, line_colour)], left, height - 4, columns=2)
    )
    return drawing


def stacked_shares(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    width: float,
    *,
    height: float = 200,
) -> Drawing:
    """100% stacked bars: per period, each series' share (name, colour, shares 0..1)."""
    drawing = Drawing(width, height)
    columns = 3
    legend_rows = -(-len(series) // columns)
    left, bottom, right = 34, 30 + 11 * legend_rows, 8
    plot_w, plot_h = width - left - right, height - bottom - 8
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = left, bottom, plot_w, plot_h
    chart.data = [[100 * v for v in values] or [0] for _, _, values in series] or [[0]]
    chart.categoryAxis.style = "stacked"
    for i, (_, colour, _) in enumerate(series):
        chart.bars[i].fillColor = _colour(colour)
        chart.bars[i].strokeColor = colors.white
        chart.bars[i].strokeWidth = 0.3
    chart.barSpacing = 0
    chart.groupSpacing = 3
    chart.categoryAxis.categoryNames = _every(labels, 12) or [""]
    chart.categoryAxis.labels.dy = -3
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 25
    chart.valueAxis.labelTextFormat = "{:.0f}%".format
    _style_axes(chart)
    drawing.add(chart)
    drawing.add(
        _legend([(name, colour) for name, colour, _ in series], left, bottom - 18, columns=columns)
    )
    return drawing


def actual_and_target(
    names: Sequence[str],
    actual: Sequence[float | None],
    target: Sequence[float] | None,
    width: float,
    *,
    actual_colour: str,
    target_colour: str,
    hidden_label: str,
) -> Drawing:
    """Per sector, its share of attendees beside the target share (both 0..1).

    A share given as None is not drawn and labelled ``hidden_label`` instead.
    """
    row = 22 if target is not None else 15
    height = 28 + row * len(names) + 18
    drawing = Drawing(width, height)
    left, bottom = 118, 26
    plot_w, plot_h = width - left - 50, height - bottom - 6
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = left, bottom, plot_w, plot_h
    shown = [100 * (v or 0) for v in reversed(actual)]
    # In each group the first series is drawn lowest: the target goes first, so that
    # the actual share reads first, above it.
    chart.data = [[100 * v for v in reversed(target)] or [0]] if target is not None else []
    chart.data.append(shown or [0])
    if target is not None:
        chart.bars[0].fillColor = _colour(target_colour)
        chart.bars[0].strokeColor = None
    chart.bars[len(chart.data) - 1].fillColor = _colour(actual_colour)
    chart.bars[len(chart.data) - 1].strokeColor = None
    chart.barWidth, chart.barSpacing, chart.groupSpacing = 10, 1, 5
    chart.categoryAxis.categoryNames = list(reversed(names)) or [""]
    chart.categoryAxis.labels.textAnchor = "end"
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    top = max([*shown, *(100 * v for v in (target or ()))], default=0)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_top(max(top, 10))
    chart.valueAxis.valueStep = chart.valueAxis.valueMax / 5
    chart.valueAxis.labelTextFormat = "{:.0f}%".format
    _style_axes(chart)
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.labels.fontSize = 8
    drawing.add(chart)
    n = len(names)
    # reportlab scales bar width and spacings to the group's height: with a target,
    # a group is 10 + 1 + 10 bar units plus 5 of spacing, the actual bar's middle
    # 5.5 units above the group's.
    unit = plot_h / max(n, 1) / (26 if target is not None else 15)
    for i, value in enumerate(actual):
        slot = n - 1 - i  # groups are drawn bottom-up
        y = bottom + plot_h * (slot + 0.5) / max(n, 1)
        if target is not None:
            y += 5.5 * unit
        text = hidden_label if value is None else f"{value:.0%}"
        x = left + plot_w * (100 * (value or 0)) / chart.valueAxis.valueMax + 3
        drawing.add(String(x, y - 2.5, text, fontName=REGULAR, fontSize=7, fillColor=MUTED))
    items = [("Share of attendees", actual_colour)]
    if target is not None:
        items.append(("Target share", target_colour))
    drawing.add(_legend(items, left, 12, columns=2))
    return drawing
