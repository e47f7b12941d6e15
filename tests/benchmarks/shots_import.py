"""Screenshots of every page of the import dialog, for visual review (not a test).

Run: ``python tests/benchmarks/shots_import.py [--out /tmp/shots]`` and look at
``import_1_file.png`` … ``import_5_report.png``. Uses an Outlook-shaped CSV with
a duplicate, a bad e-mail, a nameless row and someone already in the directory.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

OUTLOOK = (
    "Title,First Name,Middle Name,Last Name,Company,Job Title,E-mail Address,"
    "E-mail 2 Address,Business Phone,Categories,Notes\n"
    "Dr,Priya,,Shah,Rights Lab,Senior Researcher,Priya.Shah@example.ac.uk,,0115 000,Research,"
    "Met at the 2023 roundtable\n"
    "Ms,Amara,,Okafor,Hope for Justice,Policy Lead,amara.okafor@example.org,,,,\n"
    ",Tom,J,Reid,Metropolitan Police,Detective Inspector,tom.reid@example.police.uk,,,,\n"
    ",Sara,,Lindqvist,Unseen UK,Helpline Manager,sara@,,,,\n"
    ",Jonas,,Weber,Anti-Slavery International,Campaigns Officer,jonas.weber@example.org,,,,\n"
    ",Amara,,Okafor,Hope for Justice,,AMARA.OKAFOR@example.org,,,,Second copy\n"
    ",,,,Home Office,,,,,,\n"
    ",Li,,Wei,Department for Business and Trade,Senior Policy Adviser,li.wei@example.gov.uk,,,,\n"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/shots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    tmp = Path(tempfile.mkdtemp(prefix="shots-import-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))

    from roundtable_app.core.model import PersonData
    from roundtable_app.services import directory
    from roundtable_app.storage.unit_of_work import open_database
    from roundtable_app.ui.context import AppContext
    from roundtable_app.ui.transfer.import_dialog import REPORT, RUNNING, ImportDialog

    db = open_database(f"sqlite:///{tmp / 'shots.db'}")
    with db.transaction() as session:
        directory.create_person(
            session,
            PersonData(
                full_name="Priya Shah", email="priya.shah@example.ac.uk", organisation="Rights Lab"
            ),
        )
    csv = tmp / "outlook-contacts.csv"
    csv.write_text(OUTLOOK, encoding="utf-8")

    def wait(condition) -> None:  # type: ignore[no-untyped-def]
        while not condition():
            app.processEvents()
            time.sleep(0.02)
        app.processEvents()

    ctx = AppContext(db)
    dialog = ImportDialog(ctx, path=str(csv))
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(out / "import_1_file.png"))
    dialog.next_button.click()
    app.processEvents()
    dialog.grab().save(str(out / "import_2_mapping.png"))
    dialog.next_button.click()
    wait(lambda: dialog.plan is not None)
    dialog.grab().save(str(out / "import_3_preview.png"))
    dialog.start_import()
    wait(lambda: dialog.page == REPORT)
    dialog.grab().save(str(out / "import_5_report.png"))

    running = ImportDialog(ctx, path=str(csv))
    running.show()
    running._show_page(RUNNING)  # noqa: SLF001 - a still of the running page
    running.run_label.setText("Adding people…")
    running.run_progress.setRange(0, 100)
    running.run_progress.setValue(40)
    app.processEvents()
    running.grab().save(str(out / "import_4_running.png"))

    bad = tmp / "contacts.xlsx"
    bad.write_bytes(b"not a workbook" * 30)
    broken = ImportDialog(ctx, path=str(bad))
    broken.show()
    app.processEvents()
    broken.grab().save(str(out / "import_1_error.png"))
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
