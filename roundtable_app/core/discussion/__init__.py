"""Discussion notes without SQL or Qt: kinds and statuses, the Chatham House guard, and
who a note may be attributed to."""

from roundtable_app.core.discussion.attribution import Attribution, attribute
from roundtable_app.core.discussion.guard import (
    Guard,
    GuardPerson,
    Mention,
    could_name,
    folded,
    name_words,
    redact,
    replace,
    words_of,
)
from roundtable_app.core.discussion.kinds import (
    ActionStatus,
    EvidenceKind,
    NeedStatus,
    NoteKind,
    SummaryState,
    bulleted_lines,
    evidence_questions,
)

__all__ = [
    "ActionStatus",
    "Attribution",
    "EvidenceKind",
    "Guard",
    "GuardPerson",
    "Mention",
    "could_name",
    "NeedStatus",
    "NoteKind",
    "SummaryState",
    "attribute",
    "bulleted_lines",
    "evidence_questions",
    "folded",
    "name_words",
    "redact",
    "replace",
    "words_of",
]
