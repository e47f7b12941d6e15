"""The Roundtables page driven as a person drives it: mouse clicks on rows, then the panel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from roundtable_app.core.model import Response, RoundtableStatus
from roundtable_app.services.roundtables import View, invitee_rows, list_roundtables
from roundtable_app.ui.roundtables import roundtables_model as rm
from roundtable_app.ui.roundtables.page import RoundtablesPage


def make_page(qtbot, ctx) -> RoundtablesPage:  # type: ignore[no-untyped-def]
    page = RoundtablesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def click_row(qtbot, view: QTableView, row: int, column: int = 1) -> None:  # type: ignore[no-untyped-def]
    """Click a row's cell with the mouse, as a person does."""
    index = view.model().index(row, column)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


def row_where(page: RoundtablesPage, status: RoundtableStatus, *, not_row: int = -1) -> int:
    """A row of ``status`` with invitees, other than ``not_row``."""
    return next(
        r
        for r in range(page.model.rowCount())
        if r != not_row
        and page.model.row_at(r).status == status
        and page.model.row_at(r).invitees > 0
    )


def test_a_mouse_click_moves_the_panel_and_its_actions_to_the_clicked_row(  # type: ignore[no-untyped-def]
    qtbot, with_modal, demo_ctx
) -> None:
    page = make_page(qtbot, demo_ctx)
    page.set_view(View.ALL)
    first = page.current_id()
    target = row_where(page, RoundtableStatus.SCHEDULED)
    clicked = page.model.row_at(target)
    assert clicked.id != first

    click_row(qtbot, page.table, target)

    assert page.table.selectionModel().isRowSelected(target)
    assert page.detail_title.text() == clicked.title
    assert page.invitees.roundtable_id == clicked.id
    assert page.schedule_button.isEnabled() is False  # already scheduled
    assert page.cancel_button.isEnabled()
    seen: list[str] = []
    with_modal(page.invitees.add_button.click, lambda d: seen.append(d.windowTitle()))
    with_modal(page.invitees.send_button.click, lambda d: seen.append(d.title.text()))
    assert seen == [f"Add people to {clicked.title}", f"Send invitations to “{clicked.title}”"]

    # Back to a held roundtable with the mouse: Mark held no longer applies, Schedule does.
    held = row_where(page, RoundtableStatus.HELD)
    click_row(qtbot, page.table, held)
    assert page.detail_title.text() == page.model.row_at(held).title
    assert page.invitees.roundtable_id == page.model.row_at(held).id
    assert not page.held_button.isEnabled()
    assert page.schedule_button.isEnabled()
    assert page.model.index(held, rm.TITLE).data() == page.detail_title.text()


def test_keyboard_and_a_filter_keep_the_panel_on_the_highlighted_row(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_ctx)
    page.set_view(View.ALL)
    click_row(qtbot, page.table, 0)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.table.selectionModel().isRowSelected(1)
    assert page.detail_title.text() == page.model.row_at(1).title
    # A search that hides the highlighted roundtable: the panel follows the new highlight.
    hidden = page.model.row_at(1).title
    other = next(
        page.model.row_at(r).title
        for r in range(page.model.rowCount())
        if page.model.row_at(r).title.split(":")[0] not in hidden
    )
    qtbot.keyClicks(page.search_edit, other.split(":")[0])
    qtbot.waitUntil(
        lambda: hidden not in [page.model.row_at(r).title for r in range(page.model.rowCount())]
    )
    [selected] = page.table.selectionModel().selectedRows()
    assert page.detail_title.text() == page.model.row_at(selected.row()).title
    assert page.invitees.roundtable_id == page.model.row_at(selected.row()).id


def test_create_from_the_past_tab_shows_and_selects_the_new_roundtable(  # type: ignore[no-untyped-def]
    qtbot, with_modal, demo_ctx
) -> None:
    page = make_page(qtbot, demo_ctx)
    page.set_view(View.PAST)

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClicks(dialog.title_edit, "Maritime labour: what we know")
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)

    with_modal(lambda: qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton), fill)
    assert page.view in (View.UPCOMING, View.DRAFTS)  # dated two weeks ahead, a draft
    assert page.detail_title.text() == "Maritime labour: what we know"
    [selected] = page.table.selectionModel().selectedRows()
    assert page.model.row_at(selected.row()).title == "Maritime labour: what we know"
    assert page.invitees.roundtable_id == page.current_id()


def test_schedule_keeps_the_selection_on_the_scheduled_roundtable(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    for view in (View.DRAFTS, View.UPCOMING):
        page = make_page(qtbot, demo_ctx)
        page.set_view(view)
        draft = row_where(page, RoundtableStatus.DRAFT)
        chosen = page.model.row_at(draft)
        click_row(qtbot, page.table, draft)
        qtbot.mouseClick(page.schedule_button, Qt.MouseButton.LeftButton)
        assert page.current_id() == chosen.id, view
        assert page.detail_title.text() == chosen.title
        assert "Scheduled" in page.detail_when.text()
        demo_ctx.undo_stack.undo()  # back to a draft for the next view
        page.close()


def test_mark_held_waits_until_the_roundtable_has_started(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_ctx)
    page.set_view(View.UPCOMING)
    scheduled = row_where(page, RoundtableStatus.SCHEDULED)
    click_row(qtbot, page.table, scheduled)
    assert not page.held_button.isEnabled()
    assert "has not started yet" in page.held_button.toolTip()
    menu = page.context_menu()
    assert menu is not None
    [held] = [a for a in menu.actions() if a.text() == "Mark held"]
    assert not held.isEnabled()


def test_the_list_and_the_panel_count_the_invited_alike(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    page = make_page(qtbot, demo_ctx)
    page.set_view(View.ALL)
    with demo_ctx.db.reading() as session:
        declined_somewhere = {
            r.id
            for r in list_roundtables(session, View.ALL)
            if any(
                i.response == Response.DECLINED and not i.withdrawn
                for i in invitee_rows(session, r.id)
            )
        }
    row = next(
        r for r in range(page.model.rowCount()) if page.model.row_at(r).id in declined_somewhere
    )
    click_row(qtbot, page.table, row)
    with demo_ctx.db.reading() as session:
        people = [i for i in invitee_rows(session, page.current_id()) if not i.withdrawn]
    invited = len(people)
    accepted = sum(i.response == Response.ACCEPTED for i in people)
    declined = sum(i.response == Response.DECLINED for i in people)
    assert page.model.index(row, rm.INVITEES).data() == f"{invited} / {accepted}"
    headline = page.invitees.summary.headline.text()
    assert f"{invited} invited" in headline
    assert f"{declined} declined" in headline
    assert page.model.index(row, rm.INVITEES).data(Qt.ItemDataRole.ToolTipRole) == (
        f"{invited} invited, {accepted} accepted, {declined} declined"
    )


def test_the_chair_and_the_chair_role_follow_each_other(qtbot, with_modal, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    from roundtable_app.core.model import InviteeRole
    from roundtable_app.ui.roundtables import invitees_model as im

    page = make_page(qtbot, demo_ctx)
    page.set_view(View.UPCOMING)
    click_row(qtbot, page.table, row_where(page, RoundtableStatus.SCHEDULED))
    panel = page.invitees

    def role_of(name: str) -> str:
        row = next(r for r in range(panel.model.rowCount()) if panel.model.row_at(r).name == name)
        return panel.model.index(row, im.ROLE).data()

    chair_row = next(
        r for r in range(panel.model.rowCount()) if panel.model.row_at(r).role == InviteeRole.CHAIR
    )
    old_chair = panel.model.row_at(chair_row).name
    new_row = next(
        r
        for r in range(panel.model.rowCount())
        if r != chair_row and not panel.model.row_at(r).withdrawn
    )
    new_chair = panel.model.row_at(new_row).name
    click_row(qtbot, panel.table, new_row, im.NAME)
    panel.set_role_of_selected(InviteeRole.CHAIR)  # Role ▸ Chair in the row's menu
    assert (role_of(new_chair), role_of(old_chair)) == ("Chair", "Participant")
    shown: list[str] = []
    with_modal(page.edit_button.click, lambda d: shown.append(d.chair.line.text()))
    assert shown and shown[0].startswith(new_chair)

    # And the other way: choosing the chair in the editor gives them the Chair role.
    def choose_old_chair(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.chair.line.clear()
        qtbot.keyClicks(dialog.chair.line, old_chair)
        assert dialog.chair.person_id() is not None
        assert dialog.invite_chair_check.isHidden()  # already invited
        dialog.ok_button.click()

    with_modal(page.edit_button.click, choose_old_chair)
    assert (role_of(old_chair), role_of(new_chair)) == ("Chair", "Participant")
    demo_ctx.undo_stack.undo()
    assert (role_of(new_chair), role_of(old_chair)) == ("Chair", "Participant")
    demo_ctx.undo_stack.undo()
    assert (role_of(old_chair), role_of(new_chair)) == ("Chair", "Participant")


def test_a_long_title_never_widens_the_page(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from roundtable_app.services import roundtables

    title = "Prevention and awareness: regional perspectives " + "and what survivors say " * 6
    with ctx.db.transaction() as session:
        roundtables.create_roundtable(session, roundtables.RoundtableData(title=title))
    page = make_page(qtbot, ctx)
    page.set_view(View.ALL)
    click_row(qtbot, page.table, 0)
    assert page.detail_title.text() == " ".join(title.split())
    assert page.minimumSizeHint().width() <= 1200  # the window is not pushed wider
    assert page.width() == 1200
    shown = page.detail_title.shown_text()
    assert shown.endswith("…") and shown.startswith("Prevention and awareness")
    assert page.detail_title.toolTip() == page.detail_title.text()  # the rest on hover
