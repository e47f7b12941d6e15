"""The evidence-needs register: every need across roundtables, the centre's work on each,
similar needs grouped, and the register printed (PDF) or exported (CSV, .xlsx).

Needs are read with the summary's privacy rules applied once, in
:func:`list_needs`: names removed, credit only to sectors that may be named.
Edits name the versions the user saw and return what undo needs; functions
take the caller's session and never commit.
"""

from roundtable_app.services.register.edits import (
    NeedChange,
    NeedEdit,
    change_needs,
    update_needs,
)
from roundtable_app.services.register.entries import (
    Entry,
    RegisterContent,
    ThemeSection,
    build_register,
    entries_of,
)
from roundtable_app.services.register.groups import (
    GroupChange,
    confirm_group,
    group_count,
    leave_group,
    split_group,
    undo_group,
)
from roundtable_app.services.register.needs import (
    FilterChoices,
    Need,
    RegisterFilter,
    filter_choices,
    list_needs,
)
from roundtable_app.services.register.pdf import write_register_pdf
from roundtable_app.services.register.spreadsheets import (
    HEADERS,
    register_rows,
    write_register,
    write_register_csv,
    write_register_xlsx,
)
from roundtable_app.services.register.suggestions import (
    Suggestion,
    dismiss_suggestion,
    dismissed_suggestions,
    restore_suggestion,
    suggest_groups,
    suggestions_from,
    warm_up_suggestions,
)

__all__ = [
    "HEADERS",
    "Entry",
    "FilterChoices",
    "GroupChange",
    "Need",
    "NeedChange",
    "NeedEdit",
    "RegisterContent",
    "RegisterFilter",
    "Suggestion",
    "ThemeSection",
    "build_register",
    "change_needs",
    "confirm_group",
    "dismiss_suggestion",
    "dismissed_suggestions",
    "entries_of",
    "filter_choices",
    "group_count",
    "leave_group",
    "list_needs",
    "register_rows",
    "restore_suggestion",
    "split_group",
    "suggest_groups",
    "suggestions_from",
    "undo_group",
    "update_needs",
    "warm_up_suggestions",
    "write_register",
    "write_register_csv",
    "write_register_pdf",
    "write_register_xlsx",
]
