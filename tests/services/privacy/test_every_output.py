"""Consent, enforced in every output the app writes (issue 13, section 1).

Over a demo database in which some people did not consent to be named or to be
contacted, every output is written the way a user writes it (the command line,
which calls the same services as the window; the table plan's PDF from the
window's service), read back, and searched: the name of someone who did not
consent to be named is nowhere; no file goes to someone who did not consent to
be contacted; no invitation names anyone but its addressee; and nothing says
which person has lived experience. Then consent is withdrawn and the same
outputs follow from that moment.
"""

from __future__ import annotations

import datetime as dt
import email
import json
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import docx
import docx.table
import openpyxl
import pytest
from pypdf import PdfReader

from roundtable_app.cli import main
from roundtable_app.core.model import Attendance, Response, RoundtableStatus
from roundtable_app.services import directory, grouping, reports
from roundtable_app.services.demo import generate_demo
from roundtable_app.storage.models import Invitation, Person, Roundtable
from roundtable_app.storage.unit_of_work import Database, open_database

ORGANISER = ["--organiser-email", "events@centre.example", "--organiser-name", "Events Team"]


def read_text(path: Path) -> str:
    """What a reader of ``path`` sees, as plain text."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)
    if suffix == ".docx":
        document = docx.Document(str(path))
        parts = [document.sections[0].header.paragraphs[0].text]
        for block in document.iter_inner_content():
            if isinstance(block, docx.table.Table):
                parts += [c.text for row in block.rows for c in row.cells]
            else:
                parts.append(block.text)
        return " ".join(" ".join(x.split()) for x in parts)
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        return " ".join(
            str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c
        )
    if suffix == ".eml":
        message = email.message_from_bytes(path.read_bytes())
        parts = [str(message["To"]), str(message["Subject"])]
        for part in message.walk():
            if not part.is_multipart():
                payload = part.get_payload(decode=True)
                parts.append(payload.decode("utf-8", "replace") if payload else "")
        return " ".join(parts)
    if suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            texts = []
            for name in archive.namelist():
                inner = path.parent / f"unzipped-{name}"
                inner.write_bytes(archive.read(name))
                texts.append(read_text(inner))
            return " ".join(texts)
    if suffix == ".json":
        return json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
    text = path.read_text(encoding="utf-8-sig")
    # An .ics folds long lines: unfold them, as a calendar program does.
    return text.replace("\r\n ", "").replace("\n ", "") if suffix == ".ics" else text


def run(*argv: str) -> None:
    assert main(list(argv)) == 0, argv


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, str, Path]]:
    folder = tmp_path_factory.mktemp("every-output")
    url = f"sqlite:///{folder / 'demo.db'}"
    database = open_database(url)
    generate_demo(database)
    yield database, url, folder
    database.close()


def _people(db: Database, roundtable_id: int) -> list[Person]:
    with db.reading() as s:
        people = (
            s.query(Person).join(Invitation).filter(Invitation.roundtable_id == roundtable_id).all()
        )
        s.expunge_all()
    return people


def _upcoming(db: Database) -> int:
    """A scheduled roundtable whose invitees include people who did not consent."""
    with db.reading() as s:
        for rt in (
            s.query(Roundtable)
            .filter_by(status=RoundtableStatus.SCHEDULED.value)
            .order_by(Roundtable.starts_at)
        ):
            people = _people(db, rt.id)
            if any(not p.may_be_named and p.lived_experience for p in people) and len(people) >= 8:
                return rt.id
    raise AssertionError("the demo has no scheduled roundtable with people who did not consent")


def _held(db: Database) -> int:
    with db.reading() as s:
        for rt in (
            s.query(Roundtable)
            .filter_by(status=RoundtableStatus.HELD.value)
            .order_by(Roundtable.starts_at.desc())
        ):
            people = _people(db, rt.id)
            if any(p.may_be_named for p in people) and any(not p.may_be_named for p in people):
                return rt.id
    raise AssertionError("the demo has no held roundtable with both kinds of consent")


def _names(person: Person) -> list[str]:
    return [n for n in (person.full_name, person.display_name) if n]


def test_no_output_names_anyone_who_did_not_consent(demo) -> None:  # type: ignore[no-untyped-def]
    db, url, folder = demo
    upcoming, held = _upcoming(db), _held(db)
    out = folder / "first"
    out.mkdir()
    # Someone recorded under a chosen name, contacted through a support worker.
    with db.transaction() as s:
        chosen = (
            s.query(Person)
            .join(Invitation)
            .filter(Invitation.roundtable_id == upcoming, Person.may_contact.is_(True))
            .filter(Person.may_be_named.is_(False), Person.email.is_not(None))
            .first()
        )
        assert chosen is not None
        # And someone who said, after being invited, that they no longer wish to be contacted.
        silent = (
            s.query(Person)
            .join(Invitation)
            .filter(Invitation.roundtable_id == upcoming, Person.id != chosen.id)
            .first()
        )
        assert silent is not None
        before = directory.get_person(s, silent.id)
        directory.update_person(
            s, silent.id, replace(before.data, may_contact=False), before.version
        )
        person = directory.get_person(s, chosen.id)
        directory.update_person(
            s,
            chosen.id,
            replace(
                person.data,
                display_name="Sunny",
                contact_via="Hope Trust",
                contact_via_email="caseworker@hope.example",
            ),
            person.version,
        )
    run(
        "invites",
        "--roundtable",
        str(upcoming),
        "--out",
        str(out / "ics"),
        *ORGANISER,
        "--database",
        url,
    )
    run(
        "invites", "--roundtable", str(upcoming), "--out", str(out / "eml"), "--eml", *ORGANISER,
        "--database", url,
    )  # fmt: skip
    run(
        "group",
        "--roundtable",
        str(upcoming),
        "--tables",
        "2",
        "--out",
        str(out / "plan.csv"),
        "--database",
        url,
    )
    with db.reading() as s:
        plan = grouping.load_saved_plan(s, upcoming)
    assert plan is not None
    reports.write_table_plan_pdf(plan, "Plan", out / "plan.pdf")
    run(
        "sign-in-sheet",
        "--roundtable",
        str(upcoming),
        "--out",
        str(out / "sheet.pdf"),
        "--database",
        url,
    )
    for suffix in ("pdf", "docx"):
        run(
            "summary", "--roundtable", str(held), "--with-participants",
            "--out", str(out / f"summary.{suffix}"), "--database", url,
        )  # fmt: skip
    for suffix in ("pdf", "csv", "xlsx"):
        run("register", "--out", str(out / f"register.{suffix}"), "--database", url)
        run("stats", "--out", str(out / f"stats.{suffix}"), "--database", url)
    run("stats", "--roundtable", str(held), "--out", str(out / "stats-one.csv"), "--database", url)
    run("export", "people", str(out / "people.csv"), "--database", url)

    upcoming_people, held_people = _people(db, upcoming), _people(db, held)
    everyone = {p.id: p for p in [*upcoming_people, *held_people]}
    unnamed = [p for p in everyone.values() if not p.may_be_named]
    assert unnamed and any(p.lived_experience for p in unnamed)

    invitations = sorted((out / "ics").iterdir()) + sorted((out / "eml").iterdir())
    assert invitations
    contacted = {p.id for p in upcoming_people if p.may_contact}
    assert len(invitations) == 2 * len(contacted)
    for path in invitations:
        text = read_text(path)
        addressee = [p for p in upcoming_people if any(n in text for n in _names(p))]
        # One person each, and never anyone who did not consent to be contacted.
        assert len(addressee) == 1, (path.name, [p.full_name for p in addressee])
        assert addressee[0].may_contact, path.name
        assert "lived experience" not in text.casefold(), path.name
        if addressee[0].id == chosen.id:
            assert "Sunny" in text and chosen.full_name not in text
            assert "caseworker@hope.example" in text and (chosen.email or "") not in text

    printed = [p for p in sorted(out.iterdir()) if p.is_file()]
    assert len(printed) == 13
    for path in printed:
        text = read_text(path)
        if path.name == "people.csv":
            # The directory itself, for staff: without lived experience unless asked.
            assert "lived experience" not in text.casefold()
            assert "Accessibility needs" not in text
            continue
        leaked = [p.full_name for p in unnamed if p.full_name in text]
        assert not leaked, (path.name, leaked)
        assert "Sunny" not in text or path.name.startswith(("sheet", "plan")), path.name
        folded = text.casefold()
        if path.name.startswith("summary"):
            # A summary may count a group ("with lived experience …: fewer than 3"); its
            # list of people says nothing of anyone's.
            start = folded.index("participants who agreed to be named")
            folded = folded[start : folded.index("what was discussed", start)]
        if not path.name.startswith("stats"):  # statistics count a group, never a person
            assert "lived experience" not in folded, path.name

    # Someone's own copy of what is held on them names nobody else who did not consent.
    subject = next(p for p in held_people if p.email and p.may_be_named)
    run(
        "person", "export", subject.email or "", "--out", str(out / "access.zip"), "--database", url
    )
    text = read_text(out / "access.zip")
    assert subject.full_name in text
    others = [p.full_name for p in everyone.values() if p.id != subject.id and p.full_name in text]
    assert not others


def test_withdrawing_consent_takes_effect_in_every_output_at_once(demo) -> None:  # type: ignore[no-untyped-def]
    db, url, folder = demo
    held = _held(db)
    upcoming = _upcoming(db)
    out = folder / "withdrawn"
    out.mkdir()
    with db.reading() as s:
        named = (
            s.query(Person)
            .join(Invitation)
            .filter(
                Invitation.roundtable_id == held,
                Invitation.attendance == Attendance.ATTENDED.value,
                Person.may_be_named.is_(True),
            )
            .first()
        )
        assert named is not None
        invited = (
            s.query(Person)
            .join(Invitation)
            .filter(
                Invitation.roundtable_id == upcoming,
                Person.may_contact.is_(True),
                Person.email.is_not(None),
                Invitation.response != Response.DECLINED.value,
            )
            .first()
        )
        assert invited is not None
        named_name, invited_name = named.full_name, invited.full_name
        named_id, invited_id = named.id, invited.id

    def outputs(tag: str) -> tuple[str, list[str]]:
        summary = out / f"summary-{tag}.pdf"
        run(
            "summary",
            "--roundtable",
            str(held),
            "--with-participants",
            "--out",
            str(summary),
            "--database",
            url,
        )
        folder_ = out / f"ics-{tag}"
        run(
            "invites",
            "--roundtable",
            str(upcoming),
            "--out",
            str(folder_),
            *ORGANISER,
            "--database",
            url,
        )
        return read_text(summary), [read_text(p) for p in folder_.iterdir()]

    summary, files = outputs("before")
    assert named_name in summary
    assert any(invited_name in text for text in files)

    with db.transaction() as s:
        for person_id, change in (
            (named_id, {"may_be_named": False}),
            (invited_id, {"may_contact": False}),
        ):
            person = directory.get_person(s, person_id)
            directory.update_person(s, person_id, replace(person.data, **change), person.version)
    summary, files = outputs("after")
    assert named_name not in summary
    assert not any(invited_name in text for text in files)
    with db.reading() as s:
        data = directory.get_person(s, named_id).data
    assert data.named_consent_at is not None
    assert dt.datetime.now(dt.UTC) - data.named_consent_at < dt.timedelta(minutes=5)
