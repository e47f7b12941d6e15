"""The demo-data generator: counts, determinism, realism, refusal and cancel."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Integer, func, select
from sqlalchemy.orm import aliased

from roundtable_app.core.errors import Cancelled, ValidationError
from roundtable_app.core.model import SECTORS
from roundtable_app.core.progress import Progress
from roundtable_app.services.demo import ANCHOR, DemoSummary, generate_demo, words
from roundtable_app.storage.models import (
    DiscussionNote,
    DiscussionTable,
    Invitation,
    Organisation,
    Person,
    Roundtable,
    Sector,
    Series,
    Theme,
    person_theme,
)
from roundtable_app.storage.unit_of_work import Database, open_database


def _open(tmp_path: Path, name: str = "d.db") -> Database:
    return open_database(f"sqlite:///{tmp_path / name}")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = _open(tmp_path)
    yield database
    database.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    """One default demo database shared by the read-only tests."""
    database = _open(tmp_path_factory.mktemp("demo"))
    summary = generate_demo(database)
    yield database, summary
    database.close()


def _count(db: Database, table: object) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0  # type: ignore[arg-type]


def _people(db: Database) -> list[tuple[object, ...]]:
    with db.reading() as session:
        return [tuple(row) for row in session.execute(select(Person.__table__).order_by(Person.id))]


def _invitations(db: Database) -> list[tuple[object, ...]]:
    with db.reading() as session:
        query = select(Invitation.__table__).order_by(Invitation.id)
        return [tuple(row) for row in session.execute(query)]


def test_default_demo_counts_match_the_summary(demo: tuple[Database, DemoSummary]) -> None:
    db, summary = demo
    assert summary.people == 300 == _count(db, Person)
    assert summary.organisations == 50 == _count(db, Organisation)
    assert 20 <= summary.themes <= 30 and summary.themes == _count(db, Theme)
    assert 30 + 3 <= summary.roundtables <= 30 + 5 and summary.roundtables == _count(db, Roundtable)
    assert summary.invitations == _count(db, Invitation) > 300
    assert summary.tables == _count(db, DiscussionTable) > 30
    assert _count(db, Series) >= 3
    with db.reading() as session:
        kinds = Counter(session.scalars(select(DiscussionNote.kind)))
    assert kinds["need"] >= 2 * 30
    assert kinds["challenge"] >= 30


def test_same_seed_same_content_other_seed_other_content(tmp_path: Path) -> None:
    dbs = [_open(tmp_path, f"{i}.db") for i in range(3)]
    try:
        for database, seed in zip(dbs, (7, 7, 8), strict=True):
            generate_demo(database, people=200, seed=seed)
        first, same, other = (_people(d) for d in dbs)
        assert first == same
        assert _invitations(dbs[0]) == _invitations(dbs[1])
        assert first != other
        assert [p[1] for p in first] != [p[1] for p in other]  # names differ, not just dates
    finally:
        for database in dbs:
            database.close()


def test_people_spread_over_sectors_like_the_real_network(
    demo: tuple[Database, DemoSummary],
) -> None:
    db, _ = demo
    with db.reading() as session:
        per_sector = Counter(
            {
                name: n
                for name, n in session.execute(
                    select(Sector.name, func.count(Person.id))
                    .join(Person, Person.sector_id == Sector.id)
                    .group_by(Sector.name)
                )
            }
        )
        lived = session.scalar(select(func.count()).where(Person.lived_experience.is_(True)))
        lived_outside = session.scalar(
            select(func.count())
            .select_from(Person)
            .join(Sector)
            .where(Person.lived_experience.is_(True), Sector.name != "Lived experience")
        )
        named = session.scalar(select(func.count()).where(Person.may_be_named.is_(True)))
        zones = Counter(session.scalars(select(Person.time_zone)))
    assert set(per_sector) == set(SECTORS)
    common = min(
        per_sector[s] for s in ("Academic research", "Civil society", "Frontline practice")
    )
    rare = max(per_sector[s] for s in ("Parliament", "Funder"))
    assert common > 2 * rare
    assert 0.04 <= (lived or 0) / 300 <= 0.10
    assert per_sector["Lived experience"] > (lived_outside or 0)
    assert 0.45 <= (named or 0) / 300 <= 0.75
    assert zones.most_common(1)[0][0] == "Europe/London" and len(zones) > 1


def test_people_have_interests_unique_emails_and_fictional_domains(
    demo: tuple[Database, DemoSummary],
) -> None:
    db, _ = demo
    with db.reading() as session:
        rows = session.execute(select(Person.email, Person.email_key, Person.version)).all()
        interests = Counter(session.scalars(select(person_theme.c.person_id)))
        popularity = Counter(session.scalars(select(person_theme.c.theme_id)))
    keys = [key for _, key, _ in rows]
    assert len(set(keys)) == len(keys) == 300
    for email, key, version in rows:
        assert email is not None and key == email.lower() and version == 1
        assert email.split("@")[1].endswith((".example", "example.org", "example.net"))
    assert len(interests) == 300 and set(interests.values()) <= {1, 2, 3, 4, 5}
    counts = sorted(popularity.values(), reverse=True)
    assert counts[0] > 4 * counts[-1]  # skewed, Zipf-like popularity


def test_past_roundtables_seat_people_together(demo: tuple[Database, DemoSummary]) -> None:
    db, _ = demo
    a, b = aliased(Invitation), aliased(Invitation)
    with db.reading() as session:
        pairs = session.execute(
            select(a.person_id, b.person_id)
            .join(b, (a.table_id == b.table_id) & (a.person_id < b.person_id))
            .where(a.attendance == "attended", b.attendance == "attended")
        ).all()
        declined_seated = session.scalar(
            select(func.count()).where(
                Invitation.response == "declined", Invitation.table_id.is_not(None)
            )
        )
        held = session.execute(
            select(Roundtable.id, Roundtable.starts_at, Roundtable.ends_at).where(
                Roundtable.status == "held"
            )
        ).all()
        attendance = Counter(
            session.scalars(
                select(Invitation.attendance).join(Roundtable).where(Roundtable.status == "held")
            )
        )
        table_sectors = session.execute(
            select(Invitation.table_id, func.count(func.distinct(Invitation.sector_id)))
            .where(Invitation.table_id.is_not(None))
            .group_by(Invitation.table_id)
            .having(func.count() >= 4)
        ).all()
    assert len(pairs) > 100
    assert declined_seated == 0
    assert len(held) >= 12
    earliest = ANCHOR - dt.timedelta(days=3 * 366)
    for _, starts, ends in held:
        assert starts is not None and ends is not None and starts.tzinfo is not None
        assert earliest <= starts < ends < ANCHOR
    assert attendance["attended"] > attendance["no_show"] + attendance["apologies"] > 0
    assert all(sectors >= 2 for _, sectors in table_sectors)


def test_upcoming_roundtables_have_invitees(demo: tuple[Database, DemoSummary]) -> None:
    db, _ = demo
    london = ZoneInfo("Europe/London")
    with db.reading() as session:
        upcoming = session.execute(
            select(Roundtable.id, Roundtable.status, Roundtable.starts_at, Roundtable.ends_at)
            .where(Roundtable.starts_at > ANCHOR)
            .order_by(Roundtable.starts_at)
        ).all()
        uids = list(session.scalars(select(Roundtable.ical_uid)))
        invited = Counter(
            session.scalars(
                select(Invitation.roundtable_id).where(
                    Invitation.roundtable_id.in_([u.id for u in upcoming])
                )
            )
        )
        responses = set(
            session.scalars(
                select(Invitation.response).where(
                    Invitation.roundtable_id.in_([u.id for u in upcoming])
                )
            )
        )
    assert 3 <= len(upcoming) <= 5
    assert {u.status for u in upcoming} <= {"scheduled", "draft"}
    assert all(invited[u.id] >= 8 for u in upcoming)
    assert "needs_action" in responses
    assert len(set(uids)) == len(uids)
    for u in upcoming:
        local = u.starts_at.astimezone(london)
        assert 9 <= local.hour <= 14 and local.weekday() < 5 and u.ends_at > u.starts_at


def test_a_database_with_people_is_refused(db: Database) -> None:
    generate_demo(db, people=50)
    with pytest.raises(ValidationError, match="empty database"):
        generate_demo(db, people=50)
    assert _count(db, Person) == 50


def test_a_silly_size_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError):
        generate_demo(db, people=0)


def test_progress_is_reported_up_to_the_total(db: Database) -> None:
    calls: list[tuple[int, int, str]] = []
    generate_demo(db, people=120, progress=Progress(lambda d, t, m: calls.append((d, t, m))))
    done = [d for d, _, _ in calls]
    assert len(calls) >= 3 and done == sorted(done) and calls[-1][0] == calls[-1][1]


@pytest.mark.parametrize("moment", ["start", "people", "end"])
def test_cancel_leaves_the_database_empty(db: Database, moment: str) -> None:
    handles: list[Progress] = []

    def on_update(done: int, total: int, message: str) -> None:
        if (
            moment == "start"
            or (moment == "people" and "people" in message)
            or (moment == "end" and done == total)
        ):
            handles[0].cancel()

    handles.append(Progress(on_update))
    with pytest.raises(Cancelled):
        generate_demo(db, people=120, progress=handles[0])
    for table in (Person, Organisation, Theme, Roundtable, Invitation, Series, person_theme):
        assert _count(db, table) == 0, table
    assert _count(db, Sector) == len(SECTORS)
    generate_demo(db, people=120)  # and the database is still usable


@pytest.mark.postgres
def test_demo_on_postgresql(postgres_url: str) -> None:
    db = open_database(postgres_url)
    try:
        summary = generate_demo(db, people=400, seed=3)
        assert summary.people == _count(db, Person) == 400
        assert summary.invitations == _count(db, Invitation) > 0
        # The sequences were advanced: a plain insert gets a fresh id.
        with db.transaction() as session:
            session.add(
                Person(full_name="After Demo", email="after@x.example", email_key="after@x.example")
            )
            session.add(Roundtable(title="After", ical_uid="after@roundtable.invalid"))
        with pytest.raises(ValidationError):
            generate_demo(db, people=10)
    finally:
        db.close()


def test_the_anchor_moves_the_demo_world_in_time(tmp_path: Path) -> None:
    anchor = dt.datetime(2030, 6, 1, 9, 0, tzinfo=dt.UTC)
    db = _open(tmp_path, "anchored.db")
    generate_demo(db, people=120, anchor=anchor)
    with db.reading() as session:
        held = session.scalars(
            select(Roundtable.starts_at).where(Roundtable.status == "held")
        ).all()
        upcoming = session.scalars(
            select(Roundtable.starts_at).where(Roundtable.status != "held")
        ).all()
    assert held and max(held) < anchor
    assert upcoming and min(upcoming) > anchor


def _scripts(name: str) -> set[str]:
    """The scripts of a name's letters, "LATIN+" for a Latin letter with a mark."""
    found = set()
    for char in name:
        if char.isalpha():
            script = unicodedata.name(char).split()[0]
            found.add("LATIN+" if script == "LATIN" and not char.isascii() else script)
    return found


def test_a_fifth_of_people_have_names_with_diacritics_or_in_other_scripts(
    demo: tuple[Database, DemoSummary],
) -> None:
    db, _ = demo
    with db.reading() as session:
        rows = session.execute(select(Person.full_name, Person.email)).all()
    beyond_ascii = [name for name, _ in rows if not name.isascii()]
    assert 0.15 <= len(beyond_ascii) / len(rows) <= 0.25
    scripts = set().union(*(_scripts(name) for name in beyond_ascii))
    assert {"LATIN+", "CYRILLIC", "GREEK", "CJK", "ARABIC"} <= scripts
    for name, email in rows:  # an address anyone can type, made from the Latin spelling
        assert email is not None and email.isascii(), (name, email)
        assert email.split("@")[0].strip("._0123456789"), (name, email)


def test_every_name_in_another_script_has_a_latin_spelling_for_its_address() -> None:
    for origin in words.NAMES_FROM_ELSEWHERE:
        for name in origin.women + origin.men + origin.family_women + origin.family_men:
            latin = words.LATIN_SPELLING.get(name, name)
            assert unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").strip(), (
                origin.origin,
                name,
            )
        assert len(origin.family_women) == len(origin.family_men), origin.origin


def test_past_roundtables_have_the_attendance_of_real_ones(tmp_path: Path) -> None:
    """Turnout differs by sector; some walk in, some check in late; answers came several ways."""
    db = _open(tmp_path, "history.db")
    try:
        generate_demo(db, people=1500, roundtables=150, seed=5)
        with db.reading() as session:
            held = (
                select(Invitation.id)
                .join(Roundtable)
                .where(Roundtable.status == "held", Invitation.walk_in.is_(False))
            )
            by_sector = {
                name: (int(came), int(expected))
                for name, came, expected in session.execute(
                    select(
                        Sector.name,
                        func.sum(func.cast(Invitation.attendance == "attended", Integer)),
                        func.count(),
                    )
                    .join(Sector, Sector.id == Invitation.sector_id)
                    .where(Invitation.id.in_(held), Invitation.response == "accepted")
                    .group_by(Sector.name)
                )
            }
            walk_ins = session.execute(
                select(
                    Invitation.response,
                    Invitation.attendance,
                    Invitation.table_id,
                    Invitation.checked_in_at,
                    Invitation.response_channel,
                ).where(Invitation.walk_in.is_(True))
            ).all()
            arrivals = session.execute(
                select(Invitation.checked_in_at, Roundtable.starts_at, Roundtable.format)
                .join(Roundtable)
                .where(Invitation.checked_in_at.is_not(None), Invitation.walk_in.is_(False))
            ).all()
            channels = Counter(
                session.scalars(
                    select(Invitation.response_channel).where(Invitation.response != "needs_action")
                )
            )
            absent = Counter(
                session.scalars(select(Invitation.attendance).where(Invitation.id.in_(held)))
            )
    finally:
        db.close()
    turnout = {name: came / expected for name, (came, expected) in by_sector.items()}
    assert turnout["Parliament"] < turnout["Law enforcement"] < turnout["Civil society"]
    assert 0.7 < sum(c for c, _ in by_sector.values()) / sum(e for _, e in by_sector.values()) < 0.9
    assert absent["no_show"] > 50 and absent["apologies"] > 50
    assert 20 <= len(walk_ins) <= 150
    for response, attendance, table, checked_in, channel in walk_ins:
        assert (response, attendance, channel) == ("accepted", "attended", "in_person")
        assert table is not None and checked_in is not None
    late = [at - start for at, start, _ in arrivals if at > start]
    early = [start - at for at, start, _ in arrivals if at <= start]
    assert 0.04 < len(late) / len(arrivals) < 0.2 and max(late) < dt.timedelta(minutes=40)
    assert max(early) <= dt.timedelta(minutes=41)
    assert {fmt for _, _, fmt in arrivals} == {"in_person", "hybrid"}  # no door online
    assert channels.most_common(1)[0][0] == "reply" and {"email", "phone"} <= set(channels)


def test_the_history_scales_for_benchmarks(tmp_path: Path) -> None:
    db = _open(tmp_path, "scaled.db")
    try:
        summary = generate_demo(db, people=400, roundtables=60, invitees=45)
        with db.reading() as session:
            held = session.scalar(select(func.count()).where(Roundtable.status == "held"))
    finally:
        db.close()
    assert held == 60
    assert 40 * 60 < summary.invitations < 52 * 60 + 5 * 40
    with pytest.raises(ValidationError, match="between 1 and 20,000 past roundtables"):
        generate_demo(_open(tmp_path, "no.db"), people=50, roundtables=0)
    with pytest.raises(ValidationError, match="no more than the directory holds"):
        generate_demo(_open(tmp_path, "no2.db"), people=50, invitees=80)
