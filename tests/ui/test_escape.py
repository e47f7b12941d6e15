"""Escape and Enter in the app's forms and filter boxes, pressed as a person would.

Escape once threw away an edited form without a word. Now a form with edits asks
"Discard your changes?" (Keep editing is the default), one without closes at once,
and the first Escape in a filter box only clears the filter.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from roundtable_app.services import directory, roundtables
from roundtable_app.services.demo import generate_demo
from roundtable_app.ui import messages
from roundtable_app.ui.directory.person_dialog import PersonDialog
from roundtable_app.ui.invitations import SendInvitationsDialog
from roundtable_app.ui.roundtables.add_invitees_dialog import AddInviteesDialog
from roundtable_app.ui.roundtables.roundtable_dialog import RoundtableDialog
from roundtable_app.ui.transfer import ImportDialog

REAL_DISCARD = messages.discard_changes  # the autouse fixture answers it in every test


def click(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def escape(qtbot, dialog: QDialog) -> None:  # type: ignore[no-untyped-def]
    """Press Escape where the keyboard focus is (as a user does)."""
    if not dialog.isActiveWindow():
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Escape)


def people(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.reading() as session:
        return sorted(r.full_name for r in directory.list_rows(session))


# --- the person form ---------------------------------------------------------------------


def test_escape_on_an_untouched_form_closes_at_once(
    qtbot, window, with_modal, discard_questions
) -> None:  # type: ignore[no-untyped-def]
    win = window()
    closed: list[bool] = []

    def press_escape(dialog: QDialog) -> None:
        assert isinstance(dialog, PersonDialog)
        escape(qtbot, dialog)
        closed.append(not dialog.isVisible())

    with_modal(lambda: click(qtbot, win.directory.new_button), press_escape)
    assert closed == [True]
    assert discard_questions.asked == []


def test_escape_after_typing_asks_and_keep_editing_keeps_the_text(
    qtbot, window, sqlite_db, with_modal, discard_questions
) -> None:  # type: ignore[no-untyped-def]
    win = window()
    seen: list[object] = []

    def type_then_escape(dialog: QDialog) -> None:
        assert isinstance(dialog, PersonDialog)
        qtbot.keyClicks(dialog.name_edit, "Jane Doe")
        discard_questions.discard = False  # "Keep editing"
        escape(qtbot, dialog)
        seen.append((dialog.isVisible(), dialog.name_edit.text()))
        discard_questions.discard = True  # "Discard changes"
        cancel = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
        click(qtbot, cancel)
        seen.append(dialog.isVisible())

    with_modal(lambda: click(qtbot, win.directory.new_button), type_then_escape)
    assert seen == [(True, "Jane Doe"), False]
    assert discard_questions.asked == ["New person", "New person"]
    assert people(sqlite_db) == []


def test_enter_saves_the_person_form(qtbot, window, sqlite_db, with_modal) -> None:  # type: ignore[no-untyped-def]
    win = window()

    def type_then_enter(dialog: QDialog) -> None:
        qtbot.keyClicks(dialog.name_edit, "Jane Doe")
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)

    with_modal(lambda: click(qtbot, win.directory.new_button), type_then_enter)
    assert people(sqlite_db) == ["Jane Doe"]


def test_first_escape_in_a_filter_box_clears_it_and_closes_nothing(
    qtbot, window, with_modal, discard_questions
) -> None:  # type: ignore[no-untyped-def]
    win = window()
    seen: list[object] = []

    def filter_then_escape(dialog: QDialog) -> None:
        assert isinstance(dialog, PersonDialog)
        box = dialog.interests.filter_edit
        qtbot.keyClicks(box, "labour")
        qtbot.keyClick(box, Qt.Key.Key_Escape)
        seen.append((box.text(), dialog.isVisible()))
        qtbot.keyClick(box, Qt.Key.Key_Escape)  # now empty: Escape closes the form
        seen.append(dialog.isVisible())

    with_modal(lambda: click(qtbot, win.directory.new_button), filter_then_escape)
    assert seen == [("", True), False]
    assert discard_questions.asked == []  # a filter is not an edit


def test_escape_clears_the_people_filter(qtbot, window, make_person, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    make_person(sqlite_db, full_name="Ada Lovelace")
    make_person(sqlite_db, full_name="Ben Okri")
    win = window()
    box = win.directory.filter_edit
    qtbot.keyClicks(box, "ada")
    assert win.directory.model.shown_count == 1
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == "" and win.directory.model.shown_count == 2


def test_the_question_keeps_editing_on_enter_and_escape(qtbot, with_modal) -> None:  # type: ignore[no-untyped-def]
    answers: list[bool] = []
    defaults: list[str] = []

    def press(key: Qt.Key):  # type: ignore[no-untyped-def]
        def handle(box: QMessageBox) -> None:
            defaults.append(box.defaultButton().text().replace("&", ""))
            qtbot.keyClick(box, key)

        return handle

    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape):
        with_modal(lambda: answers.append(REAL_DISCARD(None)), press(key))
    assert answers == [False, False]
    assert defaults == ["Keep editing", "Keep editing"]


# --- the other forms -------------------------------------------------------------------------


@pytest.fixture
def demo(ctx):  # type: ignore[no-untyped-def]
    generate_demo(ctx.db, people=80)
    with ctx.db.reading() as session:
        rows = roundtables.list_roundtables(session, roundtables.View.UPCOMING)
        scheduled = next(r for r in rows if r.status.value == "scheduled" and r.invitees)
    return ctx, scheduled.id


def shown(qtbot, dialog: QDialog) -> QDialog:  # type: ignore[no-untyped-def]
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_roundtable_editor_asks_only_after_an_edit(qtbot, demo, discard_questions) -> None:  # type: ignore[no-untyped-def]
    ctx, rid = demo
    with ctx.db.reading() as session:
        info = roundtables.get_roundtable(session, rid)
    dialog = shown(qtbot, RoundtableDialog(ctx, lambda _data: None, info))
    escape(qtbot, dialog)
    assert not dialog.isVisible() and discard_questions.asked == []

    dialog = shown(qtbot, RoundtableDialog(ctx, lambda _data: None, info))
    # The title: every roundtable has one (an online one's venue field is disabled).
    dialog.title_edit.setFocus()
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_End)  # the editor opens at the text's start
    qtbot.keyClicks(dialog.title_edit, " (room 2)")
    discard_questions.discard = False
    escape(qtbot, dialog)
    assert dialog.isVisible() and dialog.title_edit.text().endswith("(room 2)")
    discard_questions.discard = True
    escape(qtbot, dialog)
    assert not dialog.isVisible()
    assert discard_questions.asked == [f"Edit {info.data.title}"] * 2


def test_send_dialog_asks_after_a_change_and_not_after_sending(
    qtbot, demo, discard_questions
) -> None:  # type: ignore[no-untyped-def]
    ctx, rid = demo
    dialog = shown(qtbot, SendInvitationsDialog(ctx, rid))
    escape(qtbot, dialog)
    assert not dialog.isVisible() and discard_questions.asked == []

    dialog = shown(qtbot, SendInvitationsDialog(ctx, rid))
    dialog.form.only_pending.setFocus()
    qtbot.keyClick(dialog.form.only_pending, Qt.Key.Key_Space)  # untick "Only those without…"
    discard_questions.discard = False
    escape(qtbot, dialog)
    assert dialog.isVisible() and len(discard_questions.asked) == 1
    dialog.pages.setCurrentIndex(1)  # the results page: the form is behind it
    escape(qtbot, dialog)
    assert not dialog.isVisible() and len(discard_questions.asked) == 1


def test_add_people_asks_once_people_are_chosen(qtbot, demo, discard_questions) -> None:  # type: ignore[no-untyped-def]
    ctx, rid = demo
    dialog = shown(qtbot, AddInviteesDialog(ctx, rid))
    table = dialog.table
    rect = table.visualRect(table.model().index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(dialog.chosen_ids()) == 1
    discard_questions.discard = False
    escape(qtbot, dialog)
    assert dialog.isVisible() and len(discard_questions.asked) == 1
    qtbot.keyClicks(dialog.search_edit, "zz")
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Escape)  # clears the search only
    assert dialog.search_edit.text() == "" and dialog.isVisible()


def test_import_asks_once_a_file_is_being_mapped(
    qtbot, ctx, tmp_path: Path, discard_questions
) -> None:  # type: ignore[no-untyped-def]
    dialog = shown(qtbot, ImportDialog(ctx))
    escape(qtbot, dialog)  # nothing chosen yet
    assert not dialog.isVisible() and discard_questions.asked == []

    sheet = tmp_path / "contacts.csv"
    sheet.write_text("Name,Email\nAda Lovelace,ada@example.org\n", encoding="utf-8")
    dialog = shown(qtbot, ImportDialog(ctx))
    dialog.set_path(str(sheet))
    qtbot.waitUntil(lambda: dialog.next_button.isEnabled())
    click(qtbot, dialog.next_button)  # to the column mapping
    discard_questions.discard = False
    escape(qtbot, dialog)
    assert dialog.isVisible() and discard_questions.asked == ["Import people"]


def test_escape_clears_the_searches_of_the_roundtables_and_grouping_pages(
    qtbot, window, sqlite_db
) -> None:  # type: ignore[no-untyped-def]
    generate_demo(sqlite_db, people=40)
    win = window()
    page = win.pages["roundtables"]
    pool = win.pages["grouping"].pool
    pool.by_filter.setChecked(True)  # "People matching a filter": the search is enabled
    for box in (page.search_edit, pool.search_edit):
        qtbot.keyClicks(box, "policing")
        assert box.text() == "policing"
        qtbot.keyClick(box, Qt.Key.Key_Escape)
        assert box.text() == ""
