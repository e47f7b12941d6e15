"""Reading the spreadsheets people really have into rows of text, losing nothing silently.

Staff bring CSV files saved by Excel on Windows (UTF-8 with a byte-order mark,
or cp1252), semicolon-separated files from European locales, tab-separated
"Unicode text" (UTF-16), Outlook contact exports, Mailchimp audience exports
and .xlsx workbooks. :func:`read_table` turns any of them into a
:class:`SourceTable` of clean strings, or refuses the file with what to do:
a file whose lines mix encodings (see :mod:`.encodings`), or whose quotes do
not close (everything after an unclosed quote would be read as one cell).
What each column holds is guessed in :mod:`.columns`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from roundtable_app.core.errors import ValidationError
from roundtable_app.services.transfer.columns import column_letter
from roundtable_app.services.transfer.encodings import decode, encoding_label
from roundtable_app.services.transfer.paused_gc import paused_gc
from roundtable_app.services.transfer.workbooks import ZIP_MAGIC, read_workbook

CSV_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}

# Old binary .xls files and password-protected .xlsx files are both OLE2 containers.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True, slots=True)
class SourceTable:
    """A spreadsheet read into memory: headers and rows of plain strings.

    ``row_numbers[i]`` is the row number the user sees in their spreadsheet for
    ``rows[i]`` (the header is usually row 1, so the first data row is row 2),
    so every message can send them to the right line. ``uncomputed`` holds the
    (row number, 0-based column) of each workbook cell that is a formula with
    no calculated value: its text is unknown, not empty.
    """

    path: Path
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    row_numbers: list[int]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1
    uncomputed: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    #: True when the file is known to hold no NUL character (one test over the whole
    #: text), so that :func:`~.mapping.prepare` need not look for one in every row.
    nul_free: bool = False

    @property
    def kind(self) -> str:
        return "Excel workbook" if self.sheet is not None else "CSV file"

    def describe(self) -> str:
        """One line for the user: what was detected ("CSV, UTF-8, semicolon-separated")."""
        if self.sheet is not None:
            detected = f"Excel workbook, sheet “{self.sheet}”"
        else:
            sep = DELIMITER_NAMES.get(self.delimiter or ",", repr(self.delimiter))
            detected = f"CSV file, {encoding_label(self.encoding)}, {sep}-separated"
        rows = len(self.rows)
        text = (
            f"{detected}; {len(self.headers)} columns, {rows:,} data row{'s' if rows != 1 else ''}"
            f" (headers on row {self.header_row})"
        )
        if self.uncomputed:
            count = len(self.uncomputed)
            text += (
                f"; {count:,} formula cell{'s' if count != 1 else ''} "
                f"{'have' if count != 1 else 'has'} no calculated value"
            )
        return text

    def cell_name(self, row_number: int, column: int) -> str:
        """ "B7": where a cell is, as the spreadsheet names it."""
        return f"{column_letter(column)}{row_number}"


# --- reading -------------------------------------------------------------------------


@paused_gc()
def read_table(
    path: str | Path, *, sheet: str | None = None, encoding: str | None = None
) -> SourceTable:
    """Read a CSV/TSV/text file or an .xlsx workbook, or raise a clear ValidationError.

    ``encoding`` reads a text file in that encoding (or
    :data:`~.encodings.MIXED`: each line in its own); without it, the
    encoding is detected and :class:`~.encodings.MixedEncodingError` is
    raised if the lines disagree.
    """
    path = Path(path)
    if not path.exists():
        raise ValidationError(
            f"The file {path} does not exist; it may have been moved or renamed. "
            "Check its name and folder."
        )
    if path.is_dir():
        raise ValidationError(f"{path} is a folder, not a file; choose a CSV or Excel file in it.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            f"The file {path.name} cannot be read ({exc.strerror or exc}); "
            "close it in other programs or check you may open it, then try again."
        ) from exc
    if not data.strip():
        raise ValidationError(
            f"The file {path.name} is empty; choose the file that holds your contacts."
        )
    suffix = path.suffix.lower()
    if data.startswith(_OLE2_MAGIC):
        raise ValidationError(
            f"{path.name} is password-protected or in the old Excel 97–2003 (.xls) format, "
            "which cannot be read. Open it in Excel, remove any password and save it as "
            "“Excel Workbook (.xlsx)” or “CSV UTF-8”, then import that file."
        )
    if data.startswith(ZIP_MAGIC):
        book = read_workbook(path, data, sheet)
        return _table_from_records(
            path,
            book.records,
            encoding=None,
            delimiter=None,
            sheet=book.title,
            uncomputed=book.uncomputed,
        )
    if suffix in EXCEL_SUFFIXES:
        raise ValidationError(
            f"{path.name} is not an Excel workbook although its name ends in {suffix}; it may "
            "be damaged or renamed. Open it in Excel and save it again as .xlsx or CSV."
        )
    return _read_csv(path, data, encoding)


def _looks_binary(text: str) -> bool:
    # A NUL or two is a damaged cell, refused with its row (see mapping.prepare);
    # a file full of control characters is not text at all.
    sample = text[:8192]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\r\n\t\f")
    replaced = sample.count("\ufffd")
    return (controls + replaced) > max(8, len(sample) // 20)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip().strip(",;\t|"):
            return line
    return ""


def _detect_delimiter(text: str, suffix: str) -> str:
    header = _first_line(text)
    # Count outside quotes: a header such as "Name, full" must not fool the count.
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    present = [d for d in DELIMITERS if counts[d]]
    if len(present) == 1:
        return present[0]
    if not present:
        return "\t" if suffix in {".tsv", ".tab"} else ","
    try:
        sniffed = csv.Sniffer().sniff(text[:65536], delimiters="".join(DELIMITERS)).delimiter
        if sniffed in present:
            return sniffed
    except csv.Error:
        pass
    return max(present, key=lambda d: counts[d])


def _read_csv(path: Path, data: bytes, encoding: str | None) -> SourceTable:
    text, encoding = decode(path.name, data, encoding)
    if _looks_binary(text):
        raise ValidationError(
            f"{path.name} is not a spreadsheet (it holds binary data, not text). "
            "Choose a CSV file or an Excel workbook (.xlsx)."
        )
    delimiter = _detect_delimiter(text, path.suffix.lower())
    records = _parse_csv(path, text, delimiter)
    return _table_from_records(
        path,
        records,
        encoding=encoding,
        delimiter=delimiter,
        sheet=None,
        nul_free="\x00" not in text,
    )


def _parse_csv(path: Path, text: str, delimiter: str) -> list[list[str]]:
    """The records of ``text``; an unclosed quote is refused, naming the row it opens on.

    Read leniently, a quote that is never closed swallows every line after
    it into one cell: a "name" of 5,000 characters, and all those people gone.
    So the text is read strictly first; the only strict error tolerated is a
    stray quote inside one line (``"Jane "JJ" Doe"``), read as before.
    """
    strict = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        records.extend(strict)  # keeps the records read before an error
        return records
    except csv.Error as exc:
        failed_at = strict.line_num
        row = len(records) + 1  # the record being read when it failed
        start = _start_line(text, delimiter, row)
        at_end = "end of data" in str(exc)
        if failed_at > start or at_end:
            raise ValidationError(_unclosed_quote(path, row, start, failed_at, at_end)) from exc
        if "expected after" not in str(exc):
            raise ValidationError(
                f"{path.name} cannot be read as CSV ({exc}, on line {failed_at}); open it in "
                "a spreadsheet program and save it again as CSV."
            ) from exc
    # A stray quote within one line: the lenient reading keeps its text as it is.
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _start_line(text: str, delimiter: str, row: int) -> int:
    """The line on which record number ``row`` starts (records before it read fine)."""
    if row == 1:
        return 1
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for number, _record in enumerate(reader, start=1):
        if number == row - 1:
            return reader.line_num + 1
    return reader.line_num + 1


def _unclosed_quote(path: Path, row: int, start: int, failed_at: int, at_end: bool) -> str:
    where = f"row {row}" if row == start else f"row {row} (line {start} of the file)"
    if at_end:
        swallowed = "everything after it, to the end of the file, would be read as one cell"
    else:
        swallowed = f"lines {start}–{failed_at} would be read as one cell"
    return (
        f"{path.name}: unclosed quote starting at {where}; {swallowed}, so those rows "
        'would be lost. Open the file in a text editor, close the quote (") or remove it, '
        "then import again."
    )


def _table_from_records(
    path: Path,
    records: Iterable[Sequence[str]],
    *,
    encoding: str | None,
    delimiter: str | None,
    sheet: str | None,
    uncomputed: frozenset[tuple[int, int]] = frozenset(),
    nul_free: bool = False,
) -> SourceTable:
    headers: tuple[str, ...] | None = None
    header_row = 0
    rows: list[tuple[str, ...]] = []
    numbers: list[int] = []
    width = 0
    for number, record in enumerate(records, start=1):
        if headers is None:
            cells = [c.strip() for c in record]
            if not any(cells):
                continue  # blank lines above the header
            while cells and not cells[-1]:
                cells.pop()
            headers = tuple(cell or f"(column {i})" for i, cell in enumerate(cells, start=1))
            width = len(headers)
            header_row = number
            continue
        cells = [c.strip() for c in record[:width]]
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        rows.append(tuple(cells))
        numbers.append(number)
    if headers is None:
        raise ValidationError(
            f"{path.name} has no rows with text in them; choose the file that holds your contacts."
        )
    # Trailing blank rows (common in Excel exports) are not part of the data.
    while rows and not any(rows[-1]):
        rows.pop()
        numbers.pop()
    return SourceTable(
        path=path,
        headers=headers,
        rows=rows,
        row_numbers=numbers,
        encoding=encoding,
        delimiter=delimiter,
        sheet=sheet,
        header_row=header_row,
        uncomputed=uncomputed,
        nul_free=nul_free,
    )
