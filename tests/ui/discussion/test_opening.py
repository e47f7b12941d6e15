"""Opening a roundtable's Discussion window from the Roundtables page, the empty states
that say how to start, and the window's place remembered."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from roundtable_app.core.discussion import NoteKind
from roundtable_app.services import roundtables
from roundtable_app.services.roundtables import View
from roundtable_app.ui.discussion import DiscussionWindow
from roundtable_app.ui.roundtables import roundtables_model as rm
from roundtable_app.ui.roundtables.page import RoundtablesPage
from tests.ui.discussion.conftest import show_view

LEFT = Qt.MouseButton.LeftButton


def _page(qtbot, ctx) -> RoundtablesPage:  # type: ignore[no-untyped-def]
    page = RoundtablesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    qtbot.waitExposed(page)
    page.set_view(View.ALL)
    return page


def _click_row(qtbot, page: RoundtablesPage, rid: int) -> None:  # type: ignore[no-untyped-def]
    index = page.model.index(page.model.row_of(rid), rm.TITLE)
    qtbot.mouseClick(page.table.viewport(), LEFT, pos=page.table.visualRect(index).center())


def _open_windows() -> list[DiscussionWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, DiscussionWindow)]


def test_discussion_notes_opens_from_the_page_once_the_roundtable_has_started(held, ctx, qtbot):  # type: ignore[no-untyped-def]
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    with ctx.db.transaction() as s:
        future = roundtables.create_roundtable(
            s,
            roundtables.RoundtableData(
                title="Next year", starts_at=soon, ends_at=soon + dt.timedelta(hours=2)
            ),
        ).id
    page = _page(qtbot, ctx)
    _click_row(qtbot, page, future)
    assert not page.day.notes_button.isEnabled()
    assert "once the roundtable has started" in page.day.notes_button.toolTip()

    _click_row(qtbot, page, held.rid)
    assert page.day.notes_button.isEnabled() and "Ctrl+Shift+D" in page.day.notes_button.toolTip()
    QApplication.processEvents()
    qtbot.mouseClick(page.day.notes_button, LEFT)
    (window,) = _open_windows()
    qtbot.addWidget(window)
    assert window.windowTitle() == "Discussion notes — Supply chains: what works?"
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Whole room",
        "Table 1",
    ]
    # Asked again, the window already open comes to the front: no second one.
    page.day.notes_action.trigger()
    assert _open_windows() == [window]


def test_without_a_plan_notes_go_to_the_whole_room_and_each_empty_section_says_how_to_start(
    ctx, make_person, qtbot
):  # type: ignore[no-untyped-def]
    past = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    with ctx.db.transaction() as s:
        rid = roundtables.create_roundtable(
            s,
            roundtables.RoundtableData(
                title="No plan", starts_at=past, ends_at=past + dt.timedelta(hours=2)
            ),
        ).id
    view = show_view(qtbot, ctx, rid)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == ["Whole room"]
    assert view.plan_hint.isVisible() and "notes go to the whole room" in view.plan_hint.text()
    for kind, key in zip(NoteKind, ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4"), strict=True):
        empty = view.section(kind).empty
        assert empty.isVisible() and key in empty.text() and "start typing" in empty.text()
    assert view.state_label.text() == "Draft (revision 1)"


def test_the_window_opens_where_it_was_left(held, ctx, qtbot):  # type: ignore[no-untyped-def]
    view = DiscussionWindow(ctx, held.rid)  # not left to qtbot: closing deletes it
    view.show()
    qtbot.waitExposed(view)
    view.resize(700, 500)
    qtbot.waitUntil(lambda: (view.width(), view.height()) == (700, 500))
    view.close()
    again = show_view(qtbot, ctx, held.rid)
    assert (again.width(), again.height()) == (700, 500)
