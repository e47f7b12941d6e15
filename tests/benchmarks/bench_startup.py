"""Benchmark cold start: Roundtable's window vs a bare PySide6 window (not run by pytest).

Usage::

    python tests/benchmarks/bench_startup.py [--database sqlite:////tmp/demo-10000.db] [--runs 5]

Each run starts a fresh Python process and measures the time from launching it
until its main window has been shown and painted (the process prints the moment;
see ``ROUNDTABLE_EXIT_AFTER_SHOWN`` in ``roundtable_app/ui/app.py``). The app and
a bare script that shows an empty ``QMainWindow`` the same way run alternately;
the medians and their ratio are printed. Budget (issue 2, section 6): ≤ 1.5×.
With ``--rows`` the app's time runs until the first screen of names is shown
(budget, issue 9: ≤ 3×); with ``--all-rows`` until every row is loaded.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "sqlite:////tmp/demo-10000.db"

BARE = """
import sys, time
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("Bare")
window.resize(1280, 800)
window.show()
def painted():
    QEventLoop().processEvents()
    window.repaint()
    print(f"shown {time.time():.6f} cpu {time.process_time():.6f}", flush=True)
    QApplication.quit()
QTimer.singleShot(0, painted)
app.exec()
"""

APP_OPENER = """
import sys
from roundtable_app.ui.app import run_gui

def opener():
    from roundtable_app.storage.unit_of_work import open_database
    return open_database(sys.argv[1])

sys.exit(run_gui(opener))
"""
"""run_gui with a function that opens the database: the window shows first."""

APP_OPEN_FIRST = """
import sys
from roundtable_app.storage.unit_of_work import open_database
from roundtable_app.ui.app import run_gui
sys.exit(run_gui(open_database(sys.argv[1])))
"""
"""run_gui on a database opened before the window (what the CLI did at first)."""


def app_commands(url: str) -> dict[str, list[str]]:
    commands = {
        "run_gui(opener)": [sys.executable, "-c", APP_OPENER, url],
        "run_gui(open db)": [sys.executable, "-c", APP_OPEN_FIRST, url],
    }
    if (ROOT / "roundtable_app" / "__main__.py").exists():
        commands["python -m roundtable_app"] = [
            sys.executable,
            "-m",
            "roundtable_app",
            "--database",
            url,
        ]
    return commands


def time_to_shown(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds until the window was painted, process CPU seconds by then).

    The CPU seconds (all threads, without interpreter start-up before the
    script's first line is unaffected) barely change when other work loads
    the machine, where the wall-clock figures grow; both are printed.
    """
    start = time.time()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    shown = [line for line in done.stdout.splitlines() if line.startswith("shown ")]
    if done.returncode != 0 or not shown:
        raise SystemExit(f"{command[:3]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    fields = shown[-1].split()
    return float(fields[1]) - start, float(fields[3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", action="store_true", help="wait for the first screen of names")
    parser.add_argument("--all-rows", action="store_true", help="wait until every row is loaded")
    parser.add_argument("--only", help="run only the app command whose name contains this")
    args = parser.parse_args()

    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["QT_LOGGING_RULES"] = "qt.qpa.*=false"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["XDG_CONFIG_HOME"] = tempfile.mkdtemp()  # leave the user's settings alone
    # As on a user's machine, the app's modules load from cached bytecode (the
    # warm-up run below writes it); some sandboxes set this variable.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["ROUNDTABLE_EXIT_AFTER_SHOWN"] = (
        "all-rows" if args.all_rows else "rows" if args.rows else "1"
    )

    bare_command = [sys.executable, "-c", BARE]
    commands = {
        name: command
        for name, command in app_commands(args.database).items()
        if not args.only or args.only in name
    }
    time_to_shown(bare_command, env)  # warm the OS file cache for all
    for command in commands.values():
        time_to_shown(command, env)
    bare_runs: list[tuple[float, float]] = []
    app_runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.runs):  # alternate, so load on the machine hits all alike
        bare_runs.append(time_to_shown(bare_command, env))
        for name, command in commands.items():
            app_runs[name].append(time_to_shown(command, env))

    budget = "3" if args.rows else "1.5"
    what = "all rows" if args.all_rows else "first names" if args.rows else "window shown"
    print(f"database: {args.database}; {args.runs} runs each, alternating")
    for k, unit in ((0, "wall"), (1, "cpu")):
        bare = statistics.median(run[k] for run in bare_runs)
        shown = [round(run[k], 3) for run in bare_runs]
        print(f"bare QMainWindow shown ({unit}):  median {bare:.3f} s  {shown}")
        for name, runs in app_runs.items():
            app = statistics.median(run[k] for run in runs)
            print(
                f"{name:24} {what} ({unit}): median {app:.3f} s  {[round(r[k], 3) for r in runs]}"
                f"  ratio {app / bare:.2f}×  (budget ≤ {budget}×)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
