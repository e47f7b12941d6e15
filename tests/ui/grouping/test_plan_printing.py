"""Printing the table plan: the PDF of names exists only while its preview is open."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from roundtable_app.services.demo import generate_demo
from roundtable_app.storage.unit_of_work import Database
from roundtable_app.ui.common import PdfPreviewDialog
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.grouping.page import GroupingPage
from roundtable_app.ui.settings import Settings

RUN_TIMEOUT_MS = 15_000


@pytest.fixture
def system_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def page(qtbot, sqlite_db: Database, isolated_settings: Settings) -> GroupingPage:  # type: ignore[no-untyped-def]
    generate_demo(sqlite_db, people=120)
    page = GroupingPage(AppContext(sqlite_db, isolated_settings))
    qtbot.addWidget(page)
    page.resize(1280, 800)
    with qtbot.waitSignal(page.pool_loaded, timeout=RUN_TIMEOUT_MS):
        page.show()
    qtbot.waitExposed(page)
    page.settings.time_limit.setValue(0.3)
    page.settings.max_iterations.setValue(2000)
    with qtbot.waitSignal(page.run_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    assert page.plan is not None and page.print_button.isEnabled()
    return page


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_the_printed_plan_is_removed_when_the_preview_closes(
    qtbot, page, with_modal, system_temp, tmp_path
):
    seen: dict[str, object] = {}

    def in_preview(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, PdfPreviewDialog)
        assert dialog.document.pageCount() >= 1
        pdf = dialog.path
        seen["pdf"] = pdf
        seen["mode"] = stat.S_IMODE(os.stat(pdf).st_mode)
        seen["in_temp"] = system_temp in pdf.parents
        # Save as… while it is open: the copy is the user's, owner-only too.
        copy = dialog.save_as(str(tmp_path / "My plan"))
        seen["copy_mode"] = stat.S_IMODE(os.stat(copy).st_mode) if copy else None
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    with_modal(lambda: qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton), in_preview)
    pdf = seen["pdf"]
    assert isinstance(pdf, Path)
    assert seen["in_temp"] and seen["mode"] == 0o600
    assert seen["copy_mode"] == 0o600
    assert (tmp_path / "My plan.pdf").read_bytes().startswith(b"%PDF")
    # Closed: no PDF of names is left anywhere in the temporary folder.
    assert not pdf.exists() and not pdf.parent.exists()
    assert files_under(system_temp) == []


def test_printing_twice_leaves_nothing_behind(qtbot, page, with_modal, system_temp):
    for _ in range(2):
        with_modal(
            lambda: qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton),
            lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape),
        )
    assert files_under(system_temp) == []
