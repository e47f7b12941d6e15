"""The Chatham House guard as a note-taker types: names flagged in any case and without
their accents, replaced in one click, or acknowledged as a public source."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from roundtable_app.core.discussion import NoteKind
from roundtable_app.services import discussion
from tests.ui.discussion.conftest import focused, key, notes, saved

LEFT = Qt.MouseButton.LeftButton


def _flags(item) -> list[str]:  # type: ignore[no-untyped-def]
    return [label.text() for label in item.flag_box.findChildren(QLabel, "flagText")]


def _buttons(item, name: str) -> list[QPushButton]:  # type: ignore[no-untyped-def]
    return item.flag_box.findChildren(QPushButton, name)


def test_a_name_typed_in_capitals_without_accents_is_flagged_and_replaced_in_one_click(
    held, open_view, qtbot
):  # type: ignore[no-untyped-def]
    view = open_view(held.rid)
    key(qtbot, "Ctrl+4", view)
    item = view.section(NoteKind.POINT).items[0]
    qtbot.keyClicks(focused(), "JOSE MULLER said prevention works")
    assert item.flag_box.isVisible()
    assert _flags(item) == ["Chatham House Rule: “JOSE MULLER” names a participant."]
    assert item.editor.highlighter.spans == [(0, 11)]  # the name is underlined
    assert "1 note flagged" in view.saving.text()

    (replace,) = _buttons(item, "replaceButton")
    assert replace.text() == "Replace with “a participant from Government”"
    qtbot.mouseClick(replace, LEFT)
    assert item.editor.text() == "A participant from Government said prevention works"
    assert not item.flag_box.isVisible() and item.editor.highlighter.spans == []
    assert "flagged" not in view.saving.text()
    saved(qtbot, view)
    assert [n.text for n in notes(held.db, held.rid)] == [
        "A participant from Government said prevention works"
    ]

    # The replacement is one undo step: the name comes back, flagged again.
    qtbot.keyClick(item.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert item.editor.text() == "JOSE MULLER said prevention works"
    assert item.flag_box.isVisible()


def test_a_surname_and_an_organisation_are_flagged_and_a_public_source_acknowledged(
    held, open_view, qtbot
):  # type: ignore[no-untyped-def]
    view = open_view(held.rid)
    key(qtbot, "Ctrl+1", view)
    item = view.section(NoteKind.CHALLENGE).items[0]
    qtbot.keyClicks(focused(), "muller agreed with the salvation army report")
    assert _flags(item) == [
        "Chatham House Rule: “muller” names a participant.",
        "Chatham House Rule: “salvation army” names an organisation.",
    ]
    # A participant's name is replaced in every summary, acknowledged or not: it says so.
    person, organisation = _buttons(item, "acknowledgeButton")
    assert "Summaries still print “a participant from Government”" in person.toolTip()
    assert "public source" in organisation.toolTip()
    # The organisation's published report is a public source: acknowledge it.
    qtbot.mouseClick(_buttons(item, "acknowledgeButton")[1], LEFT)
    assert _flags(item) == ["Chatham House Rule: “muller” names a participant."]
    # A participant of a sector too small to name is "a participant", nothing more; an
    # accent the directory does not have is no disguise (pasted: QTest types ASCII only).
    qtbot.keyClicks(item.editor, "; ")
    QApplication.clipboard().setText("Okáfor too")
    qtbot.keyClick(item.editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert _flags(item)[-1] == "Chatham House Rule: “Okáfor” names a participant."
    assert "Replace with “a participant”" in [b.text() for b in _buttons(item, "replaceButton")]
    saved(qtbot, view)
    (stored,) = notes(held.db, held.rid)
    assert stored.acknowledged == frozenset({"salvation army"})
    assert stored.text == "muller agreed with the salvation army report; Okáfor too"


def test_ordinary_words_inside_a_name_are_not_flagged(held, open_view, qtbot):  # type: ignore[no-untyped-def]
    view = open_view(held.rid)
    key(qtbot, "Ctrl+4", view)
    item = view.section(NoteKind.POINT).items[0]
    qtbot.keyClicks(focused(), "Millers and army drills; a salvation story")
    assert _flags(item) == [] and not item.flag_box.isVisible()


def test_a_flagged_note_at_a_table_not_shown_yet_is_counted(held, open_view, qtbot):  # type: ignore[no-untyped-def]
    with held.db.transaction() as s:
        discussion.add_note(
            s,
            held.rid,
            NoteKind.POINT,
            table_id=held.table_id,
            fields=discussion.NoteFields(text="Bo Chen disagreed"),
        )
    view = open_view(held.rid)
    assert view.tabs.currentIndex() == 0 and "1 note flagged" in view.saving.text()
    qtbot.mouseClick(view.tabs.tabBar(), LEFT, pos=view.tabs.tabBar().tabRect(1).center())
    (item,) = view.section(NoteKind.POINT, held.table_id).items
    assert _flags(item) == ["Chatham House Rule: “Bo Chen” names a participant."]
    assert "1 note flagged" in view.saving.text()
