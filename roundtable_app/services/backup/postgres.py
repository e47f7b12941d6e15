"""Backing up a PostgreSQL database with ``pg_dump``, and saying how to restore one.

The dump is PostgreSQL's custom format (``pg_dump -Fc``), written to a
temporary file beside the target and renamed when ``pg_dump`` succeeded,
owner-only. Without ``pg_dump`` on the PATH the message gives the command to
run where it is installed. Restoring replaces the data of the whole team, on
a server the app does not administer, so the app says how (``pg_restore``)
rather than doing half of it.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import URL, make_url

from roundtable_app.config import data_dir
from roundtable_app.core.errors import RoundtableError
from roundtable_app.services.backup.result import BackupResult
from roundtable_app.storage.unit_of_work import Database

PG_DUMP = "pg_dump"
#: The Debian/Ubuntu package with pg_dump for the server the CI and most teams run.
CLIENT_PACKAGE = "postgresql-client"


def _schema(url: URL) -> str | None:
    """The one schema the app's connections use, if the URL sets ``search_path``."""
    options = url.query.get("options")
    text = options if isinstance(options, str) else " ".join(options or ())
    for word in text.split():
        if word.startswith("-csearch_path="):
            return word.split("=", 1)[1].split(",")[0] or None
    return None


def connection_arguments(url: URL) -> list[str]:
    """``pg_dump``/``pg_restore`` options naming the server, user and database of ``url``."""
    args: list[str] = []
    if url.host:
        args += ["-h", url.host]
    if url.port:
        args += ["-p", str(url.port)]
    if url.username:
        args += ["-U", url.username]
    if url.database:
        args += ["-d", url.database]
    schema = _schema(url)
    if schema:
        args += ["-n", schema]
    return args


def dump_command(url: URL, out: str) -> str:
    """The ``pg_dump`` command line to back up ``url`` to ``out`` (no password in it)."""
    return shlex.join([PG_DUMP, "-Fc", *connection_arguments(url), "-f", out])


def restore_command(url: URL, dump: str) -> str:
    """The ``pg_restore`` command line that puts ``dump`` back into ``url``'s database."""
    args = connection_arguments(url)
    return shlex.join(["pg_restore", "--clean", "--if-exists", "--no-owner", *args, dump])


def default_dump_path(url: URL, kind: str, when: dt.datetime) -> Path:
    name = url.database or "roundtable"
    return data_dir() / "backups" / f"{name}-{when.strftime('%Y-%m-%d-%H%M%S')}-{kind}.dump"


def dump(db: Database, out: Path | None, *, kind: str, when: dt.datetime) -> BackupResult:
    """Run ``pg_dump -Fc`` for ``db`` into ``out`` (default: the data folder's backups)."""
    url = db.engine.url
    target = out if out is not None else default_dump_path(url, kind, when)
    program = shutil.which(PG_DUMP)
    if program is None:
        raise RoundtableError(
            f"pg_dump is not installed here, so this PostgreSQL database was not backed up. "
            f"Install PostgreSQL's client tools ({CLIENT_PACKAGE} on Debian or Ubuntu, of the "
            f"server's version), or run this where they are: {dump_command(url, str(target))}"
        )
    folder = target.parent if str(target.parent) else Path(".")
    tmp_name: str | None = None
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
        done = subprocess.run(
            [program, "-Fc", "--no-password", *connection_arguments(url), "-f", tmp_name],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
            reason = lines[0].removeprefix("pg_dump: error: ").rstrip(". ")
            raise RoundtableError(
                f"pg_dump could not back up the database: {reason}. Nothing was written to "
                f"{target}. Check the server address, user and password, and that pg_dump is "
                "of the server's version or newer."
            )
        with open(tmp_name, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o600)
        os.replace(tmp_name, target)
        tmp_name = None
        return BackupResult(target, target.stat().st_size)
    except OSError as exc:
        raise RoundtableError(
            f"The backup could not be written to {target}: {exc.strerror or exc}. The database "
            "itself is unchanged. Check that the disk has space and that you may write there."
        ) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def restore_instructions(url: str, backup: str | Path) -> str:
    """What to do to restore the PostgreSQL database at ``url`` from a ``pg_dump -Fc`` file."""
    return (
        "Restoring replaces the data of everyone who uses this PostgreSQL database, so the app "
        "does not do it. Ask everyone to close Roundtable, then whoever administers the server "
        f"runs: {restore_command(make_url(url), str(backup))}"
    )
