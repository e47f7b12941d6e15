"""A note-taker typing in a real app process, for the power-cut test: opens a roundtable's
Discussion window offscreen on a SQLite file, types notes key by key, says "typed", and
keeps running until it is killed.

    python3 -m tests.ui.discussion.typist URL ROUNDTABLE_ID SETTINGS_FILE
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from roundtable_app.core.discussion import NoteKind
from roundtable_app.storage.unit_of_work import open_database
from roundtable_app.ui.context import AppContext
from roundtable_app.ui.discussion import DiscussionWindow
from roundtable_app.ui.settings import Settings

LINES = ("Referral data are not shared", "Funding ends in March", "Survivors must lead")


def main(url: str, roundtable_id: int, settings_file: str) -> int:
    app = QApplication(sys.argv[:1])
    settings = Settings(QSettings(settings_file, QSettings.Format.IniFormat))
    ctx = AppContext(open_database(url), settings)
    window = DiscussionWindow(ctx, roundtable_id)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    window.jump_to(NoteKind.CHALLENGE)
    section = window.section(NoteKind.CHALLENGE)
    for number, line in enumerate(LINES):
        if number:
            QTest.keyClick(section.items[-1].editor, Qt.Key.Key_Return)
        for char in line:  # one key at a time, as a person types (about 20 a second)
            QTest.keyClicks(section.items[-1].editor, char)
            QTest.qWait(50)
    print("typed", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
