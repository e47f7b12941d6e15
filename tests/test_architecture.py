"""The layering is enforced by a tool: Qt only in ui/, core free of the database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_MODULES = {"roundtable_app/services/demo/words.py"}


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    command = [str(lint)] if lint.exists() else ["lint-imports"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_grows_past_the_size_we_can_read():
    too_long = [
        f"{path.relative_to(ROOT)} ({n} lines)"
        for path in (ROOT / "roundtable_app").rglob("*.py")
        # the demo's word lists are data, not code to read
        if path.relative_to(ROOT).as_posix() not in DATA_MODULES
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > 600
    ]
    assert too_long == []
