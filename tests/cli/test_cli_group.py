"""``roundtable-app group``, run as a user runs it: a real process on a demo database file."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from roundtable_app.core.model import RoundtableStatus
from roundtable_app.storage.models import DiscussionTable, Invitation, Roundtable
from roundtable_app.storage.unit_of_work import open_database


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "roundtable_app", *args], capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A demo database and its upcoming roundtable with the most invitees."""
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    result = run("demo", "--people", "300", "--out", str(path))
    assert result.returncode == 0, result.stderr
    db = open_database(f"sqlite:///{path}")
    with db.reading() as session:
        rid = (
            session.execute(
                select(Roundtable.id)
                .join(Invitation, Invitation.roundtable_id == Roundtable.id)
                .where(Roundtable.status != RoundtableStatus.HELD.value)
                .group_by(Roundtable.id)
                .order_by(func.count().desc(), Roundtable.id)
            )
            .scalars()
            .first()
        )
    db.close()
    return path, rid


def test_group_seats_stores_and_exports(demo_file, tmp_path):
    path, rid = demo_file
    out = tmp_path / "plan.csv"
    result = run(
        "group", "--roundtable", str(rid), "--tables", "3", "--seed", "4",
        "--iterations", "300", "--out", str(out), "--database", str(path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Seated ")
    assert "Table 3:" in result.stdout and "New pairings:" in result.stdout
    assert f"Saved the plan to roundtable {rid}." in result.stdout
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["Table"] for r in rows} == {"Table 1", "Table 2", "Table 3"}
    db = open_database(f"sqlite:///{path}")
    with db.reading() as session:
        numbers = session.scalars(
            select(DiscussionTable.number).where(DiscussionTable.roundtable_id == rid)
        ).all()
        seated = session.scalar(
            select(func.count()).where(
                Invitation.roundtable_id == rid, Invitation.table_id.is_not(None)
            )
        )
    db.close()
    assert sorted(numbers) == [1, 2, 3]
    assert seated == len(rows)


def test_group_keeps_the_locks_and_rules_saved_with_the_plan(demo_file, tmp_path):
    from roundtable_app.services import grouping
    from roundtable_app.services.grouping import SavedRules, load_rules, save_rules

    path, rid = demo_file
    args = ("group", "--roundtable", str(rid), "--tables", "3", "--database", str(path))
    assert run(*args, "--seed", "1", "--iterations", "50").returncode == 0
    db = open_database(f"sqlite:///{path}")
    with db.transaction() as session:
        saved = grouping.load_saved_plan(session, rid)
        assert saved is not None
        lock, other = saved.tables[2][0], saved.tables[0][0]
        apart = saved.tables[1][:2]  # two people who sit together now
        save_rules(
            session,
            rid,
            SavedRules(locked=frozenset({lock}), apart=((min(apart), max(apart)),)),
        )
    db.close()
    result = run(*args, "--seed", "9", "--iterations", "200")
    assert result.returncode == 0, result.stderr
    assert "Kept the saved rules: 1 keep-together/apart, 1 locked." in result.stdout
    db = open_database(f"sqlite:///{path}")
    with db.reading() as session:
        plan = grouping.load_saved_plan(session, rid)
        rules = load_rules(session, rid)
    db.close()
    assert plan is not None
    table_of = {pid: t for t, members in enumerate(plan.tables) for pid in members}
    assert table_of[lock] == 2  # still at table 3
    assert table_of[apart[0]] != table_of[apart[1]]
    assert rules.locked == {lock} and other not in rules.locked


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--roundtable", "999999", "--tables", "3"], "no roundtable 999999"),
        (["--tables", "500"], "500 tables need at least 1000 invitees"),
        (["--tables", "2", "--min-size", "30", "--max-size", "31"], "do not fit 2 tables"),
    ],
)
def test_group_errors_are_one_line(demo_file, args, message):
    path, rid = demo_file
    if "--roundtable" not in args:
        args = ["--roundtable", str(rid), *args]
    result = run("group", *args, "--time-limit", "1", "--database", str(path))
    assert result.returncode == 1
    assert result.stderr.startswith("roundtable-app: error:")
    assert result.stderr.strip().count("\n") == 0
    assert message in result.stderr


def test_group_has_help():
    result = run("group", "--help")
    assert result.returncode == 0 and "--roundtable ID" in result.stdout
