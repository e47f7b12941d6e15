"""File > Export people… leaves lived experience and needs out unless ticked and confirmed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from roundtable_app.ui.transfer import export


def _button(box: QMessageBox, text: str) -> QPushButton:
    return next(b for b in box.findChildren(QPushButton) if b.text().replace("&", "") == text)


@pytest.mark.parametrize(
    ("tick", "confirm", "expected"),
    [(False, False, False), (True, False, False), (True, True, True)],
    ids=["enter", "ticked-then-left-out", "ticked-and-confirmed"],
)
def test_export_from_the_file_menu_asks_before_writing_lived_experience(
    qtbot: QtBot,
    window,
    make_person,
    sqlite_db,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tick: bool,
    confirm: bool,
    expected: bool,
) -> None:  # type: ignore[no-untyped-def]
    make_person(
        sqlite_db,
        full_name="Amina Yusuf",
        sector="Lived experience",
        lived_experience=True,
        dietary_needs="Halal",
    )
    win = window()
    target = tmp_path / "people.csv"
    monkeypatch.setattr(export, "save_file_name", lambda *_a: str(target))
    done: list[str] = []
    monkeypatch.setattr(export.QMessageBox, "information", lambda _p, _t, text: done.append(text))
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            qtbot.wait(10)
            return answer()
        seen.append(box.text())
        if box.windowTitle() == "Export people":
            if tick:
                check = box.findChild(QCheckBox)
                assert check is not None and not check.isChecked()  # left out by default
                qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
                # The warning comes next: answer it after this box closes.
                QTimer.singleShot(0, answer)
            qtbot.keyClick(box, Qt.Key.Key_Return)  # the default: choose the file
        else:
            assert "identify survivors" in box.informativeText()
            if confirm:
                qtbot.mouseClick(_button(box, "Include them"), Qt.MouseButton.LeftButton)
            else:
                qtbot.keyClick(box, Qt.Key.Key_Return)  # the default leaves them out

    QTimer.singleShot(0, answer)
    win.export_action.trigger()
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    text = target.read_text(encoding="utf-8-sig")
    assert "Amina Yusuf" in text
    for sensitive in ("Lived experience", "Halal"):
        assert (sensitive in text) is expected, sensitive
    assert len(seen) == (2 if tick else 1)
