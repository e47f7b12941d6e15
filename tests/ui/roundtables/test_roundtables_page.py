"""The Roundtables page through real widgets on a real SQLite file."""

from __future__ import annotations

import datetime as dt

from roundtable_app.core.model import RoundtableStatus
from roundtable_app.services import roundtables
from roundtable_app.services.roundtables import View, list_roundtables
from roundtable_app.ui import messages
from roundtable_app.ui.roundtables.invitees_model import InviteesModel
from roundtable_app.ui.roundtables.page import RoundtablesPage
from roundtable_app.ui.roundtables.roundtables_model import RoundtablesModel


def make_page(qtbot, ctx) -> RoundtablesPage:  # type: ignore[no-untyped-def]
    page = RoundtablesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    return page


def titles(page: RoundtablesPage) -> list[str]:
    return [page.model.row_at(r).title for r in range(page.model.rowCount())]


def test_models_pass_the_model_tester(qtmodeltester, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    from roundtable_app.services import roundtables

    with demo_ctx.db.reading() as session:
        rows = list_roundtables(session, View.ALL)
        busiest = max(rows, key=lambda r: r.invitees)
        invitees = roundtables.invitee_rows(session, busiest.id)
        local = roundtables.invitee_local_times(session, busiest.id)
    model = RoundtablesModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    people = InviteesModel()
    people.role_setter = lambda _id, _role: True
    people.set_rows(invitees, local)
    qtmodeltester.check(people)


def test_empty_database_invites_to_plan_the_first_roundtable(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, ctx)
    assert page.stack.currentWidget() is page.empty
    assert page.empty.title.text() == "No roundtables yet — plan your first roundtable"
    assert "New roundtable" in page.empty.buttons


def test_views_search_and_date_column(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_ctx)
    for view in View:
        page.set_view(view)
        with demo_ctx.db.reading() as session:
            expected = [r.title for r in list_roundtables(session, view)]
        assert titles(page) == expected
    page.set_view(View.ALL)
    total = page.model.rowCount()
    wanted = page.model.row_at(total - 1).title
    page.search_edit.setText(wanted.upper())
    qtbot.waitUntil(lambda: page.model.rowCount() < total)
    assert wanted in titles(page)
    assert all(wanted.lower() in t.lower() for t in titles(page))
    page.search_edit.setText("no such roundtable at all")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.empty.title.text() == "No roundtable matches 'no such roundtable at all'"
    page.empty.buttons["Clear search"].click()
    qtbot.waitUntil(lambda: page.model.rowCount() == total)


def test_date_shows_in_the_roundtables_own_zone(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    starts, ends = roundtables.local_times(
        dt.date(2026, 12, 3), dt.time(10, 0), dt.timedelta(hours=2), "Europe/London"
    )
    with ctx.db.transaction() as session:
        roundtables.create_roundtable(
            session,
            roundtables.RoundtableData(title="Winter table", starts_at=starts, ends_at=ends),
        )
    page = make_page(qtbot, ctx)
    page.set_view(View.ALL)
    assert page.model.index(0, 0).data() == "Thu 3 Dec 2026, 10:00 GMT"


def test_create_through_the_dialog_then_undo_removes_it(  # type: ignore[no-untyped-def]
    qtbot, with_modal, ctx
) -> None:
    page = make_page(qtbot, ctx)

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClicks(dialog.title_edit, "Forced labour roundtable")
        assert dialog.ok_button.isEnabled()
        dialog.ok_button.click()

    with_modal(page.new_action.trigger, fill)
    page.set_view(View.DRAFTS)
    assert titles(page) == ["Forced labour roundtable"]
    page.set_view(View.UPCOMING)
    assert titles(page) == ["Forced labour roundtable"]
    assert ctx.undo_stack.undoText() == "Add Forced labour roundtable"
    ctx.undo_stack.undo()  # Edit > Undo (Ctrl+Z)
    assert titles(page) == []
    assert page.empty.title.text() == "No roundtables yet — plan your first roundtable"
    ctx.undo_stack.redo()
    assert titles(page) == ["Forced labour roundtable"]


def test_edit_title_then_undo(qtbot, with_modal, ctx) -> None:  # type: ignore[no-untyped-def]
    with ctx.db.transaction() as session:
        roundtables.create_roundtable(
            session, roundtables.RoundtableData(title="Forced labour roundtable")
        )
    page = make_page(qtbot, ctx)
    page.set_view(View.ALL)

    def rename(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.title_edit.clear()
        qtbot.keyClicks(dialog.title_edit, "Supply chains roundtable")
        dialog.ok_button.click()

    with_modal(page.open_button.click, rename)
    assert titles(page) == ["Supply chains roundtable"]
    assert page.detail_title.text() == "Supply chains roundtable"
    assert ctx.undo_stack.undoText() == "Edit Supply chains roundtable"
    ctx.undo_stack.undo()
    assert titles(page) == ["Forced labour roundtable"]


def test_schedule_then_cancel_with_confirmation_and_undo(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch, ctx
) -> None:
    starts, ends = roundtables.local_times(
        dt.date.today() + dt.timedelta(days=30), dt.time(10), dt.timedelta(hours=2), "UTC"
    )
    with ctx.db.transaction() as session:
        info = roundtables.create_roundtable(
            session,
            roundtables.RoundtableData(title="Policing table", starts_at=starts, ends_at=ends),
        )
    page = make_page(qtbot, ctx)
    assert not page.held_button.isEnabled()
    page.schedule_button.click()
    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str, _action: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(messages, "confirm", confirm)
    page.cancel_button.click()
    assert asked and "Policing table" in asked[0]
    assert ctx.undo_stack.undoText() == "Cancel roundtable"
    with ctx.db.reading() as session:
        assert roundtables.get_roundtable(session, info.id).status == RoundtableStatus.CANCELLED
    # No longer upcoming: the page follows it to the Cancelled tab, where the
    # cancellations are sent from.
    assert page.view == View.CANCELLED
    assert titles(page) == ["Policing table"]
    assert page.current_id() == info.id
    ctx.undo_stack.undo()
    with ctx.db.reading() as session:
        assert roundtables.get_roundtable(session, info.id).status == RoundtableStatus.SCHEDULED
    assert titles(page) == []


def test_the_main_window_has_a_roundtables_page(window) -> None:  # type: ignore[no-untyped-def]
    from roundtable_app.ui.main_window import PAGES

    win = window()
    keys = [spec.key for spec in PAGES]
    win.navigation.setCurrentRow(keys.index("roundtables"))
    page = win.pages["roundtables"]
    assert win.stack.currentWidget() is page
    assert isinstance(page, RoundtablesPage)


def test_context_menu_back_to_draft(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    starts, ends = roundtables.local_times(
        dt.date.today() + dt.timedelta(days=30), dt.time(10), dt.timedelta(hours=2), "UTC"
    )
    with ctx.db.transaction() as session:
        info = roundtables.create_roundtable(
            session, roundtables.RoundtableData(title="Menu table", starts_at=starts, ends_at=ends)
        )
        roundtables.set_status(session, info.id, RoundtableStatus.SCHEDULED, info.version)
    page = make_page(qtbot, ctx)
    menu = page.context_menu()
    assert menu is not None
    [back] = [a for a in menu.actions() if a.text() == "Back to draft"]
    assert back.isEnabled()
    back.trigger()
    with ctx.db.reading() as session:
        assert roundtables.get_roundtable(session, info.id).status == RoundtableStatus.DRAFT
    assert ctx.undo_stack.undoText() == "Move roundtable back to draft"


def test_undo_walks_back_through_edits_and_status_changes_of_one_roundtable(  # type: ignore[no-untyped-def]
    qtbot, with_modal, ctx
) -> None:
    errors: list[tuple[str, str]] = []
    ctx.error_reported.connect(lambda title, text: errors.append((title, text)))
    page = make_page(qtbot, ctx)

    def create(dialog) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClicks(dialog.title_edit, "Forced labour roundtable")
        dialog.ok_button.click()

    def rename(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.title_edit.clear()
        qtbot.keyClicks(dialog.title_edit, "Supply chains roundtable")
        dialog.ok_button.click()

    with_modal(page.new_button.click, create)
    with_modal(page.open_button.click, rename)
    page.schedule_button.click()
    assert ctx.undo_stack.count() == 3
    ctx.undo_stack.undo()  # back to draft
    ctx.undo_stack.undo()  # the old title
    with ctx.db.reading() as session:
        [row] = list_roundtables(session, View.ALL)
    assert (row.title, row.status) == ("Forced labour roundtable", RoundtableStatus.DRAFT)
    ctx.undo_stack.undo()  # and it was never created
    ctx.undo_stack.redo()
    ctx.undo_stack.redo()
    ctx.undo_stack.redo()
    with ctx.db.reading() as session:
        [row] = list_roundtables(session, View.ALL)
    assert (row.title, row.status) == ("Supply chains roundtable", RoundtableStatus.SCHEDULED)
    assert errors == []
    assert page.detail_title.text() == "Supply chains roundtable"
