"""The rights people have over their data (access, erasure, retention) and the audit trail.

Functions take the caller's session and never commit; :func:`clean_up` runs
after the erasure's transaction has committed.
"""

from roundtable_app.services.privacy.access import subject_access, write_subject_access
from roundtable_app.services.privacy.audit_trail import (
    FORMATS,
    KIND_LABELS,
    PAGE_SIZE,
    AuditChoices,
    AuditFilter,
    AuditRecord,
    audit_choices,
    audit_page,
    audit_trail_headers,
    count_audit,
    day_range,
    history,
    iter_audit,
    kind_label,
    write_audit,
)
from roundtable_app.services.privacy.erasure import (
    PERSONAL_TABLES,
    ErasurePreview,
    clean_up,
    erase_person,
    erasure_preview,
    record_sensitive_shown,
)
from roundtable_app.services.privacy.retention import (
    MAX_YEARS,
    RETENTION_KEY,
    SUGGESTED_YEARS,
    RetentionCandidate,
    RetentionResult,
    apply_retention,
    check_years,
    retention_review,
    retention_years,
    set_retention_years,
)
from roundtable_app.storage.scrub import ScrubError

__all__ = [
    "FORMATS",
    "KIND_LABELS",
    "MAX_YEARS",
    "PAGE_SIZE",
    "PERSONAL_TABLES",
    "RETENTION_KEY",
    "SUGGESTED_YEARS",
    "AuditChoices",
    "AuditFilter",
    "AuditRecord",
    "ErasurePreview",
    "RetentionCandidate",
    "RetentionResult",
    "ScrubError",
    "audit_choices",
    "apply_retention",
    "audit_page",
    "audit_trail_headers",
    "check_years",
    "clean_up",
    "count_audit",
    "day_range",
    "erase_person",
    "erasure_preview",
    "history",
    "iter_audit",
    "kind_label",
    "record_sensitive_shown",
    "retention_review",
    "retention_years",
    "set_retention_years",
    "subject_access",
    "write_audit",
    "write_subject_access",
]
