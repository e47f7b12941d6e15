"""The import wizard asks what only the user can decide, instead of guessing silently.

A file whose lines mix encodings offers the ways to read it, each with a
preview of the lines it would garble; two columns that both look like
"E-mail" start unmapped and the user chooses. Driven as a user would.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from roundtable_app.services import directory
from roundtable_app.storage.unit_of_work import Database
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.transfer.import_dialog import MAPPING, PREVIEW, REPORT, ImportDialog
from roundtable_app.ui.transfer.mapping_page import NOT_IMPORTED, MappingTable

MIXED_BYTES = (
    b"Full name,E-mail\n"
    + "René Côté,rene@example.org\n".encode("cp1252")
    + "José Müller,jose@example.org\n".encode()
)


def _click(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _click_radio(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    """Click on the round indicator at the start of the line, where a person clicks."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def _choose(qtbot, table: MappingTable, row: int, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click the column's line, open its drop-down with Enter, arrow down to ``text``, Enter."""
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(table, Qt.Key.Key_Return)
    view = table.combo(row).view()
    assert view.isVisible()
    for _ in range(table.combo(row).count()):
        if view.currentIndex().data() == text:
            break
        qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert table.combo(row).currentText() == text


def _import(qtbot, dialog: ImportDialog) -> None:  # type: ignore[no-untyped-def]
    _click(qtbot, dialog.next_button)
    assert dialog.page == PREVIEW
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    with qtbot.waitSignal(dialog.people_imported, timeout=20_000):
        _click(qtbot, dialog.next_button)
    assert dialog.page == REPORT


def _names(db: Database) -> list[str]:
    with db.reading() as session:
        return sorted(r.full_name for r in directory.list_rows(session))


def test_a_mixed_encoding_file_offers_the_choice_with_a_preview_of_each(
    qtbot, ctx: AppContext, sqlite_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mixed.csv"
    path.write_bytes(MIXED_BYTES)
    dialog = ImportDialog(ctx, path=str(path))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.next_button.isEnabled()  # nothing is read until the user chooses
    choice = dialog.encoding_choice
    assert choice.isVisible() and not dialog.file_error.isVisible()  # a question, not an error
    assert choice.explanation.text().startswith(
        "Line 3 is in UTF-8, but line 2 is in Windows (cp1252): the file mixes two encodings."
    )
    assert list(choice.buttons) == ["mixed", "cp1252", "utf-8"]
    assert not any(b.isChecked() for b in choice.buttons.values())
    assert choice.previews["cp1252"].text() == (
        "line 2:  René Côté,rene@example.org\nline 3:  JosÃ© MÃ¼ller,jose@example.org"
    )
    assert choice.previews["utf-8"].text().startswith("line 2:  Ren\ufffd C\ufffdt\ufffd,")
    assert choice.previews["mixed"].text() == (
        "line 2:  René Côté,rene@example.org\nline 3:  José Müller,jose@example.org"
    )

    _click_radio(qtbot, choice.buttons["mixed"])
    assert choice.buttons["mixed"].isChecked() and choice.explanation.isVisible()
    assert not dialog.file_error.isVisible()
    assert "UTF-8 and Windows (cp1252), line by line" in dialog.detected.text()
    assert dialog.next_button.isEnabled()

    _click(qtbot, dialog.next_button)
    assert dialog.page == MAPPING
    _import(qtbot, dialog)
    assert _names(sqlite_db) == ["José Müller", "René Côté"]


def test_two_email_columns_start_unmapped_and_the_user_chooses(
    qtbot, ctx: AppContext, sqlite_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "two.csv"
    path.write_text(
        "Full name,E-mail,Organisation,E-mail\n"
        "Ada Lovelace,ada@old.example,Engines,ada@engines.example\n",
        encoding="utf-8",
    )
    dialog = ImportDialog(ctx, path=str(path))
    qtbot.addWidget(dialog)
    dialog.show()
    _click(qtbot, dialog.next_button)
    table = dialog.mapping_table
    shown = [table.combo(i).currentText() for i in range(table.rowCount())]
    assert shown == ["Full name", NOT_IMPORTED, "Organisation", NOT_IMPORTED]
    assert dialog.mapping_error.isVisible()
    assert dialog.mapping_error.text() == (
        "Column B “E-mail” and column D “E-mail” both look like “E-mail”, but only one column "
        "can be imported as it. Choose “E-mail” for the one to import, and what the other "
        "holds (or “Don’t import”)."
    )
    assert not table.item(1, 0).icon().isNull() and not table.item(3, 0).icon().isNull()
    assert "ada@engines.example" in table.item(3, 1).text()  # the examples tell them apart
    assert not dialog.next_button.isEnabled()

    assert table.verticalHeaderItem(3).text() == "D"  # the letter the message names
    _choose(qtbot, table, 3, "E-mail")
    assert table.mapping()[1:] == [None, "organisation", "email"]
    assert table.item(1, 0).icon().isNull() and table.item(3, 0).icon().isNull()
    assert not dialog.mapping_error.isVisible()
    assert dialog.next_button.isEnabled()
    _import(qtbot, dialog)
    with sqlite_db.reading() as session:
        assert [r.email for r in directory.list_rows(session)] == ["ada@engines.example"]


def test_choosing_not_to_import_either_column_is_a_choice_too(
    qtbot, ctx: AppContext, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mails.csv"
    path.write_text("Full name,Email,E-mail address\nAda,x,y\n", encoding="utf-8")
    dialog = ImportDialog(ctx, path=str(path))
    qtbot.addWidget(dialog)
    dialog.show()
    _click(qtbot, dialog.next_button)
    assert "both look like “E-mail”" in dialog.mapping_error.text()
    assert not dialog.next_button.isEnabled()
    _choose(qtbot, dialog.mapping_table, 1, NOT_IMPORTED)  # neither is an address after all
    assert dialog.mapping_table.mapping() == ["full_name", None, None]
    assert not dialog.mapping_error.isVisible()
    assert dialog.next_button.isEnabled()


def test_a_reimport_reports_unchanged_rows(
    qtbot, ctx: AppContext, sqlite_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "people.csv"
    path.write_text("Full name,E-mail\nAda,ada@x.org\nBob,bob@x.org\n", encoding="utf-8")
    for _ in range(2):
        dialog = ImportDialog(ctx, path=str(path))
        qtbot.addWidget(dialog)
        dialog.show()
        _click(qtbot, dialog.next_button)
        _import(qtbot, dialog)
    assert dialog.report_summary.text().startswith(
        "0 added, 0 merged with someone of the same e-mail, 2 unchanged (nothing new to add)"
    )
    assert "Unchanged rows (already there just so): 2–3" in dialog.report_text.toPlainText()
