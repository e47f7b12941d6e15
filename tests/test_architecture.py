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


def _imports() -> list[tuple[str, str]]:
    import grimp

    graph = grimp.build_graph("roundtable_app")
    return [
        (importer, imported)
        for importer in sorted(graph.modules)
        for imported in sorted(graph.find_modules_directly_imported_by(importer))
    ]


def test_no_two_modules_import_each_other():
    edges = set(_imports())
    mutual = sorted((a, b) for a, b in edges if (b, a) in edges and a < b)
    assert mutual == []


def test_feature_packages_are_used_through_their_api():
    """Outside ``services.<feature>`` or ``ui.<feature>``, import only the package itself."""
    inner = []
    for importer, imported in _imports():
        for layer in ("roundtable_app.services.", "roundtable_app.ui."):
            parts = imported.removeprefix(layer).split(".")
            if imported.startswith(layer) and len(parts) > 1:
                package = layer + parts[0]
                if importer != package and not importer.startswith(package + "."):
                    inner.append(f"{importer} imports {imported}")
    assert inner == []
