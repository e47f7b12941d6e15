"""Access (the right to see what is held): everything held on one person, and nobody else.

:func:`subject_access` gathers it as plain data (what the JSON file holds);
:func:`write_subject_access` writes a ZIP with that JSON and a readable PDF.
Other people's data never goes in: a seating rule says "with another invitee",
a discussion note that mentions the person has everyone else's name replaced,
and the audit entries are only those about this person (what changed, when and
by whom; never values).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from roundtable_app.core.discussion import Guard, GuardPerson, NoteKind, redact
from roundtable_app.core.model import ConsentMethod
from roundtable_app.services import directory
from roundtable_app.services.files import write_atomically
from roundtable_app.services.privacy.erasure import person_model
from roundtable_app.storage.models import (
    AuditEntry,
    DiscussionNote,
    DiscussionTable,
    Invitation,
    Person,
    Roundtable,
    SeatingRule,
)

FORMAT = "roundtable-subject-access/1"


def _when(value: dt.datetime | None, zone: str | None = None) -> str | None:
    if value is None:
        return None
    return value.astimezone(ZoneInfo(zone) if zone else dt.UTC).isoformat(timespec="minutes")


def subject_access(
    session: Session, person_id: int, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Everything held on ``person_id``, as plain data (see the module)."""
    model = person_model(session, person_id)
    data = directory.get_person(session, person_id).data
    record = {
        "name": data.full_name,
        "email": data.email,
        "organisation": data.organisation,
        "role": data.role,
        "sector": data.sector,
        "time_zone": data.time_zone,
        "lived_experience": data.lived_experience,
        "accessibility_needs": data.accessibility_needs,
        "dietary_needs": data.dietary_needs,
        "notes": data.notes,
        "known_as": data.display_name,
        "contact_through": data.contact_via,
        "contact_through_email": data.contact_via_email,
        "added": _when(model.created_at),
        "last_changed": _when(model.updated_at),
    }
    tables = dict(
        session.execute(
            select(DiscussionTable.id, DiscussionTable.name)
            .join(Invitation, Invitation.table_id == DiscussionTable.id)
            .where(Invitation.person_id == person_id)
        ).all()
    )
    invitations = []
    invited_to = []
    for inv, rt in session.execute(
        select(Invitation, Roundtable)
        .join(Roundtable, Roundtable.id == Invitation.roundtable_id)
        .where(Invitation.person_id == person_id)
        .order_by(Roundtable.starts_at, Roundtable.id)
    ):
        invited_to.append(rt.id)
        invitations.append(
            {
                "roundtable": rt.title,
                "starts": _when(rt.starts_at, rt.time_zone),
                "roundtable_status": rt.status,
                "role": inv.role,
                "response": inv.response,
                "response_by": inv.response_channel,
                "attendance": inv.attendance,
                "walk_in": inv.walk_in,
                "checked_in": _when(inv.checked_in_at, rt.time_zone),
                "table": tables.get(inv.table_id) if inv.table_id else None,
                "invitation_sent": _when(inv.sent_at, rt.time_zone),
            }
        )
    rules = [
        {
            "roundtable": title,
            "rule": "seated at the same table as another invitee"
            if kind == "together"
            else "seated apart from another invitee",
        }
        for kind, title in session.execute(
            select(SeatingRule.kind, Roundtable.title)
            .join(Roundtable, Roundtable.id == SeatingRule.roundtable_id)
            .where(or_(SeatingRule.person_a_id == person_id, SeatingRule.person_b_id == person_id))
        )
    ]
    chaired = [
        {"roundtable": title, "starts": _when(starts, zone)}
        for title, starts, zone in session.execute(
            select(Roundtable.title, Roundtable.starts_at, Roundtable.time_zone).where(
                Roundtable.chair_id == person_id
            )
        )
    ]
    return {
        "format": FORMAT,
        "made": _when(now or dt.datetime.now(dt.UTC)),
        "person": record,
        "interests": list(data.interests),
        "consents": {
            "may_be_contacted": data.may_contact,
            "contact_consent_given_or_withdrawn": _when(data.contact_consent_at),
            "contact_consent_how": ConsentMethod(data.contact_consent_how).label,
            "may_be_named_in_outputs": data.may_be_named,
            "named_consent_given_or_withdrawn": _when(data.named_consent_at),
            "named_consent_how": ConsentMethod(data.named_consent_how).label,
        },
        "invitations": invitations,
        "seating_rules": rules,
        "roundtables_chaired": chaired,
        "mentions_in_discussion_notes": _mentions(session, model, invited_to),
        "audit": [
            {"when": _when(e.at), "by": e.actor, "what": e.action, "fields": e.detail}
            for e in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == "person", AuditEntry.entity_id == person_id)
                .order_by(AuditEntry.at, AuditEntry.id)
            )
        ],
    }


def _mentions(session: Session, person: Person, roundtables: list[int]) -> list[dict[str, str]]:
    """The notes that name them, with everyone else invited there named no more."""
    if not roundtables:
        return []
    own = Guard(
        [GuardPerson(n, "") for n in dict.fromkeys((person.full_name, person.display_name)) if n]
    )
    found = []
    for rid, title, kind, text in session.execute(
        select(
            DiscussionNote.roundtable_id, Roundtable.title, DiscussionNote.kind, DiscussionNote.text
        )
        .join(Roundtable, Roundtable.id == DiscussionNote.roundtable_id)
        .where(DiscussionNote.roundtable_id.in_(roundtables))
        .order_by(Roundtable.starts_at, DiscussionNote.position)
    ):
        if not own.mentions(text):
            continue
        others = [
            GuardPerson(name, "")
            for names in session.execute(
                select(Person.full_name, Person.display_name)
                .join(Invitation, Invitation.person_id == Person.id)
                .where(Invitation.roundtable_id == rid, Person.id != person.id)
            )
            for name in names
            if name
        ]
        found.append(
            {
                "roundtable": title,
                "section": NoteKind(kind).value,
                "text": redact(Guard(others), text) if others else text,
            }
        )
    return found


def _pdf(content: dict[str, Any]) -> bytes:
    """The readable copy: each part as a heading and its facts."""
    from roundtable_app.services.reports import (
        para,
        report_header,
        text_block,
        write_report_pdf,
    )

    person = content["person"]

    def shown(value: Any) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)

    def label(key: str) -> str:
        return key.replace("_", " ").capitalize()

    def facts(item: dict[str, Any]) -> list[Any]:
        """One line per fact: "Label: value" (left out when empty)."""
        return [
            text_block(f"{label(key)}: {shown(value)}", "small")
            for key, value in item.items()
            if value not in (None, "")
        ]

    def lines(items: list[dict[str, Any]]) -> list[Any]:
        if not items:
            return [para("None.", "muted")]
        flow: list[Any] = []
        for item in items:
            first, *rest = item.items()
            flow.append(para(shown(first[1]), "subheading"))
            flow += facts(dict(rest))
        return flow

    def story(_width: float) -> list[Any]:
        flow = report_header(
            "Everything held on this person",
            person["name"],
            f"Made {content['made']}",
        )
        flow.append(para("Directory record", "heading"))
        flow += facts(person)
        flow.append(para("Interests", "heading"))
        flow.append(para(", ".join(content["interests"]) or "None.", "small"))
        flow.append(para("Consents", "heading"))
        flow += facts(content["consents"])
        for key, title in (
            ("invitations", "Invitations, answers and attendance"),
            ("seating_rules", "Seating rules"),
            ("roundtables_chaired", "Roundtables chaired"),
            ("mentions_in_discussion_notes", "Mentions in discussion notes"),
            ("audit", "Changes to this record (who and when; never values)"),
        ):
            flow.append(para(title, "heading"))
            flow += lines(content[key])
        return flow

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "copy.pdf"
        write_report_pdf(
            path,
            story,
            title=f"Everything held on {person['name']}",
            footer=f"Everything held on {person['name']} · {content['made']}",
            what="subject access copy",
        )
        return path.read_bytes()


def write_subject_access(content: dict[str, Any], path: str | Path) -> None:
    """Write ``content`` as a ZIP (``person.json`` and ``person.pdf``), owner-only, atomically."""
    pdf = _pdf(content)
    data = json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8")

    def write(tmp: str) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("person.json", data)
            archive.writestr("person.pdf", pdf)

    write_atomically(path, write, "copy of everything held on the person")
