"""The rights people have over their data: access (everything held) and erasure.

Functions take the caller's session and never commit; :func:`clean_up` runs
after the erasure's transaction has committed.
"""

from roundtable_app.services.privacy.access import subject_access, write_subject_access
from roundtable_app.services.privacy.erasure import (
    PERSONAL_TABLES,
    ErasurePreview,
    clean_up,
    erase_person,
    erasure_preview,
    record_sensitive_shown,
)
from roundtable_app.storage.scrub import ScrubError

__all__ = [
    "PERSONAL_TABLES",
    "ErasurePreview",
    "ScrubError",
    "clean_up",
    "erase_person",
    "erasure_preview",
    "record_sensitive_shown",
    "subject_access",
    "write_subject_access",
]
