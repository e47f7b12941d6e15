"""``roundtable-app vocabulary``: list, rename, merge and delete from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from roundtable_app.cli import main
from roundtable_app.services import directory
from roundtable_app.storage.unit_of_work import open_database


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "roundtable_app", *args], capture_output=True, text=True
    )


@pytest.fixture
def team(tmp_path: Path, make_person) -> str:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "team.db")
    db = open_database(f"sqlite:///{path}")
    make_person(db, sector="Government", interests=("Maritime labour",))
    make_person(db, sector="Government", interests=("Maritime labor",))
    make_person(db, sector="GovernmentHome Office", interests=("Maritime labor",))
    db.close()
    return path


def sectors(path: str) -> dict[str, int]:
    db = open_database(f"sqlite:///{path}")
    with db.reading() as session:
        found = {e.name: e.people for e in directory.list_vocabulary(session, "sector")}  # type: ignore[arg-type]
    db.close()
    return found


@pytest.mark.parametrize("action", [[], ["list"], ["rename"], ["merge"], ["delete"]])
def test_every_vocabulary_command_has_help(action: list[str]) -> None:
    result = run("vocabulary", *action, "--help")
    assert result.returncode == 0
    assert "usage: roundtable-app vocabulary" in result.stdout


def test_list_shows_how_many_people_use_each_and_flags_typos(team: str, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["vocabulary", "list", "sectors", "--database", team]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "People  Sector"
    assert "     2  Government" in out
    assert "     1  GovernmentHome Office  ← close to 'Government'" in out
    assert "     0  Funder  (unused)" in out
    assert out[-1] == "10 sectors."  # the nine a database starts with, and the typo
    assert main(["vocabulary", "list", "themes", "--database", team]) == 0
    assert "     2  Maritime labor" in capsys.readouterr().out


def test_merge_then_rename(team: str, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(
        ["vocabulary", "merge", "sector", "governmenthome office", "--into", "GOVERNMENT"]
        + ["--database", team]
    )
    assert code == 0
    assert capsys.readouterr().out == (
        "Merged the sector 'GovernmentHome Office' into 'Government': 1 person moved.\n"
    )
    assert sectors(team)["Government"] == 3
    assert "GovernmentHome Office" not in sectors(team)
    assert (
        main(
            ["vocabulary", "rename", "sector", "Government", "Central government"]
            + ["--database", team]
        )
        == 0
    )
    assert "Renamed the sector 'Government' to 'Central government' (3 people)." in (
        capsys.readouterr().out
    )
    assert sectors(team)["Central government"] == 3


def test_delete_only_what_nobody_uses(team: str) -> None:
    result = run("vocabulary", "delete", "sectors", "Government", "--database", team)
    assert result.returncode == 1
    assert result.stderr == (
        "roundtable-app: error: The sector 'Government' is used by 2 people, so it cannot be "
        "deleted. Merge it into another sector instead.\n"
    )
    result = run("vocabulary", "delete", "sectors", "Funder", "--database", team)
    assert (result.returncode, result.stdout) == (0, "Deleted the sector 'Funder'.\n")
    assert "Funder" not in sectors(team)


def test_errors_are_one_line_and_change_nothing(team: str) -> None:
    result = run(
        "vocabulary", "merge", "sector", "Goverment", "--into", "Funder", "--database", team
    )
    assert result.returncode == 1
    assert result.stderr == (
        "roundtable-app: error: There is no sector called 'Goverment'. "
        "Did you mean 'Government' or 'GovernmentHome Office'?\n"
    )
    result = run(
        "vocabulary", "rename", "sector", "GovernmentHome Office", "government", "--database", team
    )
    assert result.returncode == 1
    assert "merge 'GovernmentHome Office' into 'Government' instead" in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert sectors(team)["GovernmentHome Office"] == 1
    result = run("vocabulary", "list", "colours", "--database", team)
    assert result.returncode == 2
    assert "choose sectors, interests or organisations" in result.stderr
