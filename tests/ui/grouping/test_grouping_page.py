"""The Grouping page: run a plan, edit it by hand, undo, save, export and print."""

from __future__ import annotations

import csv
from collections import Counter
from html import escape
from pathlib import Path

import pytest
from PySide6.QtWidgets import QToolButton
from sqlalchemy import select

from roundtable_app.services import grouping as gs
from roundtable_app.services.demo import generate_demo
from roundtable_app.services.grouping import SavedRules, load_rules
from roundtable_app.storage.models import DiscussionTable, Invitation
from roundtable_app.storage.unit_of_work import Database
from roundtable_app.ui import messages
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.grouping.page import GroupingPage
from roundtable_app.ui.grouping.tables import LOCKED_ROLE, PERSON_ROLE
from roundtable_app.ui.settings import Settings

RUN_TIMEOUT_MS = 15_000


@pytest.fixture
def demo_db(sqlite_db: Database) -> Database:
    generate_demo(sqlite_db, people=200)
    return sqlite_db


@pytest.fixture
def page(qtbot, demo_db: Database, isolated_settings: Settings) -> GroupingPage:  # type: ignore[no-untyped-def]
    ctx = AppContext(demo_db, isolated_settings)
    page = GroupingPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    with qtbot.waitSignal(page.pool_loaded, timeout=RUN_TIMEOUT_MS):
        page.show()  # reads the pool in the background
    qtbot.waitExposed(page)
    page.settings.time_limit.setValue(0.3)
    page.settings.max_iterations.setValue(3000)
    return page


def _run(qtbot, page: GroupingPage, **kwargs: object) -> list[object]:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        assert page.run(**kwargs) is not None  # type: ignore[arg-type]
    return blocker.args


def _shown(page: GroupingPage) -> list[list[int]]:
    """Person ids per card, as shown."""
    return [
        [int(card.members.item(i).data(PERSON_ROLE)) for i in range(card.members.count())]
        for card in page.tables.cards
    ]


def test_run_seats_every_invitee_once_within_bounds(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    assert page.pool.is_roundtable and page.pool.roundtable_id() is not None
    state = page.plan_state()
    assert state is not None and len(state.pool) >= 4
    assert _run(qtbot, page) == [True]
    shown = _shown(page)
    seated = Counter(p for card in shown for p in card)
    assert set(seated) == {inv.person_id for inv in state.pool.invitees}
    assert set(seated.values()) == {1}
    sizes = [len(card) for card in shown]
    assert max(sizes) - min(sizes) <= 1
    assert len(shown) == page.settings.table_count()
    assert page.tables.cards[0].title.text().startswith("Table 1 · ")


def test_move_and_undo(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    _run(qtbot, page)
    before = _shown(page)
    person = before[0][0]
    with qtbot.waitSignal(page.plan_changed):
        page.tables.cards[0].members.people_dropped.emit([person], 1)  # as a drop does
    after = _shown(page)
    assert person in after[1] and person not in after[0]
    assert page.plan is not None and page.plan.score is None  # re-explained, by hand
    stack = page.ctx.undo_stack
    assert stack.undoText().startswith("Move ")
    stack.undo()
    assert _shown(page) == before
    stack.redo()
    assert person in _shown(page)[1]


def test_lock_and_reoptimise_keeps_locked_people(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    page.settings.seed.setValue(7)
    _run(qtbot, page)
    shown = _shown(page)
    person = shown[0][0]
    page.move_people([person], 1)  # a hand move the optimiser might undo, if not locked
    page.lock_people([person], True)
    card = page.tables.cards[1]
    items = [card.members.item(i) for i in range(card.members.count())]
    assert any(i.data(PERSON_ROLE) == person and i.data(LOCKED_ROLE) for i in items)
    assert page.reoptimise_button.isEnabled()
    page.settings.seed.setValue(99)
    assert _run(qtbot, page, keep_locked=True) == [True]
    assert person in _shown(page)[1]
    assert person in page.plan_state().locked  # type: ignore[union-attr]
    page.ctx.undo_stack.undo()  # the re-optimisation
    page.ctx.undo_stack.undo()  # the lock
    assert person not in page.plan_state().locked  # type: ignore[union-attr]


def test_save_to_roundtable(
    qtbot, page: GroupingPage, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    _run(qtbot, page)
    rid = page.pool.roundtable_id()
    plan = page.plan
    assert rid is not None and plan is not None
    assert page.save_to_roundtable()
    with demo_db.transaction() as session:
        tables = session.scalars(
            select(DiscussionTable)
            .where(DiscussionTable.roundtable_id == rid)
            .order_by(DiscussionTable.number)
        ).all()
        assert [t.number for t in tables] == list(range(1, len(plan.tables) + 1))
        seats = dict(
            session.execute(
                select(Invitation.person_id, Invitation.table_id).where(
                    Invitation.roundtable_id == rid, Invitation.table_id.is_not(None)
                )
            ).all()
        )
        number = {t.id: t.number for t in tables}
        for n, members in enumerate(plan.tables, start=1):
            assert all(number[seats[p]] == n for p in members)  # type: ignore[index]
        saved = gs.load_saved_plan(session, rid)
    assert saved is not None and saved.tables == tuple(tuple(sorted(t)) for t in plan.tables)
    # Choosing the roundtable again shows the saved plan.
    with qtbot.waitSignal(page.pool_loaded, timeout=RUN_TIMEOUT_MS):
        page._pool_changed()
    assert page.note.text().startswith("Saved plan from")
    assert sorted(map(sorted, _shown(page))) == sorted(map(sorted, plan.tables))


def test_export_csv_and_pdf(qtbot, page: GroupingPage, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _run(qtbot, page)
    plan = page.plan
    assert plan is not None
    out = tmp_path / "plan.csv"
    assert page.export_csv(str(out)) == plan.people
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == plan.people + 1
    assert {r[0] for r in rows[1:]} == {f"Table {t + 1}" for t in range(len(plan.tables))}

    from pypdf import PdfReader

    pdf = page.write_pdf(tmp_path / "plan.pdf")
    text = "".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert "Table 1" in text


def test_pdf_preview_dialog_saves_a_copy(qtbot, page: GroupingPage, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from roundtable_app.ui.common.pdf_preview import PdfPreviewDialog

    _run(qtbot, page)
    pdf = page.write_pdf(tmp_path / "plan.pdf")
    dialog = PdfPreviewDialog(pdf, "Table plan", page)
    qtbot.addWidget(dialog)
    assert dialog.document.pageCount() >= 1
    copy = dialog.save_as(str(tmp_path / "copy"))
    assert copy is not None and copy.read_bytes() == pdf.read_bytes()


def test_cancel_leaves_the_plan_unchanged(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    _run(qtbot, page)
    plan = page.plan
    depth = page.ctx.undo_stack.count()
    page.settings.time_limit.setValue(60.0)
    page.settings.max_iterations.setValue(0)
    with qtbot.waitSignal(page.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        page.run()
        assert page.run_bar.isVisibleTo(page) and not page.run_button.isEnabled()
        page.cancel_run()
    assert blocker.args == [False]
    assert page.plan is plan and page.ctx.undo_stack.count() == depth
    assert not page.run_bar.isVisibleTo(page) and page.run_button.isEnabled()


def test_stop_early_keeps_the_best_so_far(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    page.settings.time_limit.setValue(60.0)
    page.settings.max_iterations.setValue(0)
    with qtbot.waitSignal(page.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        page.run()
        qtbot.wait(200)
        page.stop_early()
    assert blocker.args == [True]
    assert page.plan is not None and page.plan.stopped_early
    assert "stopped early" in page.note.text()


def test_infeasible_rules_show_a_message(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    page.pool.by_filter.setChecked(True)
    page.pool.sector_combo.setCurrentIndex(page.pool.sector_combo.findText("Academic research"))
    assert page.people_count() >= 4
    page.settings.tables_spin.setValue(1)
    page.settings.one_per_org.setChecked(True)
    page.settings.org_required.setChecked(True)
    assert _run(qtbot, page) == [False]
    assert page.message.isVisibleTo(page)
    assert "one person per organisation per table" in page.message_label.text()
    assert page.plan is None


def test_empty_database_explains_what_to_do(qtbot, sqlite_db: Database, isolated_settings) -> None:  # type: ignore[no-untyped-def]
    page = GroupingPage(AppContext(sqlite_db, isolated_settings))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.pool_loaded, timeout=RUN_TIMEOUT_MS):
        page.show()
    assert page.stack.currentWidget() is page.empty
    assert page.empty.title.text() == "Nobody to seat yet"
    assert not page.run_button.isEnabled()


def test_the_search_warms_up_once_per_session(qtbot, ctx, no_warm_up_process) -> None:  # type: ignore[no-untyped-def]
    pages = [GroupingPage(ctx), GroupingPage(ctx)]
    for page in pages:
        qtbot.addWidget(page)
        with qtbot.waitSignal(page.pool_loaded, timeout=RUN_TIMEOUT_MS):
            page.show()
        page.hide()
        page.show()
    assert len(no_warm_up_process) == 1


def test_page_is_in_the_main_window(window) -> None:  # type: ignore[no-untyped-def]
    from roundtable_app.ui.main_window import PAGES

    win = window()
    assert "grouping" in [spec.key for spec in PAGES]
    assert isinstance(win.pages["grouping"], GroupingPage)


def test_dropping_a_member_on_another_table_moves_them(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QDropEvent

    _run(qtbot, page)
    source = page.tables.cards[0].members
    person = int(source.item(0).data(PERSON_ROLE))
    data = source.mimeData([source.item(0)])
    target = page.tables.cards[1].members
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.MoveAction | Qt.DropAction.CopyAction,  # as a list view's drag offers
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(page.plan_changed, timeout=2000):
        target.dropEvent(event)
    assert event.dropAction() == Qt.DropAction.CopyAction  # the source keeps its items
    assert person in _shown(page)[1]
    page.ctx.undo_stack.undo()
    assert person in _shown(page)[0]


def _table_of(page: GroupingPage, person: int) -> int:
    return next(t for t, members in enumerate(_shown(page)) if person in members)


def _select(page: GroupingPage, person: int) -> None:
    for card in page.tables.cards:
        for i in range(card.members.count()):
            if int(card.members.item(i).data(PERSON_ROLE)) == person:
                card.members.item(i).setSelected(True)


def test_keep_together_across_tables_then_rerun(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    _run(qtbot, page)
    a, b = sorted([_shown(page)[0][0], _shown(page)[1][0]])  # a rule lists the lower id first
    _select(page, a)  # people selected in two cards, as Ctrl-click does
    _select(page, b)
    assert sorted(page.tables.selected_ids()) == [a, b]
    page.tables.rule_requested.emit(page.tables.selected_ids(), "together")  # as the menu does
    names = {inv.person_id: inv.name for inv in page.plan_state().pool.invitees}  # type: ignore[union-attr]
    assert page.rules.rule_texts() == [f"{names[a]} + {names[b]} together"]
    assert not page.rules.empty.isVisibleTo(page)
    card = page.tables.cards[_table_of(page, a)]
    assert card.warnings.isVisibleTo(card)
    warning = card.warnings
    assert f"{names[a]} and {names[b]} must sit together" in warning.text()
    assert _run(qtbot, page) == [True]
    assert _table_of(page, a) == _table_of(page, b)
    assert not any("must sit" in card.warnings.text() for card in page.tables.cards)
    assert page.rules.rule_texts() == [f"{names[a]} + {names[b]} together"]  # runs keep rules


def test_keep_apart_and_undo(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    _run(qtbot, page)
    a, b = _shown(page)[0][:2]
    page.add_rule([a, b], "apart")
    assert page.ctx.undo_stack.undoText().startswith("Keep ")
    assert len(page.rules.rule_texts()) == 1 and " apart" in page.rules.rule_texts()[0]
    assert "must sit apart" in page.tables.cards[0].warnings.text()
    assert _run(qtbot, page) == [True]
    assert _table_of(page, a) != _table_of(page, b)
    page.ctx.undo_stack.undo()  # the run
    page.ctx.undo_stack.undo()  # the rule
    assert page.rules.rule_texts() == [] and page.rules.empty.isVisibleTo(page)
    assert "right-click people" in page.rules.empty.text()
    page.ctx.undo_stack.redo()
    assert len(page.rules.rule_texts()) == 1
    page.lock_people([a], True)
    assert page.rules.locked.text() == "1 person locked"
    page.rules.rows[0].findChild(QToolButton).click()  # type: ignore[union-attr]  # the ✕
    assert page.rules.rule_texts() == []


def test_contradictory_rules_name_the_people(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    _run(qtbot, page)
    a, b = _shown(page)[0][:2]
    page.add_rule([a, b], "together")
    page.add_rule([a, b], "apart")
    plan = page.plan
    assert _run(qtbot, page) == [False]
    assert page.plan is plan
    names = {inv.person_id: inv.name for inv in page.plan_state().pool.invitees}  # type: ignore[union-attr]
    text = page.message_label.text()
    assert page.message.isVisibleTo(page) and "cannot all be met" in text
    assert escape(names[a]) in text and escape(names[b]) in text


def test_rules_reset_when_the_pool_changes(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    _run(qtbot, page)
    page.add_rule(_shown(page)[0][:2], "together")
    page.pool.by_filter.setChecked(True)
    assert page.rules.rule_texts() == [] and page.rules.empty.isVisibleTo(page)


def test_member_menu_offers_the_rules(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    _run(qtbot, page)
    a, b = _shown(page)[0][0], _shown(page)[1][0]
    _select(page, a)
    _select(page, b)
    menu, actions = page.tables.member_menu(page.tables.cards[1].members)
    names = {inv.person_id: inv.name for inv in page.plan_state().pool.invitees}  # type: ignore[union-attr]
    texts = {action.text(): action for action in actions}
    assert f"Keep {names[a]} and {names[b]} together" in texts
    actions[texts[f"Keep {names[a]} and {names[b]} apart"]]()
    assert page.plan_state().apart == ((min(a, b), max(a, b)),)  # type: ignore[union-attr]
    menu.deleteLater()


def test_pool_loads_in_the_background(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.pool_loaded, timeout=RUN_TIMEOUT_MS):
        page._pool_changed()
        assert page.is_loading and page.empty.title.text() == "Loading…"
        assert not page.run_button.isEnabled() and page.run() is None
    assert not page.is_loading and page.run_button.isEnabled()
    assert page.plan_state() is not None and page.empty.title.text().startswith("Seat ")


def test_required_sector_share_is_kept_or_explained(qtbot, page: GroupingPage) -> None:  # type: ignore[no-untyped-def]
    page.settings.sector_share.setValue(50)
    page.settings.sector_required.setChecked(True)
    assert _run(qtbot, page) == [True]
    assert page.plan is not None
    assert not any("holds" in w for w in page.plan.explanation.warnings)
    # Far too tight for this pool: the message names the sector and what to change.
    page.settings.sector_share.setValue(10)
    assert _run(qtbot, page) == [False]
    assert page.message.isVisibleTo(page)
    text = page.message_label.text()
    assert "people are from the sector" in text and "Change or remove" in text


def test_summary_counts_one_table_in_the_singular() -> None:
    from roundtable_app.core.grouping.scoring import Invitee
    from roundtable_app.ui.grouping.output import plan_summary

    invitees = tuple(Invitee(index=i, person_id=i + 1, name=f"P{i}") for i in range(4))
    plan = gs.plan_groups(gs.Pool(invitees=invitees, past_pairs={}), tables=1, max_iterations=5)
    assert plan_summary(plan).startswith("4 people at 1 table · ")
    plan = gs.plan_groups(gs.Pool(invitees=invitees, past_pairs={}), tables=2, max_iterations=5)
    assert plan_summary(plan).startswith("4 people at 2 tables · ")


def test_saved_plan_brings_back_its_locks_and_rules(
    qtbot, page: GroupingPage, demo_db: Database, isolated_settings: Settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    _run(qtbot, page)
    first, second = _shown(page)[0][0], _shown(page)[1][0]
    page.lock_people([first], True)
    page.add_rule([second, first], "apart")
    assert page.save_to_roundtable()
    rid = page.pool.roundtable_id()
    # Staff open the roundtable again in a new session of the app.
    again = GroupingPage(AppContext(demo_db, isolated_settings))
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.pool_loaded, timeout=RUN_TIMEOUT_MS):
        again.show()
    assert again.pool.roundtable_id() == rid
    state = again.plan_state()
    assert state is not None and state.plan is not None
    assert state.locked == frozenset({first})
    assert state.apart == ((min(first, second), max(first, second)),)
    names = {inv.person_id: inv.name for inv in state.pool.invitees}
    assert any(names[first] in text and "apart" in text for text in again.rules.rule_texts())
    # Undoing the save puts back what was stored before: no locks, no rules.
    page.ctx.undo_stack.undo()
    with demo_db.reading() as session:
        assert load_rules(session, rid) == SavedRules()
