"""Time zones by name: a name that is no zone is None, never an exception."""

from __future__ import annotations

import pytest

from roundtable_app.core.time_zones import time_zone


def test_a_known_zone_is_found_and_kept() -> None:
    zone = time_zone("Europe/London")
    assert zone is not None and str(zone) == "Europe/London"
    assert time_zone("Europe/London") is zone


@pytest.mark.parametrize("name", ["Mars/Olympus", "Europe", "America/Argentina", "../etc", ""])
def test_a_name_that_is_no_zone_is_none(name: str) -> None:
    assert time_zone(name) is None
