"""No page widens the window: showing every page and calendar view keeps its width.

The calendar's week view once grew the window from 1280 to 1399, then 1412 pixels
(a long hint in its toolbar), and a roundtable with a long title or venue did the
same from the Roundtables page; the window then reopened at that size.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from roundtable_app.services import roundtables
from roundtable_app.services.demo import generate_demo
from roundtable_app.services.roundtables import RoundtableData, View
from roundtable_app.ui.calendar.page import WEEK
from roundtable_app.ui.common import ElidedLabel
from roundtable_app.ui.main_window import DEFAULT_SIZE, PAGES
from roundtable_app.ui.roundtables.page import VIEWS

LONG_TITLE = "Forced labour in the supply chains of " + "very " * 12 + "long titles"
LONG_VENUE = "The Wilberforce Institute, Oriel Chambers, 27 High Street, Hull HU1 1NE, " * 2


def settle() -> None:
    """Let the layouts take in what changed (as the event loop does between events)."""
    for _ in range(3):
        QApplication.processEvents()


@pytest.fixture
def long_roundtable(sqlite_db) -> int:  # type: ignore[no-untyped-def]
    generate_demo(sqlite_db, people=80)
    start = dt.datetime.now(dt.UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    data = RoundtableData(
        title=LONG_TITLE,
        venue=LONG_VENUE,
        starts_at=start + dt.timedelta(days=1),
        ends_at=start + dt.timedelta(days=1, hours=2),
    )
    with sqlite_db.transaction() as session:
        return roundtables.create_roundtable(session, data).id


def click_page(qtbot, win, key: str) -> None:  # type: ignore[no-untyped-def]
    nav = win.navigation
    rect = nav.visualItemRect(nav.item([spec.key for spec in PAGES].index(key)))
    qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle()


def assert_width_kept(win) -> None:  # type: ignore[no-untyped-def]
    assert win.width() == DEFAULT_SIZE[0]
    assert win.minimumSizeHint().width() <= DEFAULT_SIZE[0]  # nothing squeezed either


def test_every_page_and_view_keeps_the_window_width(qtbot, window, long_roundtable) -> None:  # type: ignore[no-untyped-def]
    win = window()
    settle()
    assert_width_kept(win)
    for spec in PAGES:
        click_page(qtbot, win, spec.key)
        assert_width_kept(win)

    click_page(qtbot, win, "roundtables")
    page = win.pages["roundtables"]
    tab = [view for view, _label in VIEWS].index(View.DRAFTS)
    qtbot.mouseClick(page.tabs, Qt.MouseButton.LeftButton, pos=page.tabs.tabRect(tab).center())
    row = page.model.row_of(long_roundtable)
    assert row is not None
    rect = page.table.visualRect(page.model.index(row, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle()
    assert page.detail_title.text() == LONG_TITLE
    assert page.detail_title.shown_text().startswith("Forced labour")  # shown, shortened
    assert page.detail_title.toolTip() == LONG_TITLE
    assert_width_kept(win)
    upcoming = [view for view, _label in VIEWS].index(View.UPCOMING)
    qtbot.mouseClick(page.tabs, Qt.MouseButton.LeftButton, pos=page.tabs.tabRect(upcoming).center())
    other = next(
        page.model.row_at(r).id
        for r in range(page.model.rowCount())
        if page.model.row_at(r).id != long_roundtable
    )
    page.select_id(other)  # (by code: the mouse-click panel fix is the roundtables branch's)
    settle()
    title = page.detail_title
    assert title.text() and title.shown_text() == title.text()  # a usual title: all of it

    click_page(qtbot, win, "calendar")
    calendar = win.pages["calendar"]
    for button in (calendar.week_button, calendar.month_button, calendar.week_button):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        settle()
        assert_width_kept(win)
        for _ in range(8):  # the weeks (or months) ahead, with longer and shorter titles
            qtbot.keyClick(calendar, Qt.Key.Key_PageDown)
            settle()
            assert_width_kept(win)
    assert calendar.view == WEEK


def test_a_long_hint_gives_up_width_and_says_it_all_in_its_tooltip(qtbot) -> None:  # type: ignore[no-untyped-def]
    label = ElidedLabel("No roundtables this week. Use ‹ › or PgUp/PgDn to look around.")
    qtbot.addWidget(label)
    assert label.minimumSizeHint().width() == 0
    label.resize(120, 20)
    label.show()
    assert label.shown_text().endswith("…")
    assert label.toolTip() == label.text()
    label.resize(2000, 20)
    assert label.shown_text() == label.text() and label.toolTip() == ""
