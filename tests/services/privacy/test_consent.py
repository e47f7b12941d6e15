"""Consent recorded with when and how; a chosen display name and contact through a
support worker, as every output uses them (issue 13, sections 1 and 2)."""

from __future__ import annotations

import datetime as dt
import email
import sys
from dataclasses import replace
from pathlib import Path

import icalendar
import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parents[1] / "invitations"))
from test_replies import thunderbird_reply  # noqa: E402
from test_sending import ORG, scheduled  # noqa: E402

from roundtable_app.core.discussion import NoteKind  # noqa: E402
from roundtable_app.core.errors import ValidationError  # noqa: E402
from roundtable_app.core.model import Attendance, ConsentMethod, PersonData, Response  # noqa: E402
from roundtable_app.services import (  # noqa: E402
    directory,
    discussion,
    invitations,
    reports,
    roundtables,
)
from roundtable_app.services.invitations import Mode  # noqa: E402
from roundtable_app.storage.models import AuditEntry, Invitation  # noqa: E402


def test_consent_records_when_and_how_it_was_given_and_withdrawn(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        person = directory.create_person(
            s,
            PersonData(
                full_name="Amina Yusuf",
                may_contact=True,
                contact_consent_how=ConsentMethod.IN_WRITING,
                may_be_named=False,
            ),
        )
    given = person.data.contact_consent_at
    assert given is not None
    assert person.data.contact_consent_how == "in_writing"
    assert person.data.named_consent_at is None  # never asked: nothing to record
    # Saving other details keeps when consent was given.
    with db.transaction() as s:
        again = directory.update_person(
            s, person.id, replace(person.data, role="Adviser"), person.version
        )
    assert again.data.contact_consent_at == given
    # Withdrawn by e-mail: recorded from that moment, and how.
    with db.transaction() as s:
        withdrawn = directory.update_person(
            s,
            person.id,
            replace(again.data, may_contact=False, contact_consent_how=ConsentMethod.EMAIL),
            again.version,
        )
    assert withdrawn.data.contact_consent_at is not None
    assert withdrawn.data.contact_consent_at > given
    assert withdrawn.data.contact_consent_how == "email"
    # A form cannot backdate it: the time is the service's, not the caller's.
    with db.transaction() as s:
        forged = directory.update_person(
            s,
            person.id,
            replace(
                withdrawn.data,
                may_be_named=True,
                named_consent_how=ConsentMethod.VERBALLY,
                named_consent_at=dt.datetime(2001, 1, 1, tzinfo=dt.UTC),
            ),
            withdrawn.version,
        )
    assert forged.data.named_consent_at is not None
    assert forged.data.named_consent_at.year > 2001
    with db.reading() as s:
        details = [e.detail for e in s.query(AuditEntry).filter_by(entity_id=person.id)]
    # The audit names the fields, never the values or the times.
    assert "may_contact, contact_consent_how" in details
    assert not any("2001" in d or "email" == d for d in details)


def test_an_unknown_way_of_consenting_and_a_bad_support_address_are_refused(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="not a way of giving consent"):
            directory.create_person(s, PersonData(full_name="A", named_consent_how="telepathy"))
        with pytest.raises(ValidationError, match="support contact's address") as caught:
            directory.create_person(
                s, PersonData(full_name="A", contact_via_email="not an address")
            )
        assert caught.value.field == "contact_via_email"


def _via_worker(db, make_person):  # type: ignore[no-untyped-def]
    rt_id, emails = scheduled(db, make_person, n=2)
    with db.transaction() as s:
        inv = s.query(Invitation).filter_by(roundtable_id=rt_id).order_by(Invitation.id).first()
        person = directory.get_person(s, inv.person_id)
        directory.update_person(
            s,
            person.id,
            replace(
                person.data,
                full_name="Chidinma Okonkwo-Hart",
                display_name="Chi",
                contact_via="Survivors' Network",
                contact_via_email="Worker@Network.example",
            ),
            person.version,
        )
    return rt_id, person.data.email, emails


@pytest.mark.parametrize("mode", [Mode.ICS_FILES, Mode.EML_DRAFTS])
def test_the_support_contact_receives_the_invitation_and_the_file_shows_only_the_display_name(
    db, make_person, tmp_path, mode
) -> None:  # type: ignore[no-untyped-def]
    rt_id, own_address, _emails = _via_worker(db, make_person)
    report = invitations.deliver(db, rt_id, ORG, mode=mode, folder=tmp_path)
    assert report.sent == 2
    chi = [r for r in report.results if r.email.casefold() == "worker@network.example"]
    assert len(chi) == 1 and chi[0].path is not None
    raw = chi[0].path.read_bytes()
    if mode == Mode.EML_DRAFTS:
        message = email.message_from_bytes(raw)
        assert "worker@network.example" in message["To"].casefold()
        ics = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        raw = ics.get_payload(decode=True)
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    attendee = event["ATTENDEE"]
    assert str(attendee).casefold() == "mailto:worker@network.example"
    assert attendee.params["CN"] == "Chi"
    text = chi[0].path.read_bytes().decode("utf-8", "replace")
    for hidden in ("Chidinma", "Okonkwo", own_address, "Survivors"):
        assert hidden not in text and hidden not in chi[0].path.name


def test_a_reply_from_the_support_contact_answers_for_the_person(db, make_person, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rt_id, _own, _emails = _via_worker(db, make_person)
    invitations.deliver(db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path / "sent")
    with db.reading() as s:
        uid = roundtables.get_roundtable(s, rt_id).ical_uid
    reply = tmp_path / "reply.ics"
    reply.write_bytes(thunderbird_reply(uid, "worker@network.example", "ACCEPTED"))
    with db.transaction() as s:
        report = invitations.apply_reply_files(s, [reply])
    assert not report.issues, report.issues
    assert [c.new for c in report.changes] == [Response.ACCEPTED]


def test_one_worker_for_two_invitees_cannot_answer_for_either(db, make_person, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rt_id, _emails = scheduled(db, make_person, n=2)
    with db.transaction() as s:
        for inv in s.query(Invitation).filter_by(roundtable_id=rt_id):
            person = directory.get_person(s, inv.person_id)
            directory.update_person(
                s,
                person.id,
                replace(person.data, contact_via_email="worker@network.example"),
                person.version,
            )
    invitations.deliver(db, rt_id, ORG, mode=Mode.ICS_FILES, folder=tmp_path / "sent")
    with db.reading() as s:
        uid = roundtables.get_roundtable(s, rt_id).ical_uid
    reply = tmp_path / "reply.ics"
    reply.write_bytes(thunderbird_reply(uid, "worker@network.example", "ACCEPTED"))
    with db.transaction() as s:
        report = invitations.apply_reply_files(s, [reply])
    assert not report.changes
    assert "support contact of more than one invitee" in report.issues[0].message


def test_a_display_name_in_the_notes_is_redacted_like_the_full_name(
    db, make_person, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    rt_id, _own, _emails = _via_worker(db, make_person)
    with db.transaction() as s:
        for inv in s.query(Invitation).filter_by(roundtable_id=rt_id):
            inv.attendance = Attendance.ATTENDED.value
        discussion.add_note(
            s,
            rt_id,
            NoteKind.POINT,
            fields=discussion.NoteFields(text="Chi said the hotline failed"),
        )
        content = discussion.build_summary(s, rt_id, with_participants=True)
    path = tmp_path / "summary.pdf"
    reports.write_summary_pdf(content, path)
    words = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)
    assert "Chi said" not in words
    assert "the hotline failed" in words


def test_undoing_a_withdrawal_puts_back_when_consent_was_first_given(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        first = directory.create_person(
            s, PersonData(full_name="Amina Yusuf", may_be_named=True, named_consent_how="email")
        )
    given = first.data.named_consent_at
    with db.transaction() as s:
        withdrawn = directory.update_person(
            s, first.id, replace(first.data, may_be_named=False), first.version
        )
    assert withdrawn.data.named_consent_at != given
    # Undo saves the snapshot back, with its dates as they were.
    with db.transaction() as s:
        undone = directory.update_person(
            s, first.id, first.data, withdrawn.version, restore_times=True
        )
    assert undone.data.may_be_named and undone.data.named_consent_at == given
