"""The editor's live scheduling hints: clashes, weekends, and times as invitees see them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from html import escape
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from roundtable_app.services.roundtables import Clash, as_seen_by

MAX_CLASHES = 6


def clash_text(clash: Clash, zone: str) -> str:
    """One clash, with the other roundtable's time in the editor's zone."""
    local = clash.starts_at.astimezone(ZoneInfo(zone))
    when = f"{local:%a} {local.day} {local:%b, %H:%M}"
    if clash.kind == "venue":
        return f"{clash.name} is already booked for “{clash.title}” ({when})."
    if clash.kind == "chair":
        return f"The chair, {clash.name}, is already booked at “{clash.title}” ({when})."
    return f"{clash.name} is also invited to “{clash.title}” ({when})."


def seen_text(starts_at: dt.datetime, ends_at: dt.datetime, zones: Mapping[str, int]) -> str:
    """ "05:00–07:00 EST in America/New_York (2 invitees); …" for zones other than the event's."""
    parts = []
    for zone, count in sorted(zones.items()):
        try:
            start, end = as_seen_by(starts_at, ends_at, zone)
        except Exception:  # a zone this machine does not know
            continue
        day = f"{start:%a} " if start.date() != starts_at.date() else ""
        who = "1 invitee" if count == 1 else f"{count} invitees"
        parts.append(f"{day}{start:%H:%M}–{end:%H:%M} {start.tzname()} in {zone} ({who})")
    return "; ".join(parts)


class ScheduleHints(QWidget):
    """Warnings (clashes, weekend) in amber, and the "as invitees will see it" line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines: list[str] = []
        self.seen = QLabel()
        self.seen.setObjectName("hint")
        self.seen.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setObjectName("scheduleWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(
            "QLabel { color: #6b4500; background: #fff6e0; border: 1px solid #f0d9a8;"
            " border-radius: 4px; padding: 6px 8px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.seen)
        layout.addWidget(self.warnings)
        self.show_hints([], None, "")

    def show_hints(
        self,
        clashes: Sequence[Clash],
        weekend: str | None,
        seen: str,
        zone: str = "UTC",
    ) -> None:
        """Show the clashes and weekend warning (hidden when none) and the local-times line."""
        self.seen.setText(f"Invitees abroad will see: {seen}" if seen else "")
        self.seen.setVisible(bool(seen))
        lines = [clash_text(c, zone) for c in clashes[:MAX_CLASHES]]
        if len(clashes) > MAX_CLASHES:
            lines.append(f"… and {len(clashes) - MAX_CLASHES} more clashes.")
        if weekend:
            lines.append(weekend)
        self._lines = lines
        self.warnings.setText("<br>".join("⚠ " + escape(line) for line in lines))
        self.warnings.setVisible(bool(lines))

    @property
    def warning_texts(self) -> list[str]:
        """The warnings shown now, as plain text (for tests and tooltips)."""
        return list(self._lines)
