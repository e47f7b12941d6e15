"""The import dialog as a person meets it (issue 9): a File field that takes a typed path,
a preview with a Sector column, whole Details, plain English counts, and the list of new
sectors and interests the import will create; a report that names what it created."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from roundtable_app.services import directory
from roundtable_app.ui.transfer.import_dialog import MAPPING, PREVIEW, REPORT, ImportDialog
from roundtable_app.ui.transfer.preview_model import ROW

CSV = (
    "Name,Email,Organisation,Sector,Interests\n"
    "Ann Lee,ann@example.org,Home Office,GovernmentHome Office,Maritime labor\n"
    "\n"
    "Bob Ray,bob@example.org,Hope Trust,Government,Maritime labour; Duplicate in file\n"
    "Cat Ng,cat@example,Nowhere,Civil society,Policing\n"
)
LONG_ORGANISATION = "The " + "Very " * 45 + "Long Trust"  # over 200 characters


@pytest.fixture
def path(tmp_path: Path, sqlite_db, make_person) -> Path:  # type: ignore[no-untyped-def]
    make_person(sqlite_db, organisation="Home Office", interests=("Maritime labour", "Policing"))
    file = tmp_path / "contacts.csv"
    file.write_text(CSV.replace("Nowhere", LONG_ORGANISATION), encoding="utf-8")
    return file


def open_dialog(qtbot, ctx) -> ImportDialog:  # type: ignore[no-untyped-def]
    dialog = ImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def type_path(qtbot, dialog: ImportDialog, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.path_edit, Qt.MouseButton.LeftButton)
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, text)
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)


def column(model, title: str) -> int:  # type: ignore[no-untyped-def]
    """The preview column with this header, as the user finds it."""
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert title in titles, titles
    return titles.index(title)


def to_preview(qtbot, dialog: ImportDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.page == MAPPING
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.page == PREVIEW
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)


def test_the_file_field_takes_a_typed_path(qtbot, ctx, path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, ctx)
    assert not dialog.path_edit.isReadOnly()
    type_path(qtbot, dialog, str(tmp_path / "nowhere.csv"))
    assert dialog.file_error.isVisibleTo(dialog)
    assert "does not exist" in dialog.file_error.text()
    assert dialog.page == 0 and not dialog.next_button.isEnabled()
    type_path(qtbot, dialog, str(path))
    assert not dialog.file_error.isVisibleTo(dialog)
    assert "4 data rows" in dialog.detected.text()  # one of them blank
    assert dialog.page == 0  # Enter read the new path and stayed, to show what it found
    assert dialog.next_button.isEnabled()
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)  # Enter again: on to the columns
    assert dialog.page == MAPPING


@pytest.fixture
def preview(qtbot, ctx, path: Path) -> ImportDialog:  # type: ignore[no-untyped-def]
    """The dialog on the preview of ``path`` (chosen with Choose file…)."""
    dialog = open_dialog(qtbot, ctx)
    dialog.set_path(str(path))
    to_preview(qtbot, dialog)
    return dialog


def test_the_preview_has_a_sector_column(preview: ImportDialog) -> None:
    model = preview.preview_model
    sector = column(model, "Sector")
    assert [model.index(r, sector).data() for r in range(3)] == [
        "GovernmentHome Office",
        "Government",
        "Civil society",
    ]


def test_the_details_are_not_cut_off(preview: ImportDialog) -> None:
    model, view = preview.preview_model, preview.preview_view
    details = column(model, "Details")
    reason = model.index(2, details).data()
    assert reason == (
        "'cat@example' is not an e-mail address, and the organisation is longer than 200 characters"
    )
    assert view.columnWidth(details) >= view.fontMetrics().horizontalAdvance(reason) + 8


def test_the_summary_counts_in_plain_english(preview: ImportDialog) -> None:
    summary = preview.preview_summary.text()
    assert "<b>2</b> of 3 rows will be imported (1 with a problem)." in summary
    assert "1 blank row is ignored." in summary
    assert "blank rows" not in summary


def test_the_preview_lists_the_new_sectors_and_interests(qtbot, preview: ImportDialog) -> None:  # type: ignore[no-untyped-def]
    model, view = preview.preview_model, preview.preview_view
    sector, interests = column(model, "Sector"), column(model, "Interests")
    assert model.index(0, sector).data(Qt.ItemDataRole.ToolTipRole) == (
        "New sector — will be created: GovernmentHome Office"
    )
    assert model.index(1, sector).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.index(1, interests).data(Qt.ItemDataRole.ToolTipRole) == (
        "New interest — will be created: Duplicate in file"
    )
    summary = preview.preview_summary.text()
    assert "1 new sector, 2 new interests and 1 new organisation will be created" in summary
    listed = preview.preview_page.new_names.text()
    assert preview.preview_page.new_names_box.isVisibleTo(preview)
    assert "Sector: <b>GovernmentHome Office</b> (1 person; close to “Government”)" in listed
    assert "<b>Maritime labor</b> (1 person; close to “Maritime labour”)" in listed
    assert "<b>Duplicate in file</b> (1 person)" in listed
    assert "Organisation: <b>Hope Trust</b> (1 person)" in listed

    # Untick Ann's row with the keyboard: her new sector and interest drop off the list.
    rect = view.visualRect(model.index(0, ROW))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert model.excluded_rows == {2}
    assert "GovernmentHome Office" not in preview.preview_page.new_names.text()
    assert "1 new interest and 1 new organisation will be created" in (
        preview.preview_summary.text()
    )


def test_the_report_names_what_was_created_and_never_says_untick(
    qtbot, sqlite_db, preview: ImportDialog
) -> None:  # type: ignore[no-untyped-def]
    dialog = preview
    with qtbot.waitSignal(dialog.people_imported, timeout=20_000):
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.page == REPORT
    assert dialog.report_summary.text().endswith(
        "Created 1 new sector, 2 new interests and 1 new organisation."
    )
    text = dialog.report_text.toPlainText()
    assert "New sectors created: GovernmentHome Office (1 person)" in text
    assert "New interests created: Duplicate in file (1 person), Maritime labor (1 person)" in text
    assert "Edit > Vocabulary" in text
    assert "Row 5: 'cat@example' is not an e-mail address, and the organisation" in text
    assert "untick" not in text.lower()
    with sqlite_db.reading() as session:
        assert "GovernmentHome Office" in directory.sector_names(session)
