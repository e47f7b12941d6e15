"""The colour of each sector in charts, the same on screen and on paper."""

from __future__ import annotations

#: Distinct, calm colours that stay apart in print and for common colour blindness.
SECTOR_COLOURS: tuple[str, ...] = (
    "#2f5d8a",  # deep blue
    "#e08e45",  # orange
    "#5aa469",  # green
    "#c2524f",  # brick red
    "#8a6bb8",  # purple
    "#4fb0c6",  # teal
    "#d4a72c",  # ochre
    "#b36b98",  # plum
    "#7d8c59",  # olive
    "#6d7a8c",  # slate
)
#: For what is not drawn by sector (groups too small to print, no sector).
OTHER_COLOUR = "#b8bec7"
#: New connections: the bars, and the running total.
CONNECTIONS_COLOUR = "#2f5d8a"
CUMULATIVE_COLOUR = "#e08e45"
TARGET_COLOUR = "#c9ced6"


def sector_colour(index: int) -> str:
    """The colour of the sector at ``index`` in the sector order."""
    return SECTOR_COLOURS[index % len(SECTOR_COLOURS)]
