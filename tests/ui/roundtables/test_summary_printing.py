"""Printing a roundtable's summary from the Roundtables page: options, preview, Save as Word."""

from __future__ import annotations

import os
import stat

import docx
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QLineEdit

from roundtable_app.core.model import RoundtableStatus
from roundtable_app.services import discussion
from roundtable_app.services.roundtables import View
from roundtable_app.ui.common import PdfPreviewDialog
from roundtable_app.ui.roundtables.page import RoundtablesPage
from roundtable_app.ui.roundtables.summary import SummaryOptionsDialog
from roundtable_app.ui.settings import CENTRE_NAME
from tests.ui.roundtables.printing import click_row, files_under, in_file_dialog


def _latest_held(page: RoundtablesPage) -> int:
    rows = [page.model.row_at(i) for i in range(page.model.rowCount())]
    held = [i for i, row in enumerate(rows) if row.status == RoundtableStatus.HELD]
    return max(held, key=lambda i: rows[i].starts_at)


def _named_in_notes(ctx, title: str) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """The name the guard flags in the roundtable's notes, and everyone who may not be named."""
    with ctx.db.reading() as s:
        from roundtable_app.storage.models import Person, Roundtable

        rid = s.query(Roundtable.id).filter_by(title=title).scalar()
        flags = discussion.note_flags(s, rid)
        found = next(m.found for ms in flags.values() for m in ms if m.kind == "person")
        hidden = [p.full_name for p in s.query(Person).filter_by(may_be_named=False)]
    return found, hidden


def test_options_preview_then_save_as_word(  # type: ignore[no-untyped-def]
    qtbot, page, demo_ctx, with_modal, system_temp, tmp_path
) -> None:
    title = click_row(qtbot, page, _latest_held(page))  # a note there names someone
    assert page.day.summary_button.isVisible()
    named, hidden = _named_in_notes(demo_ctx, title)
    seen: dict[str, object] = {}

    def save(dialog: QFileDialog) -> None:
        seen["filters"] = dialog.nameFilters()
        dialog.setDirectory(str(tmp_path))
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        name.selectAll()
        qtbot.keyClicks(name, "For the team.docx")
        qtbot.keyClick(name, Qt.Key.Key_Return)

    def in_preview(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, PdfPreviewDialog)
        seen["title"] = dialog.windowTitle()
        seen["text"] = " ".join(
            " ".join(p.extract_text().split()) for p in PdfReader(dialog.path).pages
        )
        in_file_dialog(save)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    def in_options(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, SummaryOptionsDialog)
        warning = dialog.findChild(QLabel, "summaryNamesWarning")
        assert warning is not None and "still name" in warning.text()
        assert not dialog.participants.isChecked()  # off unless asked for
        qtbot.mouseClick(dialog.participants, Qt.MouseButton.LeftButton)
        dialog.centre_name.selectAll()
        qtbot.keyClicks(dialog.centre_name, "Modern Slavery Evidence Centre")
        with_modal(
            lambda: qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton),
            in_preview,
        )

    with_modal(
        lambda: qtbot.mouseClick(page.day.summary_button, Qt.MouseButton.LeftButton), in_options
    )
    assert seen["title"] == f"Summary: {title}"
    text = str(seen["text"])
    assert "MODERN SLAVERY EVIDENCE CENTRE · ROUNDTABLE SUMMARY" in text
    assert "Held under the Chatham House Rule" in text
    assert "Participants who agreed to be named" in text
    discussed = text[text.index("What was discussed") :]
    assert named not in discussed and "a participant" in discussed.casefold()
    assert not any(name in text for name in hidden)
    assert seen["filters"] == ["PDF files (*.pdf)", "Word documents (*.docx)"]
    saved = tmp_path / "For the team.docx"
    assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600
    document = docx.Document(str(saved))
    assert document.paragraphs[1].text == title and document.paragraphs[1].style.name == "Title"
    assert demo_ctx.settings.get(CENTRE_NAME) == "Modern Slavery Evidence Centre"
    assert files_under(system_temp) == []


def test_only_a_held_roundtable_offers_a_summary_and_cancel_prints_nothing(  # type: ignore[no-untyped-def]
    qtbot, page, with_modal, system_temp
) -> None:
    click_row(qtbot, page, _latest_held(page) + 1)
    menu = page.context_menu()
    assert menu is not None
    [entry] = [a for a in menu.actions() if a.text() == "Print s&ummary…"]
    assert entry.isEnabled()
    titles: list[str] = []

    def cancel(dialog) -> None:  # type: ignore[no-untyped-def]
        titles.append(dialog.windowTitle())
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    with_modal(entry.trigger, cancel)
    assert len(titles) == 1 and titles[0].startswith("Print summary: ")
    assert files_under(system_temp) == []
    page.set_view(View.UPCOMING)
    click_row(qtbot, page, 0)
    assert page.model.row_at(0).status != RoundtableStatus.HELD
    assert not page.day.summary_button.isVisible() and not page.day.summary_action.isEnabled()
