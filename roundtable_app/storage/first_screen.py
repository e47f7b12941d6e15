"""The directory's first screen of names, read straight from a SQLite file.

A large directory should show its first names the moment the window opens.
Opening the database properly means importing SQLAlchemy and the models,
which takes several times longer than the window itself; so the window reads
the first screen here with Python's own ``sqlite3`` (read-only) while that
happens, and the directory shows the same rows from the real load once it is
ready (tests check that both give the same rows).

Anything unusual (not a SQLite file, a file that does not exist yet, a schema
older or newer than this version, a locked or damaged file) gives ``None``
and the window simply waits for the real load. This module imports nothing
but the standard library and the app's plain records.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from roundtable_app.core.model import PersonRow
from roundtable_app.storage.migrations import HEAD

_PEOPLE = """
SELECT p.id, p.full_name, o.name, s.name, p.email, p.lived_experience
FROM person AS p
LEFT OUTER JOIN organisation AS o ON o.id = p.organisation_id
LEFT OUTER JOIN sector AS s ON s.id = p.sector_id
ORDER BY lower(p.full_name), p.id
LIMIT ?
"""
_INTERESTS = """
SELECT pt.person_id, t.id, t.name
FROM person_theme AS pt JOIN theme AS t ON t.id = pt.theme_id
WHERE pt.person_id IN ({ids})
"""
_LAST_ATTENDED = """
SELECT i.person_id, max(r.starts_at)
FROM invitation AS i JOIN roundtable AS r ON r.id = i.roundtable_id
WHERE i.attendance = 'attended' AND i.person_id IN ({ids})
GROUP BY i.person_id
"""


def sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///path`` URL (no SQLAlchemy needed), else ``None``."""
    parts = urlsplit(url)
    if parts.scheme not in ("sqlite", "sqlite+pysqlite") or parts.netloc:
        return None
    path = unquote(parts.path).removeprefix("/")
    if not path or path == ":memory:":
        return None
    return Path(path)


def _utc(value: str | None) -> dt.datetime | None:
    # Stored as naive UTC text (see storage.base.UTCDateTime).
    if value is None:
        return None
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def first_rows(url: str, limit: int) -> list[PersonRow] | None:
    """The first ``limit`` people by name as directory rows, or ``None`` (see above)."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        with sqlite3.connect(uri, uri=True, timeout=0.5) as conn:
            if conn.execute("SELECT version_num FROM alembic_version").fetchone() != (HEAD,):
                return None
            people = conn.execute(_PEOPLE, (limit,)).fetchall()
            ids = ",".join(str(int(row[0])) for row in people) or "NULL"
            themes: dict[int, list[tuple[str, int, str]]] = {}
            for person_id, theme_id, name in conn.execute(_INTERESTS.format(ids=ids)):
                themes.setdefault(person_id, []).append((name.lower(), theme_id, name))
            attended = dict(conn.execute(_LAST_ATTENDED.format(ids=ids)).fetchall())
    except (sqlite3.Error, ValueError):
        return None
    return [
        PersonRow(
            pid,
            name,
            org or "",
            sector or "",
            "; ".join(t[2] for t in sorted(themes.get(pid, ()))),
            email or "",
            bool(lived),
            _utc(attended.get(pid)),
        )
        for pid, name, org, sector, email, lived in people
    ]
