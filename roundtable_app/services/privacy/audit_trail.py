"""Reading the audit trail: one record's history, and the whole trail filtered and exported.

Entries say who (the staff member's name), when, which kind of record and what
was done, with the fields changed or a count: never values (services/audit.py
writes them so). A person's history also holds what was recorded about their
invitations (a response); a roundtable's holds its summary's and its
discussion notes' entries too.

The trail may hold hundreds of thousands of entries, so it is read a page at a
time, newest first, by id (:func:`audit_page`), counted with one query
(:func:`count_audit`) and exported as it is read (:func:`write_audit`).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.progress import Progress
from roundtable_app.services.files import guard_cell, write_atomically
from roundtable_app.storage.models import AuditEntry, DiscussionNote, Invitation

#: What the kinds of record are called on screen and in the export.
KIND_LABELS = {
    "person": "Person",
    "roundtable": "Roundtable",
    "invitation": "Invitation",
    "summary": "Summary",
    "discussion_note": "Discussion note",
    "need_group": "Evidence-need group",
    "sector": "Sector",
    "theme": "Interest",
    "organisation": "Organisation",
    "session": "Session",
    "team_setting": "Team setting",
}

#: Entries read per page of the audit window (and per batch of an export).
PAGE_SIZE = 500

FORMATS = (".csv", ".xlsx")
EXPORT_HEADERS = ("When", "Staff member", "Record", "Record number", "Action", "Fields or detail")


def audit_trail_headers() -> tuple[str, ...]:
    """The columns of an export."""
    return EXPORT_HEADERS


def kind_label(entity: str) -> str:
    """ "discussion_note" → "Discussion note"."""
    return KIND_LABELS.get(entity) or entity.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One entry of the trail, as plain data (never a live ORM object)."""

    id: int
    at: dt.datetime  # aware, UTC
    actor: str
    entity: str
    entity_id: int | None
    action: str
    detail: str

    @property
    def kind(self) -> str:
        return kind_label(self.entity)

    @property
    def record(self) -> str:
        """ "Person #12", or the kind alone for entries about no one record."""
        return self.kind if self.entity_id is None else f"{self.kind} #{self.entity_id}"

    @property
    def fields(self) -> str:
        """The detail as people read it: "dietary_needs, notes" → "dietary needs, notes"."""
        return self.detail.replace("_", " ")

    @property
    def what(self) -> str:
        """The action, capitalised: "Updated", "Check-in"."""
        return self.action[:1].upper() + self.action[1:]


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries to list; every part is optional (all: the whole trail).

    ``since`` is inclusive and ``before`` exclusive (aware datetimes, see
    :func:`day_range`); ``text`` is looked for, in any case, in the staff name,
    the action and the detail.
    """

    actor: str = ""
    entity: str = ""
    action: str = ""
    since: dt.datetime | None = None
    before: dt.datetime | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class AuditChoices:
    """The staff members, kinds of record and actions the trail holds (for the filters)."""

    actors: tuple[str, ...]
    entities: tuple[str, ...]
    actions: tuple[str, ...]


def day_range(
    first: dt.date | None, last: dt.date | None, zone: dt.tzinfo | None = None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """From the start of ``first`` to the end of ``last`` (both included) in ``zone``.

    ``zone`` defaults to the computer's own. Refuses a range that ends before it starts.
    """
    if first is not None and last is not None and last < first:
        raise ValidationError(
            f"The range ends ({last:%d %b %Y}) before it starts ({first:%d %b %Y}); swap the dates."
        )
    tz = zone or dt.datetime.now().astimezone().tzinfo

    def start_of(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=tz)

    return (
        start_of(first) if first is not None else None,
        start_of(last + dt.timedelta(days=1)) if last is not None else None,
    )


def _record(row: Any) -> AuditRecord:
    return AuditRecord(
        row.id, row.at, row.actor or "", row.entity, row.entity_id, row.action, row.detail or ""
    )


_COLUMNS = (
    AuditEntry.id,
    AuditEntry.at,
    AuditEntry.actor,
    AuditEntry.entity,
    AuditEntry.entity_id,
    AuditEntry.action,
    AuditEntry.detail,
)


def history(session: Session, entity: str, entity_id: int) -> list[AuditRecord]:
    """What was recorded about one person or roundtable, newest first.

    ``entity`` is "person" or "roundtable" (another kind: its own entries only).
    """
    about = [and_(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)]
    if entity == "person":
        invitations = select(Invitation.id).where(Invitation.person_id == entity_id)
        about.append(and_(AuditEntry.entity == "invitation", AuditEntry.entity_id.in_(invitations)))
    elif entity == "roundtable":
        notes = select(DiscussionNote.id).where(DiscussionNote.roundtable_id == entity_id)
        about.append(and_(AuditEntry.entity == "summary", AuditEntry.entity_id == entity_id))
        about.append(and_(AuditEntry.entity == "discussion_note", AuditEntry.entity_id.in_(notes)))
    rows = session.execute(
        select(*_COLUMNS).where(or_(*about)).order_by(AuditEntry.id.desc())
    ).all()
    return [_record(row) for row in rows]


def _filtered(query: Select[Any], filters: AuditFilter) -> Select[Any]:
    if filters.actor:
        query = query.where(AuditEntry.actor == filters.actor)
    if filters.entity:
        query = query.where(AuditEntry.entity == filters.entity)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.since is not None:
        query = query.where(AuditEntry.at >= filters.since)
    if filters.before is not None:
        query = query.where(AuditEntry.at < filters.before)
    text = filters.text.strip().lower()
    if text:
        # Literal text: % and _ are what the user typed, not wildcards.
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            or_(
                func.lower(AuditEntry.actor).like(pattern, escape="\\"),
                func.lower(AuditEntry.action).like(pattern, escape="\\"),
                func.lower(AuditEntry.detail).like(pattern, escape="\\"),
            )
        )
    return query


def count_audit(session: Session, filters: AuditFilter = AuditFilter()) -> int:  # noqa: B008
    """How many entries ``filters`` lets through."""
    query = _filtered(select(func.count()).select_from(AuditEntry), filters)
    return int(session.scalar(query) or 0)


def audit_page(
    session: Session,
    filters: AuditFilter = AuditFilter(),  # noqa: B008
    *,
    before_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[AuditRecord]:
    """Up to ``limit`` entries, newest first, older than entry ``before_id`` if given.

    Pages follow each other by id (the order entries were written), so each
    page costs the same however deep into the trail it is.
    """
    query: Select[Any] = _filtered(select(*_COLUMNS), filters)  # type: ignore[arg-type]
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    rows = session.execute(query.order_by(AuditEntry.id.desc()).limit(limit)).all()
    return [_record(row) for row in rows]


def iter_audit(
    session: Session,
    filters: AuditFilter = AuditFilter(),  # noqa: B008
    *,
    progress: Progress | None = None,
) -> Iterator[AuditRecord]:
    """Every entry ``filters`` lets through, newest first, read a page at a time."""
    progress = progress or Progress()
    total = count_audit(session, filters)
    done = 0
    before: int | None = None
    while True:
        page = audit_page(session, filters, before_id=before, limit=PAGE_SIZE * 10)
        if not page:
            return
        yield from page
        done += len(page)
        progress.update(done, total, f"{done:,} of {total:,} entries")
        before = page[-1].id


def audit_choices(session: Session) -> AuditChoices:
    """What the filters offer: the names, kinds and actions found in the trail."""

    def values(column: Any) -> tuple[str, ...]:
        found = session.scalars(select(column).distinct().where(column != "")).all()
        return tuple(sorted((v for v in found if v), key=str.lower))

    return AuditChoices(
        values(AuditEntry.actor), values(AuditEntry.entity), values(AuditEntry.action)
    )


def _local(at: dt.datetime, zone: dt.tzinfo | None) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def _row(record: AuditRecord, zone: dt.tzinfo | None) -> list[object]:
    return [
        _local(record.at, zone),
        record.actor,
        record.kind,
        record.entity_id if record.entity_id is not None else "",
        record.what,
        record.fields,
    ]


def write_audit(
    session: Session,
    path: str | Path,
    filters: AuditFilter = AuditFilter(),  # noqa: B008
    *,
    zone: str | dt.tzinfo | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the entries ``filters`` lets through to ``path`` (.csv or .xlsx); their count.

    Times are in ``zone`` (default: the computer's). The file holds no values,
    as the trail holds none; it is written whole or not at all.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError(f"{path.name}: an audit export is a .csv or .xlsx file.")
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    written = 0

    def write_csv(tmp: str) -> None:
        nonlocal written
        # utf-8-sig: Excel on Windows reads the file as UTF-8 only with the mark.
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(EXPORT_HEADERS)
            for record in iter_audit(session, filters, progress=progress):
                out.writerow([guard_cell(v) if isinstance(v, str) else v for v in _row(record, tz)])
                written += 1

    def write_xlsx(tmp: str) -> None:
        nonlocal written
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Audit trail")
        sheet.freeze_panes = "A2"
        for column, width in zip("ABCDEF", (20, 22, 18, 14, 24, 60), strict=True):
            sheet.column_dimensions[column].width = width
        header = []
        for title in EXPORT_HEADERS:
            cell = _xlsx_cell(sheet, title)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for record in iter_audit(session, filters, progress=progress):
            sheet.append(
                [_xlsx_cell(sheet, v) if isinstance(v, str) else v for v in _row(record, tz)]
            )
            written += 1
        book.save(tmp)

    write_atomically(path, write_csv if suffix == ".csv" else write_xlsx, "audit export")
    return written


def _xlsx_cell(sheet: Any, value: str) -> Any:
    """A text cell that a spreadsheet never runs as a formula, whatever it starts with."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=None)
    cell.value = value
    cell.data_type = "s"
    return cell
