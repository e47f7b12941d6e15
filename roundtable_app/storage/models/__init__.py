"""The mapped classes of the whole product, one module per area."""

from roundtable_app.storage.models.audit import AuditEntry
from roundtable_app.storage.models.directory import (
    Organisation,
    Person,
    Sector,
    Theme,
    person_theme,
)
from roundtable_app.storage.models.discussion import Action, EvidenceNeed, SharedChallenge
from roundtable_app.storage.models.roundtables import (
    DiscussionTable,
    Invitation,
    Roundtable,
    SeatingRule,
    Series,
    roundtable_theme,
)

__all__ = [
    "Action",
    "AuditEntry",
    "DiscussionTable",
    "EvidenceNeed",
    "Invitation",
    "Organisation",
    "Person",
    "Roundtable",
    "SeatingRule",
    "Sector",
    "Series",
    "SharedChallenge",
    "Theme",
    "person_theme",
    "roundtable_theme",
]
