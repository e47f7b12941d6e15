"""Taking notes as a note-taker does, typing live: Enter for the next item, Tab through
the fields, a shortcut per section, a pasted list, the mouse, and undo."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from roundtable_app.core.discussion import EvidenceKind, NoteKind
from roundtable_app.core.model import Priority
from tests.ui.discussion.conftest import focused, key, notes, saved

LEFT = Qt.MouseButton.LeftButton


def test_typing_enter_and_tab_through_a_need_saves_each_item_in_order(held, open_view, qtbot):  # type: ignore[no-untyped-def]
    view = open_view(held.rid)
    view.tabs.setCurrentIndex(1)  # Table 1
    assert view.tabs.tabText(0) == "Whole room" and view.tabs.tabText(1) == "Table 1"
    section = view.section(NoteKind.NEED, held.table_id)
    assert section.empty.isVisible() and "Ctrl+2" in section.empty.text()

    key(qtbot, "Ctrl+2", view)  # the evidence needs: a first item, with the cursor in it
    first = section.items[0]
    assert focused() is first.editor
    qtbot.keyClicks(first.editor, "How many workers are in forced labour?")
    qtbot.keyClick(first.editor, Qt.Key.Key_Return)
    second = section.items[1]
    assert focused() is second.editor and second.editor.text() == ""
    qtbot.keyClicks(second.editor, "What works to stop it?")

    # Tab goes on to the need's fields: priority, then the kind of evidence.
    qtbot.keyClick(second.editor, Qt.Key.Key_Tab)
    assert focused() is second.priority
    qtbot.keyClick(second.priority, Qt.Key.Key_Down)  # high, medium, low: medium → low
    qtbot.keyClick(second.priority, Qt.Key.Key_Tab)
    assert focused() is second.evidence_kind
    second.evidence_kind.setFocus()
    second.evidence_kind.setCurrentIndex(second.evidence_kind.findData(EvidenceKind.EVALUATION))
    second.evidence_kind.activated.emit(second.evidence_kind.currentIndex())
    saved(qtbot, view)

    stored = notes(held.db, held.rid, NoteKind.NEED)
    assert [n.text for n in stored] == [
        "How many workers are in forced labour?",
        "What works to stop it?",
    ]
    assert all(n.table_id == held.table_id for n in stored)
    assert stored[1].priority == Priority.LOW
    assert stored[1].evidence_kind == EvidenceKind.EVALUATION
    assert "All changes saved" in view.saving.text()

    # Enter in the middle of the list puts the new item right after the current one.
    first.editor.setFocus()
    qtbot.keyClick(first.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(focused(), "Where does it happen?")
    saved(qtbot, view)
    assert [n.text for n in notes(held.db, held.rid, NoteKind.NEED)] == [
        "How many workers are in forced labour?",
        "Where does it happen?",
        "What works to stop it?",
    ]


def test_each_section_shortcut_jumps_there_and_says_so(held, open_view, qtbot):  # type: ignore[no-untyped-def]
    view = open_view(held.rid)
    for kind, sequence in (
        (NoteKind.CHALLENGE, "Ctrl+1"),
        (NoteKind.ACTION, "Ctrl+3"),
        (NoteKind.POINT, "Ctrl+4"),
    ):
        section = view.section(kind)
        assert sequence in section.findChild(type(section.empty), "shortcutHint").text()
        key(qtbot, sequence, view)
        assert focused() is section.items[-1].editor
        qtbot.keyClicks(focused(), f"A {kind.value}")
    saved(qtbot, view)
    assert [(n.kind, n.text) for n in notes(held.db, held.rid)] == [
        (NoteKind.CHALLENGE, "A challenge"),
        (NoteKind.ACTION, "A action"),
        (NoteKind.POINT, "A point"),
    ]

    # Back to a section with notes: a new item at its end, never typing into the last one
    # (pressed twice, the empty new item is reused).
    challenges = view.section(NoteKind.CHALLENGE)
    key(qtbot, "Ctrl+1", view)
    key(qtbot, "Ctrl+1", view)
    assert [i.editor.text() for i in challenges.items] == ["A challenge", ""]
    assert focused() is challenges.items[1].editor
    qtbot.keyClicks(focused(), "Another")
    saved(qtbot, view)
    assert [n.text for n in notes(held.db, held.rid, NoteKind.CHALLENGE)] == [
        "A challenge",
        "Another",
    ]


def test_pasting_a_bulleted_list_makes_one_item_per_line(held, open_view, qtbot):  # type: ignore[no-untyped-def]
    view = open_view(held.rid)
    key(qtbot, "Ctrl+1", view)
    editor = focused()
    QApplication.clipboard().setMimeData(
        _text("• Data are not shared\n• Referrals stall\n\n- No funding\n")
    )
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    section = view.section(NoteKind.CHALLENGE)
    assert [i.editor.text() for i in section.items] == [
        "Data are not shared",
        "Referrals stall",
        "No funding",
    ]
    assert focused() is section.items[-1].editor
    saved(qtbot, view)
    assert [n.text for n in notes(held.db, held.rid)] == [
        "Data are not shared",
        "Referrals stall",
        "No funding",
    ]
    # One undo takes the whole paste back.
    qtbot.keyClick(focused(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [i.editor.text() for i in section.items] == [""]
    saved(qtbot, view)
    assert [n.text for n in notes(held.db, held.rid)] == [""]


def test_with_the_mouse_add_an_action_set_its_owner_remove_and_undo(held, open_view, qtbot):  # type: ignore[no-untyped-def]
    view = open_view(held.rid)
    section = view.section(NoteKind.ACTION)
    add = section.findChild(QPushButton, "addButton")
    qtbot.mouseClick(add, LEFT)
    action = section.items[0]
    assert focused() is action.editor
    assert "never a name" in action.owner.placeholderText()
    qtbot.keyClicks(action.editor, "Circulate the evidence review")
    qtbot.mouseClick(action.owner, LEFT)
    qtbot.keyClicks(action.owner, "Centre policy team")
    qtbot.mouseClick(action.due, LEFT)
    qtbot.keyClicks(action.due, "30/6/2027")
    qtbot.keyClick(action.due, Qt.Key.Key_Tab)
    saved(qtbot, view)
    (stored,) = notes(held.db, held.rid)
    assert (stored.text, stored.owner, str(stored.due_on)) == (
        "Circulate the evidence review",
        "Centre policy team",
        "2027-06-30",
    )

    qtbot.mouseClick(action.remove_button, LEFT)
    assert section.items == [] and section.empty.isVisible()
    saved(qtbot, view)
    assert notes(held.db, held.rid) == []

    view.undo_action.trigger()  # Edit > Undo
    assert [i.editor.text() for i in section.items] == ["Circulate the evidence review"]
    saved(qtbot, view)
    (back,) = notes(held.db, held.rid)
    assert (back.text, back.owner) == ("Circulate the evidence review", "Centre policy team")


def test_backspace_in_an_empty_item_removes_it_and_undo_brings_typing_back(held, open_view, qtbot):  # type: ignore[no-untyped-def]
    view = open_view(held.rid)
    key(qtbot, "Ctrl+4", view)
    first = view.section(NoteKind.POINT).items[0]
    qtbot.keyClicks(first.editor, "Survivors must lead")
    qtbot.keyClick(first.editor, Qt.Key.Key_Return)
    qtbot.keyClick(focused(), Qt.Key.Key_Backspace)  # the empty second item goes
    assert len(view.section(NoteKind.POINT).items) == 1
    assert focused() is first.editor
    qtbot.keyClick(first.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # its removal
    qtbot.keyClick(focused(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # its adding
    qtbot.keyClick(focused(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the typing
    assert first.editor.text() == ""
    view.redo_action.trigger()
    assert first.editor.text() == "Survivors must lead"
    saved(qtbot, view)
    assert [n.text for n in notes(held.db, held.rid)] == ["Survivors must lead"]


def test_a_picked_sector_too_small_to_name_says_why_while_typing(held, open_view, qtbot):  # type: ignore[no-untyped-def]
    view = open_view(held.rid)
    view.tabs.setCurrentIndex(1)
    key(qtbot, "Ctrl+2", view)
    need = view.section(NoteKind.NEED, held.table_id).items[0]
    qtbot.keyClicks(need.editor, "What does it cost?")
    qtbot.mouseClick(need.sectors, LEFT)
    picker = need.sectors.picker
    # Never "Lived experience", though Sam Reyes sat there: the view never shows it.
    assert sorted(picker.list.item(i).text() for i in range(picker.list.count())) == [
        "Academic research",
        "Government",
    ]
    for i in range(picker.list.count()):
        picker.list.item(i).setCheckState(Qt.CheckState.Checked)
    need.sectors.popup.hide()
    assert need.attribution.isVisible()
    assert "Academic research will not be named" in need.attribution.text()
    assert "Government" not in need.attribution.text()
    saved(qtbot, view)
    (stored,) = notes(held.db, held.rid)
    assert stored.sectors == ("Academic research", "Government")


def _text(text: str) -> QMimeData:
    data = QMimeData()
    data.setText(text)
    return data
