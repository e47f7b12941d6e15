"""The import wizard driven as a user would: file, mapping, preview, import, report."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from roundtable_app.services import directory
from roundtable_app.services.transfer import prepare, read_table
from roundtable_app.storage.unit_of_work import Database
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.transfer import import_dialog
from roundtable_app.ui.transfer.import_dialog import (
    FILE,
    MAPPING,
    PREVIEW,
    REPORT,
    ImportDialog,
)
from roundtable_app.ui.transfer.preview_model import ROW, ImportPreviewModel

CSV = (
    "First Name,Last Name,E-mail Address,Company,Tags\n"
    "Ada,Lovelace,ada@example.org,Analytical Engines,Data and prevalence\n"
    "Grace,Hopper,grace@example.org,Navy,Policing; Survivor support\n"
    "Bad,Row,bad@,Nowhere,\n"
    "Alan,Turing,alan@example.org,Bletchley,\n"
)


def _csv(tmp_path: Path, text: str = CSV) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _to_preview(qtbot, dialog: ImportDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.page == MAPPING
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.page == PREVIEW
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)


def test_import_from_start_to_report(
    qtbot, ctx: AppContext, sqlite_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    dialog = ImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.page == FILE
    assert not dialog.next_button.isEnabled()

    dialog.set_path(str(_csv(tmp_path)))
    assert "comma-separated" in dialog.detected.text()
    assert "4 data rows" in dialog.detected.text()
    assert dialog.next_button.isEnabled()

    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    table = dialog.mapping_table
    shown = [table.combo(i).currentText() for i in range(table.rowCount())]
    assert shown == ["First name", "Last name", "E-mail", "Organisation", "Interests"]
    assert "Ada" in table.item(0, 1).text()

    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    assert "3</b> of 4 rows will be imported" in dialog.preview_summary.text()
    assert "1 with a problem" in dialog.preview_summary.text()
    model = dialog.preview_model
    assert model.index(2, 4).data() == "'bad@' is not an e-mail address"

    # Untick Alan (row 5 of the file), then import.
    model.setData(model.index(3, ROW), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert "2</b> of 4" in dialog.preview_summary.text()
    with qtbot.waitSignal(dialog.people_imported, timeout=20_000) as signal:
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    report = signal.args[0]
    assert dialog.report is report
    assert dialog.page == REPORT
    assert (report.added, len(report.rejected), report.excluded) == (2, 1, 1)
    assert dialog.report_summary.text().startswith("2 added")
    text = dialog.report_text.toPlainText()
    assert "Row 4: 'bad@' is not an e-mail address" in text

    dialog.copy_report()
    from PySide6.QtGui import QGuiApplication

    assert "Row 4:" in QGuiApplication.clipboard().text()
    with sqlite_db.reading() as session:
        names = sorted(r.full_name for r in directory.list_rows(session))
    assert names == ["Ada Lovelace", "Grace Hopper"]


def test_a_bad_file_is_shown_in_the_dialog(qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "contacts.xlsx"
    path.write_bytes(b"this is not a workbook at all" * 20)
    dialog = ImportDialog(ctx, path=str(path))
    qtbot.addWidget(dialog)
    assert dialog.file_error.isVisibleTo(dialog)
    assert "not an Excel workbook" in dialog.file_error.text()
    assert not dialog.next_button.isEnabled()


def test_mapping_needs_a_name_and_gives_each_field_once(qtbot, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog = ImportDialog(ctx, path=str(_csv(tmp_path)))
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    table = dialog.mapping_table
    table.set_field(3, "email")  # Company column chosen as e-mail: the real one is freed
    assert table.mapping()[2] is None
    table.set_field(0, None)
    table.set_field(1, None)
    assert dialog.mapping_error.isVisibleTo(dialog)
    assert "No column is used for the name" in dialog.mapping_error.text()
    assert not dialog.next_button.isEnabled()


def test_cancel_leaves_the_directory_unchanged(
    qtbot, ctx: AppContext, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    lines = ["Name,Email"] + [f"P {i},p{i}@example.org" for i in range(3000)]
    dialog = ImportDialog(ctx, path=str(_csv(tmp_path, "\n".join(lines))))
    qtbot.addWidget(dialog)
    _to_preview(qtbot, dialog)

    real = import_dialog.transfer.apply_import

    def cancelling(session, plan, **kw):  # type: ignore[no-untyped-def]
        kw["progress"].cancel()  # as if the user pressed Cancel at once
        return real(session, plan, **kw)

    monkeypatch.setattr(import_dialog.transfer, "apply_import", cancelling)
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.page == REPORT, timeout=20_000)
    assert "cancelled" in dialog.title.text()
    assert "Nothing was changed" in dialog.report_summary.text()
    assert dialog.report is None
    with sqlite_db.reading() as session:
        assert directory.list_rows(session) == []


def test_preview_model_passes_the_model_tester(qtmodeltester, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = read_table(_csv(tmp_path))
    from roundtable_app.services.transfer import guess_mapping

    model = ImportPreviewModel(prepare(table, guess_mapping(table.headers)))
    qtmodeltester.check(model)
    assert (
        model.flags(model.index(2, ROW)) & Qt.ItemFlag.ItemIsUserCheckable
        == Qt.ItemFlag.NoItemFlags
    )
    assert model.setData(
        model.index(0, ROW), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
    )
    assert model.excluded_rows == {2}
    qtmodeltester.check(model)


def test_export_people_writes_the_file_and_says_so(
    qtbot,
    ctx: AppContext,
    sqlite_db: Database,
    tmp_path: Path,
    make_person,
    monkeypatch: pytest.MonkeyPatch,
    no_message_boxes: list[tuple[str, str]],
) -> None:  # type: ignore[no-untyped-def]
    from roundtable_app.ui.transfer import export

    make_person(sqlite_db, full_name="Ada Lovelace")
    parent = QWidget()
    qtbot.addWidget(parent)
    shown: list[str] = []
    monkeypatch.setattr(export.QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    target = tmp_path / export.default_file_name()
    task = export.export_people(ctx, parent, path=str(target))
    assert task is not None
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown[0].startswith(f"Exported 1 person to {target}")
    assert "Ada Lovelace" in target.read_text(encoding="utf-8-sig")

    export.export_people(ctx, parent, path=str(tmp_path / "missing" / "x.csv"))
    qtbot.waitUntil(lambda: bool(no_message_boxes), timeout=10_000)
    assert "could not be exported" in no_message_boxes[0][1]
