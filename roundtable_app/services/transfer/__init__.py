"""People in and out of the app: reading spreadsheets, planning and applying an import, export.

An import runs in three steps the dialog shows one by one: read the file and
guess the columns, prepare a plan to preview, then apply it in one transaction.
Nothing is dropped or garbled silently on the way: a file whose lines mix
encodings (:class:`MixedEncodingError`) or whose quotes do not close is
refused with what to do, columns that clash (:func:`duplicate_columns`) are
for the user to choose between, and a row that cannot be stored as it is
(a NUL character, an address with an invisible character, a formula never
calculated) is refused with its number and the reason.
"""

from roundtable_app.services.transfer.columns import (
    FIELD_LABELS,
    FIELDS,
    DuplicateColumns,
    column_letter,
    duplicate_columns,
    guess_mapping,
)
from roundtable_app.services.transfer.encodings import (
    MIXED,
    SUGGESTED,
    MixedEncodingError,
    SampleLine,
    encoding_label,
)
from roundtable_app.services.transfer.exporting import SENSITIVE_WARNING, export_people_csv
from roundtable_app.services.transfer.importing import (
    apply_import,
    import_file,
    import_table,
    read_for_import,
    refuse_duplicate_columns,
)
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
from roundtable_app.services.transfer.new_names import (
    CreatedName,
    KnownNames,
    NewName,
    find_known_names,
    summary_of_new,
)
from roundtable_app.services.transfer.reading import SourceTable, read_table
from roundtable_app.services.transfer.workbooks import sheet_names

__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "MIXED",
    "SUGGESTED",
    "CreatedName",
    "DuplicateColumns",
    "ImportPlan",
    "ImportReport",
    "KnownNames",
    "MixedEncodingError",
    "NewName",
    "PlannedRow",
    "RowProblem",
    "RowStatus",
    "SampleLine",
    "SourceTable",
    "apply_import",
    "candidate_email_keys",
    "check_mapping",
    "column_letter",
    "duplicate_columns",
    "encoding_label",
    "SENSITIVE_WARNING",
    "export_people_csv",
    "find_existing_emails",
    "find_known_names",
    "guess_mapping",
    "import_file",
    "import_table",
    "merge_data",
    "prepare",
    "read_for_import",
    "read_table",
    "refuse_duplicate_columns",
    "sheet_names",
    "summary_of_new",
]
