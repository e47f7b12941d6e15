"""Writing an import plan fast: bulk vocabulary, bulk inserts, set-based merges.

100,000 people must import in seconds, so nothing here goes row by row
through the ORM. Sectors, organisations and themes are found or created in a
few statements (same case-insensitive rules as ``services.vocabulary``); new
people get ids reserved up front and go in with the fastest path of each
database (COPY on PostgreSQL, one DB-API executemany on SQLite, multi-row
INSERT ... RETURNING elsewhere); merges read the stored people in a few
queries and update only those that change, raising their version.
All of it runs in the caller's transaction, which rolls everything back on
Cancel or error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from functools import partial
from operator import attrgetter, itemgetter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    bindparam,
    false,
    func,
    insert,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session

from roundtable_app.core.model import ConsentMethod, PersonData
from roundtable_app.core.progress import Progress
from roundtable_app.core.validation import email_key
from roundtable_app.services.transfer.merging import merge_data
from roundtable_app.services.transfer.vocabulary import Vocabulary
from roundtable_app.storage.base import utcnow
from roundtable_app.storage.bulk_load import foreign_keys_checked_after
from roundtable_app.storage.models import Organisation, Sector, Theme, person_theme
from roundtable_app.storage.models import Person as PersonModel

CHUNK = 1000  # rows per INSERT batch and per progress report
IN_CHUNK = 500  # values per IN (...): well under SQLite's parameter limit
LOAD_ALL_ABOVE = 5000  # more ids than this: read everyone in one query instead

_PERSON: Table = PersonModel.__table__  # type: ignore[assignment]
_THEME: Table = Theme.__table__  # type: ignore[assignment]
_ORGANISATION: Table = Organisation.__table__  # type: ignore[assignment]
_SECTOR: Table = Sector.__table__  # type: ignore[assignment]
#: Every field of a person but the interests, to compare two versions quickly.
_scalars = attrgetter(*(f for f in PersonData.__slots__ if f != "interests"))


_COLUMN_NAMES = (
    "full_name",
    "email",
    "email_key",
    "organisation_id",
    "role",
    "sector_id",
    "lived_experience",
    "may_contact",
    "may_be_named",
    "accessibility_needs",
    "dietary_needs",
    "notes",
    "time_zone",
    "display_name",
    "contact_via",
    "contact_via_email",
    "contact_consent_how",
    "contact_consent_at",
    "named_consent_how",
    "named_consent_at",
)


_IMPORTED = ConsentMethod.IMPORTED.value


def _as_is(value: Any) -> Any:
    return value


def _values(
    data: PersonData,
    vocab: Vocabulary,
    now: dt.datetime | None = None,
    store: Callable[[dt.datetime | None], Any] = _as_is,
) -> tuple[Any, ...]:
    """The stored columns of ``data``, in :data:`_COLUMN_NAMES` order.

    With ``now``, ``data`` is a new person, whose consents are dated as
    :func:`~.consents.stamped` says; ``store`` turns a time into what the
    database is sent (see :func:`_time_storer`).
    """
    contact_how, contact_at = data.contact_consent_how, data.contact_consent_at
    named_how, named_at = data.named_consent_how, data.named_consent_at
    if now is not None:
        # As consents.stamped() dates them, inline: this runs for each of 100,000 rows.
        if contact_at is None and (contact_how or data.may_contact):
            contact_how, contact_at = contact_how or _IMPORTED, now
        if named_at is None and (named_how or data.may_be_named):
            named_how, named_at = named_how or _IMPORTED, now
    return (
        data.full_name,
        data.email,
        email_key(data.email) if data.email else None,
        vocab.organisation_id(data.organisation),
        data.role,
        vocab.sector_id(data.sector),
        data.lived_experience,
        data.may_contact,
        data.may_be_named,
        data.accessibility_needs,
        data.dietary_needs,
        data.notes,
        data.time_zone,
        data.display_name,
        data.contact_via,
        data.contact_via_email,
        contact_how,
        store(contact_at),
        named_how,
        store(named_at),
    )


def _columns(data: PersonData, vocab: Vocabulary, now: dt.datetime | None = None) -> dict[str, Any]:
    return dict(zip(_COLUMN_NAMES, _values(data, vocab, now), strict=True))


def _reserve_ids(session: Session, table: Table, count: int) -> list[int] | None:
    """Ids for ``count`` new rows of ``table``, or ``None`` to let the database assign them.

    Explicit ids let the rows go in with the fastest bulk path of each database
    (COPY on PostgreSQL, one executemany on SQLite) and still link interests.
    """
    if count == 0:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # nextval() is safe under concurrency: each id is handed out once. One
        # array, not 100,000 rows, comes back.
        # The sequence is looked up once (per row, its lookup cost more than nextval).
        sequence = session.scalar(
            text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}
        )
        ids = session.scalar(
            text("SELECT array_agg(nextval(CAST(:s AS regclass))) FROM generate_series(1, :n)"),
            {"s": sequence, "n": count},
        )
        return list(ids)
    if dialect == "sqlite":
        # A write statement first takes SQLite's single write lock for this
        # transaction, so no other connection can insert between max() and ours.
        session.execute(update(table).where(false()).values(id=table.c.id))
        start = (session.scalar(select(func.max(table.c.id))) or 0) + 1
        return list(range(start, start + count))
    return None


def _dbapi_cursor(session: Session) -> Any:
    """A DB-API cursor on the session's own connection (inside its transaction)."""
    dbapi = session.connection().connection.dbapi_connection
    assert dbapi is not None
    return dbapi.cursor()


_COLUMN_TYPES = text(
    "SELECT attname, atttypid FROM pg_attribute "
    "WHERE attrelid = to_regclass(quote_ident(:t)) AND attnum > 0 AND NOT attisdropped"
)


class _Copy:
    """PostgreSQL binary COPY into one table: an order of magnitude faster than INSERT.

    Binary, with each column's type read from the catalogue, so that psycopg
    neither guesses a type per value nor escapes text (several times less
    work for 465,000 rows than ``write_row`` in text form).
    """

    def __init__(self, session: Session, table: str, columns: Sequence[str]) -> None:
        oids: dict[str, int] = {
            name: oid for name, oid in session.execute(_COLUMN_TYPES, {"t": table})
        }
        self.types = [oids[c] for c in columns]
        names = ", ".join(f'"{c}"' for c in columns)
        self.statement = f'COPY "{table}" ({names}) FROM STDIN (FORMAT BINARY)'
        self.cursor = _dbapi_cursor(session)

    @contextmanager
    def rows(self) -> Iterator[Any]:
        """The COPY, open: call ``write_row`` on it per row."""
        with self.cursor, self.cursor.copy(self.statement) as copy:
            copy.set_types(self.types)
            yield copy


def _insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) by the fastest path of the database.

    Values are plain str/int/bool/None; a timestamp is already in the form
    :func:`_stored_time` gives.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        with _Copy(session, table.name, columns).rows() as copy:
            for row in rows:
                copy.write_row(row)
    elif dialect == "sqlite":
        # One DB-API executemany, skipping SQLAlchemy's per-row parameter processing.
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        cursor = _dbapi_cursor(session)
        try:
            cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', rows)
        finally:
            cursor.close()
    else:
        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def _stored_time(session: Session, value: dt.datetime) -> Any:
    """``value`` as the timestamp column's own type would send it to this database."""
    dialect = session.get_bind().dialect
    process = _PERSON.c.created_at.type._cached_bind_processor(dialect)  # noqa: SLF001
    return process(value) if process else value


def _time_storer(
    session: Session, now: dt.datetime, stored_now: Any
) -> Callable[[dt.datetime | None], Any]:
    """A function giving a time (or ``None``) as :func:`_stored_time` would, fast.

    100,000 rows bring up to 200,000 consent times, often one twice (both
    consents given on one form): each distinct time is converted once, and a
    UTC time for SQLite is formatted directly, as SQLAlchemy stores it
    ("2026-03-31 14:05:09.000000"), several times faster than its processor.
    """
    dialect = session.get_bind().dialect
    process = _PERSON.c.created_at.type._cached_bind_processor(dialect)  # noqa: SLF001
    sqlite = dialect.name == "sqlite"
    done: dict[dt.datetime, Any] = {now: stored_now}

    def store(value: dt.datetime | None) -> Any:
        if value is None:
            return None
        found = done.get(value)
        if found is None:
            if value.tzinfo is dt.UTC:
                found = value.isoformat(" ", "microseconds")[:26] if sqlite else value
            else:
                found = process(value) if process else value
            done[value] = found
        return found

    return store


_PERSON_COLUMNS = ("id", *_COLUMN_NAMES, "created_at", "updated_at", "version")
_LINK_COLUMNS = ("person_id", "theme_id")
#: More rows than this (people and their interests) to insert: on PostgreSQL, the
#: foreign keys are checked once after the load instead of row by row (see
#: :mod:`roundtable_app.storage.bulk_load` for what that costs other users).
BULK_ROWS = 20_000


#: Columns most files leave empty, by position in a row of :data:`_PERSON_COLUMNS`, with
#: the value the database gives a row that leaves them out (no default: NULL; "how": "").
_SPARSE = tuple(
    (_PERSON_COLUMNS.index(name), empty)
    for name, empty in (
        ("display_name", None),
        ("contact_via", None),
        ("contact_via_email", None),
        ("named_consent_how", ""),
        ("named_consent_at", None),
        ("contact_consent_how", ""),
        ("contact_consent_at", None),
    )
)


def _without_unused(rows: list[tuple[Any, ...]]) -> tuple[Sequence[str], list[tuple[Any, ...]]]:
    """The columns and ``rows`` of people, less the sparse columns that no row fills.

    The database gives them the same value, and a shorter INSERT binds fewer
    values: 100,000 rows without chosen names or support contacts skip 300,000.
    """
    unused = {i for i, empty in _SPARSE if all(row[i] == empty for row in rows)}
    if not unused:
        return _PERSON_COLUMNS, rows
    kept = [i for i in range(len(_PERSON_COLUMNS)) if i not in unused]
    pick = itemgetter(*kept)
    return [_PERSON_COLUMNS[i] for i in kept], [pick(row) for row in rows]


def insert_people(
    session: Session,
    new: Sequence[tuple[PersonData, list[int]]],
    vocab: Vocabulary,
    progress: Progress,
    total: int,
) -> list[int]:
    vocab.ensure(data for data, _ in new)
    reserved = _reserve_ids(session, _PERSON, len(new))
    if reserved is None:
        return _insert_returning(session, new, vocab, progress, total)
    moment = utcnow()
    now = _stored_time(session, moment)
    values = partial(_values, vocab=vocab, now=moment, store=_time_storer(session, moment, now))
    if session.get_bind().dialect.name == "postgresql":
        return _copy_people(session, new, reserved, values, now, vocab, progress, total)
    for start in range(0, len(new), CHUNK):
        chunk = new[start : start + CHUNK]
        chunk_ids = reserved[start : start + len(chunk)]
        pairs = list(zip(chunk, chunk_ids, strict=True))
        rows = [(pid, *values(data), now, now, 1) for (data, _), pid in pairs]
        columns, rows = _without_unused(rows)
        _insert_rows(session, _PERSON, columns, rows)
        _insert_rows(
            session,
            person_theme,
            _LINK_COLUMNS,
            [(pid, tid) for (data, _), pid in pairs for tid in vocab.theme_ids(data.interests)],
        )
        progress.update(start + len(chunk), total, "Adding people…")
    return reserved


def _insert_returning(
    session: Session,
    new: Sequence[tuple[PersonData, list[int]]],
    vocab: Vocabulary,
    progress: Progress,
    total: int,
) -> list[int]:
    """Other databases: multi-row INSERT ... RETURNING, then the interests."""
    now = utcnow()
    returning = insert(_PERSON).returning(_PERSON.c.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for start in range(0, len(new), CHUNK):
        chunk = new[start : start + CHUNK]
        rows = [
            {**_columns(data, vocab, now), "created_at": now, "updated_at": now, "version": 1}
            for data, _ in chunk
        ]
        chunk_ids = list(session.execute(returning, rows).scalars())
        links = [
            (pid, tid)
            for pid, (data, _) in zip(chunk_ids, chunk, strict=True)
            for tid in vocab.theme_ids(data.interests)
        ]
        _insert_rows(session, person_theme, _LINK_COLUMNS, links)
        ids.extend(chunk_ids)
        progress.update(start + len(chunk), total, "Adding people…")
    return ids


def _copy_people(
    session: Session,
    new: Sequence[tuple[PersonData, list[int]]],
    ids: list[int],
    values: Callable[[PersonData], tuple[Any, ...]],
    now: Any,
    vocab: Vocabulary,
    progress: Progress,
    total: int,
) -> list[int]:
    """PostgreSQL: people and their interests in two COPY streams.

    One stream each (not one per batch) because most of the cost is per
    statement on the server; Cancel still works, as progress is reported
    (and may raise) while the rows are streamed, and aborts the COPY. A large
    load has its foreign keys checked once, after both streams.
    """
    links = [
        (pid, tid)
        for (data, _), pid in zip(new, ids, strict=True)
        for tid in vocab.theme_ids(data.interests)
    ]
    tables = (_PERSON.name, person_theme.name)
    bulk = len(new) + len(links) > BULK_ROWS
    with foreign_keys_checked_after(session, tables) if bulk else nullcontext(False):
        with _Copy(session, _PERSON.name, _PERSON_COLUMNS).rows() as copy:
            write = copy.write_row
            for done, ((data, _), pid) in enumerate(zip(new, ids, strict=True)):
                if done % CHUNK == 0:
                    progress.update(done, total, "Adding people…")
                write((pid, *values(data), now, now, 1))
        if links:
            with _Copy(session, person_theme.name, _LINK_COLUMNS).rows() as copy:
                write = copy.write_row
                for link in links:
                    write(link)
    progress.update(len(new), total, "Adding people…")
    return ids


def _names(session: Session, table: Table) -> dict[int | None, str | None]:
    """Every name of a vocabulary table by id, and ``None`` for no id."""
    names: dict[int | None, str | None] = {None: None}
    names.update((id_, name) for id_, name in session.execute(select(table.c.id, table.c.name)))
    return names


def _load_existing(session: Session, ids: Sequence[int]) -> dict[int, PersonData]:
    """The stored data of these people, in a few set-based queries."""
    wanted = set(ids)
    if len(wanted) > LOAD_ALL_ABOVE:
        # Many people: two full scans, filtered here, beat hundreds of IN (...) queries.
        chunks: list[list[int] | None] = [None]
    else:
        ordered = sorted(wanted)
        chunks = [ordered[i : i + IN_CHUNK] for i in range(0, len(ordered), IN_CHUNK)]
    out: dict[int, PersonData] = {}
    # Names by id, read once: cheaper than joining them to 100,000 rows.
    theme_name = {i: name for i, name in session.execute(select(_THEME.c.id, _THEME.c.name))}
    organisation_name, sector_name = _names(session, _ORGANISATION), _names(session, _SECTOR)
    person = _PERSON.c
    times, read_time = _time_reading(session, person.contact_consent_at, person.named_consent_at)
    for chunk in chunks:
        # Core columns, not ORM attributes: the rows need no ORM loading.
        links = select(person_theme.c.person_id, person_theme.c.theme_id)
        query = select(
            person.id,
            person.full_name,
            person.email,
            person.organisation_id,
            person.role,
            person.sector_id,
            person.lived_experience,
            person.may_contact,
            person.may_be_named,
            person.accessibility_needs,
            person.dietary_needs,
            person.notes,
            person.time_zone,
            person.display_name,
            person.contact_via,
            person.contact_via_email,
            person.contact_consent_how,
            person.named_consent_how,
            *times,
        )
        if chunk is not None:
            links = links.where(person_theme.c.person_id.in_(chunk))
            query = query.where(person.id.in_(chunk))
        interests: dict[int, list[str]] = {}
        for pid, theme_id in session.execute(links).all():  # all(): one fetchall, not 365k fetchone
            if pid in wanted:
                interests.setdefault(pid, []).append(theme_name[theme_id])
        for row in session.execute(query).all():
            pid = row[0]
            if pid not in wanted:
                continue
            (name, email, org, role, sector, lived, contact, named) = row[1:9]
            (access, diet, notes, zone, display, via, via_email) = row[9:16]
            (contact_how, named_how, contact_at, named_at) = row[16:]
            out[pid] = PersonData(
                name,
                email,
                organisation_name[org],
                role,
                sector_name[sector],
                # Sorted by name, as directory.get_person gives them.
                tuple(sorted(interests.get(pid, ()))),
                bool(lived),
                bool(contact),
                bool(named),
                access or "",
                diet or "",
                notes or "",
                zone,
                display,
                via,
                via_email,
                contact_how or "",
                named_how or "",
                read_time(contact_at),
                read_time(named_at),
            )
    return out


def _utc_text(value: str | None) -> dt.datetime | None:
    """A time as SQLite holds it (naive UTC text), as an aware time."""
    return None if value is None else dt.datetime.fromisoformat(value + "+00:00")


def _time_reading(
    session: Session, *columns: ColumnElement[Any]
) -> tuple[list[ColumnElement[Any]], Callable[[Any], dt.datetime | None]]:
    """Time columns to select, and how to turn what they give into aware UTC times.

    On SQLite, the stored text is read as it is and parsed here: 200,000
    times for 100,000 people, several times faster than the column type's
    own processing (the same result; the other databases use it).
    """
    if session.get_bind().dialect.name == "sqlite":
        return [type_coerce(c, String) for c in columns], _utc_text
    return list(columns), _as_is


def _dated(before: PersonData, after: PersonData, now: dt.datetime) -> PersonData:
    """``after`` with each consent that the merge changed (or its "how") dated ``now``.

    As ``directory.update_person`` does, unless the file said when.
    """
    contact_at, named_at = after.contact_consent_at, after.named_consent_at
    if contact_at is None and (after.may_contact, after.contact_consent_how) != (
        before.may_contact,
        before.contact_consent_how,
    ):
        contact_at = now
    if named_at is None and (after.may_be_named, after.named_consent_how) != (
        before.may_be_named,
        before.named_consent_how,
    ):
        named_at = now
    if (contact_at, named_at) == (after.contact_consent_at, after.named_consent_at):
        return after
    return replace(after, contact_consent_at=contact_at, named_consent_at=named_at)


def merge_existing(
    session: Session,
    into: dict[str, tuple[PersonData, list[int]]],
    existing_ids: dict[str, int],
    mapped: frozenset[str],
    vocab: Vocabulary,
    progress: Progress,
    *,
    done: int,
    total: int,
) -> list[int]:
    """Merge each file record into the stored person; return the ids of those who changed."""
    if not into:
        return []
    targets = {existing_ids[key]: data for key, (data, _) in into.items()}
    stored = _load_existing(session, list(targets))
    now = utcnow()
    changed: dict[int, tuple[PersonData, PersonData]] = {}
    for pid, incoming in targets.items():
        before = stored[pid]
        after = merge_data(before, incoming, mapped)
        if after is before:
            continue  # nothing to add (the usual case when a file is imported again)
        after = _dated(before, after, now)
        # Interests compare as a set: their stored order depends on the collation.
        if _scalars(after) != _scalars(before) or {i.lower() for i in after.interests} != {
            i.lower() for i in before.interests
        }:
            changed[pid] = (before, after)
    vocab.ensure(after for _, after in changed.values())
    items = list(changed.items())
    names = _COLUMN_NAMES
    statement = (
        update(_PERSON)
        .where(_PERSON.c.id == bindparam("b_id"))
        .values(
            {
                **{name: bindparam(f"b_{name}") for name in names},
                "updated_at": now,
                "version": _PERSON.c.version + 1,
            }
        )
    )
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        session.execute(
            statement,
            [
                {"b_id": pid, **{f"b_{k}": v for k, v in _columns(after, vocab).items()}}
                for pid, (_, after) in chunk
            ],
        )
        links: list[tuple[int, int]] = []
        for pid, (before, after) in chunk:
            had = set(vocab.theme_ids(before.interests))
            links.extend((pid, tid) for tid in vocab.theme_ids(after.interests) if tid not in had)
        _insert_rows(session, person_theme, _LINK_COLUMNS, links)
        progress.update(done + start + len(chunk), total, "Merging duplicates…")
    session.expire_all()  # ORM objects loaded above are stale after the Core update
    return list(changed)
