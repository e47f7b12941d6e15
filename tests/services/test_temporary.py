"""The app's private temporary folders: gone after use, after a crash, never while in use."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from roundtable_app.services import temporary

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def system_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder, for this process and the ones it starts."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def child(code: str, system_temp: Path) -> subprocess.Popen[str]:
    """Another copy of the app: a process that makes a temporary folder and writes a PDF."""
    script = textwrap.dedent(
        """
        import os, sys
        from roundtable_app.services.temporary import temporary_folder
        with temporary_folder("table-plan") as folder:
            (folder / "Plan - tables.pdf").write_bytes(b"%PDF-1.4 names")
            print(folder, flush=True)
        """
    ) + textwrap.indent(textwrap.dedent(code), "    ")
    return subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(system_temp), "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_a_folder_is_private_and_gone_after_use(system_temp):
    with temporary.temporary_folder("table-plan") as folder:
        pdf = folder / "plan.pdf"
        pdf.write_bytes(b"%PDF")
        assert folder.parent == system_temp / f"roundtable_app-{os.getuid()}"
        assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE((folder / temporary.LOCK_NAME).stat().st_mode) == 0o600
    assert not folder.exists()
    assert list(folder.parent.iterdir()) == []


def test_what_a_crash_left_is_removed_but_a_running_copy_keeps_its_own(system_temp):
    # A copy of the app that dies (kill -9) while its preview is open.
    crashed = child("os.kill(os.getpid(), 9)", system_temp)
    out, _ = crashed.communicate(timeout=60)
    left = Path(out.strip().splitlines()[0])
    assert (left / "Plan - tables.pdf").exists()
    # A copy still running, its preview open until told to close.
    running = child("sys.stdin.readline()", system_temp)
    assert running.stdout is not None
    held = Path(running.stdout.readline().strip())
    try:
        assert temporary.remove_leftovers() == 1
        assert not left.exists()
        assert (held / "Plan - tables.pdf").exists()
    finally:
        running.communicate("close\n", timeout=60)
    assert not held.exists()


def test_a_folder_of_that_name_owned_by_someone_else_is_not_used(system_temp, monkeypatch):
    squatted = system_temp / f"roundtable_app-{os.getuid()}"
    squatted.symlink_to(system_temp / "elsewhere", target_is_directory=True)
    (system_temp / "elsewhere").mkdir()
    cache = system_temp / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    with temporary.temporary_folder("table-plan") as folder:
        assert cache in folder.parents
    assert list((system_temp / "elsewhere").iterdir()) == []
