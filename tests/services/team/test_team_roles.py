"""Team roles the database enforces, tested on the real PostgreSQL server (issue 13, section 6).

After ``team setup``, a login granted check-in reads names and today's list and
may mark arrivals, and nothing else: not lived experience, not needs, not
notes, not even with its own SQL client. Read-only reads what the statistics
need without the sensitive columns; staff may do everything. The app's own
check-in path runs as a check-in member.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import ProgrammingError

from roundtable_app.core.errors import RoundtableError
from roundtable_app.core.model import Attendance, Response
from roundtable_app.core.team import TeamRole
from roundtable_app.services import attendance, roundtables, statistics, team
from roundtable_app.storage.models import DiscussionNote, Invitation
from roundtable_app.storage.scrub import ScrubError, scrub
from roundtable_app.storage.unit_of_work import Database, open_database

pytestmark = pytest.mark.postgres

PASSWORD = "door 50% 'open'"  # quotes and a percent sign: nothing is pasted into SQL


@dataclass
class Team:
    owner: Database
    schema: str
    prefix: str
    urls: dict[TeamRole, str]
    today: int  # a roundtable today: Amina (lived experience) and Ben accepted
    later: int  # one in ten days: Carol
    people: dict[str, int]

    def client(self, role: TeamRole) -> Engine:
        """The member's own SQL client: a plain connection, the tables on its search path."""
        return create_engine(self.urls[role])

    def views(self, role: TeamRole) -> str:
        return f"{self.prefix}_{role.value}"


def _roundtable(db: Database, title: str, start: dt.datetime, people: list[int]) -> int:
    data = roundtables.RoundtableData(
        title=title, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, people)
        for inv in s.query(Invitation).filter(Invitation.roundtable_id == rid):
            inv.response = Response.ACCEPTED.value
        s.add(DiscussionNote(roundtable_id=rid, kind="challenge", text="Said in confidence"))
    return rid


@pytest.fixture
def team_db(postgres_url: str, role_prefix: str, make_person) -> Iterator[Team]:  # type: ignore[no-untyped-def]
    owner = open_database(postgres_url)
    schema = make_url(postgres_url).query["options"].split("=", 1)[1]  # type: ignore[union-attr]
    prefix = role_prefix
    people = {
        "amina": make_person(
            owner,
            full_name="Amina Yusuf",
            lived_experience=True,
            accessibility_needs="step-free access",
            notes="referred by her caseworker",
        ),
        "ben": make_person(owner, full_name="Ben Okafor", organisation="Home Office"),
        "carol": make_person(owner, full_name="Carol Lund"),
    }
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    today = _roundtable(owner, "Today's roundtable", now, [people["amina"], people["ben"]])
    later = _roundtable(owner, "Later", now + dt.timedelta(days=10), [people["carol"]])
    try:
        team.set_up(postgres_url, prefix)
        urls = {}
        for role in TeamRole:
            login = f"{prefix}_{role.value}_member"
            assert team.add_member(postgres_url, login, role, PASSWORD, prefix)
            urls[role] = (
                make_url(postgres_url)
                .set(username=login, password=PASSWORD)
                .render_as_string(hide_password=False)
            )
        yield Team(owner, schema, prefix, urls, today, later, people)
    finally:
        owner.close()


def _denied(engine: Engine, sql: str) -> str:
    with engine.connect() as conn, pytest.raises(ProgrammingError) as caught:
        conn.execute(text(sql))
    return str(caught.value.orig)


def test_check_in_cannot_read_lived_experience_needs_or_notes(team_db: Team) -> None:
    client = team_db.client(TeamRole.CHECKIN)
    for sql in (
        "SELECT lived_experience FROM person",
        "SELECT accessibility_needs FROM person",
        "SELECT full_name FROM person",  # names come through its views only
        "SELECT lived_experience FROM invitation",
        "SELECT text FROM discussion_note",
        "SELECT content FROM summary_revision",
        "SELECT detail FROM audit_entry",
    ):
        assert "permission denied" in _denied(client, sql), sql
    client.dispose()


def test_check_in_reads_names_and_todays_list_only(team_db: Team) -> None:
    client = team_db.client(TeamRole.CHECKIN)
    v = team_db.views(TeamRole.CHECKIN)
    with client.connect() as conn:
        names = conn.execute(text(f"SELECT full_name FROM {v}.person ORDER BY 1")).scalars()
        assert list(names) == ["Amina Yusuf", "Ben Okafor"]  # not Carol: she is not today
        # The sensitive columns are there for the app's queries, but empty.
        hidden = conn.execute(
            text(
                f"SELECT lived_experience, accessibility_needs, notes, may_be_named "
                f"FROM {v}.person WHERE full_name = 'Amina Yusuf'"
            )
        ).one()
        assert tuple(hidden) == (False, "", "", False)
        lists = conn.execute(text(f"SELECT DISTINCT roundtable_id FROM {v}.invitation")).scalars()
        assert list(lists) == [team_db.today]
        assert (
            conn.execute(text(f"SELECT bool_or(lived_experience) FROM {v}.invitation")).scalar()
            is False
        )
        titles = conn.execute(text(f"SELECT title FROM {v}.roundtable")).scalars()
        assert list(titles) == ["Today's roundtable"]
    client.dispose()


def test_check_in_updates_attendance_and_nothing_else(team_db: Team) -> None:
    client = team_db.client(TeamRole.CHECKIN)
    v = team_db.views(TeamRole.CHECKIN)
    with client.begin() as conn:
        changed = conn.execute(
            text(
                f"UPDATE {v}.invitation SET attendance = 'attended', checked_in_at = now() "
                "WHERE person_id = :p"
            ),
            {"p": team_db.people["ben"]},
        ).rowcount
        assert changed == 1
    with client.begin() as conn:  # another day's list is not there to change
        changed = conn.execute(
            text(f"UPDATE {v}.invitation SET attendance = 'attended' WHERE roundtable_id = :r"),
            {"r": team_db.later},
        ).rowcount
        assert changed == 0
    for sql in (
        f"UPDATE {v}.invitation SET response = 'declined'",
        f"UPDATE {v}.person SET full_name = 'X'",
        f"DELETE FROM {v}.invitation",
        "UPDATE invitation SET attendance = 'attended'",
        "DELETE FROM person",
        "INSERT INTO person (full_name) VALUES ('Mallory')",
        f"INSERT INTO {v}.invitation (roundtable_id) VALUES ({team_db.today})",
    ):
        assert "permission denied" in _denied(client, sql), sql
    client.dispose()
    with team_db.owner.reading() as s:
        ben = s.query(Invitation).filter_by(person_id=team_db.people["ben"]).one()
        assert ben.attendance == Attendance.ATTENDED.value


def test_read_only_reads_no_sensitive_column_and_changes_nothing(team_db: Team) -> None:
    client = team_db.client(TeamRole.READONLY)
    v = team_db.views(TeamRole.READONLY)
    for sql in (
        "SELECT lived_experience FROM person",
        "SELECT dietary_needs FROM person",
        "SELECT lived_experience FROM invitation",
        "SELECT text FROM discussion_note",
        "SELECT detail FROM audit_entry",
        f"UPDATE {v}.person SET full_name = 'X'",
        f"DELETE FROM {v}.invitation",
    ):
        assert "permission denied" in _denied(client, sql), sql
    with client.connect() as conn:
        row = conn.execute(
            text(
                f"SELECT full_name, lived_experience, accessibility_needs, notes, may_contact "
                f"FROM {v}.person WHERE full_name = 'Amina Yusuf'"
            )
        ).one()
        assert tuple(row) == ("Amina Yusuf", False, "", "", False)
        assert conn.execute(text(f"SELECT count(*) FROM {v}.invitation")).scalar() == 3
    client.dispose()


def test_staff_may_do_everything(team_db: Team) -> None:
    client = team_db.client(TeamRole.STAFF)
    with client.begin() as conn:
        assert conn.execute(text("SELECT bool_or(lived_experience) FROM person")).scalar()
        assert conn.execute(text("SELECT count(*) FROM discussion_note")).scalar() == 2
        conn.execute(text("UPDATE person SET notes = 'seen' WHERE full_name = 'Ben Okafor'"))
        conn.execute(text("INSERT INTO sector (name, sort_order) VALUES ('Academia', 9)"))
        conn.execute(text("DELETE FROM discussion_note"))
    client.dispose()
    staff = open_database(team_db.urls[TeamRole.STAFF], create=False)
    try:
        assert team.current_role(staff) == TeamRole.STAFF
    finally:
        staff.close()


def test_setup_again_changes_nothing_and_keeps_the_grants(team_db: Team) -> None:
    url = team_db.owner.engine.url.render_as_string(hide_password=False)
    again = team.set_up(url, team_db.prefix)
    assert again.created == ()
    assert again.roles[TeamRole.CHECKIN] == f"{team_db.prefix}_checkin"
    test_check_in_cannot_read_lived_experience_needs_or_notes(team_db)
    test_check_in_reads_names_and_todays_list_only(team_db)
    assert team.current_role(team_db.owner) is None  # the owner may do everything


def test_the_apps_check_in_path_works_as_a_check_in_member(team_db: Team) -> None:
    db = open_database(team_db.urls[TeamRole.CHECKIN], create=False)
    try:
        assert team.current_role(db) == TeamRole.CHECKIN
        with db.reading() as s:
            doors = attendance.open_doors(s)
            assert [d.roundtable_id for d in doors] == [team_db.today]
            door = attendance.door(s, team_db.today)
        assert {r.name for r in door.rows} == {"Amina Yusuf", "Ben Okafor"}
        assert not any(r.lived_experience or r.has_needs for r in door.rows)
        amina = next(r for r in door.rows if r.name == "Amina Yusuf")
        with db.transaction() as s:
            done = attendance.check_in(s, amina.invitation_id)
        assert done.changed
        with db.transaction() as s:
            assert attendance.undo_check_in(s, done)
        with db.transaction() as s:
            attendance.check_in(s, amina.invitation_id)
        with db.reading() as s:
            assert attendance.arrival_counts(s, team_db.today).arrived == 1
    finally:
        db.close()


def test_the_statistics_load_as_a_read_only_member_without_lived_experience(
    team_db: Team,
) -> None:
    db = open_database(team_db.urls[TeamRole.READONLY], create=False)
    past = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)  # today's roundtable took place
    try:
        assert team.current_role(db) == TeamRole.READONLY
        with db.reading() as s:
            history = statistics.load_history(s, past)
        assert len(history.roundtable_ids) == 1
        assert len(history.person) == 2
        assert not history.lived.any()
    finally:
        db.close()


def test_setup_needs_postgresql(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RoundtableError, match="Team roles need PostgreSQL"):
        team.set_up(f"sqlite:///{tmp_path / 'team.db'}")


def test_setup_says_when_the_login_may_not_create_roles(postgres_url: str) -> None:
    login = f"rt{uuid.uuid4().hex[:8]}_owner"
    admin = create_engine(postgres_url)
    schema = make_url(postgres_url).query["options"].split("=", 1)[1]  # type: ignore[union-attr]
    own = f"{schema}_own"
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {login} LOGIN NOCREATEROLE PASSWORD 'x'")
        conn.exec_driver_sql(f"GRANT {login} TO CURRENT_USER")  # to give it a schema
        conn.exec_driver_sql(f"CREATE SCHEMA {own} AUTHORIZATION {login}")
    url = (
        make_url(postgres_url)
        .set(username=login, password="x")
        .update_query_dict({"options": f"-csearch_path={own}"})
        .render_as_string(hide_password=False)
    )
    try:
        with pytest.raises(RoundtableError, match=f"{login} may not create the team's roles"):
            team.set_up(url, f"rt{uuid.uuid4().hex[:8]}")
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {own} CASCADE")
            conn.exec_driver_sql(f"DROP ROLE {login}")
        admin.dispose()


def test_a_staff_members_erasure_says_the_owner_must_rewrite_the_files(team_db: Team) -> None:
    """VACUUM FULL skips, with a mere warning, tables another role owns: say so instead."""
    staff = open_database(team_db.urls[TeamRole.STAFF], create=False)
    try:
        with pytest.raises(ScrubError, match="only the owner of the database's tables"):
            scrub(staff.engine, ["person", "invitation"])
    finally:
        staff.close()
    scrub(team_db.owner.engine, ["person", "invitation"])  # the owner may


def test_an_upgrade_makes_the_views_again_around_the_migration(team_db: Team) -> None:
    """The views name columns: a migration dropping one is refused while they stand, so the
    upgrade drops them first and makes them again (with the grants) afterwards."""
    from alembic import command

    from roundtable_app.storage import roles
    from roundtable_app.storage.engine import _alembic_config

    engine = team_db.owner.engine
    with engine.connect() as conn, pytest.raises(Exception, match="used by a view"):
        conn.exec_driver_sql("ALTER TABLE person ALTER COLUMN display_name TYPE text")
    # Back to the revision before 0010 (which added person columns the views show)...
    with engine.begin() as conn:
        assert roles.before_upgrade(conn) == [team_db.prefix]
        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0009")
    url = engine.url.render_as_string(hide_password=False)
    # ...and up again, as the owner opening the database with this version does.
    upgraded = open_database(url)
    try:
        assert upgraded.upgrade_result is not None and upgraded.upgrade_result.changed
    finally:
        upgraded.close()
    test_check_in_cannot_read_lived_experience_needs_or_notes(team_db)
    test_the_apps_check_in_path_works_as_a_check_in_member(team_db)


def test_neither_role_can_tell_lived_experience_from_an_organisation_role_or_interest(
    team_db: Team,
) -> None:
    from dataclasses import replace

    from roundtable_app.services import directory

    with team_db.owner.transaction() as s:
        amina = directory.get_person(s, team_db.people["amina"])
        directory.update_person(
            s,
            amina.id,
            replace(
                amina.data,
                organisation="Larkhollow Survivors' Network",
                role="Member, Lived Experience Panel",
                interests=("Lived experience leadership", "Survivor support"),
            ),
            amina.version,
        )
        ben = directory.get_person(s, team_db.people["ben"])
        directory.update_person(s, ben.id, replace(ben.data, role="Policy adviser"), ben.version)
    amina_id, ben_id = team_db.people["amina"], team_db.people["ben"]
    for role in (TeamRole.CHECKIN, TeamRole.READONLY):
        client, v = team_db.client(role), team_db.views(role)
        with client.connect() as conn:
            rows = dict(conn.execute(text(f"SELECT id, organisation_id FROM {v}.person")).all())
            assert rows[amina_id] is None, role
            assert rows[ben_id] is not None, role  # everyone else's is there
        client.dispose()
    client, v = team_db.client(TeamRole.READONLY), team_db.views(TeamRole.READONLY)
    with client.connect() as conn:
        roles = dict(conn.execute(text(f"SELECT id, role FROM {v}.person")).all())
        assert roles[amina_id] is None and roles[ben_id] == "Policy adviser"
        interests = conn.execute(
            text(
                f"SELECT t.name FROM {v}.person_theme pt JOIN {v}.theme t ON t.id = pt.theme_id "
                "WHERE pt.person_id = :p"
            ),
            {"p": amina_id},
        ).scalars()
        assert list(interests) == ["Survivor support"]
    client.dispose()


def test_adding_a_member_never_takes_over_a_group_role_or_the_owner(team_db: Team) -> None:
    from roundtable_app.core.errors import ValidationError

    url = team_db.owner.engine.url.render_as_string(hide_password=False)
    owner = team_db.owner.engine.url.username or ""
    for login in (f"{team_db.prefix}_staff", owner):
        with pytest.raises(ValidationError, match="nothing was changed"):
            team.add_member(url, login, TeamRole.CHECKIN, "x", team_db.prefix)
    # The staff group still cannot log in, and the owner's password still works.
    with team_db.owner.engine.connect() as conn:
        can_log_in = conn.execute(
            text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :r"),
            {"r": f"{team_db.prefix}_staff"},
        ).scalar()
    assert can_log_in is False
    # An existing member's own login may still be given a new role and password.
    login = f"{team_db.prefix}_checkin_member"
    assert team.add_member(url, login, TeamRole.READONLY, PASSWORD, team_db.prefix) is False


def test_a_read_only_member_prints_final_summaries_and_reads_no_notes(team_db: Team) -> None:
    """The final summary as it prints, through a view of summary_revision; never the notes,
    the draft, the revision's notes or who made it final."""
    from roundtable_app.core.discussion import NoteKind
    from roundtable_app.core.errors import NotFoundError
    from roundtable_app.services import discussion

    with team_db.owner.transaction() as s:
        discussion.finalise(s, team_db.today, 1)
    with team_db.owner.transaction() as s:
        discussion.reopen(s, team_db.today, 1)
        discussion.add_lines(s, team_db.today, NoteKind.POINT, "Draft secret")
    with team_db.owner.reading() as s:
        staff_sees = discussion.final_summary(s, team_db.today)
    db = open_database(team_db.urls[TeamRole.READONLY], create=False)
    try:
        with db.reading() as s:
            listed = discussion.final_summaries(s)
            content = discussion.final_summary(s, team_db.today)
            with pytest.raises(NotFoundError, match="'Later' has not been made final"):
                discussion.final_summary(s, team_db.later)
    finally:
        db.close()
    assert [(f.roundtable_id, f.title, f.revision) for f in listed] == [
        (team_db.today, "Today's roundtable", 1)
    ]
    assert content == staff_sees
    assert [c.text for c in content.challenges] == ["Said in confidence"]
    assert content.points == ()  # the draft's new note is not there
    client = team_db.client(TeamRole.READONLY)
    v = team_db.views(TeamRole.READONLY)
    with client.connect() as conn:
        hidden = conn.execute(text(f"SELECT content, finalised_by FROM {v}.summary_revision"))
        assert [tuple(r) for r in hidden] == [("", "")]
        printed = conn.execute(text(f"SELECT printed FROM {v}.summary_revision")).scalar_one()
        assert "Said in confidence" in printed and "Draft secret" not in printed
    for sql in (
        f"SELECT content FROM {team_db.schema}.summary_revision",
        "SELECT text FROM discussion_note",
        "SELECT state FROM discussion_summary",
        f"UPDATE {v}.summary_revision SET printed = ''",
    ):
        assert "permission denied" in _denied(client, sql), sql
    client.dispose()
