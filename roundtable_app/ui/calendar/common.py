"""What the month and week grids share: the items they draw, status colours, tooltips.

The grids are painted by hand (``paintEvent``) rather than built from child
widgets: a month page is then one widget, laid out in microseconds, which keeps
paging well inside the 100 ms budget (issue 4 §5) at thousands of roundtables.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from PySide6.QtGui import QColor

from roundtable_app.core.model import RoundtableStatus
from roundtable_app.services.roundtables import RoundtableRow

#: Chip colours by status: (background, text, border).
STATUS_COLOURS: dict[RoundtableStatus, tuple[QColor, QColor, QColor]] = {
    RoundtableStatus.DRAFT: (QColor("#f2f4f7"), QColor("#344054"), QColor("#98a2b3")),
    RoundtableStatus.SCHEDULED: (QColor("#d1e9ff"), QColor("#194185"), QColor("#2e90fa")),
    RoundtableStatus.HELD: (QColor("#d1fadf"), QColor("#05603a"), QColor("#32d583")),
    RoundtableStatus.CANCELLED: (QColor("#fee4e2"), QColor("#912018"), QColor("#f97066")),
}
STATUS_LABELS = {
    RoundtableStatus.DRAFT: "Draft",
    RoundtableStatus.SCHEDULED: "Scheduled",
    RoundtableStatus.HELD: "Held",
    RoundtableStatus.CANCELLED: "Cancelled",
}
TODAY_COLOUR = QColor("#fffaeb")
TODAY_ACCENT = QColor("#1570ef")
GRID_COLOUR = QColor("#d0d5dd")
DROP_COLOUR = QColor(21, 112, 239, 60)


@dataclass(frozen=True, slots=True)
class CalendarItem:
    """One roundtable as the grids draw it, its times in the display zone."""

    id: int
    title: str
    status: RoundtableStatus
    start: dt.datetime  # aware, in the display zone
    end: dt.datetime
    time_zone: str  # the roundtable's own zone
    venue: str
    series: str

    @property
    def movable(self) -> bool:
        """Held and cancelled roundtables stay where they were."""
        return self.status in (RoundtableStatus.DRAFT, RoundtableStatus.SCHEDULED)

    def tooltip(self) -> str:
        when = f"{self.start:%a %d %b %Y, %H:%M}–{self.end:%H:%M} {self.start.tzname() or ''}"
        own = ""
        if self.start.tzinfo is not None and str(self.start.tzinfo) != self.time_zone:
            local = self.start.astimezone(ZoneInfo(self.time_zone))
            own = f"<br>{local:%H:%M} in {html.escape(self.time_zone)}"
        lines = [
            f"<b>{html.escape(self.title)}</b>",
            f"{when}{own}",
            STATUS_LABELS[self.status],
        ]
        if self.venue:
            lines.append(html.escape(self.venue))
        if self.series:
            lines.append(f"Series: {html.escape(self.series)}")
        if self.movable:
            lines.append("<i>Drag to move · double-click to open</i>")
        return "<br>".join(lines)


def items_from_rows(rows: Iterable[RoundtableRow], zone: ZoneInfo) -> list[CalendarItem]:
    """The rows of ``list_between`` as calendar items in ``zone`` (rows without times dropped)."""
    items = []
    for row in rows:
        if row.starts_at is None or row.ends_at is None:
            continue
        items.append(
            CalendarItem(
                id=row.id,
                title=row.title,
                status=row.status,
                start=row.starts_at.astimezone(zone),
                end=row.ends_at.astimezone(zone),
                time_zone=row.time_zone,
                venue=row.venue,
                series=row.series,
            )
        )
    return items


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def month_grid_range(month: dt.date) -> tuple[dt.date, int]:
    """The Monday the month grid starts on and how many weeks it shows (4 to 6)."""
    first = month.replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    start = monday_of(first)
    weeks = -(-((next_month - start).days) // 7)
    return start, weeks
