"""Marking a roundtable held asks for its attendance; until it is recorded the page flags it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from roundtable_app.core.model import RoundtableStatus
from roundtable_app.services import roundtables
from roundtable_app.services.roundtables import View
from roundtable_app.ui import messages
from roundtable_app.ui.attendance import AttendanceWindow
from roundtable_app.ui.roundtables import roundtables_model as rm
from roundtable_app.ui.roundtables.page import RoundtablesPage

PAST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def took_place(ctx, make_person) -> int:  # type: ignore[no-untyped-def]
    """A scheduled roundtable that took place last spring, with two invitees."""
    people = [make_person(ctx.db, full_name=n) for n in ("Zoe Abara", "Mei Lin")]
    data = roundtables.RoundtableData(
        title="Survivor support", starts_at=PAST, ends_at=PAST + dt.timedelta(hours=2)
    )
    with ctx.db.transaction() as s:
        info = roundtables.create_roundtable(s, data)
        roundtables.add_invitees(s, info.id, people)
        roundtables.set_status(s, info.id, RoundtableStatus.SCHEDULED, info.version)
    return info.id


def make_page(qtbot, ctx) -> RoundtablesPage:  # type: ignore[no-untyped-def]
    page = RoundtablesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    page.set_view(View.PAST)
    return page


def click(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    QApplication.processEvents()  # lay out what just showed, as the event loop does
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_row(qtbot, page: RoundtablesPage, roundtable_id: int) -> None:  # type: ignore[no-untyped-def]
    index = page.model.index(page.model.row_of(roundtable_id), rm.TITLE)
    qtbot.mouseClick(
        page.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=page.table.visualRect(index).center(),
    )


def status_cell(page: RoundtablesPage, roundtable_id: int) -> tuple[str, str | None, bool]:
    """The Status cell as the user sees it: text, tooltip, and whether it has the marker."""
    index = page.model.index(page.model.row_of(roundtable_id), rm.STATUS)
    return (
        index.data(),
        index.data(Qt.ItemDataRole.ToolTipRole),
        index.data(Qt.ItemDataRole.DecorationRole) is not None,
    )


def windows(page: RoundtablesPage) -> list[AttendanceWindow]:
    return page.window().findChildren(AttendanceWindow)


def answer(monkeypatch, yes: bool) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    asked: list[tuple[str, str]] = []

    def confirm(_parent, title, text, action, **kwargs):  # type: ignore[no-untyped-def]
        asked.append((title, text, action, kwargs.get("cancel")))
        return yes

    monkeypatch.setattr(messages, "confirm", confirm)
    return asked


def test_mark_held_asks_for_attendance_and_opens_the_list(  # type: ignore[no-untyped-def]
    qtbot, ctx, took_place, monkeypatch
) -> None:
    page = make_page(qtbot, ctx)
    asked = answer(monkeypatch, yes=True)
    click_row(qtbot, page, took_place)
    assert status_cell(page, took_place) == ("Scheduled", "Scheduled", False)
    click(qtbot, page.held_button)
    assert asked == [
        (
            "Record attendance",
            "'Survivor support' is marked held. Record who came now? You can also do it "
            "later: the roundtable is flagged until its attendance is recorded.",
            "Record attendance",
            "Later",
        )
    ]
    [window] = windows(page)
    assert window.roundtable_id == took_place
    text, tip, marked = status_cell(page, took_place)
    assert (text, marked) == ("Held", True)
    assert tip is not None and "nobody's attendance is recorded yet" in tip
    assert page.attendance_flag.isVisible()
    # The first line of the sheet: attended. The flag goes at once.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Space)
    assert status_cell(page, took_place) == ("Held", "Held", False)
    assert not page.attendance_flag.isVisible()
    window.close()


def test_later_leaves_the_flag_whose_button_opens_the_list(  # type: ignore[no-untyped-def]
    qtbot, ctx, took_place, monkeypatch
) -> None:
    page = make_page(qtbot, ctx)
    answer(monkeypatch, yes=False)
    click_row(qtbot, page, took_place)
    click(qtbot, page.held_button)
    assert windows(page) == []
    assert page.attendance_flag.isVisible()
    assert "nobody's attendance is recorded yet" in page.attendance_flag.label.text()
    click(qtbot, page.attendance_flag.button)
    [window] = windows(page)
    assert window.roundtable_id == took_place
    window.close()
    QApplication.processEvents()
    ctx.undo_stack.undo()  # not held after all: no flag
    assert not page.attendance_flag.isVisible()
    assert status_cell(page, took_place)[2] is False


def test_nobody_to_record_nothing_asked_and_cancelled_has_none(  # type: ignore[no-untyped-def]
    qtbot, ctx, monkeypatch
) -> None:
    data = roundtables.RoundtableData(
        title="Nobody came", starts_at=PAST, ends_at=PAST + dt.timedelta(hours=2)
    )
    with ctx.db.transaction() as s:
        info = roundtables.create_roundtable(s, data)
        info = roundtables.set_status(s, info.id, RoundtableStatus.SCHEDULED, info.version).after
        off = roundtables.create_roundtable(s, dataclasses.replace(data, title="Called off"))
        roundtables.set_status(s, off.id, RoundtableStatus.CANCELLED, off.version)
    page = make_page(qtbot, ctx)
    click_row(qtbot, page, info.id)
    click(qtbot, page.held_button)  # no list, no question (the fixture fails on one)
    assert not page.attendance_flag.isVisible()
    assert page.day.attendance_button.isEnabled()
    page.set_view(View.CANCELLED)
    click_row(qtbot, page, off.id)
    assert not page.day.attendance_button.isEnabled()
    assert "cancelled" in page.day.attendance_button.toolTip()
