"""The mapped classes of the whole product, one module per area."""

from roundtable_app.storage.models.audit import AuditEntry
from roundtable_app.storage.models.directory import (
    Organisation,
    Person,
    Sector,
    Theme,
    person_theme,
)
from roundtable_app.storage.models.discussion import (
    DiscussionNote,
    DiscussionSummary,
    DismissedSuggestion,
    NeedGroup,
    SummaryRevision,
    note_sector,
    note_theme,
)
from roundtable_app.storage.models.roundtables import (
    DiscussionTable,
    Invitation,
    Roundtable,
    SeatingRule,
    Series,
    roundtable_theme,
)
from roundtable_app.storage.models.settings import TeamSetting

__all__ = [
    "AuditEntry",
    "DiscussionTable",
    "DiscussionNote",
    "DiscussionSummary",
    "DismissedSuggestion",
    "Invitation",
    "NeedGroup",
    "Organisation",
    "Person",
    "Roundtable",
    "SeatingRule",
    "TeamSetting",
    "Sector",
    "Series",
    "SummaryRevision",
    "Theme",
    "note_sector",
    "note_theme",
    "person_theme",
    "roundtable_theme",
]
