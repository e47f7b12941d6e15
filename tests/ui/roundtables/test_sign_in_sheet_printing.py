"""Printing a sign-in sheet from the Roundtables page: preview, Save as…, nothing left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit

from roundtable_app.services import roundtables
from roundtable_app.ui.common import PdfPreviewDialog
from roundtable_app.ui.roundtables.page import RoundtablesPage
from tests.ui.roundtables.printing import click_row, files_under, in_file_dialog


def test_preview_then_save_as_writes_the_sheet_and_leaves_nothing_behind(  # type: ignore[no-untyped-def]
    qtbot, page, with_modal, system_temp, tmp_path
) -> None:
    title = click_row(qtbot, page, 0)
    target = tmp_path / "Door sheet"
    seen: dict[str, object] = {}

    def save(dialog: QFileDialog) -> None:
        seen["save_title"] = dialog.windowTitle()
        seen["offered"] = dialog.selectedFiles()
        dialog.setDirectory(str(target.parent))  # the user goes to the folder
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        name.selectAll()
        qtbot.keyClicks(name, target.name)
        qtbot.keyClick(name, Qt.Key.Key_Return)

    def in_preview(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, PdfPreviewDialog)
        seen["title"] = dialog.windowTitle()
        seen["pages"] = dialog.document.pageCount()
        seen["pdf"] = dialog.path
        seen["mode"] = stat.S_IMODE(os.stat(dialog.path).st_mode)
        in_file_dialog(save)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    with_modal(
        lambda: qtbot.mouseClick(page.day.sheet_button, Qt.MouseButton.LeftButton), in_preview
    )
    assert seen["title"] == f"Sign-in sheet: {title}"
    assert isinstance(seen["pages"], int) and seen["pages"] >= 1
    assert seen["save_title"] == "Save sign-in sheet"
    offered = seen["offered"]
    assert isinstance(offered, list) and offered[0].endswith(" - sign-in sheet.pdf")
    # Offered in the home folder, as the app's other Save dialogs, not wherever it was started.
    assert Path(offered[0]).parent == Path.home()
    assert seen["mode"] == 0o600
    saved = tmp_path / "Door sheet.pdf"  # ".pdf" added, as the user expects
    assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(saved).pages)
    assert "SIGN-IN SHEET" in text and " ".join(title.split()) in text
    assert "lived experience" not in text.casefold()
    # The preview closed: no PDF of names is left in the temporary folder.
    pdf = seen["pdf"]
    assert isinstance(pdf, Path) and not pdf.exists() and files_under(system_temp) == []


def test_ctrl_p_and_the_context_menu_open_the_same_preview(  # type: ignore[no-untyped-def]
    qtbot, page, with_modal, system_temp
) -> None:
    title = click_row(qtbot, page, 1)
    titles: list[str] = []

    def close(dialog) -> None:  # type: ignore[no-untyped-def]
        titles.append(dialog.windowTitle())
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    page.table.setFocus()
    with_modal(
        lambda: qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier), close
    )
    menu = page.context_menu()
    assert menu is not None
    [entry] = [a for a in menu.actions() if a.text() == "&Print sign-in sheet…"]
    with_modal(entry.trigger, close)
    assert titles == [f"Sign-in sheet: {title}"] * 2
    assert files_under(system_temp) == []


def test_a_roundtable_deleted_meanwhile_is_said_not_printed(  # type: ignore[no-untyped-def]
    qtbot, ctx, no_message_boxes
) -> None:
    with ctx.db.transaction() as session:
        info = roundtables.create_roundtable(session, roundtables.RoundtableData(title="Draft"))
    page = RoundtablesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    click_row(qtbot, page, 0)
    assert page.current_id() == info.id
    with ctx.db.transaction() as session:  # a colleague deletes it meanwhile
        roundtables.delete_roundtable(session, info.id, info.version)
    qtbot.mouseClick(page.day.sheet_button, Qt.MouseButton.LeftButton)
    assert no_message_boxes == [
        (
            "Cannot print the sign-in sheet",
            f"Roundtable {info.id} no longer exists; someone may have deleted it. "
            "Refresh the list (F5).",
        )
    ]


def test_the_button_needs_a_roundtable(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    page = RoundtablesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.current_id() is None
    assert not page.day.sheet_button.isVisible() and not page.day.sheet_action.isEnabled()
