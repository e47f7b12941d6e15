"""Writing user files safely, and the one guard against spreadsheet formulas.

Files are written to a temporary file beside the target, then renamed. Text
cells that a spreadsheet would run as a formula are written with a leading
apostrophe (:func:`guard_cell`), and an import takes the apostrophe off again
(:func:`unguard_cell`), so a file exported and imported back is unchanged.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
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
    leaves the old file (or none). The file is readable by its owner only
    (0600), whatever it replaces: outputs hold people's names. An ``OSError``
    becomes a :class:`RoundtableError` saying what to check; the temporary
    file is removed on any failure.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    tmp_name: str | None = None
    try:
        # mkstemp creates the file owner-only; ``write`` reopens it by name.
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
        write(tmp_name)
        with open(tmp_name, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise _not_written(exc, path, what, done, held_by, retry) from exc
    finally:
        _remove_quietly(tmp_name)


def write_bytes_atomically(path: str | Path, data: bytes, what: str, *, sync: bool = True) -> None:
    """Write ``data`` exactly as it is to ``path``, as :func:`write_atomically` does.

    One open file from start to end (no reopening by name). With ``sync=False``
    the file is renamed into place without waiting for the disk, and the caller
    makes a batch of such files durable at once with :func:`flush_to_disk`
    (one wait for the disk per file would cost more than 500 invitations may).
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise _not_written(exc, path, what, "written to", "another program", "try again") from exc
    finally:
        _remove_quietly(tmp_name)


def flush_to_disk(paths: Iterable[Path]) -> None:
    """Wait until files written with ``sync=False`` are on the disk.

    One ``sync()`` for the whole batch where the system has it (Linux, macOS),
    else one ``fsync`` per file. Raises ``OSError`` if the disk reports an error.
    """
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in paths:
        with open(path, "rb+") as handle:
            os.fsync(handle.fileno())


def _not_written(
    exc: OSError, path: Path, what: str, done: str, held_by: str, retry: str
) -> RoundtableError:
    reason = exc.strerror or str(exc)
    return RoundtableError(
        f"The {what} could not be {done} {path}: {reason}. Check that the folder "
        f"exists, that you may write there, that the file is not open in {held_by}, "
        f"and that the disk has space; then {retry}."
    )


def _remove_quietly(name: str | None) -> None:
    if name is None:
        return
    try:
        os.unlink(name)
    except OSError:
        pass
