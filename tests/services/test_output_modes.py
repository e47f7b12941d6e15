"""Every file the app writes for the user is owner-only (0600), whatever it replaces.

Outputs hold people's names and addresses; a desktop's usual umask would make a
file written in place readable by every user of the machine. (The invitation
files have their own tests in ``invitations/test_invitation_files.py``; the
preview's "Save as…" in ``ui/grouping/test_plan_printing.py``.)
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from roundtable_app.core.grouping.scoring import Preferences
from roundtable_app.services.grouping import export_plan_csv, plan_from_tables
from roundtable_app.services.reports import write_table_plan_pdf
from roundtable_app.services.transfer import export_people_csv

sys.path.insert(0, str(Path(__file__).parent / "reports"))
from test_table_plan_pdf import _pool  # noqa: E402


@pytest.fixture(autouse=True)
def usual_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def replaced(path: Path, write) -> int:  # type: ignore[no-untyped-def]
    """Write over an existing world-readable file; return the new file's mode."""
    path.write_text("old")
    os.chmod(path, 0o644)
    write(path)
    assert path.read_bytes() != b"old"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left
    return stat.S_IMODE(os.stat(path).st_mode)


def test_people_csv(sqlite_db, make_person, tmp_path):
    make_person(sqlite_db, full_name="Jane Doe", email="jane@example.org")

    def write(path: Path) -> None:
        with sqlite_db.reading() as session:
            export_people_csv(session, path)

    out = tmp_path / "out"  # apart from the database file
    out.mkdir()
    assert replaced(out / "people.csv", write) == 0o600


def test_table_plan_csv_and_pdf(tmp_path):
    plan = plan_from_tables(_pool(), [[10, 11, 12], [13, 14, 15]], Preferences())
    assert replaced(tmp_path / "plan.csv", lambda p: export_plan_csv(plan, p)) == 0o600
    (tmp_path / "plan.csv").unlink()
    pdf = tmp_path / "plan.pdf"
    assert replaced(pdf, lambda p: write_table_plan_pdf(plan, "Plan", p)) == 0o600
