"""Time zones by their IANA names, looked up once and safely.

``ZoneInfo(name)`` fails in three ways for a name that is not a zone:
``ZoneInfoNotFoundError`` ("Mars/Base"), ``ValueError`` (a malformed key such as
"../x") and ``IsADirectoryError``, an ``OSError``, for a name that is a folder of
the zone database ("Europe", "America/Argentina"). Every caller asks here, so no
screen, import or output crashes on the third. Zones are kept: ``ZoneInfo`` holds
only weak references to its zones, so a loop over 100,000 rows would otherwise
read the zone file again for most of them.
"""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@lru_cache(maxsize=512)
def time_zone(name: str) -> ZoneInfo | None:
    """The zone called ``name``, or ``None`` when this computer knows no zone of that name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
