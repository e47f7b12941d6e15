"""Erasure: the person gone from every table and from the database's files, statistics kept.

The files are read as bytes: SQLite's database, write-ahead log and shared memory
files; PostgreSQL's table and index files on the real server (as the machine's
administrator, which the tests and CI are).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, select, text

from roundtable_app.core.discussion import NoteKind
from roundtable_app.core.errors import NotFoundError
from roundtable_app.core.model import Attendance, PersonData
from roundtable_app.services import directory, discussion, privacy, roundtables
from roundtable_app.storage import engine as storage_engine
from roundtable_app.storage.models import AuditEntry, Invitation, Person, SummaryRevision
from roundtable_app.storage.scrub import ScrubError, scrub
from roundtable_app.storage.unit_of_work import Database, open_database

EMAIL = "zanele.okonkwo-erasable@example.org"
NAME = "Zanele Okonkwo-Erasable"
PAST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _held(db: Database) -> tuple[int, int]:
    """A held roundtable that the person (and a colleague) attended, whose notes name them."""
    with db.transaction() as s:
        person = directory.create_person(
            s,
            PersonData(
                full_name=NAME, email=EMAIL, sector="Lived experience", lived_experience=True
            ),
        ).id
        other = directory.create_person(
            s, PersonData(full_name="Colleague", email="colleague@example.org")
        ).id
        rid = roundtables.create_roundtable(
            s,
            roundtables.RoundtableData(
                title="Recovery", starts_at=PAST, ends_at=PAST + dt.timedelta(hours=2)
            ),
        ).id
        roundtables.add_invitees(s, rid, [person, other])
        for inv in s.query(Invitation).filter_by(roundtable_id=rid):
            inv.attendance = Attendance.ATTENDED.value
        discussion.add_note(
            s,
            rid,
            NoteKind.CHALLENGE,
            fields=discussion.NoteFields(text=f"{NAME} said support ends too soon"),
        )
    return person, rid


def test_erasure_removes_the_person_and_their_name_and_keeps_anonymous_statistics(db) -> None:  # type: ignore[no-untyped-def]
    person, rid = _held(db)
    with db.reading() as s:
        preview = privacy.erasure_preview(s, person)
    assert (preview.invitations, preview.mentions) == (1, 1)
    assert preview.stays().startswith("1 invitation stays in the statistics without their name")
    with db.transaction() as s:
        assert privacy.erase_person(s, person) == 1
    privacy.clean_up(db)
    with db.reading() as s:
        assert s.get(Person, person) is None
        kept = s.scalars(select(Invitation).where(Invitation.roundtable_id == rid)).all()
        anonymous = [inv for inv in kept if inv.person_id is None]
        assert len(anonymous) == 1
        assert anonymous[0].lived_experience and anonymous[0].attendance == "attended"
        texts = [n.text for n in discussion.list_notes(s, rid)]
        assert texts == ["A participant said support ends too soon"]
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "person")).all()
        assert ("erased", person) in {(e.action, e.entity_id) for e in entries}
        assert not [e for e in entries if NAME in e.detail or EMAIL in e.detail]
    with db.transaction() as s, pytest.raises(NotFoundError):
        privacy.erase_person(s, person)  # twice: a clear message, nothing else


def test_a_final_summarys_kept_revisions_lose_the_name_too(db) -> None:  # type: ignore[no-untyped-def]
    person, rid = _held(db)
    with db.transaction() as s:
        note = discussion.list_notes(s, rid)[0]
        # Acknowledged as a public source: the summary may be made final with it.
        discussion.update_note(
            s,
            note.id,
            note.version,
            discussion.NoteFields(acknowledged=frozenset({NAME.casefold()})),
        )
    with db.transaction() as s:
        state, revision = discussion.summary_state(s, rid)
        discussion.finalise(s, rid, revision)
    with db.reading() as s:
        before = s.scalars(select(SummaryRevision.content)).all()
    assert any(NAME in c for c in before)
    with db.transaction() as s:
        privacy.erase_person(s, person)
    with db.reading() as s:
        after = [json.loads(c) for c in s.scalars(select(SummaryRevision.content))]
    assert [item["text"] for c in after for item in c] == [
        "A participant said support ends too soon"
    ]


def _sqlite_bytes(path: Path) -> bytes:
    return b"".join(
        p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )


@pytest.mark.parametrize("library_default", ["secure delete", "no secure delete"])
def test_on_sqlite_the_erased_bytes_are_in_no_file(tmp_path, monkeypatch, library_default) -> None:  # type: ignore[no-untyped-def]
    if library_default == "no secure delete":
        # As SQLite is built by default: deleted content stays in free pages unless
        # something else removes it.
        connect = storage_engine._on_sqlite_connect

        def without_secure_delete(dbapi_connection, record):  # type: ignore[no-untyped-def]
            connect(dbapi_connection, record)
            dbapi_connection.execute("PRAGMA secure_delete = OFF")

        monkeypatch.setattr(storage_engine, "_on_sqlite_connect", without_secure_delete)
    path = tmp_path / "team.db"
    db = open_database(f"sqlite:///{path}")
    try:
        person, _ = _held(db)
        for n in range(40):  # other people around them, as in a real directory
            with db.transaction() as s:
                directory.create_person(
                    s, PersonData(full_name=f"Other {n}", email=f"other{n}@example.org")
                )
        assert EMAIL.encode() in _sqlite_bytes(path)
        with db.transaction() as s:
            privacy.erase_person(s, person)
        privacy.clean_up(db)
        with db.reading() as s:  # the database is intact and in use
            assert s.scalar(select(Person.full_name).where(Person.email == "other39@example.org"))
    finally:
        db.close()
    data = _sqlite_bytes(path)
    assert EMAIL.encode() not in data
    assert NAME.encode() not in data
    assert b"Okonkwo" not in data


def _relation_files(db: Database) -> list[Path]:
    """The files of the tables that held the person, and of their indexes."""
    lines = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    port = db.engine.url.port or 5432
    data_dir = next(Path(line.split()[5]) for line in lines if line.split()[2] == str(port))
    with db.engine.connect() as connection:
        paths = connection.execute(
            text(
                "SELECT pg_relation_filepath(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "LEFT JOIN pg_index i ON i.indexrelid = c.oid "
                "LEFT JOIN pg_class t ON t.oid = i.indrelid "
                "WHERE n.nspname = current_schema() "
                "AND coalesce(t.relname, c.relname) = ANY(:tables) AND c.relkind IN ('r', 'i')"
            ),
            {"tables": list(privacy.PERSONAL_TABLES)},
        ).scalars()
        files = [data_dir / p for p in paths if p]
    return [f for base in files for f in [base, *sorted(base.parent.glob(f"{base.name}.*"))]]


@pytest.mark.postgres
def test_on_postgresql_the_erased_bytes_are_in_no_table_or_index_file(postgres_url) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("pg_lsclusters") is None:
        pytest.fail("pg_lsclusters is needed to find the server's files (Debian's PostgreSQL)")
    gc.collect()  # sessions earlier tests left to the collector end their transactions
    db = open_database(postgres_url)
    try:
        person, _ = _held(db)
        with db.transaction() as s:  # an edit leaves an old row version behind
            directory.update_person(
                s,
                person,
                PersonData(full_name=NAME, email=EMAIL, notes="Prefers afternoons"),
                s.get(Person, person).version,
            )
        privacy.clean_up(db)  # the rows written to the files, as a checkpoint would
        before = b"".join(f.read_bytes() for f in _relation_files(db))
        assert EMAIL.encode() in before
        with db.transaction() as s:
            privacy.erase_person(s, person)
        privacy.clean_up(db)
        after = b"".join(f.read_bytes() for f in _relation_files(db))
        assert EMAIL.encode() not in after
        assert NAME.encode() not in after
    finally:
        db.close()


@pytest.mark.postgres
def test_a_colleagues_open_transaction_is_waited_for_then_named(postgres_url) -> None:  # type: ignore[no-untyped-def]
    """A transaction begun before the erasure may still see the row: VACUUM FULL must keep
    it. The clean-up waits for it, and if it stays open says the clean-up must be redone."""
    gc.collect()
    db = open_database(postgres_url)
    colleague = create_engine(make_url(postgres_url), isolation_level="REPEATABLE READ")
    try:
        person, _ = _held(db)
        privacy.clean_up(db)
        with colleague.connect() as other:
            # A snapshot kept for the whole transaction, taken before the erasure (and no
            # lock on the person table, which would make the rewrite wait instead).
            other.execute(text("SELECT count(*) FROM theme"))
            with db.transaction() as s:
                privacy.erase_person(s, person)
            with pytest.raises(ScrubError, match="roundtable-app person scrub"):
                scrub(db.engine, privacy.PERSONAL_TABLES, wait=0.5)
            assert EMAIL.encode() in b"".join(f.read_bytes() for f in _relation_files(db))
        privacy.clean_up(db)  # the colleague has finished
        assert EMAIL.encode() not in b"".join(f.read_bytes() for f in _relation_files(db))
    finally:
        colleague.dispose()
        db.close()


def test_a_chosen_display_name_goes_from_the_notes_too(db) -> None:  # type: ignore[no-untyped-def]
    person, rid = _held(db)
    with db.transaction() as s:
        current = directory.get_person(s, person)
        directory.update_person(
            s, person, replace(current.data, display_name="Zaza"), current.version
        )
        discussion.add_note(
            s, rid, NoteKind.POINT, fields=discussion.NoteFields(text="Zaza asked about housing")
        )
    with db.transaction() as s:
        privacy.erase_person(s, person)
    with db.reading() as s:
        texts = [n.text for n in discussion.list_notes(s, rid)]
    assert not [t for t in texts if "Zaza" in t]
    assert "A participant asked about housing" in texts
