"""Discussion notes: what each table said, checked against the Chatham House Rule, and the
summary's draft → final lifecycle with every final revision kept.

Every edit is checked against the version the user saw and returns what undo
needs; functions take the caller's session and never commit.
"""

from roundtable_app.services.discussion.flags import (
    guards_and_took_part,
    note_flags,
    participants_by_sector,
    roundtable_guard,
    roundtable_guards,
    took_part_by_roundtable,
)
from roundtable_app.services.discussion.lifecycle import (
    Revision,
    compare,
    current_content,
    finalise,
    finalise_problem,
    reopen,
    replace_notes,
    restore_revision,
    revision_content,
    revisions,
    undo_finalise,
)
from roundtable_app.services.discussion.notes import (
    Note,
    NoteFields,
    NoteTable,
    add_lines,
    add_note,
    fields_of,
    list_notes,
    note_tables,
    remove_note,
    restore_note,
    summary_state,
    table_numbered,
    update_note,
)
from roundtable_app.services.discussion.summary import (
    CHATHAM_HOUSE,
    Item,
    QuestionBlock,
    SectorCount,
    SummaryContent,
    ThemeBlock,
    build_summary,
    new_connections,
)

__all__ = [
    "CHATHAM_HOUSE",
    "Item",
    "QuestionBlock",
    "SectorCount",
    "SummaryContent",
    "ThemeBlock",
    "build_summary",
    "new_connections",
    "Note",
    "NoteFields",
    "NoteTable",
    "Revision",
    "add_lines",
    "add_note",
    "compare",
    "current_content",
    "fields_of",
    "finalise",
    "finalise_problem",
    "list_notes",
    "note_flags",
    "note_tables",
    "participants_by_sector",
    "remove_note",
    "reopen",
    "replace_notes",
    "restore_note",
    "restore_revision",
    "revision_content",
    "revisions",
    "roundtable_guard",
    "guards_and_took_part",
    "roundtable_guards",
    "summary_state",
    "table_numbered",
    "took_part_by_roundtable",
    "undo_finalise",
    "update_note",
]
