"""`roundtable-app attendance`: list and record who came, on SQLite and PostgreSQL.

Run in-process on both backends: what is printed, what is stored, and that a
wrong address or status is a one-line error that changes nothing.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from roundtable_app.cli import main
from roundtable_app.core.model import Attendance, Response, ResponseChannel
from roundtable_app.services import attendance, directory, grouping, roundtables
from roundtable_app.storage.models import Invitation

PAST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
TITLE = "roundtable {rid} 'Survivor support'"


@pytest.fixture
def held(db, make_person, any_url):  # type: ignore[no-untyped-def]
    """A past roundtable: Zoe accepted by phone, Adam declined, Mei has not answered."""
    zoe = make_person(
        db,
        full_name="Zoe Abara",
        email="zoe@example.org",
        organisation="Unseen",
        lived_experience=True,
    )
    adam = make_person(db, full_name="Adam Zielinski", email="adam@example.org")
    mei = make_person(db, full_name="Mei Lin", email="mei@example.org")
    make_person(db, full_name="Amina Yusuf", email="amina@example.org")
    data = roundtables.RoundtableData(
        title="Survivor support", starts_at=PAST, ends_at=PAST + dt.timedelta(hours=2)
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, [zoe, adam, mei])
        for person, response in ((zoe, Response.ACCEPTED), (adam, Response.DECLINED)):
            inv = s.query(Invitation).filter_by(roundtable_id=rid, person_id=person).one()
            inv.response = response.value
            inv.response_channel = ResponseChannel.PHONE.value if person == zoe else "reply"
        pool = grouping.pool_from_people(s, [zoe, adam, mei])
        grouping.save_plan(s, rid, grouping.plan_from_tables(pool, [[zoe, mei], [adam]]))
    return db, rid, any_url


def run(url: str, rid: int, *args: str) -> int:
    return main(["attendance", "--roundtable", str(rid), *args, "--database", url])


def stored(db, rid) -> dict[str, Attendance]:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return {r.name: r.attendance for r in attendance.attendance_rows(s, rid)}


def one_line_error(err: str) -> str:
    assert err.startswith("roundtable-app: error: "), err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.removeprefix("roundtable-app: error: ").strip()


def test_the_list_in_sign_in_order_with_answers_and_how_they_came(held, capsys) -> None:  # type: ignore[no-untyped-def]
    db, rid, url = held
    assert run(url, rid) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "ATTENDANCE   ANSWER                  PERSON",
        "unknown      accepted (by phone)     Zoe Abara <zoe@example.org>, Unseen, table 1",
        "unknown      no answer               Mei Lin <mei@example.org>, table 1",
        "unknown      declined                Adam Zielinski <adam@example.org>, table 2",
        f"3 people on the list of {TITLE.format(rid=rid)}: 3 not recorded.",
    ]
    assert "lived" not in out.lower()  # never shown, whoever reads the terminal


def test_set_records_attendance_and_says_what_was_already_so(held, capsys) -> None:  # type: ignore[no-untyped-def]
    db, rid, url = held
    assert run(url, rid, "--set", "no-show", "MEI@example.org", "zoe@example.org") == 0
    assert capsys.readouterr().out == (
        f"Marked 2 people no-show at {TITLE.format(rid=rid)}: Mei Lin, Zoe Abara.\n"
    )
    assert run(url, rid, "--set", "apologies", "mei@example.org", "adam@example.org") == 0
    assert run(url, rid, "--set", "Apologies", "mei@example.org") == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Mei Lin is marked apologies already; nothing changed."
    )
    assert stored(db, rid) == {
        "Zoe Abara": Attendance.NO_SHOW,
        "Mei Lin": Attendance.APOLOGIES,
        "Adam Zielinski": Attendance.APOLOGIES,
    }
    assert run(url, rid, "--set", "unknown", "zoe@example.org") == 0
    assert stored(db, rid)["Zoe Abara"] == Attendance.UNKNOWN


def test_a_wrong_address_or_status_changes_nothing(held, capsys) -> None:  # type: ignore[no-untyped-def]
    db, rid, url = held
    assert run(url, rid, "--set", "attended", "zoe@example.org", "amina@example.org", "x@y.z") == 1
    assert one_line_error(capsys.readouterr().err) == (
        f"amina@example.org, x@y.z are not on the list of roundtable {rid} “Survivor support”; "
        "check the addresses, or add someone who came uninvited with --walk-in EMAIL"
    )
    assert run(url, rid, "--set", "maybe", "zoe@example.org") == 1
    assert "--set takes attended, no-show, apologies or unknown first, not 'maybe'" in (
        capsys.readouterr().err
    )
    assert run(url, rid, "--set", "attended") == 1
    assert "needs the addresses" in one_line_error(capsys.readouterr().err)
    assert set(stored(db, rid).values()) == {Attendance.UNKNOWN}


def test_everyone_who_accepted_attended(held, capsys) -> None:  # type: ignore[no-untyped-def]
    db, rid, url = held
    assert run(url, rid, "--accepted-attended") == 0
    assert capsys.readouterr().out == (
        f"Marked 1 person who accepted {TITLE.format(rid=rid)} as attended.\n"
    )
    assert stored(db, rid)["Zoe Abara"] == Attendance.ATTENDED
    assert run(url, rid, "--accepted-attended") == 0
    assert "nothing changed" in capsys.readouterr().out


def test_walk_ins_from_the_directory_or_new_to_it(held, capsys) -> None:  # type: ignore[no-untyped-def]
    db, rid, url = held
    title = TITLE.format(rid=rid)
    assert run(url, rid, "--walk-in", "Amina@Example.org", "--table", "2") == 0
    assert capsys.readouterr().out == (
        f"Added Amina Yusuf <amina@example.org> to {title} as a walk-in who attended, "
        "seated at table 2.\n"
    )
    assert run(url, rid, "--walk-in", "kofi@example.org") == 1
    assert one_line_error(capsys.readouterr().err) == (
        "nobody in the directory has the address kofi@example.org; "
        "add --name NAME to add them as a new person"
    )
    assert run(url, rid, "--walk-in", "kofi@example.org", "--name", " Kofi  Boateng ") == 0
    assert capsys.readouterr().out == (
        f"Added Kofi Boateng <kofi@example.org> to the directory, and to {title} "
        "as a walk-in who attended.\n"
    )
    assert run(url, rid, "--walk-in", "mei@example.org") == 0  # on the list: attended
    assert "is on the list of" in capsys.readouterr().out
    assert run(url, rid, "--walk-in", "x@example.org", "--name", "X", "--table", "9") == 1
    assert one_line_error(capsys.readouterr().err) == (
        "There is no table 9 at this roundtable: it has tables 1, 2."
    )
    with db.reading() as s:
        rows = {r.name: r for r in attendance.attendance_rows(s, rid)}
        assert directory.find_by_email(s, "x@example.org") is None  # nothing half-done
    assert rows["Amina Yusuf"].walk_in and rows["Amina Yusuf"].table == 2
    assert rows["Kofi Boateng"].attendance == Attendance.ATTENDED
    assert rows["Mei Lin"].attendance == Attendance.ATTENDED and not rows["Mei Lin"].walk_in
    assert run(url, rid) == 0
    listing = capsys.readouterr().out.splitlines()
    assert (
        "attended     walk-in                 Amina Yusuf <amina@example.org>, table 2" in listing
    )
    assert listing[-1].endswith(": 3 attended, 2 not recorded; 2 walk-ins.")


def test_a_roundtable_to_come_or_missing_is_refused(db, any_url, make_person, capsys) -> None:  # type: ignore[no-untyped-def]
    person = make_person(db, email="soon@example.org")
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=20)
    data = roundtables.RoundtableData(
        title="Next month", starts_at=soon, ends_at=soon + dt.timedelta(hours=2)
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, [person])
    assert run(any_url, rid, "--set", "attended", "soon@example.org") == 1
    assert one_line_error(capsys.readouterr().err) == (
        "“Next month” has not started yet: attendance is recorded once it has begun."
    )
    assert run(any_url, 9999) == 1
    assert "There is no roundtable 9999; list the roundtables" in capsys.readouterr().err
    assert main(["attendance", "--roundtable", str(rid), "--name", "X", "--database", any_url]) == 1
    assert "--name and --table go with --walk-in EMAIL" in capsys.readouterr().err


def test_attendance_has_help_and_one_action_at_a_time() -> None:
    command = [sys.executable, "-m", "roundtable_app", "attendance"]
    shown = subprocess.run([*command, "--help"], capture_output=True, text=True)
    assert shown.returncode == 0 and "--accepted-attended" in shown.stdout
    both = subprocess.run(
        [*command, "--roundtable", "1", "--accepted-attended", "--walk-in", "a@b.org"],
        capture_output=True,
        text=True,
    )
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


def test_attendance_never_creates_a_database(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nonexistent" / "x.db"
    assert main(["attendance", "--roundtable", "1", "--database", f"sqlite:///{missing}"]) == 1
    assert one_line_error(capsys.readouterr().err).endswith(
        f"no database at {missing}; create it with roundtable-app init"
    )
    assert not (tmp_path / "nonexistent").exists()
