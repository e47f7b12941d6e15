"""Invitation files (.ics, .eml) are private to their owner and never half-written.

They carry an invitee's name and address, so like every other output they are
written owner-only (0600) through a temporary file that is renamed into place.
"""

from __future__ import annotations

import os
import stat

import pytest
from test_sending import ORG, scheduled

from roundtable_app.services import invitations
from roundtable_app.services.invitations import Mode

EXTENSION = {Mode.ICS_FILES: "ics", Mode.EML_DRAFTS: "eml"}


@pytest.fixture(autouse=True)
def usual_umask():
    """The umask most desktops run with: group and others may read new files."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.parametrize("mode", [Mode.ICS_FILES, Mode.EML_DRAFTS])
def test_invitation_files_are_owner_only(sqlite_db, make_person, tmp_path, mode):
    rt_id, _emails = scheduled(sqlite_db, make_person, n=3)
    report = invitations.deliver(sqlite_db, rt_id, ORG, mode=mode, folder=tmp_path / "out")
    assert report.sent == 3
    files = sorted((tmp_path / "out").iterdir())
    assert [p.suffix for p in files] == [f".{EXTENSION[mode]}"] * 3
    for path in files:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path.name
    # The new folder too: the file names carry the invitees' addresses.
    assert stat.S_IMODE(os.stat(tmp_path / "out").st_mode) == 0o700


@pytest.mark.parametrize("mode", [Mode.ICS_FILES, Mode.EML_DRAFTS])
def test_a_file_written_again_is_replaced_whole_not_overwritten_in_place(
    sqlite_db, make_person, tmp_path, mode
):
    rt_id, _emails = scheduled(sqlite_db, make_person, n=2)
    out = tmp_path / "out"
    first = invitations.deliver(sqlite_db, rt_id, ORG, mode=mode, folder=out)
    path = first.results[0].path
    assert path is not None
    # Someone made the old file readable by everyone; and a reader holds it open.
    os.chmod(path, 0o644)
    before = os.stat(path)
    with open(path, "rb") as reader:
        old_bytes = reader.read()
        again = invitations.deliver(
            sqlite_db, rt_id, ORG, mode=mode, folder=out, only_pending=False
        )
        assert again.sent == 2
        # The reader still sees the whole old file: the new one was renamed over it.
        reader.seek(0)
        assert reader.read() == old_bytes
    after = os.stat(path)
    assert after.st_ino != before.st_ino
    assert stat.S_IMODE(after.st_mode) == 0o600
    # No temporary file is left beside them.
    assert sorted(p.suffix for p in out.iterdir()) == [f".{EXTENSION[mode]}"] * 2


def test_nothing_is_recorded_as_sent_when_the_disk_reports_an_error(
    sqlite_db, make_person, tmp_path, monkeypatch
):
    from roundtable_app.services.invitations import sending

    def failing_disk(_paths):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(sending, "flush_to_disk", failing_disk)
    rt_id, _emails = scheduled(sqlite_db, make_person, n=2)
    report = invitations.deliver(sqlite_db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path)
    assert report.sent == 0 and len(report.failed) == 2
    assert all("Input/output error" in r.detail for r in report.failed)
    monkeypatch.undo()
    # Still pending: the next run writes them again.
    again = invitations.deliver(sqlite_db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path)
    assert again.sent == 2
