"""The people directory through real widgets on a real SQLite file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from roundtable_app.core.model import PersonData
from roundtable_app.services import directory
from roundtable_app.ui import messages
from roundtable_app.ui.directory import people_model as pm
from roundtable_app.ui.directory.person_dialog import PersonDialog


def shown_names(win) -> list[str]:  # type: ignore[no-untyped-def]
    model = win.directory.model
    return [model.row_at(r).full_name for r in range(model.rowCount())]


def db_names(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.reading() as session:
        return sorted(r.full_name for r in directory.list_rows(session))


@pytest.fixture
def three(sqlite_db, make_person) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        "ada": make_person(
            sqlite_db,
            full_name="Ada Lovelace",
            organisation="Hope Trust",
            sector="Civil society",
            interests=("Forced labour in supply chains",),
        ),
        "ben": make_person(
            sqlite_db,
            full_name="Ben Okri",
            organisation="Home Office",
            sector="Government",
            interests=("Policing and prosecution",),
        ),
        "cyd": make_person(
            sqlite_db,
            full_name="Cyd Charisse",
            email="cyd@forcefield.example",
            sector="Government",
            interests=("Survivor support",),
        ),
    }


def plain(action) -> str:  # type: ignore[no-untyped-def]
    """An action's text without its mnemonic ampersand."""
    return action.text().replace("&", "", 1)


def select(win, *person_ids: int) -> None:  # type: ignore[no-untyped-def]
    win.directory.select_ids(list(person_ids))


def test_filter_as_you_type(qtbot, window, three) -> None:  # type: ignore[no-untyped-def]
    win = window()
    assert shown_names(win) == ["Ada Lovelace", "Ben Okri", "Cyd Charisse"]
    qtbot.keyClicks(win.directory.filter_edit, "forc")
    assert shown_names(win) == ["Ada Lovelace", "Cyd Charisse"]  # interest, e-mail
    qtbot.keyClicks(win.directory.filter_edit, "ed")
    assert shown_names(win) == ["Ada Lovelace"]
    assert win.counts_label.text() == "3 people · 1 shown"
    win.directory.focus_filter()
    qtbot.keyClicks(win.directory.filter_edit, "home off")
    assert shown_names(win) == ["Ben Okri"]


def test_no_match_state_offers_to_clear(qtbot, window, three) -> None:  # type: ignore[no-untyped-def]
    win = window()
    page = win.directory
    qtbot.keyClicks(page.filter_edit, "xyz")
    assert page.stack.currentWidget() is page.empty
    assert page.empty.title.text() == "No one matches 'xyz'"
    qtbot.mouseClick(page.empty.buttons["Clear filter"], Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.table
    assert len(shown_names(win)) == 3


def test_sector_and_interest_filters(window, three) -> None:  # type: ignore[no-untyped-def]
    win = window()
    page = win.directory
    page.sector_combo.setCurrentText("Government")
    assert shown_names(win) == ["Ben Okri", "Cyd Charisse"]
    page.interest_combo.setCurrentText("Survivor support")
    assert shown_names(win) == ["Cyd Charisse"]
    page.sector_combo.setCurrentIndex(0)
    page.interest_combo.setCurrentText("Policing and prosecution")
    assert shown_names(win) == ["Ben Okri"]


def test_sort_by_header(window, three) -> None:  # type: ignore[no-untyped-def]
    win = window()
    table = win.directory.table
    table.sortByColumn(pm.NAME, Qt.SortOrder.DescendingOrder)
    assert shown_names(win) == ["Cyd Charisse", "Ben Okri", "Ada Lovelace"]
    table.sortByColumn(pm.ORGANISATION, Qt.SortOrder.AscendingOrder)
    assert shown_names(win) == ["Ben Okri", "Ada Lovelace", "Cyd Charisse"]  # blank last


def test_empty_state_on_an_empty_database(window) -> None:  # type: ignore[no-untyped-def]
    win = window()
    page = win.directory
    assert page.stack.currentWidget() is page.empty
    assert page.empty.title.text() == "No people yet — add a person or import a spreadsheet"
    assert set(page.empty.buttons) == {"New person", "Import spreadsheet…"}
    assert win.counts_label.text() == "0 people"


def fill_new_person(dialog: PersonDialog, with_modal) -> None:  # type: ignore[no-untyped-def]
    dialog.name_edit.setText("Jane Doe")
    dialog.email_edit.setText("jane@example.org")
    dialog.organisation_combo.setEditText("Freedom Fund")
    dialog.sector_combo.setEditText("Funder")
    dialog.interests.new_edit.setText("Maritime labour")
    dialog.interests.add_button.click()
    dialog.may_be_named_check.setChecked(True)
    assert dialog.ok_button.isEnabled()
    # Freedom Fund and Maritime labour are new: "Create …?" is answered with Save.
    with_modal(dialog.ok_button.click, lambda ask: ask.save_button.click())


def test_add_person_then_undo_and_redo(with_modal, qtbot, window, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    win = window()
    with_modal(win.directory.new_action.trigger, lambda d: fill_new_person(d, with_modal))
    assert shown_names(win) == ["Jane Doe"]
    assert db_names(sqlite_db) == ["Jane Doe"]
    row = win.directory.model.row_at(0)
    assert (row.organisation, row.sector, row.interests) == (
        "Freedom Fund",
        "Funder",
        "Maritime labour",
    )
    assert win.directory.selected_ids() == [row.id]
    assert plain(win.undo_action) == "Undo Add Jane Doe"

    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.directory.table.setFocus()
    qtbot.keyClick(win.directory.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown_names(win) == []
    assert db_names(sqlite_db) == []

    qtbot.keyClick(
        win.directory.table,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert shown_names(win) == ["Jane Doe"]
    with sqlite_db.reading() as session:
        again = directory.get_person(session, row.id)  # the same id came back
    assert again.data.may_be_named and again.data.interests == ("Maritime labour",)


def test_edit_then_undo(with_modal, window, sqlite_db, three) -> None:  # type: ignore[no-untyped-def]
    win = window()
    select(win, three["ben"])

    def rename(dialog: PersonDialog) -> None:
        assert dialog.name_edit.text() == "Ben Okri"
        dialog.name_edit.setText("Ben Okri OBE")
        dialog.role_edit.setText("Writer")
        dialog.ok_button.click()

    with_modal(win.directory.edit_action.trigger, rename)
    assert "Ben Okri OBE" in shown_names(win)
    assert plain(win.undo_action) == "Undo Edit Ben Okri OBE"
    win.undo_action.trigger()
    assert db_names(sqlite_db) == ["Ada Lovelace", "Ben Okri", "Cyd Charisse"]
    assert shown_names(win) == ["Ada Lovelace", "Ben Okri", "Cyd Charisse"]
    assert win.directory.selected_ids() == [three["ben"]]  # selection kept
    win.redo_action.trigger()
    with sqlite_db.reading() as session:
        assert directory.get_person(session, three["ben"]).data.role == "Writer"


def test_delete_with_confirmation_then_undo(monkeypatch, window, sqlite_db, three) -> None:  # type: ignore[no-untyped-def]
    win = window()
    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(
        messages, "confirm", lambda _p, _t, text, action: asked.append((text, action)) or True
    )
    select(win, three["ada"], three["cyd"])
    assert win.directory.delete_button.text() == "Delete 2"
    win.directory.delete_action.trigger()
    assert asked and asked[0][0].startswith("Delete 2 people from the directory?")
    assert asked[0][1] == "Delete 2 people"  # the button names the count too
    assert shown_names(win) == ["Ben Okri"]
    assert db_names(sqlite_db) == ["Ben Okri"]
    assert plain(win.undo_action) == "Undo Delete 2 people"
    win.undo_action.trigger()
    assert db_names(sqlite_db) == ["Ada Lovelace", "Ben Okri", "Cyd Charisse"]
    assert shown_names(win) == ["Ada Lovelace", "Ben Okri", "Cyd Charisse"]


def test_delete_cancelled_keeps_everyone(monkeypatch, window, sqlite_db, three) -> None:  # type: ignore[no-untyped-def]
    win = window()
    monkeypatch.setattr(messages, "confirm", lambda *_a: False)
    select(win, three["ada"])
    win.directory.delete_action.trigger()
    assert len(db_names(sqlite_db)) == 3
    assert win.ctx.undo_stack.count() == 0


def test_bulk_add_interest_then_undo(monkeypatch, window, sqlite_db, three) -> None:  # type: ignore[no-untyped-def]
    win = window()
    monkeypatch.setattr(messages, "choose", lambda *_a, **_k: "Survivor support")
    select(win, three["ada"], three["ben"], three["cyd"])
    win.directory.bulk_add_action.trigger()
    assert plain(win.undo_action) == "Undo Add interest “Survivor support” to 2 people"
    model = win.directory.model
    assert all("Survivor support" in model.row_at(r).interests for r in range(3))
    win.undo_action.trigger()
    with sqlite_db.reading() as session:
        assert directory.get_person(session, three["ada"]).data.interests == (
            "Forced labour in supply chains",
        )
        assert directory.get_person(session, three["cyd"]).data.interests == ("Survivor support",)
    assert sorted(model.row_at(r).interests for r in range(3)) == [
        "Forced labour in supply chains",
        "Policing and prosecution",
        "Survivor support",
    ]


def test_bulk_remove_offers_only_interests_the_selection_has(
    monkeypatch, window, sqlite_db, three
) -> None:  # type: ignore[no-untyped-def]
    win = window()
    offered: list[list[str]] = []

    def choose(_parent, _title, _text, items, **_k):  # type: ignore[no-untyped-def]
        offered.append(list(items))
        return "Forced labour in supply chains"

    monkeypatch.setattr(messages, "choose", choose)
    select(win, three["ada"])
    win.directory.bulk_remove_action.trigger()
    assert offered == [["Forced labour in supply chains"]]
    with sqlite_db.reading() as session:
        assert directory.get_person(session, three["ada"]).data.interests == ()
    assert plain(win.undo_action).startswith("Undo Remove interest")
    infos: list[str] = []
    monkeypatch.setattr(messages, "show_info", lambda _p, _t, text: infos.append(text))
    win.directory.bulk_remove_action.trigger()  # Ada has none left
    assert infos == ["The selected person has no interests to remove."]
    assert len(offered) == 1


def test_bulk_set_sector_then_undo(monkeypatch, window, sqlite_db, three) -> None:  # type: ignore[no-untyped-def]
    win = window()
    monkeypatch.setattr(messages, "choose", lambda *_a, **_k: "Funder")
    select(win, three["ada"], three["ben"])
    win.directory.bulk_sector_action.trigger()
    assert plain(win.undo_action) == "Undo Set sector of 2 people"
    win.directory.sector_combo.setCurrentText("Funder")
    assert shown_names(win) == ["Ada Lovelace", "Ben Okri"]
    win.undo_action.trigger()
    assert shown_names(win) == []
    win.directory.sector_combo.setCurrentText("Government")
    assert shown_names(win) == ["Ben Okri", "Cyd Charisse"]


def test_invalid_email_keeps_ok_disabled(with_modal, qtbot, window) -> None:  # type: ignore[no-untyped-def]
    win = window()

    def type_bad_address(dialog: PersonDialog) -> None:
        qtbot.keyClicks(dialog.name_edit, "Jane Doe")
        assert dialog.ok_button.isEnabled()
        qtbot.keyClicks(dialog.email_edit, "jane@")
        assert not dialog.ok_button.isEnabled()
        assert dialog.email_error.isVisibleTo(dialog)
        assert dialog.email_error.text() == "'jane@' is not an e-mail address"
        qtbot.keyClicks(dialog.email_edit, "example.org")
        assert dialog.ok_button.isEnabled() and not dialog.email_error.isVisibleTo(dialog)
        dialog.name_edit.clear()
        assert not dialog.ok_button.isEnabled()

    with_modal(win.directory.new_person, type_bad_address)
    assert win.ctx.undo_stack.count() == 0


def test_duplicate_email_offers_to_open_the_existing_person(
    with_modal, monkeypatch, window, sqlite_db, make_person
) -> None:  # type: ignore[no-untyped-def]
    existing = make_person(sqlite_db, full_name="Jane Doe", email="jane@example.org")
    win = window()
    warned: list[str] = []
    opened: list[str] = []

    def choose_open(_parent, name, _email) -> bool:  # type: ignore[no-untyped-def]
        warned.append(name)
        return True

    monkeypatch.setattr(messages, "duplicate_email", choose_open)

    def add_duplicate(dialog: PersonDialog) -> None:
        dialog.name_edit.setText("J. Doe")
        dialog.email_edit.setText("JANE@example.org")
        # Opening the existing person shows a second dialog: note it and close it.
        with_modal(dialog.ok_button.click, lambda second: opened.append(second.windowTitle()))

    with_modal(win.directory.new_person, add_duplicate)
    assert warned == ["Jane Doe"]
    assert opened == ["Edit Jane Doe"]
    assert db_names(sqlite_db) == ["Jane Doe"]
    assert win.directory.selected_ids() == [existing]


def test_conflict_when_someone_saved_meanwhile(
    with_modal, no_message_boxes, window, sqlite_db, three
) -> None:  # type: ignore[no-untyped-def]
    win = window()
    select(win, three["ada"])

    def edit_after_someone_else(dialog: PersonDialog) -> None:
        with sqlite_db.transaction() as session:  # another member of staff saves first
            person = directory.get_person(session, three["ada"])
            data = PersonData(
                **{**{f: getattr(person.data, f) for f in PersonData.__slots__}, "role": "Trustee"}
            )
            directory.update_person(session, person.id, data, person.version)
        dialog.role_edit.setText("Director")
        dialog.ok_button.click()
        assert dialog.isVisible()  # stays open: nothing typed is lost

    with_modal(win.directory.edit_current, edit_after_someone_else)
    assert no_message_boxes and no_message_boxes[0][0] == "Cannot save"
    assert "Someone else saved changes to Ada Lovelace" in no_message_boxes[0][1]
    with sqlite_db.reading() as session:
        assert directory.get_person(session, three["ada"]).data.role == "Trustee"
    assert win.ctx.undo_stack.count() == 0


def test_undo_after_someone_else_edited_reports_and_drops_the_command(
    with_modal, no_message_boxes, window, sqlite_db, three
) -> None:  # type: ignore[no-untyped-def]
    win = window()
    select(win, three["ben"])
    with_modal(
        win.directory.edit_current, lambda d: (d.role_edit.setText("Writer"), d.ok_button.click())
    )
    with sqlite_db.transaction() as session:
        directory.set_sector(session, [three["ben"]], "Funder")  # bumps the version
    win.undo_action.trigger()
    assert no_message_boxes[0][0] == "Cannot undo “Edit Ben Okri”"
    assert win.ctx.undo_stack.count() == 0  # dropped, the stack stays consistent
    with sqlite_db.reading() as session:
        assert directory.get_person(session, three["ben"]).data.role == "Writer"


def test_bulk_change_leaves_room_for_its_arrow(window) -> None:  # type: ignore[no-untyped-def]
    """The menu arrow was drawn over the end of "Bulk change"."""
    from PySide6.QtWidgets import QStyle

    button = window().directory.bulk_button
    text = button.fontMetrics().horizontalAdvance(button.text())
    arrow = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, button)
    assert button.menu() is not None
    assert button.sizeHint().width() >= text + arrow + 8  # text, arrow and a little margin
