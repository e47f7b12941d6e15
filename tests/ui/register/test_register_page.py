"""The Evidence needs page, used as staff use it: pick needs with the mouse and keys,
filter, edit status, owner and reference (undo, a colleague's conflicting edit), group
suggested needs and undo, export; on the hand-made register of tests/register_data.py."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel

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
    with qtbot.waitSignals([page.entries_loaded, page.choices_loaded], timeout=10_000):
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


def pick(qtbot, combo: QComboBox, text: str) -> None:  # type: ignore[no-untyped-def]
    """Open ``combo`` with the mouse and click ``text`` in its list."""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    row = combo.findText(text)
    assert row >= 0, [combo.itemText(i) for i in range(combo.count())]
    index = view.model().index(row, 0)
    view.scrollTo(index)
    pos = view.visualRect(index).center()
    qtbot.mouseMove(view.viewport(), pos)
    # A combo box ignores a release within a double-click time of opening its list.
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: not view.isVisible())
    assert combo.currentText() == text


def stored(reg: Register, text: str):  # type: ignore[no-untyped-def]
    with reg.db.reading() as s:
        return next(n for n in register.list_needs(s) if n.text == text)


# --- filters --------------------------------------------------------------------------------


def test_typing_a_search_filters_and_escape_clears_it(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(page.filters.search, Qt.MouseButton.LeftButton)
    with reloaded(qtbot, page):
        qtbot.keyClicks(page.filters.search, "police training")
    assert [page.model.entry_at(r).text for r in range(page.model.rowCount())] == [POLICE]
    assert page.detail.text.text() == POLICE  # the only row is current
    assert page.status_text() == "1 evidence need matches the filters"
    with reloaded(qtbot, page):
        qtbot.keyClick(page.filters.search, Qt.Key.Key_Escape)
    assert page.filters.search.text() == ""
    assert page.model.rowCount() == 9


def test_theme_priority_status_and_dates_filter_and_are_remembered(qtbot, ctx, page) -> None:  # type: ignore[no-untyped-def]
    with reloaded(qtbot, page):
        pick(qtbot, page.filters.theme, SUPPORT)
    assert page.model.rowCount() == 3
    with reloaded(qtbot, page):
        pick(qtbot, page.filters.priority, "High")
    assert [page.model.entry_at(r).text for r in range(page.model.rowCount())] == [
        "What support services lead to better long-term recovery for survivors?"
    ]
    with reloaded(qtbot, page):
        pick(qtbot, page.filters.status, "Answered")
    # Nothing is answered yet: the filters hide every need, and the page says so.
    assert page.stack.currentWidget() is page.empty
    assert page.empty.title.text() == "No evidence need matches these filters"
    again = open_page(qtbot, ctx)  # the filters are kept for next time
    assert again.filters.theme.currentText() == SUPPORT
    assert again.filters.status.currentText() == "Answered"
    with reloaded(qtbot, page):
        qtbot.mouseClick(page.empty.buttons["Clear filters"], Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 9
    assert page.filters.theme.currentIndex() == 0


def test_the_sector_filter_offers_only_sectors_that_may_be_named(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    offered = [page.filters.sector.itemText(i) for i in range(page.filters.sector.count())]
    assert "Government" in offered and "Academic research" in offered
    assert "Lived experience" not in offered
    with reloaded(qtbot, page):
        pick(qtbot, page.filters.sector, "Academic research")
    assert page.model.rowCount() == 4


def test_an_empty_register_says_where_needs_come_from(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, ctx)
    assert page.stack.currentWidget() is page.empty
    assert page.empty.title.text() == "No evidence needs yet"
    assert "Discussion notes" in page.empty.message.text()
    assert page.status_text() == "0 evidence needs"
    assert not page.export_button.isEnabled()


# --- editing ----------------------------------------------------------------------------------


def test_status_and_owner_edits_are_saved_and_undone_one_step_each(qtbot, ctx, reg, page) -> None:  # type: ignore[no-untyped-def]
    click_row(qtbot, page, row_of(page, POLICE))
    pick(qtbot, page.detail.status, NeedStatus.RESEARCHING.label)
    assert stored(reg, POLICE).status == NeedStatus.RESEARCHING
    qtbot.mouseClick(page.detail.owner, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.detail.owner, "Policing research team")
    qtbot.keyClick(page.detail.owner, Qt.Key.Key_Return)
    assert stored(reg, POLICE).centre_owner == "Policing research team"
    row = row_of(page, POLICE)
    assert page.model.index(row, 6).data() == "Policing research team"
    assert ctx.undo_stack.count() == 2
    with reloaded(qtbot, page):
        ctx.undo_stack.undo()
    assert stored(reg, POLICE).centre_owner == ""
    assert stored(reg, POLICE).status == NeedStatus.RESEARCHING
    assert page.detail.owner.text() == ""
    with reloaded(qtbot, page):
        ctx.undo_stack.undo()
    assert stored(reg, POLICE).status == NeedStatus.OPEN
    assert page.detail.status.currentText() == "Open"
    with reloaded(qtbot, page):
        ctx.undo_stack.redo()
    assert stored(reg, POLICE).status == NeedStatus.RESEARCHING


def test_answered_asks_for_the_reference_first(qtbot, ctx, reg, page) -> None:  # type: ignore[no-untyped-def]
    click_row(qtbot, page, row_of(page, POLICE))
    pick(qtbot, page.detail.status, NeedStatus.ANSWERED.label)
    assert stored(reg, POLICE).status == NeedStatus.OPEN  # not without a reference
    assert page.detail.error.isVisibleTo(page) and "reference" in page.detail.error.text()
    assert page.detail.reference.hasFocus()
    # The owner typed meanwhile is saved, and "Answered" still waits for its reference.
    qtbot.mouseClick(page.detail.owner, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.detail.owner, "Policing team")
    qtbot.keyClick(page.detail.owner, Qt.Key.Key_Return)
    assert stored(reg, POLICE).centre_owner == "Policing team"
    assert page.detail.status.currentText() == NeedStatus.ANSWERED.label
    assert page.detail.error.isVisibleTo(page)
    qtbot.mouseClick(page.detail.reference, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.detail.reference, "Police training costs, 2026 (doi:10.1/xyz)")
    qtbot.keyClick(page.detail.reference, Qt.Key.Key_Return)
    need = stored(reg, POLICE)
    assert need.status == NeedStatus.ANSWERED
    assert need.answer_reference == "Police training costs, 2026 (doi:10.1/xyz)"
    assert ctx.undo_stack.count() == 2  # the owner, then status and reference in one step
    assert not page.detail.error.isVisibleTo(page)


def test_a_colleagues_change_meanwhile_is_said_and_the_need_shown_as_it_is(  # type: ignore[no-untyped-def]
    qtbot, ctx, reg, page, no_message_boxes
) -> None:
    click_row(qtbot, page, row_of(page, POLICE))
    need = stored(reg, POLICE)
    with reg.db.transaction() as s:  # a colleague, in another session
        register.update_needs(s, [(need.id, need.version)], NeedEdit(centre_owner="Evidence team"))
    qtbot.mouseClick(page.detail.owner, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.detail.owner, "Me")
    with reloaded(qtbot, page):
        qtbot.keyClick(page.detail.owner, Qt.Key.Key_Return)
    assert no_message_boxes and "Someone else changed" in no_message_boxes[0][1]
    assert stored(reg, POLICE).centre_owner == "Evidence team"
    assert page.detail.text.text() == POLICE
    assert page.detail.owner.text() == "Evidence team"
    assert ctx.undo_stack.count() == 0


# --- grouping -----------------------------------------------------------------------------------


def suggest(qtbot, page):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.suggestions_shown, timeout=20_000) as shown:
        qtbot.mouseClick(page.suggestions.run_button, Qt.MouseButton.LeftButton)
    return shown.args[0]


def test_a_confirmed_suggestion_becomes_the_selected_group_and_undo_parts_it(  # type: ignore[no-untyped-def]
    qtbot, ctx, reg, page
) -> None:
    assert suggest(qtbot, page) >= 1
    suggestion = page.suggestions.current()
    assert suggestion is not None
    first = page.suggestions.tree.topLevelItem(0)
    assert first.childCount() == len(suggestion.needs)
    assert "Construction supply chains" in " ".join(
        first.child(i).text(1) for i in range(first.childCount())
    )
    with reloaded(qtbot, page):
        qtbot.mouseClick(page.suggestions.group_button, Qt.MouseButton.LeftButton)
    entry = page.current_entry()
    assert entry is not None and entry.group_id is not None
    assert {n.id for n in entry.needs} == {n.id for n in suggestion.needs}
    assert page.detail.group_box.isVisibleTo(page)
    row = page.table.currentIndex().row()
    assert page.model.index(row, 1).data(Qt.ItemDataRole.DecorationRole) is not None
    assert page.suggestions.current() is None or page.suggestions.current().key != suggestion.key
    assert page.model.rowCount() == 9 - len(suggestion.needs) + 1
    with reg.db.reading() as s:
        assert register.group_count(s) == 1
    with reloaded(qtbot, page):
        ctx.undo_stack.undo()
    with reg.db.reading() as s:
        assert register.group_count(s) == 0
    assert page.model.rowCount() == 9


def test_not_the_same_is_kept_and_undone(qtbot, ctx, reg, page) -> None:  # type: ignore[no-untyped-def]
    suggest(qtbot, page)
    suggestion = page.suggestions.current()
    assert suggestion is not None
    qtbot.mouseClick(page.suggestions.dismiss_button, Qt.MouseButton.LeftButton)
    with reg.db.reading() as s:
        assert suggestion.key in register.dismissed_suggestions(s)
    assert suggestion.key not in {s.key for s in page.suggestions.suggestions}
    with qtbot.waitSignal(page.suggestions_shown, timeout=20_000):
        ctx.undo_stack.undo()  # offered again
    with reg.db.reading() as s:
        assert suggestion.key not in register.dismissed_suggestions(s)
    assert suggestion.key in {s.key for s in page.suggestions.suggestions}


def test_split_and_remove_from_group_in_the_panel_and_undo(qtbot, ctx, reg, page) -> None:  # type: ignore[no-untyped-def]
    suggest(qtbot, page)
    suggestion = page.suggestions.current()
    assert suggestion is not None and len(suggestion.needs) >= 3
    with reloaded(qtbot, page):
        qtbot.mouseClick(page.suggestions.group_button, Qt.MouseButton.LeftButton)
    members = page.detail.members
    qtbot.waitUntil(lambda: page.detail.leave_button.height() > 0)  # laid out, as on screen
    leaving = members.item(members.count() - 1)
    qtbot.mouseClick(
        members.viewport(), Qt.MouseButton.LeftButton, pos=members.visualItemRect(leaving).center()
    )
    left_id = page.detail.chosen_member()
    with reloaded(qtbot, page):
        qtbot.mouseClick(page.detail.leave_button, Qt.MouseButton.LeftButton)
    entry = page.current_entry()
    assert entry is not None and left_id not in {n.id for n in entry.needs}
    assert len(entry.needs) == len(suggestion.needs) - 1
    with reloaded(qtbot, page):
        qtbot.mouseClick(page.detail.split_button, Qt.MouseButton.LeftButton)
    with reg.db.reading() as s:
        assert register.group_count(s) == 0
    assert page.current_entry() is not None and len(page.current_entry().needs) == 1
    with reloaded(qtbot, page):
        ctx.undo_stack.undo()  # the split
    with reg.db.reading() as s:
        grouped = [n for n in register.list_needs(s) if n.group_id is not None]
    assert len(grouped) == len(suggestion.needs) - 1


# --- export ----------------------------------------------------------------------------------


def test_export_writes_the_filtered_register_as_csv(qtbot, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with reloaded(qtbot, page):
        pick(qtbot, page.filters.theme, FORCED)
    target = tmp_path / "register"
    task = page.export("csv", path=str(target))
    assert task is not None
    with qtbot.waitSignal(task.ended, timeout=20_000):
        pass
    path = tmp_path / "register.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["Evidence need"] for r in rows} == {
        page.model.entry_at(r).text for r in range(page.model.rowCount())
    }
    assert all(FORCED in r["Themes"] for r in rows)
    assert page.notice.isVisibleTo(page) and "register.csv" in page.notice.text()
    assert "preview" not in page.notice.text()  # only a PDF is previewed
    with page.ctx.db.reading() as s:
        assert len(rows) == len(
            register.entries_of(register.list_needs(s, RegisterFilter(theme=FORCED)))
        )


def test_clicking_a_need_of_a_suggestion_shows_it_in_the_list(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    suggest(qtbot, page)
    tree = page.suggestions.tree
    first = tree.topLevelItem(0)
    child = first.child(first.childCount() - 1)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(child).center()
    )
    assert page.detail.text.text() == child.text(0)
    assert page.current_entry() is not None and page.current_entry().text == child.text(0)
    assert page.suggestions.current() is not None  # still the suggestion's: Group acts on it


def test_a_header_click_sorts_and_the_rank_comes_back(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    header = page.table.horizontalHeader()
    ranked = [page.model.entry_at(r).key for r in range(page.model.rowCount())]
    police = row_of(page, POLICE)
    click_row(qtbot, page, police)
    x = header.sectionViewportPosition(3) + header.sectionSize(3) // 2  # Priority
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    priorities = [page.model.index(r, 3).data() for r in range(page.model.rowCount())]
    assert priorities == sorted(priorities, key=["High", "Medium", "Low", "–"].index)
    assert page.detail.text.text() == POLICE  # the current need stays current
    assert page.model.entry_at(page.table.currentIndex().row()).text == POLICE
    x = header.sectionViewportPosition(0) + header.sectionSize(0) // 2  # "#": the rank
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    if header.sortIndicatorOrder() != Qt.SortOrder.AscendingOrder:
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert [page.model.entry_at(r).key for r in range(page.model.rowCount())] == ranked


def test_the_list_model_passes_the_model_tester(qtmodeltester, page) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(page.model)
