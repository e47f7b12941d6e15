"""The Calendar page: months and weeks of roundtables, paging, drag to reschedule, undo."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from roundtable_app.core.model import RoundtableStatus
from roundtable_app.services import roundtables
from roundtable_app.services.demo import generate_demo
from roundtable_app.services.roundtables import InviteeStatus
from roundtable_app.storage.models import Invitation, Roundtable
from roundtable_app.ui.calendar.page import CalendarPage
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.main_window import PAGES

LONDON = ZoneInfo("Europe/London")


def sent_scheduled(db) -> tuple[int, dt.datetime]:
    """A scheduled roundtable whose invitations went out, and its start in London."""
    with db.reading() as s:
        for rt in s.scalars(
            select(Roundtable)
            .where(Roundtable.status == RoundtableStatus.SCHEDULED.value)
            .order_by(Roundtable.starts_at)
        ):
            sent = s.scalars(
                select(Invitation.id).where(
                    Invitation.roundtable_id == rt.id, Invitation.sent_sequence.is_not(None)
                )
            ).first()
            if sent is not None:
                return rt.id, rt.starts_at.astimezone(LONDON)
    raise AssertionError("the demo has no sent scheduled roundtable")


@pytest.fixture
def page(sqlite_db, isolated_settings, qtbot) -> CalendarPage:
    generate_demo(sqlite_db, people=150)
    widget = CalendarPage(AppContext(sqlite_db, isolated_settings))
    qtbot.addWidget(widget)
    widget.resize(1100, 720)
    widget.show()
    return widget


def test_month_shows_that_months_roundtables_and_pages(page, sqlite_db):
    rt_id, start = sent_scheduled(sqlite_db)
    page.set_view("month")
    page.set_period(start.date())
    assert page.title.text() == f"{start:%B %Y}"
    shown = [item.id for item in page.month.items_on(start.date())]
    assert rt_id in shown
    assert page.month.chip_rect(rt_id) is not None or len(shown) > 3
    page.page(1)
    following = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    assert page.title.text() == f"{following:%B %Y}"
    assert rt_id not in [item.id for item in page.month.items_on(start.date())]
    page.page(-1)
    QTest.keyClick(page.month, Qt.Key.Key_PageDown)
    assert page.title.text() == f"{following:%B %Y}"
    QTest.keyClick(page.month, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert page.title.text() == f"{start:%B %Y}"


def test_empty_month_shows_a_hint(page):
    page.set_period(dt.date(2031, 7, 1))
    assert page.count == 0
    assert "No roundtables" in page.hint.text()


def test_week_view_places_a_roundtable_in_its_day_column(page, sqlite_db):
    rt_id, start = sent_scheduled(sqlite_db)
    page.set_view("week")
    page.set_period(start.date())
    rect = page.week.block_rect(rt_id)
    assert rect is not None
    column = page.week.column_rect(start.date())
    assert column.left() <= rect.center().x() <= column.right()
    slot = page.week.slot_at(QPoint(rect.center().x(), rect.top() + 1))
    assert slot is not None and slot.replace(tzinfo=LONDON) == start.replace(second=0)


def test_week_drag_snaps_to_a_quarter_hour(page, sqlite_db):
    rt_id, start = sent_scheduled(sqlite_db)
    page.set_view("week")
    page.set_period(start.date())
    rect = page.week.block_rect(rt_id)
    assert rect is not None
    target_day = start.date() + dt.timedelta(days=1 if start.weekday() < 4 else -1)
    column = page.week.column_rect(target_day)
    grab = QPoint(rect.center().x(), rect.top() + 5)
    drop = QPoint(column.center().x(), grab.y() + round(page.week._hour_height))
    QTest.mousePress(page.week, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, grab)
    QTest.mouseMove(page.week, grab + QPoint(10, 10))
    QTest.mouseMove(page.week, drop)
    QTest.mouseRelease(page.week, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, drop)
    with sqlite_db.reading() as s:
        moved = roundtables.get_roundtable(s, rt_id).data.starts_at.astimezone(LONDON)
    assert moved.date() == target_day
    assert moved.minute % 15 == 0
    assert (
        moved.time()
        == (dt.datetime.combine(start.date(), start.time()) + dt.timedelta(hours=1)).time()
    )


def test_dragging_a_chip_reschedules_marks_updates_and_undoes(window, sqlite_db, qtbot):
    generate_demo(sqlite_db, people=150)
    rt_id, start = sent_scheduled(sqlite_db)
    with sqlite_db.reading() as s:
        sent_before = {
            r.invitation_id
            for r in roundtables.invitee_rows(s, rt_id)
            if r.sent_sequence is not None and not r.withdrawn
        }
    win = window()
    keys = [spec.key for spec in PAGES]
    win.navigation.setCurrentRow(keys.index("calendar"))
    page: CalendarPage = win.pages["calendar"]
    page.set_view("month")
    page.set_period(start.date())
    chip = page.month.chip_rect(rt_id)
    assert chip is not None
    # A weekday in the same week, so the drop stays inside this month's grid.
    target = start.date() + dt.timedelta(days=1 if start.weekday() < 4 else -1)
    drop = page.month.day_rect(target).center()
    grid = page.month
    QTest.mousePress(grid, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, chip.center())
    QTest.mouseMove(grid, chip.center() + QPoint(12, 0))
    QTest.mouseMove(grid, drop)
    QTest.mouseRelease(grid, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, drop)

    with sqlite_db.reading() as s:
        moved = roundtables.get_roundtable(s, rt_id).data.starts_at.astimezone(LONDON)
        rows = roundtables.invitee_rows(s, rt_id)
    assert moved.date() == target and moved.time() == start.time()  # same time of day
    statuses = {r.invitation_id: r.status for r in rows}
    assert {statuses[i] for i in sent_before} == {InviteeStatus.NEEDS_UPDATE}
    assert not page.notice.isHidden()
    assert f"{len(sent_before)} invitees need the update" in page.notice.label.text()
    assert page.notice.action.text() == "Send update…"
    assert rt_id in [i.id for i in page.month.items_on(target)]

    win.activateWindow()
    assert _ctrl_z(win)
    with sqlite_db.reading() as s:
        back = roundtables.get_roundtable(s, rt_id).data.starts_at.astimezone(LONDON)
    assert back == start
    assert rt_id in [i.id for i in page.month.items_on(start.date())]
    assert page.notice.isHidden()


def _ctrl_z(win) -> bool:
    """Press Ctrl+Z; True if the undo happened (offscreen shortcuts need an active window)."""
    before = win.ctx.undo_stack.index()
    QTest.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    return win.ctx.undo_stack.index() == before - 1


def test_the_legend_shows_chips_like_the_calendar_not_checkboxes(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Each status is a tinted chip with its name inside, as the grids draw a
    roundtable; small empty squares next to the names looked like unticked checkboxes."""
    from PySide6.QtWidgets import QLabel

    from roundtable_app.ui.calendar.common import STATUS_COLOURS, STATUS_LABELS

    page = CalendarPage(ctx)
    qtbot.addWidget(page)
    names = set(STATUS_LABELS.values())
    chips = [label for label in page.findChildren(QLabel) if label.text() in names]
    assert [chip.text() for chip in chips] == list(STATUS_LABELS.values())
    for chip, status in zip(chips, STATUS_LABELS, strict=True):
        background, foreground, _border = STATUS_COLOURS[status]
        assert f"background: {background.name()}" in chip.styleSheet()
        assert f"color: {foreground.name()}" in chip.styleSheet()
    legend = chips[0].parentWidget()
    squares = [label for label in legend.findChildren(QLabel) if not label.text()]
    assert squares == []  # no empty swatches that look like checkboxes
