"""The charts' axes stay readable when a period has many months."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import QBarCategoryAxis

from roundtable_app.services.statistics import Bucket
from roundtable_app.ui.statistics.charts import ConnectionsChart, MixChart

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def months() -> list[Bucket]:
    return [
        Bucket(f"{m} 2026", dt.date(2026, i + 1, 1), 1, (3, 2), 1, i + 1)
        for i, m in enumerate(MONTHS)
    ]


def x_axis(chart: MixChart | ConnectionsChart) -> QBarCategoryAxis:
    axes = chart.chart().axes()
    found = [a for a in axes if isinstance(a, QBarCategoryAxis)]
    assert len(found) == 1
    return found[0]


def test_twelve_months_of_sector_mix_are_labelled_upright_not_elided(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Beside its legend, the mix chart showed twelve months as "…", "F…", "A…"."""
    chart = MixChart()
    qtbot.addWidget(chart)
    chart.resize(520, 420)
    chart.show_buckets(months(), ["Business", "Government"])
    axis = x_axis(chart)
    assert axis.labelsAngle() == -90
    assert axis.categories()[0] == "Jan ’26"


def test_a_few_quarters_keep_their_two_line_labels(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = ConnectionsChart()
    qtbot.addWidget(chart)
    quarters = [
        Bucket(f"Q{q} 2025", dt.date(2025, 3 * q - 2, 1), 1, (1,), 1, q) for q in range(1, 5)
    ]
    chart.show_buckets(quarters, "quarter")
    axis = x_axis(chart)
    assert axis.labelsAngle() == 0
    assert axis.categories()[0] == "Q1<br>’25"
