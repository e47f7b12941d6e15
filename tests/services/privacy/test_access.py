"""Access: everything held on one person in a ZIP (PDF and JSON), and nothing on anyone else."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import zipfile

from pypdf import PdfReader

from roundtable_app.core.discussion import NoteKind
from roundtable_app.core.model import Attendance, PersonData
from roundtable_app.services import directory, discussion, privacy, roundtables
from roundtable_app.storage.models import Invitation, SeatingRule

PAST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _setup(db):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        amina = directory.create_person(
            s,
            PersonData(
                full_name="Amina Yusuf",
                email="amina@example.org",
                sector="Lived experience",
                lived_experience=True,
                accessibility_needs="Step-free access",
                interests=("Survivor support",),
                may_be_named=False,
                contact_consent_how="email",
                display_name="Amina Y",
                contact_via="Hope Trust",
                contact_via_email="caseworker@hope.example",
            ),
        ).id
        other = directory.create_person(
            s, PersonData(full_name="Boris Kowalczyk", email="boris@example.org")
        ).id
        rid = roundtables.create_roundtable(
            s,
            roundtables.RoundtableData(
                title="Recovery", starts_at=PAST, ends_at=PAST + dt.timedelta(hours=2)
            ),
        ).id
        roundtables.add_invitees(s, rid, [amina, other])
        for inv in s.query(Invitation).filter_by(roundtable_id=rid):
            inv.attendance = Attendance.ATTENDED.value
        low, high = sorted((amina, other))
        s.add(SeatingRule(roundtable_id=rid, kind="apart", person_a_id=low, person_b_id=high))
        discussion.add_note(
            s,
            rid,
            NoteKind.POINT,
            fields=discussion.NoteFields(text="Amina Yusuf and Boris Kowalczyk disagreed"),
        )
    return amina


def test_the_zip_holds_everything_on_them_and_nothing_on_anyone_else(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    amina = _setup(db)
    with db.reading() as s:
        content = privacy.subject_access(s, amina)
    out = tmp_path / "amina.zip"
    privacy.write_subject_access(content, out)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["person.json", "person.pdf"]
        data = json.loads(archive.read("person.json"))
        archive.extract("person.pdf", tmp_path)
    pdf = " ".join(p.extract_text() for p in PdfReader(tmp_path / "person.pdf").pages)
    assert data["person"]["email"] == "amina@example.org"
    assert data["person"]["lived_experience"] is True  # their own data, all of it
    assert data["person"]["accessibility_needs"] == "Step-free access"
    assert data["interests"] == ["Survivor support"]
    consents = data["consents"]
    given = consents.pop("contact_consent_given_or_withdrawn")
    assert dt.datetime.fromisoformat(given) > dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    assert consents == {
        "may_be_contacted": True,
        "contact_consent_how": "By e-mail",
        "may_be_named_in_outputs": False,
        "named_consent_given_or_withdrawn": None,
        "named_consent_how": "Not recorded",
    }
    assert (data["person"]["known_as"], data["person"]["contact_through_email"]) == (
        "Amina Y",
        "caseworker@hope.example",
    )
    assert "By e-mail" in pdf
    [invitation] = data["invitations"]
    assert (invitation["roundtable"], invitation["attendance"]) == ("Recovery", "attended")
    assert data["seating_rules"] == [
        {"roundtable": "Recovery", "rule": "seated apart from another invitee"}
    ]
    [mention] = data["mentions_in_discussion_notes"]
    assert mention["text"].startswith("Amina Yusuf and a participant")
    assert [e["what"] for e in data["audit"]] == ["created"]
    for text in (json.dumps(data, ensure_ascii=False), pdf):
        assert "Boris" not in text and "Kowalczyk" not in text and "boris@" not in text
    assert "Amina Yusuf" in pdf and "Step-free access" in pdf
