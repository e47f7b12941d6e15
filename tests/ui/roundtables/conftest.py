"""Fixtures of the printing journeys: the Roundtables page on past roundtables, and a
system temporary folder of the test's own (to see that printing leaves nothing behind)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from roundtable_app.services.roundtables import View
from roundtable_app.ui.roundtables.page import RoundtablesPage


@pytest.fixture
def system_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def page(qtbot, demo_ctx) -> RoundtablesPage:  # type: ignore[no-untyped-def]
    page = RoundtablesPage(demo_ctx)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    qtbot.waitExposed(page)
    page.set_view(View.PAST)
    return page
