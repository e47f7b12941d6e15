"""People in and out of the app: reading spreadsheets, planning and applying an import, export.

An import runs in three steps the dialog shows one by one: read the file and
guess the columns, prepare a plan to preview, then apply it in one transaction.
"""

from roundtable_app.services.transfer.exporting import export_people_csv
from roundtable_app.services.transfer.importing import (
    FIELD_LABELS,
    FIELDS,
    CreatedName,
    ImportPlan,
    ImportReport,
    KnownNames,
    NewName,
    PlannedRow,
    RowProblem,
    RowStatus,
    SourceTable,
    apply_import,
    candidate_email_keys,
    check_mapping,
    find_existing_emails,
    find_known_names,
    guess_mapping,
    import_file,
    merge_data,
    prepare,
    read_table,
)
from roundtable_app.services.transfer.new_names import summary_of_new
from roundtable_app.services.transfer.reading import sheet_names

__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "CreatedName",
    "KnownNames",
    "NewName",
    "ImportPlan",
    "ImportReport",
    "PlannedRow",
    "RowProblem",
    "RowStatus",
    "SourceTable",
    "apply_import",
    "candidate_email_keys",
    "check_mapping",
    "export_people_csv",
    "find_existing_emails",
    "find_known_names",
    "guess_mapping",
    "import_file",
    "merge_data",
    "prepare",
    "read_table",
    "sheet_names",
    "summary_of_new",
]
