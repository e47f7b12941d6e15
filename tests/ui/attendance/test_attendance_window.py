"""The attendance window driven as staff drive it: keys from the signed sheet, the mouse,
bulk actions, answers by phone, walk-ins, undo, and a colleague's change shown, not lost."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView

from roundtable_app.core.model import Attendance, Response, ResponseChannel
from roundtable_app.services import attendance, directory, grouping, roundtables
from roundtable_app.storage.models import Invitation
from roundtable_app.ui import messages
from roundtable_app.ui.attendance import AttendanceWindow, open_attendance
from roundtable_app.ui.attendance import list_model as lm

PAST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def held(ctx, make_person):  # type: ignore[no-untyped-def]
    """A past roundtable with a table plan: Zoe and Kofi accepted (Kofi by phone), Mei has
    not answered, Adam declined; Amina is in the directory only."""
    db = ctx.db
    people = {
        "zoe": make_person(
            db, full_name="Zoe Abara", email="zoe@example.org", organisation="Unseen"
        ),
        "kofi": make_person(db, full_name="Kofi Boateng", email="kofi@example.org"),
        "mei": make_person(db, full_name="Mei Lin", email="mei@example.org"),
        "adam": make_person(db, full_name="Adam Zielinski", email="adam@example.org"),
    }
    make_person(db, full_name="Amina Yusuf", email="amina@example.org", organisation="Hope")
    data = roundtables.RoundtableData(
        title="Survivor support", starts_at=PAST, ends_at=PAST + dt.timedelta(hours=2)
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, list(people.values()))
        for key, response, channel in (
            ("zoe", Response.ACCEPTED, ResponseChannel.REPLY),
            ("kofi", Response.ACCEPTED, ResponseChannel.PHONE),
            ("adam", Response.DECLINED, ResponseChannel.REPLY),
        ):
            inv = s.query(Invitation).filter_by(roundtable_id=rid, person_id=people[key]).one()
            inv.response, inv.response_channel = response.value, channel.value
        pool = grouping.pool_from_people(s, people.values())
        plan = grouping.plan_from_tables(
            pool, [[people["zoe"], people["mei"]], [people["kofi"], people["adam"]]]
        )
        grouping.save_plan(s, rid, plan)
    return ctx, rid


def open_window(qtbot, ctx, rid) -> AttendanceWindow:  # type: ignore[no-untyped-def]
    window = AttendanceWindow(ctx, rid)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.setFocus()
    return window


def activate(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    """Make the dialog the active window, as it is on a desktop (its keys go to it)."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def shown(window: AttendanceWindow, column: int = lm.ATTENDANCE) -> dict[str, str]:
    """What the list shows in ``column``, by name."""
    model = window.table.model()
    return {
        model.index(r, lm.NAME).data(): model.index(r, column).data()
        for r in range(model.rowCount())
    }


def stored(ctx, rid) -> dict[str, Attendance]:  # type: ignore[no-untyped-def]
    with ctx.db.reading() as s:
        return {r.name: r.attendance for r in attendance.attendance_rows(s, rid)}


def current_name(window: AttendanceWindow) -> str:
    return window.table.currentIndex().siblingAtColumn(lm.NAME).data()


def click_row(qtbot, view: QTableView, row: int, column: int = lm.NAME, modifier=None) -> None:  # type: ignore[no-untyped-def]
    index = view.model().index(row, column)
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        modifier or Qt.KeyboardModifier.NoModifier,
        view.visualRect(index).center(),
    )


def test_the_list_follows_the_sign_in_sheet_with_answers_and_tables(qtbot, held) -> None:  # type: ignore[no-untyped-def]
    ctx, rid = held
    window = open_window(qtbot, ctx, rid)
    assert window.windowTitle() == "Attendance — Survivor support"
    assert list(shown(window)) == ["Zoe Abara", "Kofi Boateng", "Mei Lin", "Adam Zielinski"]
    assert shown(window, lm.ANSWER) == {
        "Zoe Abara": "Accepted",
        "Kofi Boateng": "Accepted · by phone",
        "Mei Lin": "No answer yet",
        "Adam Zielinski": "Declined",
    }
    assert shown(window, lm.TABLE) == {
        "Zoe Abara": "1",
        "Kofi Boateng": "2",
        "Mei Lin": "1",
        "Adam Zielinski": "2",
    }
    assert set(shown(window).values()) == {"Not recorded"}
    assert window.counts_label.text() == "4 on the list · 4 not recorded"
    assert current_name(window) == "Zoe Abara"  # ready for the first line of the sheet


def test_keys_from_the_sheet_mark_and_move_on_and_ctrl_z_undoes(qtbot, held) -> None:  # type: ignore[no-untyped-def]
    ctx, rid = held
    window = open_window(qtbot, ctx, rid)
    table = window.table
    qtbot.keyClick(table, Qt.Key.Key_Space)
    qtbot.keyClick(table, Qt.Key.Key_N)
    qtbot.keyClick(table, Qt.Key.Key_A)
    assert current_name(window) == "Adam Zielinski"
    assert shown(window) == {
        "Zoe Abara": "Attended",
        "Kofi Boateng": "No-show",
        "Mei Lin": "Sent apologies",
        "Adam Zielinski": "Not recorded",
    }
    assert stored(ctx, rid)["Kofi Boateng"] == Attendance.NO_SHOW
    qtbot.keyClick(table, Qt.Key.Key_Up)  # back to Mei: a slip of the pen
    qtbot.keyClick(table, Qt.Key.Key_Backspace)
    assert shown(window)["Mei Lin"] == "Not recorded"
    assert current_name(window) == "Adam Zielinski"
    assert ctx.undo_stack.undoText() == "Clear Mei Lin's attendance"

    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)
    assert shown(window)["Mei Lin"] == "Sent apologies"
    assert current_name(window) == "Mei Lin"  # undo shows whom it changed
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)
    assert shown(window)["Kofi Boateng"] == "Not recorded"
    assert stored(ctx, rid)["Mei Lin"] == Attendance.UNKNOWN
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert shown(window)["Kofi Boateng"] == "No-show"
    assert window.counts_label.text() == "4 on the list · 1 attended · 1 no-show · 2 not recorded"
    # On the last row a key marks it and stays there.
    window.table.setCurrentIndex(window.model.index(3, 0))
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert shown(window)["Adam Zielinski"] == "Attended"
    assert current_name(window) == "Adam Zielinski"


def test_bulk_actions_on_a_selection_with_the_mouse_and_keys(qtbot, held) -> None:  # type: ignore[no-untyped-def]
    ctx, rid = held
    window = open_window(qtbot, ctx, rid)
    table = window.table
    # Everyone who accepted attended: the button, for the whole list.
    assert window.accepted_button.text() == "Everyone who accepted attended"
    qtbot.mouseClick(window.accepted_button, Qt.MouseButton.LeftButton)
    assert shown(window) == {
        "Zoe Abara": "Attended",
        "Kofi Boateng": "Attended",
        "Mei Lin": "Not recorded",
        "Adam Zielinski": "Not recorded",
    }
    assert ctx.undo_stack.undoText() == "Mark 2 people attended"
    assert not window.accepted_button.isEnabled()  # nobody left to mark
    # Select Mei and Adam with the mouse (click, Shift+click), N marks both no-show.
    click_row(qtbot, table, 2)
    click_row(qtbot, table, 3, modifier=Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(table, Qt.Key.Key_N)
    assert shown(window)["Mei Lin"] == shown(window)["Adam Zielinski"] == "No-show"
    assert ctx.undo_stack.undoText() == "Mark 2 people no-show"
    # Ctrl+click Zoe and Kofi; the Sent apologies button marks the selection.
    click_row(qtbot, table, 0)
    click_row(qtbot, table, 1, modifier=CTRL)
    qtbot.mouseClick(window.apologies_button, Qt.MouseButton.LeftButton)
    assert stored(ctx, rid) == {
        "Zoe Abara": Attendance.APOLOGIES,
        "Kofi Boateng": Attendance.APOLOGIES,
        "Mei Lin": Attendance.NO_SHOW,
        "Adam Zielinski": Attendance.NO_SHOW,
    }
    ctx.undo_stack.undo()
    assert shown(window)["Zoe Abara"] == shown(window)["Kofi Boateng"] == "Attended"


def test_those_selected_who_accepted_attended(qtbot, held) -> None:  # type: ignore[no-untyped-def]
    ctx, rid = held
    window = open_window(qtbot, ctx, rid)
    click_row(qtbot, window.table, 1)  # Kofi (accepted)
    click_row(qtbot, window.table, 2, modifier=Qt.KeyboardModifier.ShiftModifier)  # Mei
    assert window.accepted_button.text() == "Those selected who accepted attended"
    qtbot.keyClick(window.table, Qt.Key.Key_A, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert shown(window) == {
        "Zoe Abara": "Not recorded",  # accepted, but not selected
        "Kofi Boateng": "Attended",
        "Mei Lin": "Not recorded",  # selected, but no answer
        "Adam Zielinski": "Not recorded",
    }


def test_a_colleagues_change_is_shown_not_overwritten(qtbot, held, no_message_boxes) -> None:  # type: ignore[no-untyped-def]
    ctx, rid = held
    window = open_window(qtbot, ctx, rid)
    zoe = window.model.row_at(0).invitation_id
    with ctx.db.transaction() as s:  # at another desk, without this window knowing
        attendance.set_attendance(
            s, [attendance.AttendanceChange(zoe, Attendance.UNKNOWN, Attendance.NO_SHOW)]
        )
    assert shown(window)["Zoe Abara"] == "Not recorded"  # not refreshed yet
    qtbot.keyClick(window.table, Qt.Key.Key_Space)
    [(title, text)] = no_message_boxes
    assert title == "Cannot record attendance"
    assert "Zoe Abara's attendance was changed by someone else meanwhile" in text
    assert shown(window)["Zoe Abara"] == "No-show"  # the list now shows what is stored
    assert current_name(window) == "Zoe Abara"  # and the user is still on her row
    assert stored(ctx, rid)["Zoe Abara"] == Attendance.NO_SHOW


def test_an_answer_by_phone_is_recorded_and_undone(qtbot, held, with_modal) -> None:  # type: ignore[no-untyped-def]
    ctx, rid = held
    window = open_window(qtbot, ctx, rid)
    click_row(qtbot, window.table, 2)  # Mei, who has not answered

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        assert dialog.windowTitle() == "Record Mei Lin's answer"
        activate(qtbot, dialog)
        accepted = dialog.buttons[Response.ACCEPTED]
        assert accepted.isChecked() and accepted.hasFocus()  # a new answer is usually a yes
        qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # &Tentative
        qtbot.waitUntil(lambda: dialog.response() == Response.TENTATIVE)  # an animated click
        combo = dialog.channel_combo
        combo.setCurrentIndex(combo.findText("By e-mail"))
        qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Return)

    with_modal(lambda: qtbot.keyClick(window.table, Qt.Key.Key_R, CTRL), answer)
    assert shown(window, lm.ANSWER)["Mei Lin"] == "Tentative · by e-mail"
    with ctx.db.reading() as s:
        row = next(r for r in attendance.attendance_rows(s, rid) if r.name == "Mei Lin")
    assert (row.response, row.response_channel) == (Response.TENTATIVE, ResponseChannel.EMAIL)
    assert ctx.undo_stack.undoText() == "Record Mei Lin's answer"
    ctx.undo_stack.undo()
    assert shown(window, lm.ANSWER)["Mei Lin"] == "No answer yet"


def test_the_status_line_says_what_the_last_step_did_not_an_earlier_one(  # type: ignore[no-untyped-def]
    qtbot, held, with_modal
) -> None:
    ctx, rid = held
    window = open_window(qtbot, ctx, rid)
    qtbot.keyClick(window.table, Qt.Key.Key_A, CTRL | Qt.KeyboardModifier.ShiftModifier)
    status = window.statusBar()
    assert status.currentMessage() == "Marked 2 people who accepted as attended; Ctrl+Z undoes it."
    click_row(qtbot, window.table, 2)  # Mei, who has not answered

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        activate(qtbot, dialog)
        qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Return)

    with_modal(lambda: qtbot.keyClick(window.table, Qt.Key.Key_R, CTRL), answer)
    assert shown(window, lm.ANSWER)["Mei Lin"] == "Accepted · by phone"
    assert "Marked" not in status.currentMessage()
    qtbot.keyClick(window.table, Qt.Key.Key_A, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.table, Qt.Key.Key_Z, CTRL)  # undo the bulk step
    assert "Marked" not in status.currentMessage()
    assert shown(window)["Mei Lin"] == "Not recorded"


def test_a_walk_in_picked_from_the_directory_by_typing(qtbot, held, with_modal) -> None:  # type: ignore[no-untyped-def]
    ctx, rid = held
    window = open_window(qtbot, ctx, rid)

    def pick(dialog) -> None:  # type: ignore[no-untyped-def]
        activate(qtbot, dialog)
        assert dialog.search_edit.hasFocus()
        qtbot.keyClicks(dialog.search_edit, "yus")
        qtbot.waitUntil(lambda: dialog.matches.topLevelItemCount() == 1)
        assert dialog.matches.topLevelItem(0).text(1) == "Hope"
        dialog.table_combo.setCurrentIndex(dialog.table_combo.findText("Table 2"))
        qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Down)  # into the matches
        qtbot.keyClick(dialog.matches, Qt.Key.Key_Return)

    with_modal(lambda: qtbot.keyClick(window.table, Qt.Key.Key_N, CTRL), pick)
    assert shown(window)["Amina Yusuf"] == "Attended"
    assert shown(window, lm.ANSWER)["Amina Yusuf"] == "Walk-in"
    assert shown(window, lm.TABLE)["Amina Yusuf"] == "2"
    assert current_name(window) == "Amina Yusuf"
    assert window.counts_label.text().endswith("1 attended · 4 not recorded · 1 walk-in")
    assert ctx.undo_stack.undoText() == "Add walk-in Amina Yusuf"
    activate(qtbot, window)  # as the desktop does when the dialog closes
    qtbot.keyClick(window.table, Qt.Key.Key_Z, CTRL)
    assert "Amina Yusuf" not in shown(window)


def test_a_new_walk_in_in_a_few_keystrokes(qtbot, held, with_modal) -> None:  # type: ignore[no-untyped-def]
    ctx, rid = held
    window = open_window(qtbot, ctx, rid)

    def create(dialog) -> None:  # type: ignore[no-untyped-def]
        activate(qtbot, dialog)
        qtbot.keyClicks(dialog.search_edit, "Grace Mensah")
        qtbot.waitUntil(lambda: "Nobody in the directory matches" in dialog.hint.text())
        qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # &New person
        qtbot.waitUntil(lambda: dialog.creating)  # a mnemonic clicks with an animation
        assert dialog.name_edit.text() == "Grace Mensah"
        assert dialog.email_edit.hasFocus()
        qtbot.keyClicks(dialog.email_edit, "amina@example.org")  # someone else's address
        qtbot.keyClick(dialog.email_edit, Qt.Key.Key_Return)
        assert dialog.isVisible()  # refused, and the dialog says why
        assert "Amina Yusuf already has the address amina@example.org" in (dialog.form_error.text())
        dialog.email_edit.clear()
        qtbot.keyClicks(dialog.email_edit, "grace@example.org")
        qtbot.keyClicks(dialog.organisation_combo.lineEdit(), "Hope")
        qtbot.keyClick(dialog.email_edit, Qt.Key.Key_Return)

    with_modal(lambda: qtbot.mouseClick(window.walk_in_button, Qt.MouseButton.LeftButton), create)
    assert shown(window)["Grace Mensah"] == "Attended"
    assert shown(window, lm.ANSWER)["Grace Mensah"] == "Walk-in"
    with ctx.db.reading() as s:
        found = directory.find_by_email(s, "grace@example.org")
        assert found is not None
        assert directory.get_person(s, found[0]).data.organisation == "Hope"
    ctx.undo_stack.undo()  # off the list, and out of the directory again
    assert "Grace Mensah" not in shown(window)
    with ctx.db.reading() as s:
        assert directory.find_by_email(s, "grace@example.org") is None
    ctx.undo_stack.redo()
    assert shown(window)["Grace Mensah"] == "Attended"


def test_seat_at_a_table_and_remove_a_walk_in(qtbot, held, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ctx, rid = held
    with ctx.db.reading() as s:
        amina = directory.find_by_email(s, "amina@example.org")[0]
    with ctx.db.transaction() as s:
        attendance.add_walk_in(s, rid, amina)
    window = open_window(qtbot, ctx, rid)
    asked: list[list[str]] = []

    def choose(_parent, _title, label, items, **_kw):  # type: ignore[no-untyped-def]
        asked.append([label, *items])
        return "Table 1"

    monkeypatch.setattr(messages, "choose", choose)
    row = list(shown(window)).index("Amina Yusuf")
    centre = window.table.visualRect(window.model.index(row, lm.TABLE)).center()
    # A double-click on her Table cell (QTest's double-click needs the first click).
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert asked == [["Seat Amina Yusuf at:", "Table 1", "Table 2", "No table"]]
    assert shown(window, lm.TABLE)["Amina Yusuf"] == "1"
    assert ctx.undo_stack.undoText() == "Seat Amina Yusuf at table 1"
    menu = window.context_menu()
    [remove] = [a for a in menu.actions() if a.text() == "Remove walk-in"]
    assert remove.isEnabled()
    remove.trigger()
    assert "Amina Yusuf" not in shown(window)
    ctx.undo_stack.undo()  # back, at her table
    assert shown(window, lm.TABLE)["Amina Yusuf"] == "1"


def test_find_a_name_then_enter_returns_to_the_list(qtbot, held) -> None:  # type: ignore[no-untyped-def]
    ctx, rid = held
    window = open_window(qtbot, ctx, rid)
    qtbot.keyClick(window.table, Qt.Key.Key_F, CTRL)
    assert window.find_edit.hasFocus()
    qtbot.keyClicks(window.find_edit, "zie")
    assert current_name(window) == "Adam Zielinski"
    qtbot.keyClick(window.find_edit, Qt.Key.Key_Return)
    assert window.table.hasFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A)
    assert shown(window)["Adam Zielinski"] == "Sent apologies"


def test_before_it_begins_answers_only(qtbot, ctx, make_person) -> None:  # type: ignore[no-untyped-def]
    person = make_person(ctx.db, full_name="Mei Lin")
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=10)
    data = roundtables.RoundtableData(
        title="Next month", starts_at=soon, ends_at=soon + dt.timedelta(hours=2)
    )
    with ctx.db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, [person])
    window = open_window(qtbot, ctx, rid)
    assert window.not_started.isVisible()
    assert "has not begun yet" in window.not_started.text()
    assert shown(window) == {"Mei Lin": "—"}
    assert not window.attended_button.isEnabled() and not window.walk_in_button.isEnabled()
    assert window.answer_button.isEnabled()
    qtbot.keyClick(window.table, Qt.Key.Key_Space)
    assert stored(ctx, rid) == {"Mei Lin": Attendance.UNKNOWN}


def test_one_window_per_roundtable_and_escape_closes_it(qtbot, held) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    ctx, rid = held
    parent = QWidget()
    qtbot.addWidget(parent)
    first = open_attendance(ctx, rid, parent)
    assert open_attendance(ctx, rid, parent) is first
    first.activateWindow()
    qtbot.waitUntil(first.isActiveWindow)
    first.table.setFocus()
    with qtbot.waitSignal(first.destroyed):
        qtbot.keyClick(first.table, Qt.Key.Key_Escape)
    QApplication.processEvents()
    assert parent.findChildren(AttendanceWindow) == []


def test_the_model_passes_the_model_tester(qtmodeltester, held) -> None:  # type: ignore[no-untyped-def]
    ctx, rid = held
    with ctx.db.reading() as s:
        rows = attendance.attendance_rows(s, rid)
    model = lm.AttendanceModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.set_rows(rows)  # the same people: replaced in place, the view keeps its row
    assert not model.set_rows(rows[:2])
    qtmodeltester.check(model)


def test_the_window_keeps_its_width_and_the_list_has_the_keys(qtbot, held) -> None:  # type: ignore[no-untyped-def]
    """The counts grew the window by 70 pixels at each mark in the real window (the hint
    of keys beside them would not give up its width); the find box took the first keys."""
    ctx, rid = held
    window = AttendanceWindow(ctx, rid)
    qtbot.addWidget(window)
    window.resize(1000, 600)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.table.hasFocus()  # Space on the first line of the sheet, at once
    for key in (Qt.Key.Key_Space, Qt.Key.Key_N, Qt.Key.Key_A):
        qtbot.keyClick(window.table, key)
        QApplication.processEvents()
        assert window.width() == 1000
    assert window.minimumSizeHint().width() <= 1000


def test_everyone_who_accepted_on_a_long_list_is_selected_in_one_step(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_person
) -> None:
    """On 500 invitees the bulk action took a minute: the 350 people it marked were
    selected again one by one, and each step re-read the whole selection."""
    ids = [make_person(ctx.db, full_name=f"Person {n:02} Surname{n:02}") for n in range(40)]
    data = roundtables.RoundtableData(
        title="Long list", starts_at=PAST, ends_at=PAST + dt.timedelta(hours=2)
    )
    with ctx.db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, ids)
        for inv in s.query(Invitation).filter(Invitation.person_id.in_(ids[:30])):
            inv.response = Response.ACCEPTED.value
    window = open_window(qtbot, ctx, rid)
    steps: list[object] = []
    window.table.selectionModel().selectionChanged.connect(lambda *_a: steps.append(1))
    qtbot.keyClick(window.table, Qt.Key.Key_A, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert list(shown(window).values()).count("Attended") == 30
    assert {r.name for r in window.targets()} == {f"Person {n:02} Surname{n:02}" for n in range(30)}
    assert len(steps) <= 2  # in one step, not one per person
    assert window.accepted_button.text() == "Those selected who accepted attended"
