"""Reading .xlsx workbooks: cells as the text the user sees, and formulas never calculated.

A workbook keeps, beside each formula, the value it last calculated. A file
written by a program that does not calculate (a script, a web export, some
converters) has formulas with no value saved: openpyxl then gives an empty
cell, and the import would store nothing where the user sees a name.
:func:`read_workbook` lists those cells, so the rows that need them are
refused with the reason instead.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from roundtable_app.core.errors import ValidationError

ZIP_MAGIC = b"PK\x03\x04"
#: A formula element in a sheet's XML, with or without a namespace prefix.
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_COORDINATE = re.compile(r"([A-Z]+)(\d+)")


@dataclass(frozen=True, slots=True)
class Workbook:
    """One sheet read: its rows of text, its title, and the formula cells with no value.

    ``uncomputed`` holds (row number, 0-based column) pairs, rows numbered as
    in the sheet (the first row is 1).
    """

    records: list[list[str]]
    title: str
    uncomputed: frozenset[tuple[int, int]]


def cell_text(value: object) -> str:
    """An Excel cell as the text the user sees: 42 not 42.0, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def read_workbook(path: Path, data: bytes, sheet: str | None) -> Workbook:
    """The first sheet of the workbook in ``data`` (or ``sheet``), or a clear ValidationError."""
    import openpyxl  # imported here: it is slow to import and only .xlsx needs it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ValidationError(
            f"{path.name} is damaged or not an Excel workbook ({type(exc).__name__}); open it "
            "in Excel and save it again as .xlsx or CSV, then import that file."
        ) from exc
    except Exception as exc:  # openpyxl raises assorted errors on odd zips
        raise ValidationError(
            f"{path.name} could not be read as an Excel workbook ({exc}); save it again "
            "from Excel as .xlsx or CSV, then import that file."
        ) from exc
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            names = ", ".join(f"“{n}”" for n in workbook.sheetnames)
            raise ValidationError(f"{path.name} has no sheet called “{sheet}”; it has {names}.")
        records = [
            [cell_text(v) for v in row] for row in worksheet.iter_rows(min_row=1, values_only=True)
        ]
        title = worksheet.title
        uncomputed = _uncomputed_formulas(workbook, worksheet)
    except ValidationError:
        raise
    except Exception as exc:
        raise ValidationError(
            f"{path.name} could not be read as an Excel workbook ({exc}); save it again "
            "from Excel as .xlsx or CSV, then import that file."
        ) from exc
    finally:
        workbook.close()
    return Workbook(records, title, uncomputed)


def _uncomputed_formulas(workbook: Any, worksheet: Any) -> frozenset[tuple[int, int]]:
    """The cells of ``worksheet`` that hold a formula but no calculated value.

    openpyxl gives such a cell as empty, like a cell that is really empty, so
    the sheet's XML is read again, only when it has formulas at all.
    """
    member = getattr(worksheet, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if member is None or archive is None:
        return frozenset()
    with archive.open(member) as source:
        if not _FORMULA_TAG.search(source.read()):
            return frozenset()
    with archive.open(member) as source:
        return frozenset(_formula_cells_without_value(source))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _formula_cells_without_value(source: IO[bytes]) -> Iterator[tuple[int, int]]:
    """(row, 0-based column) of each formula cell whose value was never saved.

    Excel saves a text result as ``t="str"``, so an empty value is a formula
    that gave "", not one that was never calculated; openpyxl and other writers
    that do not calculate leave ``<v/>`` empty, or out, on a number cell.
    """
    row = column = 0
    for event, element in ElementTree.iterparse(source, events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if tag == "row":
                number = element.get("r", "")
                row, column = (int(number) if number.isdigit() else row + 1), 0
            continue
        if tag == "row":
            element.clear()
        if tag != "c":
            continue
        where = _COORDINATE.fullmatch(element.get("r", ""))
        column = _column_number(where[1]) if where else column + 1  # "r" is optional
        children = {_local(child.tag): child for child in element}
        if "f" in children:
            value = children.get("v")
            empty = value is None or not (value.text or "")
            if empty and element.get("t", "n") != "str":
                yield row, column - 1


def sheet_names(path: str | Path) -> list[str]:
    """The sheet names of an .xlsx workbook (empty for anything else)."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            if handle.read(4) != ZIP_MAGIC:
                return []
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True)
        try:
            return list(workbook.sheetnames)
        finally:
            workbook.close()
    except Exception:  # the reading step reports the real problem
        return []
