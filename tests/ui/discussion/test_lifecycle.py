"""The summary's lifecycle through the window: Make final (refused while a name is
flagged), the locked final summary, Reopen as a new revision, and Revisions… to compare
two and restore an older one as the new draft (undoable)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from roundtable_app.core.discussion import NoteKind, SummaryState
from roundtable_app.services import discussion
from roundtable_app.ui import messages
from roundtable_app.ui.discussion.revisions import RevisionsDialog
from tests.ui.discussion.conftest import focused, key, notes, saved

LEFT = Qt.MouseButton.LeftButton


def _state(held):  # type: ignore[no-untyped-def]
    with held.db.reading() as s:
        return discussion.summary_state(s, held.rid)


def test_make_final_lock_reopen_and_restore_an_older_revision(
    held, open_view, qtbot, monkeypatch, no_message_boxes, with_modal
):  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def confirm(_parent, title, _text, action, **_kw):  # type: ignore[no-untyped-def]
        asked.append(f"{title} [{action}]")
        return True

    monkeypatch.setattr(messages, "confirm", confirm)
    view = open_view(held.rid)
    assert view.state_label.text() == "Draft (revision 1)"
    key(qtbot, "Ctrl+4", view)
    item = view.section(NoteKind.POINT).items[0]
    qtbot.keyClicks(focused(), "Okafor said prevention works")

    # Refused while the name stands, with the service's reason.
    view.final_action.trigger()
    assert no_message_boxes[-1][0] == "The summary cannot be made final yet"
    assert "“Okafor”" in no_message_boxes[-1][1] and "Replace each name" in no_message_boxes[-1][1]
    assert asked == []  # refused before "Make the summary final?" is asked
    assert _state(held) == (SummaryState.DRAFT, 1)

    (replace,) = item.flag_box.findChildren(QPushButton, "replaceButton")
    qtbot.mouseClick(replace, LEFT)
    qtbot.mouseClick(view.final_button, LEFT)
    assert asked[-1] == "Make the summary final? [Make final]"
    assert _state(held) == (SummaryState.FINAL, 1)
    assert view.state_label.text() == "Final (revision 1)"
    assert view.banner.isVisible() and "reopen" in view.banner_text.text()
    assert item.editor.isReadOnly() and not view.section(NoteKind.POINT).add_button.isEnabled()
    view.tabs.setCurrentIndex(1)  # a table first shown now is locked too
    assert not view.section(NoteKind.NEED, held.table_id).add_button.isEnabled()
    view.tabs.setCurrentIndex(0)
    key(qtbot, "Ctrl+2", view)  # no new item in a final summary
    assert view.section(NoteKind.NEED).items == []
    assert view.section(NoteKind.NEED).empty.text() == "No evidence needs in this revision."

    # Reopen: revision 2, editable again; change the note.
    qtbot.mouseClick(view.reopen_button, LEFT)
    assert view.state_label.text() == "Draft (revision 2)" and not view.banner.isVisible()
    assert not item.editor.isReadOnly()
    item.editor.setFocus()
    item.editor.selectAll()
    qtbot.keyClicks(item.editor, "Prevention needs funding")
    saved(qtbot, view)

    def compare_and_restore(dialog: RevisionsDialog) -> None:
        assert not dialog.restore_button.autoDefault()  # Enter closes, never restores
        assert dialog.list.count() == 1 and "Revision 1 — final" in dialog.list.item(0).text()
        changes = dialog.changes.toPlainText()
        assert "Removed: " in changes and "A participant said prevention works" in changes
        assert "Added: " in changes and "Prevention needs funding" in changes
        qtbot.mouseClick(dialog.restore_button, LEFT)
        dialog.reject()

    with_modal(view.revisions_button.click, compare_and_restore)
    point = view.section(NoteKind.POINT).items[0]
    assert point.editor.text() == "A participant said prevention works"
    assert [n.text for n in notes(held.db, held.rid)] == ["A participant said prevention works"]
    assert view.state_label.text() == "Draft (revision 2)"

    # Restoring is undoable: the draft's own note comes back.
    view.undo_action.trigger()
    assert view.section(NoteKind.POINT).items[0].editor.text() == "Prevention needs funding"
    assert [n.text for n in notes(held.db, held.rid)] == ["Prevention needs funding"]
