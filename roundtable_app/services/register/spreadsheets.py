"""The register as CSV and .xlsx: one row per need (a group is one row), ranked.

Written from a :class:`RegisterContent` (names removed, sectors as may be
named). Every text cell passes the formula guard: a need that starts with
"=" or "+" is shown as text by a spreadsheet, never run.
"""

from __future__ import annotations

import csv
from pathlib import Path

from roundtable_app.services.files import guard_cell, write_atomically
from roundtable_app.services.register.entries import Entry, RegisterContent

HEADERS = (
    "Rank",
    "Evidence need",
    "Also raised as",
    "Themes",
    "Priority",
    "Kind of evidence",
    "Roundtables",
    "Sectors",
    "Raised",
    "Held at",
    "Status",
    "Owner in the centre",
    "Answered by",
)


def _held(entry: Entry) -> str:
    return "; ".join(
        f"{title} ({day.isoformat() if day else 'date to be set'})"
        for title, day in entry.roundtables
    )


def register_rows(content: RegisterContent) -> list[list[str | int]]:
    """The rows of the spreadsheet (without the header), ranked across themes."""
    return [
        [
            rank,
            entry.text,
            " | ".join(entry.also),
            "; ".join(entry.themes),
            entry.priority.value.capitalize() if entry.priority else "",
            "; ".join(entry.evidence_kinds),
            entry.roundtable_count,
            "; ".join(entry.sectors),
            entry.raised,
            _held(entry),
            entry.status.label,
            entry.centre_owner,
            entry.answer_reference,
        ]
        for rank, entry in enumerate(content.entries, start=1)
    ]


def _guarded(row: list[str | int]) -> list[str | int]:
    return [guard_cell(v) if isinstance(v, str) else v for v in row]


def write_register_csv(content: RegisterContent, path: str | Path) -> None:
    """The register as UTF-8 CSV (with a byte-order mark, so Excel reads the accents)."""

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(HEADERS)
            out.writerows(_guarded(row) for row in register_rows(content))

    write_atomically(path, write, "evidence-needs register")


def write_register_xlsx(content: RegisterContent, path: str | Path) -> None:
    """The register as an Excel workbook: a header row that stays in view, a filter."""
    import openpyxl  # imported here: slow to import, and only .xlsx needs it
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Evidence needs"
    sheet.append(list(HEADERS))
    for row in register_rows(content):
        sheet.append(_guarded(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = (6, 60, 40, 28, 10, 24, 12, 30, 45, 40, 16, 22, 30)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = "Evidence-needs register"
    workbook.properties.creator = "Roundtable"

    write_atomically(path, workbook.save, "evidence-needs register")


def write_register(content: RegisterContent, path: str | Path) -> None:
    """Write the register as the file's extension says: .pdf, .csv or .xlsx."""
    suffix = Path(path).suffix.casefold()
    if suffix == ".csv":
        write_register_csv(content, path)
    elif suffix == ".xlsx":
        write_register_xlsx(content, path)
    elif suffix == ".pdf":
        from roundtable_app.services.register.pdf import write_register_pdf

        write_register_pdf(content, path)
    else:
        from roundtable_app.core.errors import ValidationError

        raise ValidationError(
            f"“{Path(path).name}” is not a file the register can be saved as; end its name "
            "in .pdf, .csv or .xlsx.",
            "out",
        )
