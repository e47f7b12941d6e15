"""The Evidence needs page, used as staff use it: pick needs with the mouse and keys,
filter, edit status, owner and reference (undo, a colleague's conflicting edit), group
suggested needs and undo, export; on the hand-made register of tests/register_data.py."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel

from roundtable_app.core.discussion import NeedStatus
from roundtable_app.services import register
from roundtable_app.services.register import NeedEdit, RegisterFilter
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.register import RegisterPage
from tests.register_data import FORCED, NAMED, SUPPORT, Register, make_register

CONSTRUCTION = "What is the prevalence of forced labour in UK construction supply chains?"
POLICE = "How much does police training on exploitation cost per officer?"


def open_page(qtbot, ctx: AppContext) -> RegisterPage:  # type: ignore[no-untyped-def]
    """The page, shown, with its first rows loaded."""
    page = RegisterPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    with qtbot.waitSignal(page.entries_loaded, timeout=10_000):
        page.show()
    return page


def row_of(page: RegisterPage, text: str) -> int:
    model = page.model
    for row in range(model.rowCount()):
        if model.entry_at(row).text.startswith(text):
            return row
    raise AssertionError(f"no row starts with {text!r}")


def click_row(qtbot, page: RegisterPage, row: int, column: int = 1) -> QModelIndex:  # type: ignore[no-untyped-def]
    view = page.table
    index = page.model.index(row, column)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )
    return index


def reloaded(qtbot, page: RegisterPage):  # type: ignore[no-untyped-def]
    return qtbot.waitSignal(page.entries_loaded, timeout=10_000)


@pytest.fixture
def reg(ctx: AppContext) -> Register:
    return make_register(ctx.db)


@pytest.fixture
def page(qtbot, ctx: AppContext, reg: Register) -> RegisterPage:  # type: ignore[no-untyped-def]
    return open_page(qtbot, ctx)


def test_the_panel_follows_the_row_clicked_or_reached_with_the_keys(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    assert page.model.rowCount() == 9
    police = row_of(page, POLICE)
    click_row(qtbot, page, police)
    assert page.detail.text.text() == POLICE
    assert "Policing exploitation" in page.detail.roundtables.text()
    assert "22 April 2026" in page.detail.roundtables.text()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    below = page.model.entry_at(police + 1)
    assert page.detail.text.text() == below.text
    qtbot.keyClick(page.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert page.detail.text.text() == page.model.entry_at(0).text


def test_no_name_is_ever_on_the_page(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    for row in range(page.model.rowCount()):
        click_row(qtbot, page, row)
        shown = " ".join(label.text() for label in page.findChildren(QLabel))
        cells = " ".join(
            str(page.model.index(row, c).data() or "") for c in range(page.model.columnCount())
        )
        for part in NAMED.split():
            assert part not in shown and part not in cells
        assert "Lived experience" not in shown + cells
