"""`roundtables`, `invites` and `replies` run as a user runs them, on a demo database."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

ORGANISER = {"ROUNDTABLE_ORGANISER_EMAIL": "events@centre.example"}


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ROUNDTABLE_ORGANISER")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "roundtable_app", *args],
        capture_output=True,
        text=True,
        env=environment,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    result = run("demo", "--people", "300", "--out", str(path))
    assert result.returncode == 0, result.stderr
    return path


def listed(demo: Path) -> list[tuple[int, str, str, int]]:
    result = run("roundtables", "--database", str(demo))
    assert result.returncode == 0, result.stderr
    rows = []
    for line in result.stdout.splitlines():
        m = re.match(r"\s*(\d+)\s+(\S+ \S+ \S+)\s+(\w+)\s+(\d+) invitees\s+(.+)", line)
        assert m, line
        rows.append((int(m[1]), m[3], m[5], int(m[4])))
    return rows


@pytest.mark.parametrize("command", [["roundtables"], ["invites"], ["replies"]])
def test_help(command):
    result = run(*command, "--help")
    assert result.returncode == 0 and "usage: roundtable-app" in result.stdout


def test_roundtables_lists_ids_dates_statuses(demo):
    rows = listed(demo)
    assert len(rows) > 5
    statuses = {status for _, status, _, _ in rows}
    assert {"held", "scheduled", "draft"} <= statuses


def test_invites_replies_round_trip(demo, tmp_path):
    rt_id, _, title, count = next(r for r in listed(demo) if r[1] == "scheduled" and r[3] > 3)
    out = tmp_path / "ics"
    missing = run("invites", "--roundtable", str(rt_id), "--out", str(out), "--database", str(demo))
    assert missing.returncode == 1 and "--organiser-email" in missing.stderr
    assert not out.exists()

    result = run(
        "invites",
        "--roundtable",
        str(rt_id),
        "--out",
        str(out),
        "--database",
        str(demo),
        "--organiser-name",
        "Events Team",
        env=ORGANISER,
    )
    assert result.returncode == 0, result.stderr
    files = sorted(out.glob("*.ics"))
    assert len(files) == count
    addresses = []
    for path in files:
        data = path.read_bytes()
        assert b"\r\n" in data and b"METHOD:REQUEST" in data
        cal = Calendar.from_ical(data)
        vevent = cal.walk("VEVENT")[0]
        addresses.append(str(vevent["ATTENDEE"]).removeprefix("mailto:"))
        assert vevent["ORGANIZER"].params["CN"] == "Events Team"
    for path, own in zip(files, addresses, strict=True):
        data = path.read_bytes().lower()
        assert all(a.lower().encode() not in data for a in addresses if a != own)

    eml = run(
        "invites",
        "--roundtable",
        str(rt_id),
        "--out",
        str(tmp_path / "eml"),
        "--eml",
        "--database",
        str(demo),
        env=ORGANISER,
    )
    assert eml.returncode == 0, eml.stderr
    assert len(list((tmp_path / "eml").glob("*.eml"))) == count

    # The first invitee accepts (a Thunderbird-shaped reply); a stranger replies too.
    uid = str(Calendar.from_ical(files[0].read_bytes()).walk("VEVENT")[0]["UID"])
    reply = tmp_path / "reply.ics"
    reply.write_bytes(_reply(uid, addresses[0], "ACCEPTED"))
    stranger = tmp_path / "stranger.ics"
    stranger.write_bytes(_reply(uid, "stranger@example.net", "ACCEPTED"))
    result = run("replies", str(reply), str(stranger), "--database", str(demo))
    assert result.returncode == 1, result.stderr  # the stranger's reply was not applied
    assert re.search(rf"reply.ics: .*<{re.escape(addresses[0])}>.* → accepted", result.stdout) or (
        "already accepted" in result.stdout
    )
    assert "stranger@example.net replied" in result.stdout and "not invited" in result.stdout

    # Cancel the whole roundtable: everyone gets a CANCEL with a higher SEQUENCE.
    cancelled = run(
        "invites",
        "--roundtable",
        str(rt_id),
        "--out",
        str(tmp_path / "cancel"),
        "--method",
        "cancel",
        "--cancel-roundtable",
        "--database",
        str(demo),
        env=ORGANISER,
    )
    assert cancelled.returncode == 0, cancelled.stderr
    assert "as cancelled" in cancelled.stdout
    cancels = list((tmp_path / "cancel").glob("*.ics"))
    assert len(cancels) == count
    for path in cancels:
        vevent = Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
        assert str(vevent["STATUS"]) == "CANCELLED" and vevent["SEQUENCE"] >= 1
        assert str(vevent["UID"]) == uid
    assert next(r for r in listed(demo) if r[0] == rt_id)[1] == "cancelled"


def test_invites_for_a_draft_is_a_clear_error(demo, tmp_path):
    rt_id = next(r[0] for r in listed(demo) if r[1] == "draft")
    result = run(
        "invites",
        "--roundtable",
        str(rt_id),
        "--out",
        str(tmp_path),
        "--database",
        str(demo),
        env=ORGANISER,
    )
    assert result.returncode == 1 and "draft" in result.stderr
    assert result.stderr.count("\n") == 1  # one line, no traceback


def test_replies_with_a_bad_file_reports_and_continues(demo, tmp_path):
    bad = tmp_path / "bad.ics"
    bad.write_bytes(b"not a calendar at all")
    result = run("replies", str(bad), "--database", str(demo))
    assert result.returncode == 1  # not every file was applied
    assert "bad.ics:" in result.stdout and "0 response(s) changed" in result.stdout


def _reply(uid: str, address: str, partstat: str) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
        "VERSION:2.0",
        "METHOD:REPLY",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261201T090000Z",
        "SEQUENCE:0",
        f'ATTENDEE;PARTSTAT={partstat};CN="Invitee":mailto:{address}',
        'ORGANIZER;CN="Events Team":mailto:events@centre.example',
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()
