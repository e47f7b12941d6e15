"""Reading the spreadsheets people really have, and guessing what their columns mean.

Staff bring CSV files saved by Excel on Windows (UTF-8 with a byte-order mark,
or cp1252), semicolon-separated files from European locales, tab-separated
"Unicode text" (UTF-16), Outlook contact exports, Mailchimp audience exports
and .xlsx workbooks. :func:`read_table` turns any of them into a
:class:`SourceTable` of clean strings; :func:`guess_mapping` proposes a target
field for each column from its header, which the user may then correct.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from roundtable_app.core.errors import ValidationError

#: Target fields in the order the mapping step lists them, with their labels.
FIELDS: tuple[tuple[str, str], ...] = (
    ("full_name", "Full name"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "E-mail"),
    ("organisation", "Organisation"),
    ("role", "Role / job title"),
    ("sector", "Sector"),
    ("interests", "Interests"),
    ("lived_experience", "Lived experience (yes/no)"),
    ("may_contact", "May contact (yes/no)"),
    ("may_be_named", "May be named (yes/no)"),
    ("accessibility_needs", "Accessibility needs"),
    ("dietary_needs", "Dietary needs"),
    ("notes", "Notes"),
    ("time_zone", "Time zone"),
)
FIELD_LABELS: dict[str, str] = dict(FIELDS)

CSV_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}

_ZIP_MAGIC = b"PK\x03\x04"
# Old binary .xls files and password-protected .xlsx files are both OLE2 containers.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True, slots=True)
class SourceTable:
    """A spreadsheet read into memory: headers and rows of plain strings.

    ``row_numbers[i]`` is the row number the user sees in their spreadsheet for
    ``rows[i]`` (the header is usually row 1, so the first data row is row 2),
    so every message can send them to the right line.
    """

    path: Path
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    row_numbers: list[int]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1

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
        return (
            f"{detected}; {len(self.headers)} columns, {rows:,} data row{'s' if rows != 1 else ''}"
            f" (headers on row {self.header_row})"
        )


def encoding_label(encoding: str | None) -> str:
    return {
        "utf-8-sig": "UTF-8 with byte-order mark",
        "utf-8": "UTF-8",
        "cp1252": "Windows (cp1252)",
        "latin-1": "Latin-1",
        "utf-16": "UTF-16",
    }.get(encoding or "", encoding or "unknown encoding")


# --- reading -------------------------------------------------------------------------


def read_table(path: str | Path, *, sheet: str | None = None) -> SourceTable:
    """Read a CSV/TSV/text file or an .xlsx workbook, or raise a clear ValidationError."""
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
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(path, data, sheet)
    if suffix in EXCEL_SUFFIXES:
        raise ValidationError(
            f"{path.name} is not an Excel workbook although its name ends in {suffix}; it may "
            "be damaged or renamed. Open it in Excel and save it again as .xlsx or CSV."
        )
    return _read_csv(path, data)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export: UTF-16, tab-separated.
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 decodes anything.
        return data.decode("latin-1"), "latin-1"


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
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


def _read_csv(path: Path, data: bytes) -> SourceTable:
    text, encoding = _decode(path, data)
    if _looks_binary(text):
        raise ValidationError(
            f"{path.name} is not a spreadsheet (it holds binary data, not text). "
            "Choose a CSV file or an Excel workbook (.xlsx)."
        )
    delimiter = _detect_delimiter(text, path.suffix.lower())
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ValidationError(
            f"{path.name} cannot be read as CSV ({exc}); open it in a spreadsheet program "
            "and save it again as CSV."
        ) from exc
    return _table_from_records(path, records, encoding=encoding, delimiter=delimiter, sheet=None)


def _cell_text(value: object) -> str:
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


def _read_xlsx(path: Path, data: bytes, sheet: str | None) -> SourceTable:
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
            [_cell_text(v) for v in row] for row in worksheet.iter_rows(min_row=1, values_only=True)
        ]
        title = worksheet.title
    except ValidationError:
        raise
    except Exception as exc:
        raise ValidationError(
            f"{path.name} could not be read as an Excel workbook ({exc}); save it again "
            "from Excel as .xlsx or CSV, then import that file."
        ) from exc
    finally:
        workbook.close()
    return _table_from_records(path, records, encoding=None, delimiter=None, sheet=title)


def sheet_names(path: str | Path) -> list[str]:
    """The sheet names of an .xlsx workbook (empty for anything else)."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            if handle.read(4) != _ZIP_MAGIC:
                return []
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True)
        try:
            return list(workbook.sheetnames)
        finally:
            workbook.close()
    except Exception:  # the reading step reports the real problem
        return []


def _table_from_records(
    path: Path,
    records: Iterable[Sequence[str]],
    *,
    encoding: str | None,
    delimiter: str | None,
    sheet: str | None,
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
    )


# --- guessing the mapping ------------------------------------------------------------


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


_EXACT: dict[str, str] = {}
for _field, _names in {
    "full_name": (
        "fullname",
        "name",
        "displayname",
        "contactname",
        "contact",
        "person",
        "participant",
        "attendee",
        "nameinfull",
        "yourname",
    ),
    "first_name": ("firstname", "givenname", "forename", "first", "fname", "firstnames"),
    "last_name": ("lastname", "surname", "familyname", "last", "lname"),
    "email": (
        "email",
        "emailaddress",
        "mail",
        "emailaddr",
        "primaryemail",
        "workemail",
        "email1",
        "email1address",
        "emailaddress1",
        "mailaddress",
        "emails",
    ),
    "organisation": (
        "organisation",
        "organization",
        "company",
        "employer",
        "org",
        "organisationname",
        "organizationname",
        "companyname",
        "institution",
        "affiliation",
        "agency",
    ),
    "role": ("role", "jobtitle", "position", "job", "jobrole", "roletitle"),
    "sector": ("sector", "sectortype", "stakeholdergroup", "stakeholdertype"),
    "interests": (
        "interests",
        "interest",
        "tags",
        "tag",
        "themes",
        "theme",
        "topics",
        "topic",
        "areasofinterest",
        "interestareas",
        "expertise",
    ),
    "lived_experience": (
        "livedexperience",
        "livedexperienceofmodernslavery",
        "survivor",
        "lived",
        "lex",
    ),
    "may_contact": (
        "maycontact",
        "consent",
        "consenttocontact",
        "optin",
        "mailingconsent",
        "contactconsent",
        "maybecontacted",
        "subscribed",
    ),
    "may_be_named": (
        "maybenamed",
        "consenttobenamed",
        "namedinsummaries",
        "maynameinsummary",
        "namedconsent",
        "nameconsent",
    ),
    "accessibility_needs": (
        "accessibility",
        "accessibilityneeds",
        "accessneeds",
        "accessibilityrequirements",
        "accessrequirements",
    ),
    "dietary_needs": (
        "dietary",
        "dietaryneeds",
        "dietaryrequirements",
        "diet",
        "dietaryrequirement",
        "foodrequirements",
    ),
    "notes": ("notes", "note", "comments", "comment", "remarks"),
    "time_zone": ("timezone", "tz", "zone", "timezoneiana"),
}.items():
    for _name in _names:
        _EXACT[_name] = _field


def _fuzzy(key: str) -> str | None:
    """Looser rules for headers such as "Work e-mail" or "Organisation (current)"."""
    if any(ch.isdigit() for ch in key):
        return None  # "E-mail 2 Address", "Phone 3": secondary copies stay unmapped
    if "email" in key and "display" not in key and "type" not in key:
        return "email"
    if key.startswith(("organisation", "organization", "company", "employer")):
        return "organisation"
    if key.startswith(("interest", "theme", "topic")):
        return "interests"
    if key.startswith("dietary"):
        return "dietary_needs"
    if key.startswith("access"):
        return "accessibility_needs"
    if key.startswith("livedexperience"):
        return "lived_experience"
    if key.startswith(("firstname", "givenname")):
        return "first_name"
    if key.startswith(("lastname", "surname", "familyname")):
        return "last_name"
    if key.startswith("jobtitle"):
        return "role"
    return None


def guess_field(header: str) -> str | None:
    key = _key(header)
    if not key:
        return None
    return _EXACT.get(key) or _fuzzy(key)


def guess_mapping(headers: Sequence[str]) -> list[str | None]:
    """A target field (or ``None``) per column; each field is given to one column only.

    Exact header matches win over looser ones, and among equals the leftmost
    column wins (Outlook's "E-mail Address" before "E-mail 2 Address").
    """
    mapping: list[str | None] = [None] * len(headers)
    taken: set[str] = set()
    exact = [_EXACT.get(_key(h)) for h in headers]
    for i, field in enumerate(exact):
        if field and field not in taken:
            mapping[i] = field
            taken.add(field)
    for i, header in enumerate(headers):
        if mapping[i] is None and exact[i] is None:
            field = _fuzzy(_key(header))
            if field and field not in taken:
                mapping[i] = field
                taken.add(field)
    return mapping
