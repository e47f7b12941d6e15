"""Writing user files safely, and the one guard against spreadsheet formulas.

Files are written to a temporary file beside the target, then renamed. Text
cells that a spreadsheet would run as a formula are written with a leading
apostrophe (:func:`guard_cell`), and an import takes the apostrophe off again
(:func:`unguard_cell`), so a file exported and imported back is unchanged.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from roundtable_app.core.errors import RoundtableError

#: Leading characters a spreadsheet would run as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(value: str) -> str:
    """Prefix text a spreadsheet would evaluate (=, +, -, @) with an apostrophe."""
    if value and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unguard_cell(cell: str) -> str:
    """Undo :func:`guard_cell` ("'=SUM" back to "=SUM")."""
    if len(cell) > 1 and cell[0] == "'" and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell


def write_atomically(
    path: str | Path,
    write: Callable[[str], None],
    what: str,
    *,
    done: str = "written to",
    held_by: str = "another program",
    retry: str = "try again",
) -> None:
    """Call ``write(temporary_path)``, then move the finished file to ``path``.

    Never a half-written file at ``path``: a crash, a full disk or a cancel
    leaves the old file (or none). An ``OSError`` becomes a
    :class:`RoundtableError` saying what to check; the temporary file is
    removed on any failure.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
        write(tmp_name)
        with open(tmp_name, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise RoundtableError(
            f"The {what} could not be {done} {path}: {reason}. Check that the folder "
            f"exists, that you may write there, that the file is not open in {held_by}, "
            f"and that the disk has space; then {retry}."
        ) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
