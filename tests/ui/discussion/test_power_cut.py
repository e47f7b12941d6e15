"""A crash or power cut loses at most the last second of typing: a real app process
types notes, is killed with SIGKILL a second after the last key, and the notes are in
the database file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from roundtable_app.core.discussion import NoteKind
from roundtable_app.storage.unit_of_work import open_database
from tests.ui.discussion.conftest import make_held, notes
from tests.ui.discussion.typist import LINES

ROOT = Path(__file__).resolve().parents[3]


def test_notes_typed_a_second_before_the_process_is_killed_are_saved(
    sqlite_url, make_person, tmp_path
):  # type: ignore[no-untyped-def]
    db = open_database(sqlite_url)
    held = make_held(db, make_person)
    db.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    typist = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.ui.discussion.typist",
            sqlite_url,
            str(held.rid),
            str(tmp_path / "typist.ini"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert typist.stdout is not None
        assert typist.stdout.readline().strip() == "typed"  # blocks until the last key
        time.sleep(1.0)  # the power cut comes a second after the last key
        typist.send_signal(signal.SIGKILL)
        typist.wait(timeout=30)
    finally:
        if typist.poll() is None:
            typist.kill()
            typist.wait()
    assert typist.returncode == -signal.SIGKILL  # killed: nothing was saved on closing
    db = open_database(sqlite_url)
    try:
        assert [(n.kind, n.text) for n in notes(db, held.rid)] == [
            (NoteKind.CHALLENGE, line) for line in LINES
        ]
    finally:
        db.close()
