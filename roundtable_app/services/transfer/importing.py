"""Importing people from spreadsheets: plan, preview, then one transaction.

The import runs in three steps so the dialog can show each one:

1. :func:`~roundtable_app.services.transfer.reading.read_table` reads the file
   and :func:`guess_mapping` proposes a target field per column;
2. :func:`prepare` turns each row into a validated :class:`PersonData` (or a
   :class:`RowProblem` naming the row as the user sees it) and marks
   duplicates, giving an :class:`ImportPlan` to preview;
3. :func:`apply_import` writes the plan in the caller's transaction with
   set-based statements (100,000 rows in a few seconds; see :mod:`.writing`).
   Cancelled or failed, the caller's transaction rolls back and the database
   is exactly as before.

Merging never loses data: blank fields are filled, interests are united, and
text that differs is appended, never overwritten. Consent is privacy-first:
an import may withdraw consent (``may_contact``/``may_be_named``) or mark
lived experience, but never grant consent that the directory does not record.
How and when each consent was given are kept as the file says them, and dated
at the import where it says none (see :mod:`.consents`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from roundtable_app.core.errors import RoundtableError, ValidationError
from roundtable_app.core.model import PersonData
from roundtable_app.core.progress import Progress
from roundtable_app.services import audit
from roundtable_app.services.transfer.columns import duplicate_columns, guess_mapping
from roundtable_app.services.transfer.mapping import (
    ImportPlan,
    ImportReport,
    PlannedRow,
    RowProblem,
    RowStatus,
    candidate_email_keys,
    check_mapping,
    find_existing_emails,
    prepare,
)
from roundtable_app.services.transfer.merging import merge_data
from roundtable_app.services.transfer.new_names import created_names, find_known_names
from roundtable_app.services.transfer.paused_gc import paused_gc
from roundtable_app.services.transfer.reading import SourceTable, read_table
from roundtable_app.services.transfer.writing import Vocabulary, insert_people, merge_existing
from roundtable_app.storage.models import Person as PersonModel

IN_CHUNK = 500  # values per IN (...): well under SQLite's parameter limit
LOAD_ALL_ABOVE = 5000  # more keys than this: read all e-mail keys in one query instead


@dataclass
class _Work:
    """The outcome of grouping the included rows by e-mail."""

    new: list[tuple[PersonData, list[int]]] = field(default_factory=list)
    into_existing: dict[str, tuple[PersonData, list[int]]] = field(default_factory=dict)
    skipped_rows: list[int] = field(default_factory=list)
    merged_rows: list[int] = field(default_factory=list)
    #: Rows that repeat someone earlier in the file and add nothing to them.
    unchanged_rows: list[int] = field(default_factory=list)


@paused_gc()
def apply_import(
    session: Session,
    plan: ImportPlan,
    *,
    on_duplicate: Literal["merge", "skip"],
    skip_bad_rows: bool,
    progress: Progress | None = None,
    excluded_rows: frozenset[int] = frozenset(),
) -> ImportReport:
    """Write ``plan`` in the caller's transaction (it never commits).

    Rows in ``excluded_rows`` (unticked in the preview) are left out. If any
    included row has a problem and ``skip_bad_rows`` is false, nothing is
    written and :class:`ValidationError` names the bad rows.
    """
    if on_duplicate not in ("merge", "skip"):
        raise ValueError(f"on_duplicate must be 'merge' or 'skip', not {on_duplicate!r}")
    progress = progress or Progress()
    included = [r for r in plan.rows if r.row_number not in excluded_rows]
    excluded = len(plan.rows) - len(included)
    rejected = [
        RowProblem(r.row_number, r.reason) for r in included if r.status is RowStatus.PROBLEM
    ]
    if rejected and not skip_bad_rows:
        raise ValidationError(
            _bad_rows_message(rejected), field="rows", cli=_bad_rows_cli_message(rejected)
        )
    progress.update(0, 1, "Checking the directory…")

    valid = [r for r in included if r.data is not None]
    existing_ids = _existing_ids(session, {k for r in valid if (k := r.key)})
    work = _group(valid, existing_ids, on_duplicate, plan.mapped_fields)
    total = len(work.new) + len(work.into_existing) + 1
    progress.update(0, total, "Adding people…")

    try:
        vocab = Vocabulary(session)
        added_ids = insert_people(session, work.new, vocab, progress, total)
        merged_ids = merge_existing(
            session,
            work.into_existing,
            existing_ids,
            plan.mapped_fields,
            vocab,
            progress,
            done=len(work.new),
            total=total,
        )
        merged_rows, unchanged_rows = _merged_or_unchanged(work, existing_ids, set(merged_ids))
        report = ImportReport(
            added=len(added_ids),
            merged=len(merged_rows),
            skipped=len(work.skipped_rows),
            rejected=rejected,
            excluded=excluded,
            added_ids=tuple(added_ids),
            merged_ids=tuple(merged_ids),
            source=plan.source,
            merged_rows=merged_rows,
            skipped_rows=tuple(work.skipped_rows),
            created=created_names(session, vocab.created),
            unchanged=len(unchanged_rows),
            unchanged_rows=unchanged_rows,
        )
        unchanged = f"{report.unchanged} unchanged, " if report.unchanged else ""
        audit.record(
            session,
            "person",
            None,
            "imported",
            f"{report.added} added, {report.merged} merged, {unchanged}"
            f"{report.skipped} skipped, {len(rejected)} rejected",
        )
        session.flush()
    except IntegrityError as exc:
        raise RoundtableError(
            "The import clashed with a change saved at the same moment (probably someone "
            "added one of these e-mail addresses). Nothing was imported; run the import again."
        ) from exc
    progress.update(total, total, "Import finished")
    return report


def _merged_or_unchanged(
    work: _Work, existing_ids: dict[str, int], changed: set[int]
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Rows that changed someone, and rows that found them just so (row numbers, sorted)."""
    merged = list(work.merged_rows)
    unchanged = list(work.unchanged_rows)
    for key, (_data, numbers) in work.into_existing.items():
        (merged if existing_ids[key] in changed else unchanged).extend(numbers)
    return tuple(sorted(merged)), tuple(sorted(unchanged))


def _bad_rows_message(rejected: Sequence[RowProblem]) -> str:
    first = "; ".join(p.message for p in rejected[:3])
    more = f"; and {len(rejected) - 3:,} more" if len(rejected) > 3 else ""
    count = f"{len(rejected):,} row{'s' if len(rejected) != 1 else ''}"
    return (
        f"{count} cannot be imported, so nothing was imported. {first}{more}. "
        "Fix them in the file, or import the other rows without them (--skip-bad-rows "
        "on the command line; the import window leaves them out by itself)."
    )


def _bad_rows_cli_message(rejected: Sequence[RowProblem]) -> str:
    first = "; ".join(p.message for p in rejected[:3])
    more = f"; and {len(rejected) - 3:,} more" if len(rejected) > 3 else ""
    count = f"{len(rejected):,} row{'s' if len(rejected) != 1 else ''}"
    return (
        f"{count} cannot be imported, so nothing was imported. {first}{more}. "
        "Fix them in the file, or add --skip-bad-rows to import the other rows."
    )


def _existing_ids(session: Session, keys: set[str]) -> dict[str, int]:
    """Id of the person holding each of these e-mail keys, for those in the directory."""
    if len(keys) > LOAD_ALL_ABOVE:
        # One scan beats hundreds of IN (...) queries, and does not depend on the
        # planner having statistics for a table that was just filled.
        everyone = session.execute(
            select(PersonModel.email_key, PersonModel.id).where(PersonModel.email_key.is_not(None))
        )
        return {key: pid for key, pid in everyone if key in keys}
    found: dict[str, int] = {}
    wanted = sorted(keys)
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start : start + IN_CHUNK]
        query = select(PersonModel.email_key, PersonModel.id).where(
            PersonModel.email_key.in_(chunk)
        )
        found.update((key, pid) for key, pid in session.execute(query) if key)
    return found


def _group(
    rows: Sequence[PlannedRow], existing: dict[str, int], on_duplicate: str, mapped: frozenset[str]
) -> _Work:
    """Decide per row: new person, merge (into the file's first row or the directory), skip."""
    work = _Work()
    new_index: dict[str, int] = {}
    for row in rows:
        data = row.data
        assert data is not None
        key = row.key
        if key is None:
            work.new.append((data, [row.row_number]))
        elif key in existing:
            if on_duplicate == "skip":
                work.skipped_rows.append(row.row_number)
            elif key in work.into_existing:
                # Merged or unchanged: decided by whether the stored person changes.
                merged, numbers = work.into_existing[key]
                work.into_existing[key] = (
                    merge_data(merged, data, mapped),
                    [*numbers, row.row_number],
                )
            else:
                work.into_existing[key] = (data, [row.row_number])
        elif key in new_index:
            if on_duplicate == "skip":
                work.skipped_rows.append(row.row_number)
            else:
                i = new_index[key]
                before, numbers = work.new[i]
                merged = merge_data(before, data, mapped)
                work.new[i] = (merged, [*numbers, row.row_number])
                if merged == before:
                    work.unchanged_rows.append(row.row_number)
                else:
                    work.merged_rows.append(row.row_number)
        else:
            new_index[key] = len(work.new)
            work.new.append((data, [row.row_number]))
    return work


# --- all in one (the CLI) ----------------------------------------------------------------


def refuse_duplicate_columns(table: SourceTable) -> None:
    """Refuse a file in which two columns look like one field (the command line's check).

    The import dialog lets the user choose between such columns; the command
    line cannot ask, and guessing would drop the other column's values.
    """
    clashes = duplicate_columns(table.headers)
    if clashes:
        text = " ".join(clash.cli_message(table.path.name) for clash in clashes)
        raise ValidationError(text, field="mapping")


def read_for_import(
    path: str | Path, *, sheet: str | None = None, encoding: str | None = None
) -> tuple[SourceTable, list[str | None]]:
    """Read ``path`` and guess its mapping, refusing what only a person could decide.

    A file whose lines mix encodings (without ``encoding``), with two columns
    for one field, or with no column for the name is refused before any
    database is opened (the command line's first step).
    """
    table = read_table(path, sheet=sheet, encoding=encoding)
    refuse_duplicate_columns(table)
    mapping = guess_mapping(table.headers)
    check_mapping(mapping)
    return table, mapping


def import_table(
    db: Any,
    table: SourceTable,
    mapping: Sequence[str | None],
    *,
    on_duplicate: Literal["merge", "skip"] = "merge",
    skip_bad_rows: bool = False,
    progress: Progress | None = None,
    patience: float | None = None,
) -> ImportReport:
    """Check and import ``table`` under ``mapping`` into ``db`` in one transaction.

    The transaction starts once no other import is writing (see
    ``Database.bulk_transaction``); after ``patience`` seconds of waiting it
    gives up with ``DatabaseBusyError``.
    """
    with db.bulk_transaction(progress, patience=patience) as session:
        existing = find_existing_emails(session, candidate_email_keys(table, mapping))
        known = find_known_names(session)
        plan = prepare(table, mapping, existing_emails=existing, known=known, progress=progress)
        return apply_import(
            session, plan, on_duplicate=on_duplicate, skip_bad_rows=skip_bad_rows, progress=progress
        )


def import_file(
    db: Any,
    path: str | Path,
    *,
    on_duplicate: Literal["merge", "skip"] = "merge",
    skip_bad_rows: bool = False,
    sheet: str | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read, map by guess, check and import ``path`` into ``db`` in one transaction."""
    table, mapping = read_for_import(path, sheet=sheet, encoding=encoding)
    return import_table(
        db,
        table,
        mapping,
        on_duplicate=on_duplicate,
        skip_bad_rows=skip_bad_rows,
        progress=progress,
    )
