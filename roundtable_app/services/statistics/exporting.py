"""Writing the figures to a CSV file or an Excel workbook (.xlsx), safely.

Both hold the tables of :func:`~.tables.export_tables` (small numbers already
protected) and no names of people. Files are written to a temporary file and
renamed (never half-written); text that a spreadsheet would run as a formula
is written as text: guarded with an apostrophe in the CSV file, typed as a
string in the workbook.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from roundtable_app.core.errors import ValidationError
from roundtable_app.services.files import guard_cell, write_atomically
from roundtable_app.services.statistics.figures import Figures
from roundtable_app.services.statistics.tables import (
    Cell,
    ExportTable,
    Percent,
    export_tables,
    generated_line,
)

FORMATS = (".csv", ".xlsx")


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Percent):
        return f"{value:.1%}"
    if isinstance(value, int | float):
        return str(value)
    return guard_cell(value)


def write_statistics_csv(
    figures: Figures, path: str | Path, *, targets: Mapping[str, int] | None = None
) -> None:
    """The figures as one CSV file: a heading, then each table under its title."""
    tables = export_tables(figures, targets)

    def write(tmp: str) -> None:
        # utf-8-sig: Excel on Windows reads the file as UTF-8 only with the mark.
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(["Roundtable statistics"])
            out.writerow([guard_cell(figures.label)])
            out.writerow([generated_line()])
            for table in tables:
                out.writerow([])
                out.writerow([table.title])
                out.writerow(table.headers)
                out.writerows([_csv_cell(c) for c in row] for row in table.rows)
                if table.note:
                    out.writerow([table.note])

    write_atomically(path, write, "statistics file")


def write_statistics_xlsx(
    figures: Figures, path: str | Path, *, targets: Mapping[str, int] | None = None
) -> None:
    """The figures as an Excel workbook: one sheet per table, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    tables = export_tables(figures, targets)
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table))
        heading = [["Roundtable statistics"], [figures.label], [generated_line()], []]
        if table.key != "Summary":
            heading = [[table.title], [figures.label], []]
        for row in heading:
            sheet.append(row)
            if row:
                sheet.cell(row=sheet.max_row, column=1).data_type = "s"
        sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
        header_row = sheet.max_row + 1
        sheet.append(list(table.headers))
        for cell in sheet[header_row]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for values in table.rows:
            sheet.append([_xlsx_value(v) for v in values])
            for cell, value in zip(sheet[sheet.max_row], values, strict=True):
                if isinstance(value, Percent):
                    cell.number_format = "0.0%"
                elif isinstance(value, int):
                    cell.number_format = "#,##0"
                elif isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever it starts with
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        for column, header in enumerate(table.headers, start=1):
            texts = [header, *(str(row[column - 1] or "") for row in table.rows[:200])]
            width = min(60, max(10, *(len(t) for t in texts)) + 2)
            if column > 1:
                width = min(width, 18)
            sheet.column_dimensions[get_column_letter(column)].width = width

    write_atomically(path, lambda tmp: book.save(tmp), "spreadsheet")


def _xlsx_value(value: Cell) -> object:
    if value is None:
        return None
    if isinstance(value, Percent):
        return float(value)
    return value


def _sheet_name(table: ExportTable) -> str:
    name = "".join(c for c in table.key if c not in "[]:*?/\\")
    return name[:31]


def write_statistics(
    figures: Figures, path: str | Path, *, targets: Mapping[str, int] | None = None
) -> None:
    """Write ``path`` as CSV or .xlsx by its extension (a PDF is a report: see services.reports)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        write_statistics_csv(figures, path, targets=targets)
    elif suffix == ".xlsx":
        write_statistics_xlsx(figures, path, targets=targets)
    else:
        raise ValidationError(
            f"{Path(path).name}: the figures can be written as .csv or .xlsx "
            f"(or as a .pdf report), not as {suffix or 'a file without an extension'}.",
            "out",
        )
