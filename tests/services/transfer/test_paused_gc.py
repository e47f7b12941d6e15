"""The import's pause of the cycle collector always ends, and never turns on what was off."""

from __future__ import annotations

import gc

import pytest

from roundtable_app.services.transfer.paused_gc import paused_gc


@pytest.fixture(autouse=True)
def _collector_restored():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_off_inside_and_on_again_after_nested_pauses():
    gc.enable()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause is still on
    assert gc.isenabled()


def test_an_error_still_ends_the_pause():
    gc.enable()

    @paused_gc()
    def failing() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing()
    assert gc.isenabled()


def test_a_collector_someone_turned_off_stays_off():
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()
