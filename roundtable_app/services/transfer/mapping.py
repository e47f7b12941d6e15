"""Preparing an import: each row validated, duplicates marked, ready to preview.

:func:`prepare` turns each row of a :class:`SourceTable` into a validated
:class:`PersonData` or a :class:`RowProblem` that names the row as the user
sees it in their spreadsheet, and marks e-mails that repeat within the file or
are already in the directory (:mod:`.merging` says how two records of the same
person combine). No database writes here.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.model import PersonData
from roundtable_app.core.progress import Progress
from roundtable_app.core.validation import (
    NUL,
    clean_name,
    email_key,
    email_problem,
    normalise_email,
    split_interests,
)
from roundtable_app.services import directory
from roundtable_app.services.directory import MAX_NAME
from roundtable_app.services.files import unguard_cell
from roundtable_app.services.transfer.columns import FIELD_LABELS
from roundtable_app.services.transfer.consents import (
    CONSENT_FIELDS,
    HOW_CHOICES,
    KNOWN_HOW,
    latest_time,
    parse_how,
    parse_when,
)
from roundtable_app.services.transfer.new_names import (
    CreatedName,
    KnownNames,
    NewName,
    NewNameCollector,
    created_lines,
)
from roundtable_app.services.transfer.paused_gc import paused_gc
from roundtable_app.services.transfer.reading import SourceTable
from roundtable_app.storage.models import Person as PersonModel

IN_CHUNK = 500  # values per IN (...): well under SQLite's parameter limit
PROGRESS_EVERY = 1000
LOAD_ALL_ABOVE = 5000

_YES = {"yes", "y", "true", "t", "1", "x", "✓", "✔", "ja", "oui", "si", "sí"}
_NO = {"no", "n", "false", "f", "0", "nein", "non"}
_BOOLEAN_FIELDS = ("lived_experience", "may_contact", "may_be_named")

_TEXT_LIMITS = {"organisation": MAX_NAME, "role": 200, "sector": MAX_NAME, "email": 320}


class RowStatus(enum.StrEnum):
    NEW = "new"
    EXISTS = "exists"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    PROBLEM = "problem"

    @property
    def label(self) -> str:
        return {
            "new": "New",
            "exists": "Already in directory",
            "duplicate_in_file": "Duplicate in file",
            "problem": "Problem",
        }[self.value]


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that cannot be imported, numbered as the user sees it in their spreadsheet."""

    row_number: int
    reason: str

    @property
    def message(self) -> str:
        return f"Row {self.row_number}: {self.reason}"

    def __str__(self) -> str:
        return self.message


class PlannedRow(NamedTuple):
    """One data row of the file as the preview shows it.

    A named tuple rather than a frozen dataclass (like ``PersonRow``): an
    import makes 100,000 of them, and a tuple is several times faster to make.
    """

    row_number: int
    status: RowStatus
    data: PersonData | None
    name: str
    email: str
    organisation: str
    sector: str
    interests: str
    #: Why a row is a problem, or which row it duplicates.
    reason: str = ""
    #: The e-mail as compared for duplicates (lower case), if the row has a valid one.
    key: str | None = None


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """The validated content of a file, ready to preview and to apply."""

    source: str
    rows: list[PlannedRow]
    mapped_fields: frozenset[str]
    blank_rows: int = 0
    #: Sectors, interests and organisations that no entry has yet (see :mod:`.new_names`).
    new_names: tuple[NewName, ...] = ()

    @property
    def records(self) -> list[tuple[int, PersonData]]:
        return [(r.row_number, r.data) for r in self.rows if r.data is not None]

    @property
    def problems(self) -> list[RowProblem]:
        return [
            RowProblem(r.row_number, r.reason) for r in self.rows if r.status is RowStatus.PROBLEM
        ]

    def count(self, status: RowStatus) -> int:
        return sum(1 for r in self.rows if r.status is status)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did, by row."""

    added: int
    merged: int
    skipped: int
    rejected: list[RowProblem]
    excluded: int = 0
    added_ids: tuple[int, ...] = ()
    merged_ids: tuple[int, ...] = ()
    source: str = ""
    #: Row numbers per outcome, so the report can name them.
    merged_rows: tuple[int, ...] = ()
    skipped_rows: tuple[int, ...] = ()
    #: The sectors, interests and organisations the import created.
    created: tuple[CreatedName, ...] = ()
    #: Rows of someone already there (in the directory or earlier in the file)
    #: that had nothing to add: a re-import of the same file changes nobody.
    unchanged: int = 0
    unchanged_rows: tuple[int, ...] = ()

    def summary(self) -> str:
        parts = [
            f"{self.added:,} added",
            f"{self.merged:,} merged with someone of the same e-mail",
        ]
        if self.unchanged:
            parts.append(f"{self.unchanged:,} unchanged (nothing new to add)")
        parts += [
            f"{self.skipped:,} skipped as duplicates",
            f"{len(self.rejected):,} rejected",
        ]
        if self.excluded:
            parts.append(f"{self.excluded:,} left out by you")
        return ", ".join(parts) + "."

    def created_summary(self) -> str:
        """ "Created 1 new sector and 2 new interests.", or nothing."""
        made = directory.new_names_text(c.kind for c in self.created)
        return f"Created {made}." if made else ""

    def new_names_lines(self) -> list[str]:
        """The sectors, interests and organisations created, and how to fix a typo."""
        return created_lines(self.created)

    def text(self) -> str:
        """The full report as plain text (the dialog's "Copy report", the CLI)."""
        lines = [f"Import of {self.source}" if self.source else "Import", self.summary()]
        if self.merged_rows:
            lines.append(f"Merged rows: {_ranges(self.merged_rows)}")
        if self.unchanged_rows:
            lines.append(f"Unchanged rows (already there just so): {_ranges(self.unchanged_rows)}")
        if self.skipped_rows:
            lines.append(f"Skipped rows (e-mail already present): {_ranges(self.skipped_rows)}")
        lines.extend(self.new_names_lines())
        if self.rejected:
            lines.append("Rows not imported (fix them in your file, then import those rows again):")
            lines.extend(f"  {p.message}" for p in self.rejected)
        return "\n".join(lines)


def _ranges(numbers: Sequence[int]) -> str:
    """``2, 3, 4, 9`` as ``2–4, 9``: readable even for thousands of rows."""
    out: list[str] = []
    ordered = sorted(numbers)
    start = prev = ordered[0]
    for n in ordered[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)


# --- preparing ---------------------------------------------------------------------------


def _parse_bool(value: str) -> bool | None:
    lowered = value.strip().lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    return None


def check_mapping(mapping: Sequence[str | None]) -> None:
    """Refuse a mapping that cannot give anyone a name, with what to do about it."""
    fields = {f for f in mapping if f}
    if "full_name" not in fields and not fields & {"first_name", "last_name"}:
        raise ValidationError(
            "No column is used for the name. Choose the column that holds full names, "
            "or the first-name and last-name columns, in the mapping step "
            "(or name the header “Full name”, or “First name” and “Last name”).",
            field="mapping",
            cli="No column is used for the name: name the header of the column that holds "
            "full names “Full name” (or two columns “First name” and “Last name”), "
            "then import again.",
        )
    for name in fields:
        if sum(1 for f in mapping if f == name) > 1:
            raise ValidationError(
                f"Two columns are used for “{FIELD_LABELS.get(name, name)}”; "
                "choose it for one column only.",
                field="mapping",
            )


def candidate_email_keys(table: SourceTable, mapping: Sequence[str | None]) -> set[str]:
    """Every e-mail key in the file, to look up in the database before :func:`prepare`."""
    if "email" not in mapping:
        return set()
    col = list(mapping).index("email")
    keys = set()
    for row in table.rows:
        email = normalise_email(unguard_cell(row[col]))
        if email:
            keys.add(email_key(email))
    return keys


def find_existing_emails(session: Session, keys: Iterable[str]) -> set[str]:
    """Which of these e-mail keys belong to people already in the directory."""
    wanted = sorted(set(keys))
    if len(wanted) > LOAD_ALL_ABOVE:
        # One scan beats hundreds of IN (...) queries on a large file.
        stored = session.scalars(
            select(PersonModel.email_key).where(PersonModel.email_key.is_not(None))
        )
        return set(wanted).intersection(stored)
    found: set[str] = set()
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start : start + IN_CHUNK]
        found.update(
            session.scalars(select(PersonModel.email_key).where(PersonModel.email_key.in_(chunk)))
        )
    return found


@paused_gc()
def prepare(
    table: SourceTable,
    mapping: Sequence[str | None],
    *,
    existing_emails: Collection[str] = frozenset(),
    known: KnownNames | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Validate every row of ``table`` under ``mapping`` and mark duplicates.

    ``existing_emails`` (e-mail keys, see :func:`find_existing_emails`) only
    sets the preview status "Already in directory"; :func:`apply_import`
    checks the database again itself. With ``known`` (the directory's names,
    see :func:`~.new_names.find_known_names`), the plan lists the sectors,
    interests and organisations the import would create.
    """
    if len(mapping) != len(table.headers):
        raise ValueError("the mapping needs one entry per column")
    check_mapping(mapping)
    columns = {f: i for i, f in reversed(list(enumerate(mapping))) if f}
    fields = tuple(columns)
    indexes = tuple(columns.values())
    existing = set(existing_emails)
    first_row_of: dict[str, int] = {}
    planned: list[PlannedRow] = []
    new_names = NewNameCollector(known) if known is not None else None
    blank = 0
    total = len(table.rows)
    unknown = _uncomputed_cells(table, columns)
    check_nul = not table.nul_free
    # The mapped cells of a row, as a tuple (itemgetter of one index gives the cell alone).
    pick = itemgetter(*indexes) if len(indexes) > 1 else lambda cells: (cells[indexes[0]],)
    # Interests cells repeat a lot: each distinct one is split once.
    split_cache: dict[str, tuple[tuple[str, ...], str]] = {}
    times = _Times(not CONSENT_FIELDS.isdisjoint(columns))
    for index, (cells, number) in enumerate(zip(table.rows, table.row_numbers, strict=True)):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress.update(index, total, "Checking rows…")
        values = pick(cells)
        if not any(values) and number not in unknown:
            blank += 1
            continue
        data, shown, reasons, key = _check_row(
            dict(zip(fields, values)),  # noqa: B905 (same length; the keyword costs 0.5 us a row)
            unknown.get(number, ()),
            check_nul,
            split_cache,
            times,
        )
        status, reason = RowStatus.NEW, ""
        if reasons:
            status, reason = RowStatus.PROBLEM, ", and ".join(reasons)
        elif key is not None:
            if key in first_row_of:
                status = RowStatus.DUPLICATE_IN_FILE
                reason = f"Same e-mail as row {first_row_of[key]}"
            else:
                first_row_of[key] = number
                if key in existing:
                    status, reason = RowStatus.EXISTS, "This e-mail is already in the directory"
        # Built once, positionally: this runs 100,000 times.
        row = PlannedRow(number, status, data, *shown, reason, key)
        if new_names is not None and data is not None:
            new_names.add(number, key or f"row {number}", data)
        planned.append(row)
    if progress is not None:
        progress.update(total, total, "Checked all rows")
    return ImportPlan(
        source=table.path.name,
        rows=planned,
        mapped_fields=frozenset(columns),
        blank_rows=blank,
        new_names=new_names.result() if new_names is not None else (),
    )


def _uncomputed_cells(table: SourceTable, columns: dict[str, int]) -> dict[int, list[str]]:
    """Per row number, why its mapped formula cells with no calculated value are a problem."""
    if not table.uncomputed:
        return {}
    field_of = {i: f for f, i in columns.items()}
    out: dict[int, list[str]] = {}
    for number, column in sorted(table.uncomputed):
        if column in field_of:
            out.setdefault(number, []).append(
                f"the “{FIELD_LABELS[field_of[column]]}” cell ({table.cell_name(number, column)}) "
                "is a formula that was never calculated, so its value is unknown (open the "
                "file in Excel or LibreOffice and save it again to calculate it)"
            )
    return out


def _nul_cells(raw: dict[str, str]) -> list[str]:
    """Why the cells holding a NUL character are a problem; the NULs are taken out of ``raw``."""
    reasons = []
    for name, value in raw.items():
        if NUL in value:
            reasons.append(
                f"the “{FIELD_LABELS[name]}” cell holds an invisible NUL character "
                "(a damaged export?), which cannot be stored"
            )
            raw[name] = value.replace(NUL, "")
    return reasons


def _split_interests(cell: str) -> tuple[tuple[str, ...], str]:
    """The interests of a cell, and why one of them is too long (or nothing)."""
    interests = split_interests(cell)
    for interest in interests:
        if len(interest) > MAX_NAME:
            return (
                interests,
                f"the interest '{interest[:30]}…' is longer than {MAX_NAME} characters",
            )
    return interests, ""


#: Yes/no answers as typed most often, to skip the stripping and case folding.
_ANSWERS = {word: True for word in _YES} | {word: False for word in _NO}


def _how(cell: str, field: str, reasons: list[str]) -> str:
    """The consent method a "how" cell names, or "" with the reason added to ``reasons``."""
    found = parse_how(cell)
    if found is None:
        reasons.append(
            f"'{cell}' in “{FIELD_LABELS[field]}” is not a way of giving consent; "
            f"write {HOW_CHOICES}"
        )
        return ""
    return found


class _Times(dict[str, "dt.datetime | str"]):
    """The times a file's "when" cells name, or why not, each cell read once.

    A person's two consents are often dated alike (given on one form).
    """

    def __init__(self, mapped: bool = True) -> None:
        super().__init__()
        self.latest = latest_time()
        #: Whether the file has a consent's "how" or "when" column at all.
        self.mapped = mapped


def _when(cell: str, field: str, times: _Times, reasons: list[str]) -> dt.datetime | None:
    """The time a "when" cell names, or ``None`` with the reason added to ``reasons``."""
    found = times.get(cell)
    if found is None:
        try:
            found = parse_when(cell, times.latest)
        except ValueError as exc:
            found = str(exc)
        times[cell] = found
    if isinstance(found, str):
        reasons.append(f"'{cell}' in “{FIELD_LABELS[field]}” {found}")
        return None
    return found


def _check_row(
    raw: dict[str, str],
    unknown: Sequence[str],
    check_nul: bool,
    split_cache: dict[str, tuple[tuple[str, ...], str]],
    times: _Times,
) -> tuple[PersonData | None, tuple[str, str, str, str, str], list[str], str | None]:
    """One row's person (or ``None``), what the preview shows, why it is a problem, its key.

    The preview shows (name, e-mail, organisation, sector, interests).
    ``raw`` (field -> cell) is changed in place: a guarded formula is
    unguarded and NULs are taken out.
    """
    # Written for speed (it runs once per row, 100,000 times): few calls, no kwargs churn.
    get = raw.get
    joined = "".join(raw.values())
    if "'" in joined:
        for name, value in raw.items():
            if value[:1] == "'":
                raw[name] = unguard_cell(value)
    reasons: list[str] = list(unknown)
    if check_nul and NUL in joined:
        reasons.extend(_nul_cells(raw))
    name = get("full_name") or " ".join(
        part for part in (get("first_name", ""), get("last_name", "")) if part
    )
    lived, contact, named = False, True, False
    for flag in _BOOLEAN_FIELDS:
        answer = get(flag)
        if answer:
            parsed = _ANSWERS.get(answer)
            if parsed is None:
                parsed = _parse_bool(answer)
            if parsed is None:
                reasons.append(f"'{answer}' in “{FIELD_LABELS[flag]}” is not yes or no")
            elif flag == "lived_experience":
                lived = parsed
            elif flag == "may_contact":
                contact = parsed
            else:
                named = parsed
    # How and when each consent was given: usually absent, or the export's own words.
    contact_how = named_how = ""
    contact_at = named_at = None
    if times.mapped:  # known words and times inline, the rest (and problems) by call
        cell = get("contact_consent_how")
        if cell:
            contact_how = KNOWN_HOW.get(cell) or _how(cell, "contact_consent_how", reasons)
        cell = get("contact_consent_at")
        if cell:
            known = times.get(cell)
            contact_at = (
                known
                if isinstance(known, dt.datetime)
                else _when(cell, "contact_consent_at", times, reasons)
            )
        cell = get("named_consent_how")
        if cell:
            named_how = KNOWN_HOW.get(cell) or _how(cell, "named_consent_how", reasons)
        cell = get("named_consent_at")
        if cell:
            known = times.get(cell)
            named_at = (
                known
                if isinstance(known, dt.datetime)
                else _when(cell, "named_consent_at", times, reasons)
            )
    for text_field, limit in _TEXT_LIMITS.items():
        cell = get(text_field)
        if cell and len(cell) > limit:
            label = FIELD_LABELS[text_field].lower()
            reasons.append(f"the {label} is longer than {limit} characters")
    # An interest in quotes may hold separators: "Trafficking, forced labour"; Policing
    # (as the export writes it, and as Mailchimp writes tags).
    cell = get("interests", "")
    split = split_cache.get(cell)
    if split is None:
        split = split_cache[cell] = _split_interests(cell)
    interests, too_long = split
    if too_long:
        reasons.append(too_long)
    email = get("email", "")
    data = PersonData(
        name,
        email or None,
        get("organisation") or None,
        get("role") or None,
        get("sector") or None,
        interests,
        lived,
        contact,
        named,
        get("accessibility_needs", ""),
        get("dietary_needs", ""),
        get("notes", ""),
        get("time_zone") or None,
        get("display_name") or None,
        get("contact_via") or None,
        get("contact_via_email") or None,
        contact_how,
        named_how,
        contact_at,
        named_at,
    )
    try:
        data = directory.validate(data)
    except ValidationError as exc:
        if exc.field == "full_name" and not clean_name(name):
            reasons.insert(0, "there is no name")
        elif exc.field in ("email", "contact_via_email"):
            email_text = normalise_email(getattr(data, exc.field)) or ""
            problem = email_problem(email_text) or f"'{email_text}' is not valid"
            if exc.field == "contact_via_email":
                problem = f"{problem} (in “{FIELD_LABELS[exc.field]}”)"
            reasons.insert(0, problem)
        else:
            reasons.insert(0, str(exc).rstrip("."))
    organisation = get("organisation", "")
    sector = get("sector", "")
    shown_interests = "; ".join(interests)
    if reasons:
        return None, (clean_name(name), email, organisation, sector, shown_interests), reasons, None
    key = data.email.lower() if data.email else None  # validate() already stripped it
    return data, (data.full_name, email, organisation, sector, shown_interests), reasons, key
