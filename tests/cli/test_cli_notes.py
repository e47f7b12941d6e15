"""``roundtable-app notes``: list and add discussion notes, with the guard's findings."""

from __future__ import annotations

import datetime as dt

import pytest

from roundtable_app.cli import main
from roundtable_app.services import discussion, roundtables
from roundtable_app.storage.models import DiscussionTable
from roundtable_app.storage.unit_of_work import open_database

PAST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def held(any_url, make_person):  # type: ignore[no-untyped-def]
    db = open_database(any_url)
    amina = make_person(db, full_name="Amina Yusuf", organisation="Unseen", sector="Government")
    data = roundtables.RoundtableData(
        title="Supply chains", starts_at=PAST, ends_at=PAST + dt.timedelta(hours=2)
    )
    with db.transaction() as s:
        rid = roundtables.create_roundtable(s, data).id
        roundtables.add_invitees(s, rid, [amina])
        s.add(DiscussionTable(roundtable_id=rid, number=1, name="Table 1"))
    db.close()
    return any_url, rid


def test_a_need_is_added_to_a_table_and_listed_with_its_details(held, capsys):  # type: ignore[no-untyped-def]
    url, rid = held
    code = main(
        [
            "notes", "--roundtable", str(rid), "--add", "need", "How many are exploited?",
            "--table", "1", "--priority", "high", "--sector", "government", "--database", url,
        ]
    )  # fmt: skip
    assert code == 0
    assert capsys.readouterr().out.startswith("Added evidence need #")
    assert main(["notes", "--roundtable", str(rid), "--list", "--database", url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Supply chains: 1 note, summary draft (revision 1)"
    assert out[1:4] == ["Table 1", "  Evidence needs", out[3]]
    assert out[3].endswith("How many are exploited?  [priority high; Government]")


def test_a_note_naming_an_invitee_is_saved_with_a_warning_and_flagged_in_the_list(held, capsys):  # type: ignore[no-untyped-def]
    url, rid = held
    assert main(
        ["notes", "--roundtable", str(rid), "--add", "point", "AMINA YUSUF of unseen agreed",
         "--database", url]
    ) == 0  # fmt: skip
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [
        "Warning: “AMINA YUSUF” names a participant; replace it with “a participant”, "
        "or the summary cannot be made final.",
        "Warning: “unseen” names an organisation; replace it with “an organisation”, "
        "or the summary cannot be made final.",
    ]
    main(["notes", "--roundtable", str(rid), "--list", "--database", url])
    assert "      ! “AMINA YUSUF” names a participant" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--add", "minute", "x"], "A note is a need, challenge, action or point, not 'minute'."),
        (
            ["--add", "need", "x", "--table", "7"],
            "This roundtable has no table 7; its tables are 1.",
        ),
        (
            ["--add", "point", "x", "--sector", "Government"],
            "--sector and --priority are for needs.",
        ),
        (["--list", "--table", "1"], "--theme, --sector, --priority and --table go with --add."),
        (["--add", "need", "x", "--sector", "Pirates"], "No sector is called “Pirates”"),
    ],
)
def test_mistakes_are_one_line_and_change_nothing(held, capsys, args, message):  # type: ignore[no-untyped-def]
    url, rid = held
    assert main(["notes", "--roundtable", str(rid), *args, "--database", url]) == 1
    assert message in capsys.readouterr().err
    db = open_database(url)
    with db.reading() as s:
        assert discussion.list_notes(s, rid) == []
    db.close()
