"""The app's message boxes: what Enter and Escape do in them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from roundtable_app.ui import messages

REAL_CONFIRM = messages.confirm  # the autouse fixture replaces it in every test


def test_enter_on_a_confirmation_cancels(qtbot, with_modal) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def press_enter(box: QMessageBox) -> None:
        seen.append(box.defaultButton().text())
        qtbot.keyClick(box, Qt.Key.Key_Return)

    answers: list[bool] = []
    with_modal(
        lambda: answers.append(
            REAL_CONFIRM(None, "Delete people", "Delete 301 people?", "Delete 301 people")
        ),
        press_enter,
    )
    assert answers == [False]
    assert seen == ["Cancel"]


def test_escape_on_a_confirmation_cancels(qtbot, with_modal) -> None:  # type: ignore[no-untyped-def]
    answers: list[bool] = []
    with_modal(
        lambda: answers.append(REAL_CONFIRM(None, "Cancel roundtable", "Cancel it?", "Cancel it")),
        lambda box: qtbot.keyClick(box, Qt.Key.Key_Escape),
    )
    assert answers == [False]


def test_the_action_button_still_confirms(qtbot, with_modal) -> None:  # type: ignore[no-untyped-def]
    def click_action(box: QMessageBox) -> None:
        button = next(b for b in box.buttons() if b.text() == "Delete 2 people")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())

    answers: list[bool] = []
    with_modal(
        lambda: answers.append(REAL_CONFIRM(None, "Delete people", "Delete?", "Delete 2 people")),
        click_action,
    )
    assert answers == [True]
