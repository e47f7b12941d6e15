"""The Grouping page driven as a person does: the mouse on the real widgets, the keyboard.

One small network: two past and two upcoming roundtables, one of 37 invitees,
lived-experience participants among them. Each test clicks what a user clicks
and checks what the user then sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QComboBox, QMenu, QPushButton

from roundtable_app.services import grouping, roundtables
from roundtable_app.storage.unit_of_work import Database
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.grouping.page import GroupingPage
from roundtable_app.ui.grouping.tables import LIVED_ROLE, PERSON_ROLE, MemberList
from roundtable_app.ui.settings import Settings

TIMEOUT_MS = 15_000
SECTORS = ("Academic research", "Civil society", "Government", "Business", "Frontline practice")
TODAY = dt.date.today()
# (title, days from today, invitees): listed out of order on purpose.
ROUNDTABLES = (
    ("Autumn review", (dt.date(2023, 11, 1) - TODAY).days, 12),
    ("Big table", 60, 37),
    ("Spring evidence", (dt.date(2025, 3, 1) - TODAY).days, 12),
    ("Next week", 7, 12),
)


@pytest.fixture
def network(sqlite_db: Database, make_person: Callable[..., int]) -> Database:
    """37 people (the first two with lived experience) and the four roundtables."""
    people = [
        make_person(
            sqlite_db,
            full_name=f"Person {n:02d}",
            sector="Lived experience" if n < 2 else SECTORS[n % len(SECTORS)],
            lived_experience=n < 2,
            interests=("Survivor support",) if n % 2 else ("Data and prevalence",),
        )
        for n in range(37)
    ]
    with sqlite_db.transaction() as session:
        for title, days, invitees in ROUNDTABLES:
            starts, ends = roundtables.local_times(
                TODAY + dt.timedelta(days=days), dt.time(10), dt.timedelta(hours=2), "UTC"
            )
            info = roundtables.create_roundtable(
                session, roundtables.RoundtableData(title=title, starts_at=starts, ends_at=ends)
            )
            roundtables.add_invitees(session, info.id, people[:invitees])
    return sqlite_db


@pytest.fixture
def page(qtbot, network: Database, isolated_settings: Settings) -> GroupingPage:  # type: ignore[no-untyped-def]
    page = GroupingPage(AppContext(network, isolated_settings))
    qtbot.addWidget(page)
    page.resize(1280, 800)
    with qtbot.waitSignal(page.pool_loaded, timeout=TIMEOUT_MS):
        page.show()
    qtbot.waitExposed(page)
    page.settings.time_limit.setValue(0.3)
    page.settings.max_iterations.setValue(3000)
    return page


NO_KEY = Qt.KeyboardModifier.NoModifier


def click(qtbot, widget, pos: QPoint | None = None, modifier=NO_KEY) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, modifier, pos or widget.rect().center())


def choose_roundtable(qtbot, page: GroupingPage, title: str) -> None:  # type: ignore[no-untyped-def]
    """Open the roundtable chooser with the mouse and click the roundtable's line."""
    combo: QComboBox = page.pool.roundtable_combo
    click(qtbot, combo)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    row = next(i for i in range(combo.count()) if combo.itemText(i).startswith(title))
    index = view.model().index(row, 0)
    view.scrollTo(index)
    pos = view.visualRect(index).center()
    qtbot.mouseMove(view.viewport(), pos)  # the line under the mouse lights up
    # A combo box ignores a release within a double-click time of opening its list.
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    with qtbot.waitSignal(page.pool_loaded, timeout=TIMEOUT_MS):
        click(qtbot, view.viewport(), pos)
    assert combo.currentText().startswith(title)


def run(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    """Press the Run button below the settings, and wait for the tables."""
    with qtbot.waitSignal(page.run_finished, timeout=TIMEOUT_MS) as blocker:
        click(qtbot, page.run_button)
    assert blocker.args == [True]


def member_rect(members: MemberList, row: int) -> QPoint:
    return members.visualItemRect(members.item(row)).center()


def person_at(members: MemberList, row: int) -> int:
    return int(members.item(row).data(PERSON_ROLE))


def menu_choose(qtbot, members: MemberList, row: int, *path: str) -> None:  # type: ignore[no-untyped-def]
    """Right-click a member and click through the context menu (and its submenus)."""
    steps = list(path)
    seen: list[str] = []
    tries = [0]

    def step() -> None:
        menu = QApplication.activePopupWidget()
        texts = {a.text(): a for a in menu.actions()} if isinstance(menu, QMenu) else {}
        if steps and steps[0] not in texts:
            tries[0] += 1
            if tries[0] < 300:  # the menu (or submenu) is not open yet
                QTimer.singleShot(10, step)
            elif isinstance(menu, QMenu):
                seen.append(" | ".join(texts))
                menu.close()  # fail below rather than leave the menu open
            return
        assert isinstance(menu, QMenu)
        seen.append(" | ".join(texts))
        click(qtbot, menu, menu.actionGeometry(texts[steps.pop(0)]).center())
        if steps:
            QTimer.singleShot(10, step)

    QTimer.singleShot(0, step)
    viewport = members.viewport()
    pos = member_rect(members, row)
    qtbot.mousePress(viewport, Qt.MouseButton.RightButton, pos=pos)
    # On a desktop the window system follows a right press with a context-menu event.
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)
    qtbot.mouseRelease(viewport, Qt.MouseButton.RightButton, pos=pos)
    assert not steps, f"the menu offered: {seen}"


# --- the defects of issue 9 ------------------------------------------------------------


def test_the_chooser_lists_upcoming_soonest_first_then_the_past_latest_first(
    page: GroupingPage,
) -> None:
    combo = page.pool.roundtable_combo
    titles = [combo.itemText(i).split(" — ")[0] for i in range(combo.count())]
    assert titles == ["Next week", "Big table", "Spring evidence", "Autumn review"]
    assert combo.currentText().startswith("Next week")  # the one being planned now


def test_table_count_follows_the_pool_and_keeps_the_users_choice(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    sizes = page.settings.sizes_label
    assert sizes.text() == "12 people → 2 tables of 6"
    choose_roundtable(qtbot, page, "Big table")
    assert sizes.text() == "37 people → 4 tables: 1 of 10, 3 of 9"  # tables of 8-10
    assert page.note.text() == sizes.text()
    # The user types their own count: it stays with this roundtable for the session.
    spin = page.settings.tables_spin
    click(qtbot, spin)
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, "5")
    qtbot.keyClick(spin, Qt.Key.Key_Tab)
    assert sizes.text() == "37 people → 5 tables: 2 of 8, 3 of 7"
    choose_roundtable(qtbot, page, "Next week")
    assert sizes.text() == "12 people → 2 tables of 6"  # another pool: its own default
    choose_roundtable(qtbot, page, "Big table")
    assert sizes.text() == "37 people → 5 tables: 2 of 8, 3 of 7"
    run(qtbot, page)
    assert len(page.tables.cards) == 5


def test_a_saved_plan_brings_its_table_count(
    qtbot, network: Database, isolated_settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    with network.transaction() as session:
        rid = next(r.id for r in roundtables.list_roundtables(session) if r.title == "Big table")
        pool = grouping.load_pool(session, rid)
        plan = grouping.plan_groups(pool, tables=3, max_iterations=50)
        grouping.save_arrangement(session, rid, grouping.Arrangement(plan))
    page = GroupingPage(AppContext(network, isolated_settings))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.pool_loaded, timeout=TIMEOUT_MS):
        page.show()
    choose_roundtable(qtbot, page, "Big table")
    assert len(page.tables.cards) == 3
    assert page.settings.sizes_label.text() == "37 people → 3 tables: 1 of 13, 2 of 12"


def test_merely_visiting_the_table_count_is_no_choice(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    spin = page.settings.tables_spin
    click(qtbot, spin)  # focus in, then out, changing nothing
    qtbot.keyClick(spin, Qt.Key.Key_Tab)
    choose_roundtable(qtbot, page, "Big table")
    assert page.settings.sizes_label.text() == "37 people → 4 tables: 1 of 10, 3 of 9"


def test_one_lived_experience_participant_per_table_is_not_warned_about(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    settings = page.settings
    assert settings.lived_experience.currentText() == "at least 1"
    click(qtbot, settings.lived_required)  # one each, for certain
    run(qtbot, page)
    cards = page.tables.cards
    assert [_lived_shown(card.members) for card in cards] == [1, 1]  # the "LE" badges
    assert not any(card.warnings.isVisibleTo(card) for card in cards)
    assert "no warnings" in page.summary.text()
    # Move one of them to the other table by hand: now one table really has none.
    first = cards[0].members
    row = next(i for i in range(first.count()) if person_at(first, i) in _lived(page))
    menu_choose(qtbot, first, row, "Move to", "Table 2")
    warnings = [
        card.warnings.text() if card.warnings.isVisibleTo(card) else ""
        for card in page.tables.cards
    ]
    assert warnings == ["⚠ no lived-experience participant", ""]
    assert "on their own" not in page.tables.cards[1].warnings.text()
    assert "1 warning" in page.summary.text()


def _lived_shown(members: MemberList) -> int:
    return sum(bool(members.item(i).data(LIVED_ROLE)) for i in range(members.count()))


def _lived(page: GroupingPage) -> list[int]:
    state = page.plan_state()
    assert state is not None
    return [inv.person_id for inv in state.pool.invitees if inv.lived_experience]


def test_no_run_control_is_enabled_while_a_run_goes(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    page.settings.time_limit.setValue(60.0)
    page.settings.max_iterations.setValue(0)
    centre = page.empty.buttons["Run"]
    assert page.stack.currentWidget() is page.empty and centre.isVisible()
    with qtbot.waitSignal(page.run_finished, timeout=TIMEOUT_MS) as blocker:
        click(qtbot, centre)
        assert page.is_running
        runs = [b for b in page.findChildren(QPushButton) if b.text() == "Run" and b.isVisible()]
        assert runs and not any(b.isEnabled() for b in runs)
        assert "press Run" not in page.empty.message.text()
        assert not page.rules.isEnabled()  # its ✕ buttons would edit the plan
        assert page.stop_button.isVisible() and page.stop_button.isEnabled()
        assert page.cancel_button.isVisible() and page.cancel_button.isEnabled()
        click(qtbot, page.cancel_button)
    assert blocker.args == [False]
    assert page.stack.currentWidget() is page.empty
    assert page.empty.buttons["Run"].isEnabled() and page.run_button.isEnabled()
    assert "press Run" in page.empty.message.text()


# --- selection follows the click (issue 9, defect 1's pattern) --------------------------


def test_a_click_selects_in_one_card_and_a_ctrl_click_adds(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    choose_roundtable(qtbot, page, "Big table")
    run(qtbot, page)
    one, two = page.tables.cards[0].members, page.tables.cards[1].members
    click(qtbot, one.viewport(), member_rect(one, 0))
    assert page.tables.selected_ids() == [person_at(one, 0)]
    click(qtbot, two.viewport(), member_rect(two, 1))
    assert page.tables.selected_ids() == [person_at(two, 1)]
    click(qtbot, one.viewport(), member_rect(one, 2), modifier=Qt.KeyboardModifier.ControlModifier)
    assert sorted(page.tables.selected_ids()) == sorted([person_at(one, 2), person_at(two, 1)])


def test_the_context_menu_acts_on_the_person_right_clicked(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    choose_roundtable(qtbot, page, "Big table")
    run(qtbot, page)
    one, two = page.tables.cards[0].members, page.tables.cards[1].members
    click(qtbot, one.viewport(), member_rect(one, 0))  # an earlier click elsewhere
    target = person_at(two, 2)
    menu_choose(qtbot, two, 2, "Lock at this table")
    state = page.plan_state()
    assert state is not None and state.locked == frozenset({target})
    assert page.ctx.undo_stack.undoText() == "Lock 1 person"


def test_ctrl_clicked_people_in_two_cards_can_be_kept_together(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    choose_roundtable(qtbot, page, "Big table")
    run(qtbot, page)
    one, two = page.tables.cards[0].members, page.tables.cards[1].members
    a, b = person_at(one, 1), person_at(two, 3)
    click(qtbot, one.viewport(), member_rect(one, 1))
    click(qtbot, two.viewport(), member_rect(two, 3), modifier=Qt.KeyboardModifier.ControlModifier)
    names = {p: f"Person {n:02d}" for p, n in _numbers(page).items()}
    menu_choose(qtbot, two, 3, f"Keep {names[a]} and {names[b]} together")
    state = page.plan_state()
    assert state is not None and state.together == ((min(a, b), max(a, b)),)


def _numbers(page: GroupingPage) -> dict[int, int]:
    state = page.plan_state()
    assert state is not None
    return {inv.person_id: int(inv.name.split()[-1]) for inv in state.pool.invitees}


# --- nothing is lost by looking elsewhere -----------------------------------------------


def _shown(page: GroupingPage) -> list[list[int]]:
    return [
        [person_at(card.members, i) for i in range(card.members.count())]
        for card in page.tables.cards
    ]


def test_an_unsaved_plan_waits_while_another_roundtable_is_looked_at(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    choose_roundtable(qtbot, page, "Big table")
    run(qtbot, page)
    plan = _shown(page)
    choose_roundtable(qtbot, page, "Next week")
    assert page.stack.currentWidget() is page.empty  # nothing run for this one yet
    choose_roundtable(qtbot, page, "Big table")
    assert _shown(page) == plan
    page.ctx.undo_stack.undo()  # Edit > Undo still undoes that run
    assert page.plan is None and page.stack.currentWidget() is page.empty


def test_the_note_says_whether_the_plan_is_saved(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from roundtable_app.ui import messages

    run(qtbot, page)
    assert page.note.text().startswith("Found in ")
    assert page.note.text().endswith(" s · not saved yet")
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    with qtbot.waitSignal(page.pool_loaded, timeout=TIMEOUT_MS):  # it re-reads the roundtable
        click(qtbot, page.save_button)
    assert page.note.text().startswith("Saved plan from ")
    assert not page.save_button.isEnabled()  # nothing left to save
    first = page.tables.cards[0].members
    menu_choose(qtbot, first, 0, "Move to", "Table 2")
    assert page.note.text() == "Edited by hand · not saved yet"
    assert page.save_button.isEnabled()
    page.ctx.undo_stack.undo()  # the move: back to what is saved
    assert page.note.text().startswith("Saved plan from ")
    menu_choose(qtbot, page.tables.cards[0].members, 0, "Lock at this table")
    assert page.note.text().endswith(" · not saved yet · 1 locked")  # locks are saved too
    assert page.save_button.isEnabled()


def test_someone_invited_meanwhile_is_shown_as_not_seated(  # type: ignore[no-untyped-def]
    qtbot, page, network: Database, make_person: Callable[..., int]
) -> None:
    from roundtable_app.core.model import Changes

    run(qtbot, page)
    plan = _shown(page)
    newcomer = make_person(network, full_name="Nadia Newcomer")
    with network.transaction() as session:
        rid = page.pool.roundtable_id()
        roundtables.add_invitees(session, rid, [newcomer])
    with qtbot.waitSignal(page.pool_loaded, timeout=TIMEOUT_MS):
        page.ctx.publish(Changes(roundtables=frozenset({rid})))  # as the Roundtables page does
    assert _shown(page) == plan  # the plan is kept for the others
    assert page.note.text().endswith("· 1 not seated: run to seat them")
    assert "Not seated: Nadia Newcomer" in page.note.toolTip()
    assert page.settings.sizes_label.text() == "13 people → 2 tables: 1 of 7, 1 of 6"
    run(qtbot, page)
    assert newcomer in {p for table in _shown(page) for p in table}


def test_ctrl_enter_runs(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    with qtbot.waitSignal(page.run_finished, timeout=TIMEOUT_MS) as blocker:
        qtbot.keyClick(
            page.settings.tables_spin, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert blocker.args == [True] and len(page.tables.cards) == 2


def test_the_page_says_who_declined_is_left_out(
    qtbot, network: Database, isolated_settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    from roundtable_app.core.model import Response
    from roundtable_app.storage.models import Invitation

    with network.transaction() as session:
        rid = next(r.id for r in roundtables.list_roundtables(session) if r.title == "Next week")
        first_two = sorted(roundtables.invited_person_ids(session, rid))[:2]
        session.execute(
            update(Invitation)
            .where(Invitation.roundtable_id == rid, Invitation.person_id.in_(first_two))
            .values(response=Response.DECLINED.value)
        )
    page = GroupingPage(AppContext(network, isolated_settings))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.pool_loaded, timeout=TIMEOUT_MS):
        page.show()
    assert page.pool.roundtable_combo.currentText().endswith("· 12 invitees")
    assert page.empty.title.text() == "Seat 10 people at tables"
    assert page.empty.message.text().startswith(
        "2 invitees who declined or sent apologies will not be seated. "
    )
