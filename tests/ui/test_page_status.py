"""The status bar counts the things of the page in view, not the people everywhere."""

from __future__ import annotations

from PySide6.QtCore import Qt

from roundtable_app.services import roundtables
from roundtable_app.services.demo import generate_demo
from roundtable_app.ui.main_window import PAGES


def click_page(qtbot, win, key: str) -> None:  # type: ignore[no-untyped-def]
    nav = win.navigation
    rect = nav.visualItemRect(nav.item([spec.key for spec in PAGES].index(key)))
    qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_each_page_shows_its_own_count(qtbot, window, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    generate_demo(sqlite_db, people=60)
    with sqlite_db.reading() as session:
        total = len(roundtables.list_roundtables(session))
    win = window()
    status = win.counts_label
    assert status.text() == "60 people"

    click_page(qtbot, win, "roundtables")
    page = win.pages["roundtables"]
    assert status.text() == f"{total} roundtables · {page.model.rowCount()} shown"
    with qtbot.waitSignal(page.rows_loaded, timeout=5_000):
        qtbot.keyClicks(page.search_edit, "zzz-no-such-roundtable")
    assert status.text() == f"{total} roundtables · 0 shown"

    click_page(qtbot, win, "calendar")
    calendar = win.pages["calendar"]
    period = calendar.period_title()
    expected = (
        f"No roundtables in {period}"
        if calendar.count == 0
        else f"{calendar.count} roundtable{'s' if calendar.count != 1 else ''} in {period}"
    )
    assert status.text() == expected
    qtbot.mouseClick(calendar.week_button, Qt.MouseButton.LeftButton)
    assert status.text().endswith(f"in {calendar.period_title()}")
    assert "–" in calendar.period_title()  # a week: "14–20 December 2026"

    click_page(qtbot, win, "grouping")
    grouping = win.pages["grouping"]
    qtbot.waitUntil(lambda: not grouping.is_loading)
    people = grouping.people_count()
    seat = f"{people} {'person' if people == 1 else 'people'} to seat" if people else ""
    assert status.text() in (seat, "No one to seat yet") or status.text().startswith(seat + " · ")

    click_page(qtbot, win, "directory")
    assert status.text() == "60 people"
    qtbot.keyClicks(win.directory.filter_edit, "zzz")
    assert status.text() == "60 people · 0 shown"
